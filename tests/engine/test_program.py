"""The compiled program's disk cache (engine/program.py) and the work skipped by scenario data."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import talentwar
from talentwar.engine import program, sampling
from talentwar.engine.mechanisms import retention
from talentwar.engine.params import LOGNORMAL, UNIFORM, Distributions, build
from talentwar.engine.population import initial_state
from tests.conftest import with_firm


def saved_programs(cache) -> list:
    return sorted((cache / "programs").glob("*.stablehlo"))


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty program cache, and no program kept in this process's memory."""
    monkeypatch.setenv("TALENTWAR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(program, "_PROGRAMS", {})
    return tmp_path


def test_a_saved_program_is_loaded_without_tracing_and_gives_the_same_numbers(mini, fresh_cache, monkeypatch):
    first = talentwar.simulate(mini, replications=3, seed=2)
    assert len(saved_programs(fresh_cache)) == 1

    monkeypatch.setattr(program, "_PROGRAMS", {})  # as in a new process

    def no_tracing(*args, **kwargs):
        raise AssertionError("the model was traced again although its program was saved")

    monkeypatch.setattr(program.export, "export", no_tracing)
    second = talentwar.simulate(mini, replications=3, seed=2)
    for name in ("metrics", "moves", "final", "investors"):
        assert getattr(first, name).equals(getattr(second, name)), name


def test_an_unreadable_saved_program_is_traced_again_and_rewritten(mini, fresh_cache, monkeypatch):
    reference = talentwar.simulate(mini, replications=2, seed=4)
    (path,) = saved_programs(fresh_cache)
    path.write_bytes(b"half a file, as a killed process would leave it")
    monkeypatch.setattr(program, "_PROGRAMS", {})
    again = talentwar.simulate(mini, replications=2, seed=4)
    assert again.metrics.equals(reference.metrics)
    assert saved_programs(fresh_cache) == [path]
    jax.export.deserialize(bytearray(path.read_bytes()))  # a valid program again


def test_the_file_name_changes_with_the_source_and_the_shape(monkeypatch):
    key = (("dims", 36), 8, "tree", ())
    name = program._digest(key)
    assert program._digest(key) == name
    assert program._digest((("dims", 12), 8, "tree", ())) != name
    monkeypatch.setattr(program, "_source_digest", lambda: "an edited engine")
    assert program._digest(key) != name


@pytest.mark.parametrize("kinds", [(UNIFORM, UNIFORM), (UNIFORM, LOGNORMAL)])
def test_money_draws_from_a_table_equal_draws_from_the_taken_distributions(kinds):
    table = Distributions(jnp.asarray(kinds, jnp.int32), jnp.asarray([100.0, 300.0]), jnp.asarray([200.0, 0.4]))
    index = jnp.asarray([0, 1, 1, 0, 1] * 40, jnp.int32)
    key = jax.random.key(7)
    # Both compiled, as in the engine: op-by-op execution rounds a * u + b differently (no fused multiply-add).
    gated = jax.jit(sampling.draw_money_from)(key, table, index)
    full = jax.jit(lambda k, t, i: sampling.draw_money(k, sampling.take(t, i)))(key, table, index)
    np.testing.assert_array_equal(np.asarray(gated), np.asarray(full))


@pytest.mark.parametrize("month", [0, 1, 2, 5])
def test_special_grants_skip_other_months_exactly(mini, month):
    scenario = with_firm(mini, 0, retention={"protected_roles": ["core"], "grant_month": 2, "special_grant": {"value": 500.0}})
    params, layout = build(scenario)
    params = jax.tree_util.tree_map(jnp.asarray, params)
    state = initial_state(jax.random.key(0), params, layout.dims)
    key = jax.random.key(3)
    gated = retention.grant(state, params, jnp.asarray(month), key)
    full = retention._grant(state, params, jnp.asarray(month), key)
    for a, b in zip(jax.tree_util.tree_leaves(gated), jax.tree_util.tree_leaves(full), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))
    granted = np.asarray(gated[1])
    assert (granted > 0).any() == (month + 1 == 2)  # month 1 (index 0) is the first


