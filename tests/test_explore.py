"""Explorations: points as lanes, experiment files, the stored rows, resuming, and the analyses.

Every run here uses the mini scenario for 6 months with 2 replications, so the suite compiles one
points program for all of them.
"""

from __future__ import annotations

import json
from pathlib import Path

import jax
import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from talentwar.cli import app
from talentwar.engine.run import point_groups
from talentwar.exploration import AnalysisError, Exploration, ExperimentError, explore, load_experiment
from talentwar.exploration import runner
from talentwar.exploration.design import sample
from tests.conftest import MINI
from tests.report.test_report import browser  # noqa: F401  (the headless browser fixture)

EXPERIMENT = {
    "name": "mini-test",
    "scenario": str(MINI),
    "uncertainties": [
        {"field": "market.temperature", "name": "taste", "low": 0.1, "high": 0.6},
        {"field": "firms.poacher.poaching.offer_rate", "name": "poaching", "low": 0.05, "high": 0.4},
    ],
    "levers": [{"field": "firms.lab.capital.window_interval_months", "name": "windows", "values": [0, 3, 6]}],
    "outcomes": [{"metric": "headcount_core", "firm": "lab"}, {"metric": "departures_poached", "firm": ["lab", "poacher"]}],
    "design": {"method": "latin", "samples": 6, "replications": 2, "months": 6},
}


def write(tmp_path: Path, changes: dict | None = None, name: str = "experiment.yaml") -> Path:
    experiment = json.loads(json.dumps(EXPERIMENT))
    for key, value in (changes or {}).items():
        experiment[key] = value
    path = tmp_path / name
    path.write_text(yaml.safe_dump(experiment, sort_keys=False))
    return path


def test_each_pair_of_point_and_replication_keeps_its_lane():
    groups = point_groups(np.array([0, 1, 2, 9]), 5, 4)
    valid = groups[..., 0] >= 0
    pairs = {(int(i), int(r)) for i, r in groups[valid]}
    assert pairs == {(i, r) for i in range(4) for r in range(5)}  # every pair exactly once
    points = np.array([0, 1, 2, 9])
    for g, lane in zip(*np.nonzero(valid)):
        i, r = groups[g, lane]
        assert (points[i] + r) % 4 == lane


def test_a_points_numbers_do_not_depend_on_its_block(tmp_path):
    plan = load_experiment(write(tmp_path))
    values, _ = sample(plan)
    whole = runner.run_block(plan, np.arange(6), values)
    parts = np.concatenate([runner.run_block(plan, np.array([4, 5]), values), runner.run_block(plan, np.array([0, 1, 2, 3]), values)])
    assert whole.shape == (6, 2, 3)
    np.testing.assert_array_equal(whole[[4, 5, 0, 1, 2, 3]], parts)
    # common random numbers: the same point twice gives the same numbers
    twice = runner.run_block(plan, np.array([1, 1]), values)
    np.testing.assert_array_equal(twice[0], twice[1])
    assert len(np.unique(whole[:, :, 0])) > 1  # the factors change the outcome


