"""`talentwar validate`: every fact runs end to end on a small market and reports its source, band,
value and pass; the command line prints the table or JSON and refuses bad input in one line.

The quick runs are smoke tests: their passes and fails are not the model's answer (docs/validation.md is)."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

import talentwar
from talentwar.cli import app
from talentwar.validation import FACTS
from talentwar.validation.base import ratio_of_sums, safe_ratio

MARKET_FACTS = ["b", "c", "d", "e", "f", "g", "h"]  # the job ladder (a) has its own tests (tests/engine/test_job_ladder.py)


@pytest.fixture(scope="module")
def quick_results():
    return talentwar.run_validation(MARKET_FACTS, quick=True)


def test_every_fact_names_its_source_and_a_band():
    for fact in FACTS.values():
        assert fact.source and fact.published and fact.band_reason and fact.unit
        assert fact.band[0] < fact.band[1]
        assert fact.mechanism.count("\n\n") >= 2  # title, mechanism, experiment


def test_quick_validation_measures_every_market_fact(quick_results):
    assert [r.id for r in quick_results] == MARKET_FACTS
    for r in quick_results:
        assert r.value is not None and r.value.n == 8, r.id
        assert r.passed == (r.band[0] <= r.value.mean <= r.band[1]), r.id
        assert r.note
        row = r.to_dict()
        assert {"id", "source", "published", "band", "value", "interval", "pass"} <= set(row)
    retention = next(r for r in quick_results if r.id == "e")
    assert 0.0 < retention.value.mean < 1.0 and retention.value.low <= retention.value.mean <= retention.value.high


def test_a_calibration_target_can_be_a_fact_measured_as_validate_measures_it(tmp_path, quick_results):
    """`talentwar calibrate FILE` with `fact:` targets: each particle runs the fact's experiment, and
    at the scenario's own values its moment is exactly what `talentwar validate --quick` reports."""
    import yaml

    from talentwar.exploration import load_experiment
    from talentwar.exploration.abc import simulate_moments

    experiment = {
        "name": "facts", "scenario": "talent-war-2026",
        "uncertainties": [
            {"field": "market.temperature", "low": 0.01, "high": 0.6, "log": True},
            {"field": "archetypes.*.equity", "name": "equity_scale", "low": 0.0625, "high": 16, "log": True, "scale": True},
        ],
        "targets": [{"fact": "e"}, {"fact": "c", "observed": 4.0, "se": 1.0}, {"fact": "d", "held_out": True}],
        "abc": {"population": 4, "generations": 1}, "abc_quick": {"replications": 8},
    }
    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(experiment))
    plan = load_experiment(path, quick=True, purpose="calibrate")
    targets = {t.name: t for t in plan.targets}
    low, high = FACTS["e"].band
    assert (targets["fact:e"].observed, targets["fact:e"].se) == ((low + high) / 2, (high - low) / 2) and "SignalFire" in targets["fact:e"].source
    assert (targets["fact:c"].observed, targets["fact:c"].se) == (4.0, 1.0) and targets["fact:d"].held_out and plan.outcomes == []
    moments = simulate_moments(plan, {f.label: f.default(plan.raw) for f in plan.factors})
    validated = {f"fact:{r.id}": r.value.mean for r in quick_results}
    assert moments == {name: validated[name] for name in ("fact:e", "fact:c", "fact:d")}


def test_the_ratios_interval_is_a_bootstrap_over_replications_and_keeps_one_way_flows_infinite():
    forward, backward = [3, 4, 5, 2], [1, 0, 2, 1]
    estimate = ratio_of_sums(lambda i: safe_ratio(sum(forward[j] for j in i), sum(backward[j] for j in i)), 4)
    assert estimate.mean == pytest.approx(14 / 4)
    assert estimate.low <= estimate.mean <= estimate.high
    one_way = ratio_of_sums(lambda i: safe_ratio(sum(forward[j] for j in i), 0), 4)
    assert math.isinf(one_way.mean) and math.isinf(one_way.low)


def test_the_job_ladder_fact_reproduces_the_closed_form_on_a_small_ladder():
    (ladder,) = talentwar.run_validation(["a"], quick=True)
    assert ladder.value.mean < 0.05  # 4,000 researchers: sampling noise near 0.02; the full fact uses 100,000


def test_validate_prints_json_and_writes_the_report(tmp_path):
    done = CliRunner().invoke(app, ["validate", "e", "--quick", "--json", "--out", str(tmp_path / "docs")])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert [row["id"] for row in rows] == ["e"] and isinstance(rows[0]["pass"], bool)
    page = (tmp_path / "docs" / "validation.md").read_text()
    assert "talentwar validate e --quick --out" in page and "(e) Two-year retention" in page
    assert (tmp_path / "docs" / "validation" / "e.png").stat().st_size > 1000
    assert json.loads((tmp_path / "docs" / "validation.json").read_text())["facts"][0]["id"] == "e"


@pytest.mark.parametrize(
    "args, message",
    [
        (["validate", "z"], "validate: unknown fact z; expected some of a, b, c, d, e, f, g, h"),
        (["validate", "--scenario", "no-such-scenario"], "no-such-scenario"),
        (["validate", "--replications", "1"], "--replications"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, message):
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 2
    assert message in done.output
