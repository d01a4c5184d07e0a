"""The run store: round trips, the runs commands, comparisons, and writes that survive being killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap

import pandas as pd
import pytest
from typer.testing import CliRunner

import talentwar
from talentwar.claims import QUICK
from talentwar.cli import app
from talentwar.results.compare import compare
from talentwar.results.store import RunStore, StoreError
from tests.conftest import MINI

REPS, MONTHS = 4, 4


@pytest.fixture(scope="module")
def two_runs(mini):
    base = talentwar.simulate(mini, replications=REPS, months=MONTHS)
    lever = mini.model_validate({**mini.model_dump(), "firms": [{**f, "separation_rate": 0.2} if f["name"] == "lab" else f for f in mini.model_dump()["firms"]]})
    return base, talentwar.simulate(lever, replications=REPS, months=MONTHS)


def test_a_stored_run_comes_back_the_same(two_runs, tmp_path):
    result, _ = two_runs
    with RunStore(tmp_path / "s.duckdb") as store:
        run_id = store.save(result)
        back = store.load(run_id[:5])
        listed = store.runs()
    for name in ("metrics", "moves", "final", "investors"):
        pd.testing.assert_frame_equal(getattr(result, name), getattr(back, name))
    assert back.scenario == result.scenario and back.seed == result.seed
    pd.testing.assert_frame_equal(result.summary(), back.summary())
    assert list(listed["id"]) == [run_id] and listed["scenario"][0] == "mini"


def test_compare_says_when_a_lever_exceeds_the_noise(two_runs):
    base, lever = two_runs
    frame = compare(base, lever, ("departures_separated", "headcount"))
    separated = frame[(frame.firm == "lab") & (frame.metric == "departures_separated")].iloc[0]
    assert frame.attrs["paired"] and separated.exceeds_noise and separated.low > 0
    same = compare(base, base, ("departures_separated",))
    assert not same["exceeds_noise"].any() and (same["difference"] == 0).all()


def test_runs_commands(tmp_path):
    runner = CliRunner()
    store = ["--store", str(tmp_path / "cli.duckdb")]
    for sets in ([], ["--set", "firms.lab.separation_rate=0.2", "--label", "sep-0.2"]):
        result = runner.invoke(app, ["run", str(MINI), "--replications", "4", "--months", "4", *sets, *store], env={"COLUMNS": "80"})
        assert result.exit_code == 0, result.output
    with RunStore(tmp_path / "cli.duckdb") as s:
        second, first = list(s.runs()["id"])
        summary = s.load(second).summary()
    # An 80-column terminal gets the summary in parts, every number whole, and says what the range is.
    table_lines = [line for line in result.stdout.splitlines() if line[:1] in "┏┃┡│├└"]
    assert table_lines and max(map(len, table_lines)) <= 80 and "not an interval of the mean" in " ".join(result.stdout.split())
    key = summary[summary["metric"].isin(["capability", "departures_poached", "replication_months_gained"])]
    from talentwar.cli import _number

    assert all(f"[{_number(row.low)}, {_number(row.high)}]" in result.stdout for row in key.itertuples())
    listed = runner.invoke(app, ["runs", "list", *store], env={"COLUMNS": "200"})
    assert first in listed.stdout and second in listed.stdout
    assert "sep-0.2" in listed.stdout and "firms.lab.separation_rate=0.2" in listed.stdout
    shown = runner.invoke(app, ["runs", "show", first[:6], *store], env={"COLUMNS": "200"})
    assert shown.exit_code == 0 and "scenario mini" in shown.stdout and "core kept" in shown.stdout and "label" not in shown.stdout
    shown = runner.invoke(app, ["runs", "show", second, *store], env={"COLUMNS": "200"})
    assert "label: sep-0.2" in shown.stdout and "--set firms.lab.separation_rate=0.2" in shown.stdout
    refused = runner.invoke(app, ["run", str(MINI), "--label", "x" * 81, *store])
    assert refused.exit_code == 2 and "1 to 80 characters" in refused.stderr
    compared = runner.invoke(app, ["runs", "compare", first, second, "--all", *store], env={"COLUMNS": "200"})
    assert compared.exit_code == 0 and "departures_separated" in compared.stdout and "yes" in compared.stdout
    side_by_side = runner.invoke(app, ["report", first, second, "--out", str(tmp_path / "compare.html"), *store])
    assert side_by_side.exit_code == 0, side_by_side.output
    assert "talentwar report: " + first + " vs sep-0.2" in (tmp_path / "compare.html").read_text(encoding="utf-8")
    three = runner.invoke(app, ["report", first, second, first, *store])
    assert three.exit_code == 2 and "give one run, or two to compare" in three.stderr
    for fmt in ("parquet", "csv"):
        exported = runner.invoke(app, ["runs", "export", first, "--format", fmt, "--out", str(tmp_path / fmt), *store])
        assert exported.exit_code == 0, exported.output
        assert (tmp_path / fmt / f"metrics.{fmt}").exists() and (tmp_path / fmt / "scenario.yaml").exists()
    assert runner.invoke(app, ["runs", "delete", first, *store]).exit_code == 0
    with RunStore(tmp_path / "cli.duckdb") as s:
        assert list(s.runs()["id"]) == [second]
        for table in ("metrics", "moves", "investors", "finals"):
            assert s.connection.execute(f"SELECT count(*) FROM {table} WHERE run_id = ?", [first]).fetchone()[0] == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["runs", "show", "nope"], "run 'nope': no such run"),
        (["runs", "delete", "nope"], "no such run"),
        (["runs", "export", "nope", "--out", "x", "--format", "xlsx"], "--format xlsx: unknown format"),
        (["report", "nope"], "no such run"),
    ],
)
def test_store_mistakes_are_one_line(tmp_path, args, message):
    RunStore(tmp_path / "s.duckdb").close()  # an empty store
    result = CliRunner().invoke(app, [*args, "--store", str(tmp_path / "s.duckdb")])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output


def test_a_folder_is_not_a_store(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        RunStore(tmp_path)


def test_claims_runs_are_recorded(tmp_path):
    store = tmp_path / "claims.duckdb"
    result = CliRunner().invoke(app, ["claims", "C5", "--quick", "--json", "--store", str(store)])
    assert result.exit_code == 0, result.output
    with RunStore(store) as s:
        (run_id,) = list(s.runs()["id"])
        info = s.info(run_id)
        assert info["kind"] == "claims" and [c["id"] for c in s.claims(run_id)] == ["C5"]
        assert (info["replications"], info["months"]) == (QUICK.replications, QUICK.months)  # what --quick ran
        with pytest.raises(StoreError, match="claims run"):
            s.load(run_id)
    shown = CliRunner().invoke(app, ["runs", "show", run_id, "--store", str(store)])
    assert shown.exit_code == 0 and "C5" in shown.stdout


KILLED_WRITER = textwrap.dedent(
    """
    import signal, sys, time
    import talentwar
    from talentwar.results.store import RunStore

    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C raises, even if started in the background (SIGINT ignored)

    path, mini, pause = sys.argv[1], sys.argv[2], float(sys.argv[3])
    result = talentwar.simulate(mini, replications=4, months=4)
    store = RunStore(path)
    store.save(result)  # committed before the kill

    class Slow:  # pauses inside the second run's transaction, after its first rows are written
        def __init__(self, connection):
            self.connection = connection

        def __getattr__(self, name):
            return getattr(self.connection, name)

        def execute(self, sql, *args):
            out = self.connection.execute(sql, *args)
            if sql.startswith("INSERT INTO metrics"):
                print("mid-write", flush=True)
                time.sleep(pause)
            return out

    store.connection = Slow(store.connection)
    store.save(result)
    """
)


@pytest.mark.parametrize(("how", "kept"), [(signal.SIGKILL, 1), (signal.SIGINT, 2)], ids=["kill-9", "ctrl-c"])
def test_a_run_killed_mid_write_leaves_the_store_intact(tmp_path, how, kept):
    """kill -9 mid-write leaves the committed run and no trace of the other; Ctrl-C waits for the
    write to finish, keeps it, and then interrupts."""
    path = tmp_path / "killed.duckdb"
    pause = "60" if how == signal.SIGKILL else "3"
    writer = subprocess.Popen(
        [sys.executable, "-c", KILLED_WRITER, str(path), str(MINI), pause], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    try:
        assert writer.stdout.readline().strip() == "mid-write"
        writer.send_signal(how)
        writer.wait(timeout=60)
    finally:
        writer.kill()
    assert writer.returncode != 0
    if how == signal.SIGINT:
        assert "KeyboardInterrupt" in writer.stderr.read()  # raised once the write had finished
    with RunStore(path) as store:
        ids = list(store.runs()["id"])  # every committed run, and no trace of an interrupted one
        assert len(ids) == kept
        result = store.load(ids[0])
        assert result.replications == 4 and len(result.metrics) > 0
        rows = {t: store.connection.execute(f"SELECT count(DISTINCT run_id) FROM {t}").fetchone()[0] for t in ("metrics", "moves", "finals")}
        assert rows == {"metrics": kept, "moves": kept, "finals": kept}
        store.save(result)  # and it still takes new runs
        assert len(store.runs()) == kept + 1
    json.dumps(rows)


def test_a_file_that_is_not_a_run_store_is_refused_before_any_simulation(tmp_path):
    import duckdb

    for name, table in (("other.duckdb", "sales (amount INTEGER)"), ("clash.duckdb", "runs (x INTEGER)")):
        path = tmp_path / name
        with duckdb.connect(str(path)) as connection:
            connection.execute(f"CREATE TABLE {table}")
        for command in (["runs", "list"], ["run", str(MINI)]):
            result = CliRunner().invoke(app, [*command, "--store", str(path)])
            assert result.exit_code == 2 and "Traceback" not in result.output
            assert result.stderr.startswith(f"{path}: not a talentwar run store (it holds tables ")
        with duckdb.connect(str(path)) as connection:  # nothing was added to it
            assert [t for (t,) in connection.execute("SELECT table_name FROM information_schema.tables").fetchall()] == [table.split()[0]]


def test_commands_that_only_read_create_no_file_and_no_folder(tmp_path):
    absent = tmp_path / "absent.duckdb"
    for command in (["runs", "list"], ["runs", "show", "abc"], ["report", "abc"]):
        result = CliRunner().invoke(app, [*command, "--store", str(absent)])
        assert result.exit_code == 2 and "no run store here yet" in result.stderr, result.output
    nested = tmp_path / "missing" / "s.duckdb"
    result = CliRunner().invoke(app, ["run", str(MINI), "--store", str(nested)])
    assert result.exit_code == 2 and f"the folder {nested.parent} does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_store_in_use_is_one_line(tmp_path):
    path = tmp_path / "busy.duckdb"
    with RunStore(path):
        busy = subprocess.run([sys.executable, "-m", "talentwar", "runs", "list", "--store", str(path)], capture_output=True, text=True)
    assert busy.returncode == 2 and "in use by another process" in busy.stderr and "Traceback" not in busy.stderr