def test_an_exploration_stores_one_row_per_point_replication_and_outcome_and_resumes(tmp_path, monkeypatch):
    path = write(tmp_path)
    store = tmp_path / "runs.duckdb"
    full = explore(path, store=store)
    assert full.results.shape == (6 * 2, 2 + 3 + 3)
    assert list(full.results.columns[2:5]) == ["taste", "poaching", "windows"]
    assert full.complete and full.outcome_names == ["headcount_core[lab]", "departures_poached[lab]", "departures_poached[poacher]"]

    # Stopped after its first block (one point per block here), then resumed: the same numbers.
    monkeypatch.setattr(runner, "block_size", lambda plan: 2)
    calls = []

    def stop_after_first_block(done, total, what):
        calls.append(done)
        if done >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        explore(path, store=store, progress=stop_after_first_block)
    from talentwar.results.store import RunStore

    with RunStore(store) as runs:
        stopped = runs.runs().iloc[0]["id"]
        assert len(runs.exploration(stopped)["done"]) == 2
    resumed = explore(path, store=store, resume=stopped)
    assert resumed.run_id == stopped and resumed.complete
    pd.testing.assert_frame_equal(resumed.results, full.results)
    with pytest.raises(ExperimentError, match="has finished"):
        explore(path, store=store, resume=stopped)
    changed = write(tmp_path, {"design": {**EXPERIMENT["design"], "samples": 7}}, "changed.yaml")
    with RunStore(store) as runs:
        runs.connection.execute("UPDATE explorations SET finished = false WHERE run_id = ?", [stopped])
    with pytest.raises(ExperimentError, match="no longer describes"):
        explore(changed, store=store, resume=stopped)


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"uncertainties": [{"field": "market.temprature", "low": 0.1, "high": 0.2}]}, "did you mean 'temperature'"),
        ({"uncertainties": [{"field": "firms.lab.population[0].count", "low": 5, "high": 20}]}, "changes a shape"),
        ({"uncertainties": [{"field": "mechanisms.M10", "values": [True, False]}]}, "switches a mechanism"),
        ({"uncertainties": [{"field": "firms.nobody.separation_rate", "low": 0.0, "high": 0.1}]}, "no entry named 'nobody'"),
        ({"uncertainties": [{"field": "firms.lab.capital", "low": 0.0, "high": 0.1}]}, "a factor varies a single number"),
        ({"uncertainties": [{"field": "market.temperature", "low": 0.3, "high": 0.1}]}, "must be below high"),
        ({"uncertainties": [{"field": "market.temperature", "low": -1.0, "high": 0.1}]}, "market.temperature"),
        ({"outcomes": [{"metric": "core_retension", "firm": "lab"}]}, "did you mean 'core_retention'"),
        ({"outcomes": [{"metric": "headcount", "firm": "lab", "at": 99}]}, "after the last month"),
        ({"design": {"method": "sobol", "samples": 6}}, "power of 2"),
        ({"design": {"method": "latin", "samples": 6, "replicatons": 2}}, "unknown field 'replicatons'"),
    ],
)
def test_a_bad_experiment_is_one_line_naming_the_file_and_field(tmp_path, changes, expected):
    path = write(tmp_path, changes)
    with pytest.raises(ExperimentError) as caught:
        plan = load_experiment(path)
        sample(plan)
    assert any(expected in line for line in caught.value.problems), caught.value.problems
    assert all("\n" not in line and "experiment.yaml" in line for line in caught.value.problems)


CALIBRATION = {"abc": {"population": 4, "generations": 1, "replications": 2, "months": 6}, "design": None, "outcomes": []}


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"targets": [{"fact": "z"}]}, "unknown fact 'z'"),
        ({"targets": [{"fact": "f"}]}, "fact (f) cannot run on scenario"),
        ({"targets": [{"fact": "e", "firm": "lab"}]}, "firm and at belong to metric targets"),
        ({"targets": [{"metric": "headcount_core", "firm": "lab"}]}, "give its observed value and standard error"),
        ({"targets": [{"fact": "e"}, {"fact": "E"}]}, "fact:e is asked for twice"),
        ({"targets": [{"fact": "e"}], "uncertainties": [{"field": "firms.lab.capital.window_interval_months", "low": 0.5, "high": 2, "scale": True}]}, "holds whole numbers"),
        ({"targets": [{"fact": "e"}], "uncertainties": [{"field": "archetypes.*.loyalty", "low": 0.5, "high": 2, "scale": True}]}, "has no field 'loyalty'"),
        ({"targets": [{"fact": "e"}], "uncertainties": [{"field": "market.temperature", "low": 0.0, "high": 0.5, "log": True}]}, "log needs a range with low above 0"),
        ({"targets": [{"fact": "e"}], "abc": {"population": 4, "replications": 1}}, "at least 2 replications"),
    ],
)
def test_a_bad_calibration_target_or_factor_is_one_line(tmp_path, changes, expected):
    path = write(tmp_path, {**CALIBRATION, **changes})
    with pytest.raises(ExperimentError) as caught:
        load_experiment(path, purpose="calibrate")
    assert any(expected in line for line in caught.value.problems), caught.value.problems
    assert all("\n" not in line and "experiment.yaml" in line for line in caught.value.problems)


