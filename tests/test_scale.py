"""scale_market: a bigger market of the same kinds of firm."""

from __future__ import annotations

import pytest

from talentwar.scenario import load_scenario, scale_market


def headcount(firm) -> int:
    return sum(g.count for g in firm.population)


@pytest.mark.parametrize(("researchers", "firms"), [(1_000, 5), (1_000, 50), (100_000, 50), (1_000_000, 5)])
def test_exact_size_and_firm_count(researchers, firms):
    market = scale_market(load_scenario("talent-war-2026"), researchers, firms)
    assert len(market.firms) == firms
    assert sum(headcount(f) for f in market.firms) == researchers
    assert [f.kind for f in market.firms].count("outside") == 1
    assert len({f.name for f in market.firms}) == firms


def test_copies_hunt_their_own_replica_and_scale_budgets():
    base = load_scenario("talent-war-2026")
    market = scale_market(base, 2 * sum(headcount(f) for f in base.firms), 9)  # two replicas of the 4 employers
    by_name = {f.name: f for f in market.firms}
    assert by_name["optimiser_incumbent_1"].poaching.hunts.firms == ["lean_lab_1"]
    assert by_name["optimiser_incumbent"].poaching.hunts.firms == ["lean_lab"]
    original = {f.name: f for f in base.firms}["optimiser_incumbent"]
    copy = by_name["optimiser_incumbent_1"]
    ratio = headcount(copy) / headcount(original)
    assert copy.poaching.monthly_budget / original.poaching.monthly_budget == pytest.approx(ratio, rel=0.05)
    assert copy.compute.gpus / original.compute.gpus == pytest.approx(ratio, rel=0.05)
    assert market.investors == base.investors  # stakes and pacts stay with the original firms


def test_too_few_researchers_is_a_clear_error():
    with pytest.raises(ValueError, match="too few for 50 firms"):
        scale_market(load_scenario("talent-war-2026"), 100, 50)
    with pytest.raises(ValueError, match="firms must be >= 2"):
        scale_market(load_scenario("talent-war-2026"), 1_000, 1)
