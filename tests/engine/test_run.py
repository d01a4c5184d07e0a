"""Determinism, batching invariance and conservation of researchers."""

from __future__ import annotations

import numpy as np
import pytest

import talentwar
from talentwar.engine.metrics import metric_names
from tests.conftest import metric


def values(result):
    return result.metrics.sort_values(["replication", "month", "firm", "metric"])["value"].to_numpy()


def test_same_seed_same_numbers(mini):
    a, b = talentwar.simulate(mini, seed=5), talentwar.simulate(mini, seed=5)
    np.testing.assert_array_equal(values(a), values(b))
    assert a.moves.equals(b.moves)
    assert a.final.equals(b.final)
    c = talentwar.simulate(mini, seed=6)
    assert not np.array_equal(values(a), values(c))


@pytest.mark.parametrize("batch_size", [1, 7, 200])
def test_replication_depends_only_on_seed_and_index(mini, batch_size):
    reference = talentwar.simulate(mini, replications=8, seed=3, batch_size=8)
    result = talentwar.simulate(mini, replications=8, seed=3, batch_size=batch_size)
    np.testing.assert_array_equal(values(reference), values(result))
    assert reference.final.equals(result.final)
    assert reference.moves.reset_index(drop=True).equals(result.moves.reset_index(drop=True))


def test_a_replication_alone_equals_itself_in_a_batch(mini):
    batch = talentwar.simulate(mini, replications=8, seed=3, batch_size=8)
    alone = talentwar.simulate(mini, replications=1, seed=3, batch_size=1)
    first = batch.metrics[batch.metrics["replication"] == 0]
    np.testing.assert_array_equal(
        first.sort_values(["month", "firm", "metric"])["value"].to_numpy(), values(alone)
    )


def test_every_researcher_is_in_exactly_one_place_every_month(mini):
    result = talentwar.simulate(mini, replications=8)
    n = sum(g.count for f in mini.firms for g in f.population)
    headcount = result.metrics[result.metrics["metric"] == "headcount"]
    totals = headcount.groupby(["replication", "month"])["value"].sum()
    assert (totals == n).all(), totals[totals != n]
    final = result.final
    assert final.groupby("replication")["researcher"].nunique().eq(n).all()
    assert final["firm"].notna().all()
    # Every logged move goes somewhere else.
    assert (result.moves["from_firm"] != result.moves["to_firm"]).all()


def test_outputs_are_finite_and_named(mini):
    result = talentwar.simulate(mini, replications=2)
    assert np.isfinite(result.metrics["value"]).all()
    assert set(result.metrics["metric"].unique()) == set(metric_names(list(mini.simulation.stages), [f.name for f in mini.firms]))
    assert np.isfinite(result.final.select_dtypes("number").to_numpy()).all()


def test_lane_groups_run_at_once_land_in_replication_order(mini, monkeypatch):
    """Several lane groups, two at a time, the last one padded: each replication's outputs land in its own rows."""
    monkeypatch.setattr("talentwar.engine.run.MAX_LANES", {"cpu": 2, "accelerator": 2})
    monkeypatch.setenv("TALENTWAR_THREADS", "2")
    five = talentwar.simulate(mini, replications=5, seed=3)  # groups 0-1, 2-3 and 4 (padded)
    assert five.info["lane_width"] == 2
    monkeypatch.setenv("TALENTWAR_THREADS", "1")
    six = talentwar.simulate(mini, replications=6, seed=3)  # one group at a time, none padded
    for name in ("metrics", "moves", "final", "investors"):
        frame = getattr(six, name)
        assert getattr(five, name).reset_index(drop=True).equals(frame[frame["replication"] < 5].reset_index(drop=True)), name
    by_replication = five.metrics.groupby("replication")["value"].sum()
    assert by_replication.nunique() == 5  # five different replications, not one copied


@pytest.mark.parametrize(
    ("name", "raw"),
    [("TALENTWAR_THREADS", "two"), ("TALENTWAR_THREADS", "0"), ("TALENTWAR_BATCH_MEMORY", "2GB"), ("TALENTWAR_BATCH_MEMORY", "-5")],
)
def test_an_unusable_setting_is_named_before_any_work(mini, monkeypatch, name, raw):
    from talentwar.engine import program
    from talentwar.engine.run import SettingError

    monkeypatch.setenv(name, raw)
    monkeypatch.setattr(program, "executable", lambda *a, **k: pytest.fail("compiled despite an unusable setting"))
    with pytest.raises(SettingError) as caught:
        talentwar.simulate(mini, replications=2)
    message = str(caught.value)
    assert message.startswith(f"{name}={raw!r}: expected ") and f"(e.g. {name}=" in message and "\n" not in message


def test_settings_are_read_as_given_and_empty_means_unset(monkeypatch):
    from talentwar.engine.run import SETTINGS, concurrent_groups, memory_budget

    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    defaults = (concurrent_groups(), memory_budget())
    for name in SETTINGS:
        monkeypatch.setenv(name, "")
    assert (concurrent_groups(), memory_budget()) == defaults
    monkeypatch.setenv("TALENTWAR_THREADS", " 3 ")
    monkeypatch.setenv("TALENTWAR_BATCH_MEMORY", "123456789")
    assert (concurrent_groups(), memory_budget()) == (3, 123456789)


def test_an_accelerator_gets_wide_lanes_one_group_at_a_time_and_xlas_default_options(mini, monkeypatch):
    """What the engine decides when JAX reports an accelerator (no GPU here: the backend is faked)."""
    import jax

    from talentwar.engine import program, run
    from talentwar.engine.params import build

    class Device:
        def memory_stats(self):
            return {"bytes_limit": 16 * 2**30}

    for name in run.SETTINGS:
        monkeypatch.delenv(name, raising=False)
    _, layout = build(mini)
    small, million = layout.dims, layout.dims._replace(researchers=1_000_000, move_capacity=250_000)
    n_metrics = len(metric_names(layout.stages, layout.firms))
    on_cpu = (run.lane_width(small, 36, n_metrics), run.lane_width(million, 36, n_metrics))

    monkeypatch.setattr(jax, "default_backend", lambda: "gpu")
    monkeypatch.setattr(jax, "local_devices", lambda: [Device()])
    assert run.memory_budget() == 8 * 2**30  # half the device's memory
    assert run.concurrent_groups() == 1
    assert program.compiler_options() == {}  # the YNNPACK option is the CPU backend's
    assert (run.lane_width(small, 36, n_metrics), run.lane_width(million, 36, n_metrics)) == (64, 2)
    assert on_cpu == (8, 1)


def test_burn_in_runs_the_market_before_month_0_and_keeps_replications_independent(mini):
    burnt = mini.model_copy(update={"simulation": mini.simulation.model_copy(update={"burn_in_months": 6})})
    three = talentwar.simulate(burnt, replications=3, months=4)
    drawn = talentwar.simulate(mini, replications=3, months=4)
    # Month 0 is the market after six months: some researchers are no longer where they were drawn.
    assert (three.final["initial_firm"] != drawn.final["initial_firm"]).any()
    # Core retention, prices and performance units are measured from month 0, not from the draw.
    retention = metric(three, "core_retention", "lab")
    assert ((retention > 0) & (retention <= 1)).all()
    assert (np.abs(np.log(metric(three, "share_price", "lab", 1))) < 0.5).all()
    # Replication r depends only on (seed, r), burn-in included.
    two = talentwar.simulate(burnt, replications=2, months=4)
    np.testing.assert_array_equal(
        two.metrics["value"].to_numpy(), three.metrics.loc[three.metrics["replication"] < 2, "value"].to_numpy()
    )