def test_a_scale_factor_multiplies_every_field_its_wildcard_names_and_a_log_range_is_sampled_in_logs(tmp_path):
    uncertainties = [
        {"field": "archetypes.*.equity", "name": "equity_scale", "low": 0.25, "high": 4, "log": True, "scale": True},
        {"field": "market.temperature", "name": "taste", "low": 0.01, "high": 1.0, "log": True},
    ]
    plan = load_experiment(write(tmp_path, {"uncertainties": uncertainties, "levers": []}))
    scenario = plan.scenario_at({"equity_scale": 2.0, "taste": 0.2}, "test")
    assert {name: a.equity for name, a in scenario.archetypes.items()} == {"scholar": 0.2, "mercenary": 0.6}
    assert scenario.market.temperature == 0.2
    values, sampled = sample(plan)
    assert np.allclose(np.log(values["equity_scale"]), sampled["equity_scale"]) and np.allclose(np.log(values["taste"]), sampled["taste"])
    assert values["taste"].between(0.01, 1.0).all() and (values["taste"] < 0.1).sum() >= 2  # log-uniform: half the draws below 0.1


def test_the_command_line_runs_and_analyses_an_exploration(tmp_path):
    path = write(tmp_path)
    store = str(tmp_path / "cli.duckdb")
    ran = CliRunner().invoke(app, ["explore", str(path), "--json", "--store", store])
    assert ran.exit_code == 0, ran.output
    summary = json.loads(ran.stdout[ran.stdout.index("{"):])
    assert (summary["points"], summary["replications"], len(summary["outcomes"])) == (6, 2, 3)
    means = Exploration.load(summary["run_id"], store).means()["departures_poached[lab]"]
    assert means.min() < means.max()
    middle = (means.min() + means.max()) / 2
    analysed = CliRunner().invoke(app, ["explore", "analyze", summary["run_id"], "--json", "--store", store, "--prim", f"departures_poached[lab] > {middle}"])
    assert analysed.exit_code == 0, analysed.output
    report = json.loads(analysed.stdout)
    assert report["design"] == "latin" and set(report["feature_scores"]) == set(summary["outcomes"])
    assert report["prim"]["cases"] == int((means > middle).sum()) and 0 < report["prim"]["coverage"] <= 1
    bad = CliRunner().invoke(app, ["explore", "analyze", summary["run_id"], "--store", store, "--prim", "nonsense"])
    assert bad.exit_code == 2 and "expected OUTCOME < VALUE" in bad.output and "Traceback" not in bad.output
    missing = CliRunner().invoke(app, ["explore", str(tmp_path / "nope.yaml"), "--store", store])
    assert missing.exit_code == 2 and "no such file" in missing.output


def synthetic(tmp_path, method: str, samples: int, function) -> Exploration:
    """An exploration of the mini experiment's design whose outcome is `function(values)`: the
    analysis wiring (point order, bounds, list factors) checked against known answers, no simulation."""
    changes = {"design": {"method": method, "samples": samples, "replications": 1, "months": 6}}
    plan = load_experiment(write(tmp_path, changes))
    values, drawn = sample(plan)
    y = np.asarray(function(values), dtype=float)
    outcomes = pd.DataFrame({"point": values.index.to_numpy(), "replication": 0, "outcome": plan.outcomes[0].name, "value": y})
    record = {
        "info": {"id": "synthetic", "scenario": "mini", "replications": 1, "months": 6, "seed": 0},
        "name": "synthetic",
        "factors": [f.to_dict() for f in plan.factors],
        "outcomes": [o.to_dict() for o in plan.outcomes[:1]],
        "values": values,
        "sampled": drawn,
        "finished": True,
        "experiment_yaml": yaml.safe_dump({"design": changes["design"]}),
    }
    return Exploration(record, outcomes)


def test_sobol_indices_find_the_factor_that_matters(tmp_path):
    exploration = synthetic(tmp_path, "sobol", 256, lambda v: 10 * v["taste"] + 0.5 * v["poaching"] + 0.0 * v["windows"])
    indices = exploration.sobol()
    assert indices.loc["taste", "S1"] > 0.9 and indices.loc["taste", "ST_low"] > 0.8
    assert indices.loc["windows", "ST"] < 0.01
    assert set(indices.attrs["second_order"]["factor"]) == {"taste", "poaching"}


