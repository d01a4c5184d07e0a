"""`talentwar levers`: each lever's step, its effect and cost against the same replications without
it, the ranking by effect per million dollars, and one-line errors."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from talentwar.claims.base import Estimate
from talentwar.cli import app
from talentwar.levers import LEVERS, LeverResult
from talentwar.levers.ranking import _per_million, _rank_key
from tests.conftest import MINI


def result(name: str, effect: float, cost: float) -> LeverResult:
    r = LeverResult(name, "a step", "M0", Estimate(effect, effect, effect, 4), Estimate(cost, cost, cost, 4))
    per = _per_million(effect, cost)
    r.per_million = Estimate(per, per, per, 4)
    return r


def test_a_lever_that_costs_nothing_and_does_nothing_ranks_last():
    ranked = sorted([result("idle", 0.0, 0.0), result("cheap", 0.01, 100.0), result("free", 0.02, 0.0), result("harmful", -0.01, 50.0), result("dear", 0.05, 10_000.0)], key=_rank_key)
    assert [r.name for r in ranked] == ["free", "cheap", "dear", "harmful", "idle"]
    assert math.isinf(ranked[0].per_million.mean) and math.isnan(ranked[-1].per_million.mean)
    assert _per_million(0.01, 100.0) == pytest.approx(0.1)  # per million dollars: 0.01 for 0.1 M$


def test_levers_ranks_each_step_with_its_effect_cost_and_intervals(tmp_path):
    assert len(LEVERS) >= 8
    ran = CliRunner().invoke(app, ["levers", str(MINI), "--firm", "lab", "--levers", "gpus,documentation", "--levers", "pay_review", "--json", "--out", str(tmp_path)])
    assert ran.exit_code == 0, ran.output
    ranking = json.loads(ran.stdout[ran.stdout.index("{"):])
    levers = {lever["name"]: lever for lever in ranking["levers"]}
    assert set(levers) == {"gpus", "documentation", "pay_review"} and ranking["firm"] == "lab" and ranking["objective"] == "core_retention"
    gpus = levers["gpus"]
    months = ranking["months"]
    # 250 more GPUs at 2 k$ a month, and the small change in pay-priced costs that the change of people brings
    assert gpus["cost_k"]["mean"] == pytest.approx(0.25 * 1000 * 2.0 * months, rel=1e-2)
    assert gpus["effect"]["low"] <= gpus["effect"]["mean"] <= gpus["effect"]["high"]
    assert levers["documentation"]["cost_k"]["mean"] > 0 and "step" in gpus
    page = (tmp_path / "levers.md").read_text()
    assert "| gpus (M4) | 25% more GPUs: 1,000 -> 1,250 |" in page and (tmp_path / "levers.png").stat().st_size > 1000
    assert json.loads((tmp_path / "levers.json").read_text())["levers"] == ranking["levers"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--firm", "nobody"], "--firm nobody: no such firm"),
        (["--firm", "outside"], "--firm outside: no such firm"),
        (["--firm", "lab", "--levers", "bribes"], "unknown lever bribes"),
        (["--firm", "lab", "--objective", "happiness"], "--objective happiness: not a metric"),
        ([], "Missing option '--firm'"),
    ],
)
def test_bad_levers_input_is_one_line(args, message):
    ran = CliRunner().invoke(app, ["levers", str(MINI), *args])
    assert ran.exit_code == 2 and message in ran.output and "Traceback" not in ran.output
