"""The command line: scenarios (list, show, check, schema) and `run` on the real engine.

`run` runs the small test scenario with the shapes the engine tests use, so it reuses their
compiled program.
"""

from __future__ import annotations

import json
import pandas as pd
import pytest
from typer.testing import CliRunner

from talentwar.cli import KEY_METRICS, app
from talentwar.scenario import builtin_text

runner = CliRunner()


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.startswith("talentwar ")


def test_list_shows_builtins_with_description():
    result = runner.invoke(app, ["scenario", "list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "job-ladder" in result.stdout
    assert "Burdett-Mortensen job ladder" in result.stdout


def test_show_prints_yaml_verbatim():
    result = runner.invoke(app, ["scenario", "show", "job-ladder"])
    assert result.exit_code == 0, result.output
    assert result.stdout == builtin_text("job-ladder")


def test_show_unknown_name():
    result = runner.invoke(app, ["scenario", "show", "no-such"])
    assert result.exit_code == 2
    assert result.stderr.startswith("no-such: no built-in scenario of that name; built-ins are ")


def test_shown_copy_checks_valid(tmp_path):
    copy = tmp_path / "my.yaml"
    copy.write_text(runner.invoke(app, ["scenario", "show", "job-ladder"]).stdout, encoding="utf-8")
    result = runner.invoke(app, ["scenario", "check", str(copy)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{copy}: valid (2 firms, 100,000 researchers, 150 months)"


def test_schema_to_stdout_and_file(tmp_path):
    result = runner.invoke(app, ["scenario", "schema"])
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert {"name", "firms", "market"} <= set(schema["properties"])
    target = tmp_path / "scenario.schema.json"
    result = runner.invoke(app, ["scenario", "schema", "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert json.loads(target.read_text()) == schema


# ---------------------------------------------------------------- run
MINI = "tests/scenarios/mini.yaml"


def test_run_passes_options_prints_summary_and_writes(tmp_path):
    out = tmp_path / "results"
    args = ["run", MINI, "--replications", "8", "--seed", "7", "--batch-size", "8"]
    args += ["--set", "market.temperature=0.5", "--out", str(out)]
    result = runner.invoke(app, args, env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "lab" in result.stdout and "poacher" in result.stdout
    assert "8 replications x 6 months, seed 7" in result.stdout
    assert f"wrote {out}" in result.stdout
    assert {p.name for p in out.iterdir()} == {"metrics.parquet", "moves.parquet", "final.parquet", "investors.parquet", "scenario.yaml"}
    written = pd.read_parquet(out / "metrics.parquet")
    assert written["replication"].nunique() == 8 and written["month"].max() == 6
    assert "temperature: 0.5" in (out / "scenario.yaml").read_text()
    # an interval is printed as mean [low, high]
    assert "[" in result.stdout and "]" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["run", "no-such"], "no-such: no built-in scenario of that name", id="unknown-scenario"),
        pytest.param(["run", "job-ladder", "--set", "market.temperature=-1"], "market.temperature: must be >= 0", id="bad-set"),
    ],
)
def test_run_user_errors(args, message):
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["run", MINI], ["claims", "C1", "--quick"]])
def test_an_unusable_engine_setting_is_one_line_and_writes_nothing(tmp_path, command):
    store = tmp_path / "runs.duckdb"
    result = runner.invoke(app, [*command, "--store", str(store)], env={"TALENTWAR_THREADS": "two"})
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "TALENTWAR_THREADS='two': expected the number of lane groups (batches of replications) to run at once, "
        "a whole number of at least 1 (e.g. TALENTWAR_THREADS=2), or leave it unset"
    )
    assert not store.exists()


def test_run_out_is_a_file(tmp_path):
    existing = tmp_path / "results"
    existing.write_text("")
    result = runner.invoke(app, ["run", "job-ladder", "--out", str(existing)])
    assert result.exit_code == 2
    assert result.stderr.strip() == f"--out {existing}: is a file; give a folder to write the results into"
    assert existing.read_text() == ""


@pytest.mark.parametrize("option", ["--replications=0", "--months=0", "--seed=-1", "--batch-size=0"])
def test_run_rejects_out_of_range_numbers(option):
    result = runner.invoke(app, ["run", "job-ladder", option])
    assert result.exit_code == 2


def test_key_metrics_are_the_engines():
    from talentwar.engine.metrics import FIRM_METRICS

    assert set(KEY_METRICS) <= set(FIRM_METRICS)


def test_scale_prints_a_valid_larger_market(tmp_path):
    result = runner.invoke(app, ["scenario", "scale", "talent-war-2026", "--researchers", "20000", "--firms", "13"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "big.yaml"
    path.write_text(result.stdout, encoding="utf-8")
    checked = runner.invoke(app, ["scenario", "check", str(path)])
    assert checked.exit_code == 0, checked.output
    assert "12 firms" in checked.stdout  # employers; the outside pool is the 13th


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--researchers", "100", "--firms", "50"], "--researchers/--firms: researchers: 100 is too few for 50 firms"),
        (["--researchers", "1000", "--firms", "1"], "greater than or equal to 2"),
    ],
)
def test_scale_user_errors(args, message):
    result = runner.invoke(app, ["scenario", "scale", "talent-war-2026", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