def test_morris_ranks_factors_and_prim_finds_the_box(tmp_path):
    exploration = synthetic(tmp_path, "morris", 40, lambda v: (v["windows"] >= 3) * 3.0 + v["taste"])
    screened = exploration.morris()
    assert screened["mu_star"].idxmax() == "windows" and screened.loc["poaching", "mu_star"] == 0
    with pytest.raises(AnalysisError, match="has a morris design; sobol indices need"):
        exploration.sobol()

    latin = synthetic(tmp_path, "latin", 400, lambda v: ((v["taste"] > 0.4) & (v["windows"] == 6)).astype(float))
    box = latin.prim("headcount_core[lab] > 0.5")
    assert box.density > 0.9 and box.coverage > 0.7
    assert box.limits.loc["taste", "low"] > 0.35 and box.limits.loc["windows", "values"] == "6"
    assert latin.feature_scores()["headcount_core[lab]"].idxmin() == "poaching"
    with pytest.raises(AnalysisError, match="holds at none"):
        latin.prim("headcount_core[lab] > 5")


def test_design_methods_give_the_expected_number_of_points(tmp_path):
    def points(design):
        return len(sample(load_experiment(write(tmp_path, {"design": {**design, "replications": 1}})))[0])

    assert points({"method": "sobol", "samples": 8}) == 8 * (2 * 3 + 2)
    assert points({"method": "sobol", "samples": 8, "second_order": False}) == 8 * (3 + 2)
    assert points({"method": "morris", "samples": 5}) == 5 * (3 + 1)
    assert points({"method": "factorial", "levels": 4}) == 4 * 4 * 3
    assert points({"method": "latin", "samples": 17, "levers": "crossed"}) == 17 * 3
    values, _ = sample(load_experiment(write(tmp_path, {"design": {"method": "factorial", "levels": 2, "replications": 1}})))
    assert set(values["windows"]) == {0, 3, 6} and set(values["taste"]) == {0.1, 0.6}
    again, _ = sample(load_experiment(write(tmp_path, {"design": {"method": "latin", "samples": 9, "replications": 1}})))
    same, _ = sample(load_experiment(write(tmp_path, {"design": {"method": "latin", "samples": 9, "replications": 1}})))
    pd.testing.assert_frame_equal(again, same)  # seeded: the same file gives the same points


def test_the_committed_default_experiment_is_valid():
    plan = load_experiment(Path(__file__).parents[1] / "experiments" / "default.yaml", quick=True)
    values, _ = sample(plan)
    assert len(values) == 4 * (2 * len(plan.factors) + 2)
    assert jax.tree_util.tree_structure(plan.params_at(dict(values.loc[0]), "point 0")) is not None


@pytest.mark.filterwarnings("ignore:os.fork:RuntimeWarning")  # Ray starts its processes by fork and exec, which is safe
def test_blocks_in_other_processes_give_the_same_numbers(tmp_path, monkeypatch):
    """Local worker processes, and a local Ray cluster with two worker processes: bit-identical
    to the run in this process."""
    path = write(tmp_path)
    monkeypatch.setattr(runner, "block_size", lambda plan: 2)  # three blocks, so work is spread
    here = explore(path, store=tmp_path / "here.duckdb")
    spawned = explore(path, store=tmp_path / "spawned.duckdb", workers=2)
    pd.testing.assert_frame_equal(spawned.results, here.results)
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        on_ray = explore(path, store=tmp_path / "ray.duckdb", ray="auto")
    finally:
        ray.shutdown()
    pd.testing.assert_frame_equal(on_ray.results, here.results)


