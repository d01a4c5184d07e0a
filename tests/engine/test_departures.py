"""Scheduled departures: who leaves, where they go, and that nothing changes without them."""

from __future__ import annotations

import jax
import numpy as np
import pytest

import talentwar
from talentwar.engine.params import build
from talentwar.engine.population import initial_state
from tests.conftest import metric, with_mechanisms

MONTHS, REPS = 3, 4


def with_departures(scenario, *events):
    """A validated copy with these scheduled departures."""
    return type(scenario).model_validate({**scenario.model_dump(), "departures": list(events)})


def leavers(result, month: int, firm: str, role: str = "core") -> dict[int, set[int]]:
    moves = result.moves
    rows = moves[(moves["month"] == month) & (moves["from_firm"] == firm) & (moves["role"] == role)]
    return {r: set(rows[rows["replication"] == r]["researcher"]) for r in range(result.replications)}


def test_without_events_nothing_changes(mini):
    plain = talentwar.simulate(mini, replications=REPS, months=2)
    later = talentwar.simulate(with_departures(mini, {"firm": "lab", "month": 3, "count": 5}), replications=REPS, months=2)
    np.testing.assert_array_equal(plain.metrics["value"].to_numpy(), later.metrics["value"].to_numpy())


def test_top_leavers_are_those_who_know_their_stage_best(mini):
    quiet = with_mechanisms(mini, M10=False, M16=False)  # no other moves in month 1
    event = {"firm": "lab", "month": 1, "count": 3, "roles": ["core"], "to": "poacher"}
    result = talentwar.simulate(with_departures(quiet, event), replications=REPS, months=1)
    params, layout = build(result.scenario)
    moves = result.moves
    assert set(moves["kind"]) == {"poached"} and set(moves["to_firm"]) == {"poacher"}
    for r, who in leavers(result, 1, "lab").items():  # the initial state, rebuilt from the run's keys (engine/run.py)
        base = jax.random.fold_in(jax.random.key(result.seed), r)
        start = initial_state(jax.random.fold_in(base, 0), params, layout.dims).researchers
        own = np.asarray(start.knowledge)[np.arange(layout.dims.researchers), np.asarray(start.stage)]
        core_at_lab = np.flatnonzero((np.asarray(start.firm) == 0) & (np.asarray(start.role) == 0))
        expected = set(core_at_lab[np.argsort(-own[core_at_lab])[:3]].tolist())
        assert who == expected


def test_random_leavers_are_nested_and_go_to_the_pool(mini):
    quiet = with_mechanisms(mini, M10=False)

    def run(k):
        return talentwar.simulate(with_departures(quiet, {"firm": "lab", "month": 2, "count": k, "who": "random", "roles": ["core"]}), replications=REPS, months=MONTHS)

    one, three = leavers(run(1), 2, "lab"), leavers(three_run := run(3), 2, "lab")
    for r in range(REPS):
        # the same seed picks the 1 among the 3 (any life-event leavers are the same in both runs)
        assert len(three[r]) >= 3 and one[r] <= three[r]
    three = three_run
    separated = metric(three, "departures_separated", "lab", month=2)
    hires = metric(three, "hires", "lab", month=2)
    assert (separated >= 3).all() and (hires >= 3).all()  # vacancies refill the same month (M16)


def test_departures_to_a_rival_carry_knowledge(mini):
    event = {"firm": "lab", "month": 2, "count": 4, "roles": ["core"], "to": "poacher"}
    base = talentwar.simulate(mini, replications=REPS, months=MONTHS)
    shocked = talentwar.simulate(with_departures(mini, event), replications=REPS, months=MONTHS)
    assert (metric(shocked, "departures_to:poacher", "lab", month=2) >= 4).all()
    np.testing.assert_array_equal(metric(shocked, "capability", "lab", month=1), metric(base, "capability", "lab", month=1))
    assert metric(shocked, "knowledge_leaked", "lab", month=2).sum() > metric(base, "knowledge_leaked", "lab", month=2).sum()


@pytest.mark.parametrize("count", [1, 1000])
def test_count_beyond_the_eligible_takes_them_all(mini, count):
    quiet = with_mechanisms(mini, M10=False, M16=False)
    event = {"firm": "lab", "month": 1, "count": count, "roles": ["core"]}
    result = talentwar.simulate(with_departures(quiet, event), replications=2, months=1)
    expected = min(count, 12)
    assert (metric(result, "departures_separated", "lab", month=1) == expected).all()