def test_without_counter_offers_the_second_answer_would_equal_the_first(mini):
    """Why the step may skip the second choice when M11 is off: the pay for staying is unchanged."""
    from talentwar.engine.mechanisms import choice
    from tests.conftest import first_offers, with_mechanisms

    scenario = with_firm(with_mechanisms(mini, M11=False), 0, retention={"counter_offers": True})
    params, state, view, unvested, offers = first_offers(scenario)
    key = jax.random.key(2)
    ahead = choice.forfeits(state, params, unvested)
    first = choice.decide(state, params, view, offers, ahead, key)
    assert bool(first.accepted.any())
    staying = retention.counter_salary(state, params, offers, first.accepted)
    np.testing.assert_array_equal(np.asarray(staying), np.asarray(state.researchers.salary))
    second = choice.decide(state, params, view, offers, ahead, key, staying)
    for a, b in zip(second, first, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_targeting_sharpness_one_skips_the_power_and_other_values_apply_it(mini):
    """make_offers skips x ** sharpness when every poacher's sharpness is 1: exact, since x ** 1 is x
    in XLA's arithmetic; any other sharpness still reweights the strata, so offers go elsewhere."""
    from tests.conftest import first_offers

    x = jnp.linspace(0.0, 50.0, 100_001, dtype=jnp.float32)
    np.testing.assert_array_equal(np.asarray(jax.jit(jnp.power)(x, jnp.ones_like(x))), np.asarray(x))
    poacher = next(i for i, firm in enumerate(mini.firms) if firm.poaching is not None and firm.poaching.offer_rate > 0)
    made = {}
    for sharpness in (1.0, 4.0):
        offers = first_offers(with_firm(mini, poacher, poaching={"targeting_sharpness": sharpness}))[-1]
        made[sharpness] = np.asarray(offers.made)
    assert made[1.0].any() and (made[1.0] != made[4.0]).any()


def test_switched_off_mechanisms_skip_their_work_and_change_nothing(mini):
    """M1, M6, M7, M12 and M13 off take a real branch (params are shared by every replication):
    no forfeitable equity, nobody put on product work, no learning, nothing carried by movers,
    morale and reference pay unchanged; switched on, each does its work in this scenario."""
    from talentwar.engine.mechanisms import hierarchy, knowledge_transfer, learning, misalignment, vesting
    from tests.conftest import first_offers, with_mechanisms

    def month_parts(scenario):
        params, state, view, unvested, offers = first_offers(scenario)
        movers = offers.made  # as if every offer were accepted
        moved, transfer = knowledge_transfer.move(state, params, view, offers, movers)
        r = state.researchers
        return {
            "unvested": vesting.unvested_value(state, params),
            "on_product": misalignment.assign(r._replace(on_product=~r.on_product), movers, params, jax.random.key(4)).on_product,
            "knowledge": learning.learn(state, params, view).researchers.knowledge,
            "arrived": transfer.arrived,
            "gained": transfer.gained,
            "hierarchy": hierarchy.update(r, offers, params),
        }, state, movers

    off, state, movers = month_parts(with_mechanisms(mini, M1=False, M6=False, M7=False, M12=False, M13=False))
    on, _, _ = month_parts(with_mechanisms(mini, M1=True, M6=True, M7=True, M12=True, M13=True))
    r = state.researchers
    assert bool(movers.any())
    np.testing.assert_array_equal(np.asarray(off["unvested"]), 0.0)
    np.testing.assert_array_equal(np.asarray(off["on_product"]), np.asarray(~r.on_product & ~movers))  # joiners stay on research
    np.testing.assert_array_equal(np.asarray(off["knowledge"]), np.asarray(r.knowledge))
    np.testing.assert_array_equal(np.asarray(off["arrived"]), 0.0)
    np.testing.assert_array_equal(np.asarray(off["gained"]), 0.0)
    for field in ("reference_pay", "salary", "morale"):
        np.testing.assert_array_equal(np.asarray(getattr(off["hierarchy"], field)), np.asarray(getattr(r, field)))
    assert float(on["unvested"].sum()) > 0 and float(on["gained"].sum()) > 0 and float(on["arrived"].sum()) > 0
    assert bool((on["knowledge"] != r.knowledge).any())
    assert bool((on["hierarchy"].morale != r.morale).any()) and bool((on["hierarchy"].reference_pay != r.reference_pay).any())
