"""Work on selected rows only (engine/compact.py) gives the full pass's numbers, whatever the block."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from talentwar.engine import compact


def _row_function(rows):
    x, firm = rows
    return jnp.log1p(x * (1.0 + firm[:, None])).sum(-1), x[:, 0] > 0.5


def _full_pass(mask, x, firm):
    value, flag = _row_function((x, firm))
    return jnp.where(mask, value, -1.0), jnp.where(mask, flag, False)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.3, 1.0])
@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_selected_rows_equal_the_full_pass_bit_for_bit(share, block):
    rng = np.random.default_rng(0)
    n = 1000
    x = jnp.asarray(rng.random((n, 3), dtype=np.float32))
    firm = jnp.asarray(rng.integers(0, 5, n), jnp.int32)
    mask = jnp.asarray(rng.random(n) < share)
    run = jax.jit(lambda m, x, f: compact.where_selected(_row_function, m, (x, f), fill=(-1.0, False), block=block))
    got = run(mask, x, firm)
    want = jax.jit(_full_pass)(mask, x, firm)
    np.testing.assert_array_equal(np.asarray(got[0]), np.asarray(want[0]))
    np.testing.assert_array_equal(np.asarray(got[1]), np.asarray(want[1]))


def test_a_vmapped_batch_gives_each_replication_its_own_result():
    """Replications with few and many selected rows in one batch: the busy one takes more blocks."""
    rng = np.random.default_rng(1)
    n = 500
    x = jnp.asarray(rng.random((3, n, 2), dtype=np.float32))
    firm = jnp.asarray(rng.integers(0, 4, (3, n)), jnp.int32)
    mask = jnp.asarray(rng.random((3, n)) < np.array([[0.0], [0.05], [0.9]]))
    batched = jax.jit(jax.vmap(lambda m, x, f: compact.where_selected(_row_function, m, (x, f), fill=(-1.0, False), block=16)))
    got = batched(mask, x, firm)
    for r in range(3):
        want = _full_pass(mask[r], x[r], firm[r])
        np.testing.assert_array_equal(np.asarray(got[0][r]), np.asarray(want[0]))
        np.testing.assert_array_equal(np.asarray(got[1][r]), np.asarray(want[1]))


@pytest.mark.parametrize("n, share", [(1, 1.0), (63, 0.5), (4_096, 1.0), (10_001, 0.3), (20_000, 1.0), (300_007, 0.01)])
def test_running_count_is_the_cumulative_sum(n, share):
    """Block and group edges (64 and 4,096 rows), full masks (the largest sums) and several groups."""
    mask = np.random.default_rng(n).random(n) < share
    np.testing.assert_array_equal(np.asarray(compact.running_count(jnp.asarray(mask))), np.cumsum(mask))
    lanes = jax.vmap(compact.running_count)(jnp.asarray(np.stack([mask, ~mask])))
    np.testing.assert_array_equal(np.asarray(lanes), np.stack([np.cumsum(mask), np.cumsum(~mask)]))


def test_block_size_is_a_thirty_second_with_a_floor():
    assert compact.block_size(100) == 100
    assert compact.block_size(5_000) == compact.MIN_BLOCK
    assert compact.block_size(1_000_000) == 31_250


def test_choice_and_knowledge_gain_on_offer_holders_equal_the_pass_over_everyone(mini, monkeypatch):
    """The engine's two users: M9's choice (offer holders) and M12's gain (movers), checked against
    the same functions run on every researcher and masked, with a block small enough to need several."""
    from talentwar.engine import knowledge
    from talentwar.engine.mechanisms import choice
    from tests.conftest import first_offers, with_firm

    params, state, view, unvested, offers = first_offers(with_firm(mini, 0, poaching={"offer_rate": 0.5}))
    assert int(offers.made.sum()) > 8  # several blocks of 4
    r, key = state.researchers, jax.random.key(2)

    monkeypatch.setattr(compact, "block_size", lambda n: 4)
    ahead = choice.forfeits(state, params, unvested)
    blocked = choice.decide(state, params, view, offers, ahead, key)
    every = choice._decide(params, view, r, offers, ahead, r.salary, *choice.draws(key, offers.made.shape[0], None))
    for got, want in zip(blocked, every, strict=True):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(jnp.where(offers.made, want, jnp.zeros_like(want))))

    arrived = jnp.where(offers.made[:, None], r.knowledge, 0.0)
    gain = lambda rows: knowledge.gain(*rows, view.known, state.firms.codified, params.knowledge_overlap)  # noqa: E731
    got = compact.where_selected(gain, offers.made, (arrived, offers.poacher), fill=0.0)
    want = jnp.where(offers.made[:, None], gain((arrived, offers.poacher)), 0.0)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    assert float(got.max()) > 0.0


@pytest.mark.parametrize("size", [1, 2, 7, 1000, 1001])
def test_draws_at_chosen_rows_equal_the_whole_draw_at_those_rows(size):
    """rng.*_at hash only the rows asked for, and give each the number the whole draw gives it."""
    from talentwar.engine import rng
    from talentwar.engine.params import FIXED, LOGNORMAL, UNIFORM, Distributions
    from talentwar.engine.sampling import draw_money_at, draw_money_from

    key = jax.random.key(7)
    rows = jnp.asarray(np.random.default_rng(size).integers(0, size, 50), jnp.int32)
    np.testing.assert_array_equal(np.asarray(rng.bits_at(key, size, rows)), np.asarray(rng.bits(key, (size,)))[rows])
    np.testing.assert_array_equal(np.asarray(rng.bits_at(key, size, None)), np.asarray(rng.bits(key, (size,))))  # every row
    np.testing.assert_array_equal(np.asarray(rng.uniform_at(key, size, rows)), np.asarray(rng.uniform(key, (size,)))[rows])
    # Transcendental functions: XLA's CPU code can differ in the last bit between a vector loop
    # and its tail, so the same number at another position may round differently (1 ulp).
    np.testing.assert_allclose(np.asarray(rng.logistic_at(key, size, rows)), np.asarray(rng.logistic_at(key, size, None))[rows], rtol=1e-6)
    table = Distributions(jnp.asarray([FIXED, UNIFORM, LOGNORMAL]), jnp.asarray([5.0, 100.0, 300.0]), jnp.asarray([0.0, 200.0, 0.4]))
    index = jnp.arange(size, dtype=jnp.int32) % 3
    whole = np.asarray(draw_money_from(key, table, index))
    np.testing.assert_allclose(np.asarray(draw_money_at(key, size, rows, table, index[rows])), whole[rows], rtol=1e-6)


def test_offer_terms_and_hires_on_the_selected_rows_equal_the_pass_over_everyone(mini, monkeypatch):
    """M10's offer terms (receivers only) and M16's hires (the hired only), in blocks of 4, against
    the same functions run on every row (a block as large as the population) and masked."""
    from talentwar.engine.mechanisms import hiring
    from tests.conftest import first_offers, with_firm

    scenario = with_firm(
        mini,
        1,
        poaching={
            "offer_rate": 0.9,
            "salary_distribution": {"dist": "lognormal", "median": 500, "sigma": 0.3},
            "monthly_budget": 2000.0,
        },
    )
    data = scenario.model_dump()
    data["firms"][0]["separation_rate"] = 0.3  # hires to make
    scenario = type(scenario).model_validate(data)
    results = {}
    for block in (4, None):  # None: the plain pass over everyone
        monkeypatch.setattr(compact, "block_size", (lambda n: 4) if block else (lambda n: n))
        params, state, view, unvested, offers = first_offers(scenario)
        left, separated = hiring.separate(state, params, jax.random.key(3))
        hired_state, hired = hiring.hire(left, params, jax.random.key(4), separated)
        results[block] = (offers, hired, hired_state.researchers)
    (offers, hired, after), (every, hired_every, after_every) = results[4], results[None]
    received = np.asarray(offers.made | offers.over_budget)
    assert received.sum() > 4 and np.asarray(offers.over_budget).any() and np.asarray(offers.made).any()
    np.testing.assert_array_equal(np.asarray(offers.made), np.asarray(every.made))
    np.testing.assert_array_equal(np.asarray(offers.over_budget), np.asarray(every.over_budget))
    np.testing.assert_array_equal(np.asarray(offers.poacher)[received], np.asarray(every.poacher)[received])
    for name in ("salary", "sign_on", "equity_value", "cost"):  # lognormal salaries: to the last bit or 1 ulp (above)
        np.testing.assert_allclose(np.asarray(getattr(offers, name))[received], np.asarray(getattr(every, name))[received], rtol=1e-6)
    assert int(hired.sum()) > 4
    np.testing.assert_array_equal(np.asarray(hired), np.asarray(hired_every))
    for got, want in zip(after, after_every, strict=True):
        np.testing.assert_allclose(np.asarray(got), np.asarray(want), rtol=1e-6)
