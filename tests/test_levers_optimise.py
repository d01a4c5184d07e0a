"""`talentwar levers optimise`: lever amounts, the NSGA-II search within a budget, its Pareto front,
resuming a stopped search, robust mode across worlds, the pages and one-line errors."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from talentwar.claims.base import Estimate, NotApplicable
from talentwar.cli import app
from talentwar.levers import BY_NAME, optimise, plan_search
from talentwar.levers.optimise import Point, pareto_front
from talentwar.results.store import RunStore
from tests.conftest import MINI
from tests.test_explore import write

REPLICATIONS = 4
BUDGET_M = 30.0  # the mini lab's levers can cost several times this over its run


def search(generations: int = 3, **options):
    return plan_search(str(MINI), "lab", None, "core_retention", options.pop("budget", BUDGET_M), 6, generations, REPLICATIONS, 0, **options)[0]


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    store = RunStore(tmp_path_factory.mktemp("store") / "runs.duckdb")
    return store, optimise(search(), store)


def dominated(p: Point, by: Point) -> bool:
    return by.effect.mean >= p.effect.mean and by.cost.mean <= p.cost.mean and (by.effect.mean, by.cost.mean) != (p.effect.mean, p.cost.mean)


def test_the_front_holds_no_dominated_point_and_dominates_every_other(finished):
    _, result = finished
    feasible = [p for p in result.points if p.feasible]
    assert len(result.points) == 1 + 3 * 6 and len(feasible) > 1
    assert all(p.feasible == (p.cost.mean <= BUDGET_M * 1000) for p in result.points)
    assert max(p.cost.mean for p in feasible) > BUDGET_M * 1000 / 2  # plans spend up to the budget, not only crumbs of it
    assert result.front and all(p.feasible for p in result.front)
    for p in result.front:
        assert not any(dominated(p, by=other) for other in feasible), p
    for p in feasible:
        assert p in result.front or any(dominated(p, by=front) for front in result.front) or any(
            (p.effect.mean, p.cost.mean) == (f.effect.mean, f.cost.mean) for f in result.front)
    origin = result.points[0]
    assert origin.moves == [] and origin.effect.mean == 0.0 and origin.cost.mean == 0.0 and origin in result.front
    best = max(result.front, key=lambda p: (p.effect.low, p.effect.mean))  # the surest gain
    assert result.chosen.amounts == best.amounts and result.chosen_seed == 1
    for p in result.front:
        assert p.effect.low <= p.effect.mean <= p.effect.high and p.cost.low <= p.cost.mean <= p.cost.high


def test_the_chosen_mix_is_measured_again_on_four_times_as_many_fresh_replications(tmp_path):
    from dataclasses import replace

    from talentwar.levers.catalog import take_all

    # The firm's own spend as the objective: every mix surely raises it, so the surest gain is a mix, not the scenario.
    spending = plan_search(str(MINI), "lab", ["gpus", "counter_offers"], "lever_cost", BUDGET_M, 4, 1, REPLICATIONS, 0)[0]
    result = optimise(spending, RunStore(tmp_path / "runs.duckdb"))
    chosen = result.chosen
    assert chosen.generation == 0 and chosen.moves and chosen.effect.n == 4 * REPLICATIONS
    again = replace(spending.question, seed=1, replications=4 * REPLICATIONS)
    moved, _ = take_all(spending.question.base, "lab", chosen.amounts)
    assert chosen.effect == Estimate.of(again.measure(moved)[0] - again.measure(spending.question.base)[0])


def test_pareto_front_of_made_up_points():
    def point(effect: float, cost: float, feasible: bool = True) -> Point:
        return Point(0, 0, {}, Estimate(effect, effect, effect, 2), Estimate(cost, cost, cost, 2), feasible, [])

    points = [point(0, 0), point(0.1, 5), point(0.05, 6), point(0.2, 9), point(0.3, 20, feasible=False), point(0.2, 9), point(0.1, 4)]
    front = pareto_front(points)
    assert [(p.effect.mean, p.cost.mean) for p in front] == [(0, 0), (0.1, 4), (0.2, 9)]


def test_a_stopped_search_resumes_to_the_points_of_one_that_was_not_stopped(finished, tmp_path):
    _, whole = finished
    store = RunStore(tmp_path / "runs.duckdb")
    stopped = optimise(search(generations=2), store)
    resumed = optimise(search(generations=3), store, resume=stopped.run_id)
    assert resumed.run_id == stopped.run_id and resumed.resumed_from == 2

    def values(result):
        return [(p.trial, p.generation, p.amounts, p.effect.mean, p.cost.mean) for p in result.points]

    assert values(resumed) == values(whole) and resumed.chosen == whole.chosen
    record = store.optimisation(stopped.run_id)
    assert record["finished"] and record["generations"] == 3 and len(record["points"]) == len(whole.points)
    with pytest.raises(ValueError, match="was started with other budget_k"):
        optimise(search(budget=5.0), store, resume=stopped.run_id)


def test_robust_mode_takes_a_quantile_of_the_worlds(tmp_path):
    path = write(tmp_path)
    robust = plan_search(None, "lab", ["counter_offers", "documentation"], "core_retention", BUDGET_M, 4, 1, 2, 0, across=str(path), worlds=3, quantile=0.25)[0]
    assert robust.worlds.robust and len(robust.worlds.scenarios) == 3 and list(robust.worlds.values.columns) == ["taste", "poaching"]
    result = optimise(robust, RunStore(tmp_path / "runs.duckdb"))
    for p in result.points[1:]:
        means = np.array(p.per_world)
        assert means.shape == (3, 2)
        assert p.effect.mean == pytest.approx(np.quantile(means[:, 0], 0.25)) and p.cost.mean == pytest.approx(np.quantile(means[:, 1], 0.75))
    from talentwar.levers.document import chosen_text

    assert not result.chosen.moves or "(the 0.25 quantile of 3 worlds' means)" in chosen_text(result)


def test_lever_amounts_climb_their_ladders_and_stop_where_there_is_no_room(mini):
    counter = BY_NAME["counter_offers"]
    everyone, words = counter.take(mini, "lab", 2)
    assert everyone.firms[0].retention.counter_when == "any_offer" and "every offer" in words
    with pytest.raises(NotApplicable, match="already matches every offer"):
        counter.take(everyone, "lab")
    windows, _ = BY_NAME["windows"].take(mini, "lab", 3)
    assert windows.firms[0].capital.window_interval_months == 1 and BY_NAME["windows"].span(windows, "lab") == 0
    same, words = BY_NAME["gpus"].take(mini, "lab", 0.0)
    assert same is mini and words == "as the scenario has it"
    doubled, _ = BY_NAME["special_grant"].take(mini, "lab", 2.0)
    once, _ = BY_NAME["special_grant"].take(mini, "lab")
    assert doubled.firms[0].retention.special_grant.value.median == pytest.approx(2 * once.firms[0].retention.special_grant.value.median)


def test_levers_optimise_prints_stores_and_writes_its_page(tmp_path):
    out, store = tmp_path / "page", str(tmp_path / "runs.duckdb")
    args = ["levers", "optimise", str(MINI), "--firm", "lab", "--budget", "30", "--population", "4", "--generations", "1", "--replications", str(REPLICATIONS)]
    ran = CliRunner().invoke(app, [*args, "--json", "--out", str(out), "--store", store])
    assert ran.exit_code == 0, ran.output
    record = json.loads(ran.stdout[ran.stdout.index("{"):])
    assert record["budget_m"] == 30 and record["evaluated"] == 5 and record["front"] and record["chosen"] is not None
    assert {"optimise.md", "optimise.png", "optimise.json", "optimise.html"} <= {p.name for p in out.iterdir()}
    assert "The Pareto front, by cost:" in (out / "optimise.md").read_text()
    shown = CliRunner().invoke(app, ["runs", "show", record["run_id"], "--store", store])
    assert shown.exit_code == 0 and "levers-optimise" in shown.output and "Pareto front" in shown.output
    again = CliRunner().invoke(app, [*args, "--resume", record["run_id"], "--store", store, "--json"])
    assert again.exit_code == 0 and json.loads(again.stdout[again.stdout.index("{"):])["front"] == record["front"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["optimise", str(MINI), "--firm", "lab"], "give --budget M$"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "-1"], "--budget -1: give the most the levers may cost"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "5", "--quantile", "0.2"], "--quantile: the quantile across worlds needs worlds"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "5", "--worlds", "4"], "--worlds: samples worlds for --across FILE"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "5", "--levers", "bribes"], "unknown lever bribes"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "5", "--resume", "nosuchid"], "nosuchid"),
        (["optimise", str(MINI), "--firm", "lab", "--budget", "5", "--across", "x.yaml"], "the scenario comes from the experiment file"),
        (["optimise", "--firm", "lab", "--budget", "5", "--across", "missing.yaml"], "missing.yaml"),
        ([str(MINI), "--firm", "lab", "--budget", "5"], "--budget belong to `talentwar levers optimise`"),
        ([str(MINI), "--firm", "lab", "--population", "8"], "--population belong to `talentwar levers optimise`"),
    ],
)
def test_bad_optimise_input_is_one_line(args, message, tmp_path):
    ran = CliRunner().invoke(app, ["levers", *args, "--store", str(tmp_path / "runs.duckdb")])
    assert ran.exit_code == 2 and message in ran.output and "Traceback" not in ran.output, ran.output


def test_a_plan_splits_its_spend_into_amounts_by_the_levers_costs(mini):
    from talentwar.levers.optimise import SPEND, Search, one_world, share_of
    from talentwar.levers.ranking import Question

    costs = {"gpus": [8000.0], "counter_offers": [400.0, 3000.0], "documentation": [-50.0]}  # k$ over the run; documentation saves money
    s = Search(Question(mini, "lab", "core_retention", 4, 0, False), {"gpus": 1.0, "counter_offers": 2.0, "documentation": 0.1}, 10_000.0, 4, 1, one_world(mini), costs)
    plan = {SPEND: 0.5, share_of("gpus"): 0.5, share_of("counter_offers"): 0.5, share_of("documentation"): 0.3}
    # 5,000 k$ split half and half: 2,500 k$ buys 2,500 / 8,000 of the GPUs' span, and the first rung of counter-offers only;
    # documentation costs nothing, so its weight alone sets it: 0.3 of its span
    assert s.amounts(plan) == pytest.approx({"gpus": 2500 / 8000, "counter_offers": 1, "documentation": 0.03})
    lean = {**plan, share_of("gpus"): 0.001, share_of("documentation"): 0.001}
    assert s.amounts(lean) == {"gpus": 0.0, "counter_offers": 2, "documentation": 0.0}  # under 1% of the spend: left as it is
    assert s.amounts({**plan, SPEND: 0.0}) == pytest.approx({"gpus": 0.0, "counter_offers": 0, "documentation": 0.03})
    crumb = {**plan, share_of("gpus"): 0.0052}  # 1% of the spend, 51 k$: 0.6% of the GPUs' span, a crumb left as it is
    assert s.amounts(crumb)["gpus"] == 0.0 and s.amounts({**crumb, SPEND: 1.0})["gpus"] == pytest.approx(103.0 / 8000, rel=0.01)


def test_robust_worlds_can_be_drawn_from_a_posterior():
    import pandas as pd

    from talentwar.exploration.experiment import ResolvedFactor

    factor = ResolvedFactor("poaching", "uncertainty", "firms.poacher.poaching.offer_rate", ("firms", "poacher", "poaching", "offer_rate"), 0.05, 0.4, None, False)
    record = {"info": {"id": "synthetic"}, "factors": [factor.to_dict()], "particles": pd.DataFrame({"poaching": [0.1, 0.2, 0.35], "weight": [0.2, 0.3, 0.5]})}
    robust, _ = plan_search(str(MINI), "lab", None, "core_retention", BUDGET_M, 4, 1, 2, 0, posterior=record, worlds=5)
    assert robust.worlds.quantile == 0.1 and "calibration synthetic" in robust.worlds.source
    rates = [next(f for f in s.firms if f.name == "poacher").poaching.offer_rate for s in robust.worlds.scenarios]
    assert rates == list(robust.worlds.values["poaching"]) and set(rates) <= {0.1, 0.2, 0.35} and len(rates) == 5


def test_the_headline_says_when_no_mix_is_surely_better_than_doing_nothing(mini):
    from talentwar.levers.document import chosen_text
    from talentwar.levers.optimise import Optimisation, Search, one_world
    from talentwar.levers.ranking import Question

    search = Search(Question(mini, "lab", "core_retention", 4, 0, False), {"gpus": 1.0}, 5000.0, 4, 1, one_world(mini), {"gpus": [9000.0]})
    origin = Point(0, -1, {"gpus": 0.0}, Estimate(0, 0, 0, 4), Estimate(0, 0, 0, 4), True, [])
    unsure = Point(1, 0, {"gpus": 0.3}, Estimate(0.02, -0.01, 0.05, 4), Estimate(2700, 2600, 2800, 4), True, ["30% more GPUs"])
    front = pareto_front([origin, unsure])
    assert front == [origin, unsure]
    text = chosen_text(Optimisation("id", search, [origin, unsure], front, origin, 1, 1.0))
    assert "no mix the search found surely raises core_retention" in text and "+0.02 [-0.01, +0.05]" in text
    nothing = Point(1, 0, {"gpus": 0.3}, Estimate(-0.02, -0.05, 0.01, 4), Estimate(2700, 2600, 2800, 4), True, ["30% more GPUs"])
    assert "keep the levers as they are" in chosen_text(Optimisation("id", search, [origin, nothing], [origin], origin, 1, 1.0))