def test_abc_calibration_recovers_a_known_value_and_checks_held_out_targets(tmp_path):
    """tests/experiments/recover-poaching.yaml holds moments simulated at a known poaching rate (0.3):
    the posterior from a uniform prior on [0.02, 0.6] holds it in its 90% interval and is narrower
    than the prior; the held-out target is reported apart and not fitted; the same file gives the
    same posterior; and worlds can be drawn from the posterior."""
    path = Path(__file__).parent / "experiments" / "recover-poaching.yaml"
    plan = load_experiment(path, purpose="calibrate")
    simulated = runner.run_block(plan, np.array([0]), pd.DataFrame([{"poaching": 0.3}]))[0].mean(axis=0)
    committed = [t.observed for t in plan.targets]
    assert simulated.tolist() == committed, f"the engine's numbers changed: write observed {simulated.tolist()} (in target order) into {path.name}"
    ran = CliRunner().invoke(app, ["calibrate", str(path), "--json", "--store", str(tmp_path / "abc.duckdb"), "--out", str(tmp_path / "docs")])
    assert ran.exit_code == 0, ran.output
    fit = json.loads(ran.stdout[ran.stdout.index("{"):])
    page = (tmp_path / "docs" / "recover-poaching.md").read_text()
    assert f"calibration run {fit['run_id']}" in page and "| departures_poached[lab] | fitted |" in page and "| headcount_core[lab] | held out |" in page
    assert json.loads((tmp_path / "docs" / "recover-poaching.json").read_text())["posterior"] == fit["posterior"]
    posterior = fit["posterior"][0]
    assert posterior["high"] - posterior["low"] < 0.5 * (0.6 - 0.02)
    assert [c["target"] for c in fit["fitted"]] == ["departures_poached[lab]"] and [c["target"] for c in fit["held_out"]] == ["headcount_core[lab]"]
    again = CliRunner().invoke(app, ["calibrate", str(path), "--json", "--store", str(tmp_path / "abc.duckdb")])
    assert json.loads(again.stdout[again.stdout.index("{"):])["posterior"] == fit["posterior"]
    from talentwar.results.store import RunStore

    with RunStore(tmp_path / "abc.duckdb") as runs:
        stored = runs.posterior(fit["run_id"])
    assert len(stored["particles"]) == 24 and abs(stored["particles"]["weight"].sum() - 1) < 1e-9
    from talentwar.exploration.abc import weighted_quantiles

    low, high = weighted_quantiles(stored["particles"]["poaching"].to_numpy(), stored["particles"]["weight"].to_numpy(), (0.05, 0.95))
    assert low <= 0.3 <= high  # the true value inside the 90% posterior interval
    no_abc = CliRunner().invoke(app, ["calibrate", str(write(tmp_path)), "--store", str(tmp_path / "abc.duckdb")])
    assert no_abc.exit_code == 2 and "needs an abc section" in no_abc.output

    # Worlds drawn from the posterior: the poaching rate of every point is one of its particles'.
    worlds = explore(write(tmp_path), store=tmp_path / "abc.duckdb", posterior=fit["run_id"])
    assert set(worlds.points["poaching"]) <= set(stored["particles"]["poaching"]) and worlds.complete
    assert worlds.record["posterior"] == fit["run_id"]
    sobol = write(tmp_path, {"design": {"method": "sobol", "samples": 4, "replications": 2, "months": 6}}, "sobol.yaml")
    refused = CliRunner().invoke(app, ["explore", str(sobol), "--posterior", fit["run_id"], "--store", str(tmp_path / "abc.duckdb")])
    assert refused.exit_code == 2 and "not a sobol design" in refused.output


