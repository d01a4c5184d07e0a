"""`talentwar calibrate`: the parameters it fits land in the scenario, a quick fit runs end to end and
writes its page, bad input gets one line, and the built-in scenarios carry the committed fit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import talentwar
from talentwar import calibration
from talentwar.cli import app

DOCS = Path(__file__).parents[1] / "docs"


def test_apply_sets_market_fields_and_scales_each_archetypes_weight():
    base = talentwar.load_scenario("talent-war-2026")
    values = {"temperature": 0.4, "switching_cost": 0.2, "outside_offer_rate": 0.05, "equity_weight_scale": 2.0, "compute_weight_scale": 0.5}
    fitted = calibration.apply(base, values)
    assert fitted.market.temperature == 0.4 and fitted.market.switching_cost == 0.2
    assert fitted.market.outside_market.offer_rate == 0.05
    for name, archetype in base.archetypes.items():
        assert fitted.archetypes[name].equity == pytest.approx(2 * archetype.equity)
        assert fitted.archetypes[name].compute == pytest.approx(0.5 * archetype.compute)
        assert fitted.archetypes[name].cash == archetype.cash
    assert calibration.apply(base, {}) == base
    read = calibration.scenario_values(fitted)
    assert read["market.temperature"] == 0.4 and read["archetypes.scholar.equity"] == pytest.approx(2 * base.archetypes["scholar"].equity)


def test_the_fit_is_written_into_a_scenario_file_with_its_comments(tmp_path):
    from talentwar.scenario.loader import builtin_text

    target = tmp_path / "scenario.yaml"
    target.write_text(builtin_text("talent-war-2026"))
    values = {
        "market.temperature": 0.123, "market.outside_market.offer_rate": 0.0456, "market.rest_and_vest.search_rate": 0.0321,
        "archetypes.builder.compute": 0.0789,
    }
    # A field is found by its whole path: another section's search_rate, above the one fitted, is left alone.
    target.write_text(target.read_text().replace("market:\n", "market:\n  morale:\n    search_rate: 0.02\n", 1))
    calibration.write_values(target, values)
    written = talentwar.load_scenario(target)
    have = calibration.scenario_values(written)
    for key, value in values.items():
        assert have[key] == pytest.approx(value)
    assert written.market.morale.search_rate == 0.02
    changed = [line for line in target.read_text().splitlines() if any(x in line for x in ("0.123", "0.0456", "0.0321", "0.0789"))]
    assert len(changed) == 4 and all(line.count(calibration.NOTE) == 1 for line in changed)  # said once, however often written
    bare = tmp_path / "bare.yaml"
    bare.write_text(builtin_text("job-ladder"))  # no outside market, no builder
    before = bare.read_text()
    with pytest.raises(ValueError, match="cannot find market.outside_market.offer_rate"):
        calibration.write_values(bare, values)
    assert bare.read_text() == before  # nothing half-written


def test_residuals_are_standardised_by_the_band():
    assert calibration.residual(0.72, (0.64, 0.80)) == pytest.approx((0.72, 0.08, 0.0))
    assert calibration.residual(0.80, (0.64, 0.80))[2] == pytest.approx(1.0)  # the band's edge: |z| = 1
    assert calibration.residual(float("inf"), (0.0, 1.0))[2] == calibration.ZMAX
    assert calibration.residual(None, (0.0, 1.0))[2] == calibration.ZMAX


def test_a_quick_fit_starts_from_the_scenario_and_writes_its_page(tmp_path):
    base = talentwar.load_scenario("talent-war-2026")
    fit = calibration.calibrate(base, trials=2, replications=2, quick=True)
    assert [m.fact for m in fit.moments] == list(calibration.TARGETS)
    assert fit.history[0]["values"] == {p.name: p.read(base) for p in calibration.PARAMETERS}  # trial 0: the scenario's own values
    assert fit.objective <= fit.start_objective
    assert fit.objective == pytest.approx(sum(m.z**2 for m in fit.moments))
    for p in fit.parameters:
        assert p["low"] <= p["fitted"] <= p["high"]
    again = calibration.calibrate(base, trials=2, replications=2, quick=True)
    assert again.history == fit.history  # the same seed gives the same trials and the same values
    written = calibration.write(fit, tmp_path, {"command": "talentwar calibrate --quick", "version": "test", "machine": "test"})
    page = written.read_text()
    assert "| temperature |" in page and "(b)" in page and "Held out" in page
    assert json.loads((tmp_path / "calibration.json").read_text())["targets"] == list(calibration.TARGETS)


def test_calibrate_refuses_bad_input_in_one_line(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["calibrate", "--trials", "0"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    afile = tmp_path / "file"
    afile.write_text("x")
    result = runner.invoke(app, ["calibrate", "--quick", "--out", str(afile)])
    assert result.exit_code == 2 and "is a file" in result.output


@pytest.mark.parametrize("name", ["talent-war-2026", "market-core"])
def test_built_in_scenarios_carry_the_committed_fit(name):
    fit = json.loads((DOCS / "calibration.json").read_text())
    have = calibration.scenario_values(talentwar.load_scenario(name))
    for path, value in fit["values"].items():
        assert have[path] == pytest.approx(value, rel=1e-3), f"{name}: {path} is {have[path]}, the fit says {value}"