def test_a_run_draws_each_replications_world_from_a_posterior(tmp_path):
    """Replication r's world depends only on (seed, r); with every particle the same value, the run
    equals a plain run of the scenario with that value, to rounding."""
    from talentwar.exploration.experiment import ResolvedFactor
    from talentwar.simulation import simulate
    from talentwar.scenario import load_scenario

    factor = ResolvedFactor("poaching", "uncertainty", "firms.poacher.poaching.offer_rate", ("firms", "poacher", "poaching", "offer_rate"), 0.05, 0.4, None, False)
    record = {"info": {"id": "synthetic"}, "factors": [factor.to_dict()],
              "particles": pd.DataFrame({"poaching": [0.1, 0.2, 0.35], "weight": [0.2, 0.3, 0.5]})}
    scenario = load_scenario(MINI)
    four = simulate(scenario, replications=4, months=6, seed=3, posterior=record)
    nine = simulate(scenario, replications=9, months=6, seed=3, posterior=record)
    draws = pd.DataFrame(nine.info["posterior"]["draws"])
    assert draws["poaching"].isin([0.1, 0.2, 0.35]).all() and draws["particle"].nunique() > 1
    pd.testing.assert_frame_equal(pd.DataFrame(four.info["posterior"]["draws"]), draws.iloc[:4])
    first = nine.metrics[nine.metrics["replication"] < 4].reset_index(drop=True)
    pd.testing.assert_frame_equal(first, four.metrics.reset_index(drop=True))
    from talentwar.results.store import RunStore

    with RunStore(tmp_path / "draws.duckdb") as runs:
        stored = runs.load(runs.save(nine))
    assert stored.info["posterior"]["id"] == "synthetic"
    pd.testing.assert_frame_equal(pd.DataFrame(stored.info["posterior"]["draws"])[draws.columns], draws, check_dtype=False)
    single = {**record, "particles": pd.DataFrame({"poaching": [0.2], "weight": [1.0]})}
    drawn = simulate(scenario, replications=4, months=6, seed=3, posterior=single)
    plain = simulate(load_scenario(MINI, ["firms.poacher.poaching.offer_rate=0.2"]), replications=4, months=6, seed=3)
    np.testing.assert_allclose(drawn.metrics["value"], plain.metrics["value"], rtol=1e-4, atol=1e-3)


def test_the_analysis_page_draws_every_chart_in_a_browser(tmp_path, browser):
    from talentwar.exploration.report import write_exploration_report
    from tests.report.test_report import full_page_screenshot

    exploration = synthetic(tmp_path, "sobol", 64, lambda v: 10 * v["taste"] + (v["windows"] >= 3) * 2.0 + v["poaching"])
    scores = exploration.feature_scores()
    box = exploration.prim("headcount_core[lab] > 5")
    page = write_exploration_report(exploration, tmp_path / "analysis.html", {"sobol": {"headcount_core[lab]": exploration.sobol()}}, scores, box)
    import plotly

    plotlyjs = plotly.offline.get_plotlyjs()
    text = page.read_text()
    assert text.count(plotlyjs) == 1 and '<script src="http' not in text and "cdn.plot.ly" not in text.replace(plotlyjs, "")  # works offline
    browser.get_log("browser")
    browser.get(page.as_uri())
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "const g = document.querySelectorAll('div.js-plotly-plot'); return g.length === 4 && [...g].every(x => x.querySelector('.main-svg'));"))
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert full_page_screenshot(browser, tmp_path / "analysis.png").stat().st_size > 10_000


def test_an_exploration_killed_with_sigkill_resumes_to_the_same_numbers(tmp_path):
    """kill -9 after the first stored block: the store keeps every finished block, and --resume
    completes the design with exactly the numbers of an uninterrupted run."""
    import os
    import re
    import signal
    import subprocess
    import sys

    path = write(tmp_path, {"design": {"method": "latin", "samples": 200, "replications": 2, "months": 6}})
    store = tmp_path / "killed.duckdb"
    env = {**os.environ, "TALENTWAR_STORE": str(store)}
    child = subprocess.Popen([sys.executable, "-m", "talentwar", "explore", str(path)], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env)
    run_id = None
    for line in child.stderr:
        found = re.search(r"exploration (\w+): if it stops", line)
        run_id = found.group(1) if found else run_id
        stored = re.match(r"([\d,]+) of ([\d,]+) point-replications stored", line)
        if stored and 0 < int(stored.group(1).replace(",", "")) < int(stored.group(2).replace(",", "")):
            child.send_signal(signal.SIGKILL)
            break
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL and run_id is not None
    from talentwar.results.store import RunStore

    with RunStore(store, create=False) as runs:
        kept = runs.exploration(run_id)
    assert 0 < len(kept["done"]) < 200 and not kept["finished"]
    resumed = explore(path, store=store, resume=run_id)
    whole = explore(path, store=tmp_path / "whole.duckdb")
    pd.testing.assert_frame_equal(resumed.results, whole.results)
