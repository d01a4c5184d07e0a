"""The run store: every `talentwar run` and `talentwar claims`, kept in one embedded DuckDB file.

    store = RunStore()                      # $TALENTWAR_STORE, else ./talentwar.duckdb
    run_id = store.save(result)             # one transaction: all of it, or nothing
    store.runs()                            # a frame: id, created, kind, scenario, ...
    result = store.load(run_id)             # back as a Result (an unambiguous id prefix will do)

Tables: `runs` (one row per run: id, time, talentwar version, kind, scenario name, the resolved
scenario as YAML and its SHA-256, seed, replications, months, wall time), `metrics`, `moves`
and `investors` (the Result's frames with a `run_id` column), `finals` (the final snapshot as
Parquet bytes, since its columns depend on the stages), `claims` (one row per claim of a
claims run, with its JSON), and for an exploration (`talentwar explore`, kind "explore")
`explorations` (its experiment file, factors and outcomes), `explore_points` (each point's value
and SALib draw per factor) and `explore_outcomes` (one row per point, replication and outcome,
added block by block as the work goes, each block in its own transaction: an exploration that is
stopped keeps its finished blocks and resumes from them); a calibration (`talentwar calibrate FILE`,
kind "calibration") keeps its record in `explorations` too, its posterior in `posterior_particles`
(one row per particle and uncertainty, with the particle's weight) and its predictive check in
`posterior_checks`; a run whose worlds were drawn from a posterior (`--posterior`) keeps each
replication's particle and values in `run_draws`. A search of a firm's levers (`talentwar levers
optimise`, kind "levers-optimise") keeps its definition in `optimisations` and every evaluated point
in `optimise_points`, generation by generation, each in its own transaction, so a stopped search
resumes from its last finished generation. A run is written in a single transaction: killed at any point
(kill -9, a full disk) it leaves no partial run visible, and DuckDB's write-ahead log keeps what
was already committed intact. Ctrl-C during a write waits for it to finish (a second or two) and
then interrupts, so finished work is kept and `SAVED` says truthfully what was stored.

Only commands that record runs create a store (`create=True`); the others need one to exist. A
DuckDB file that holds other tables is refused before anything is written to it.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import os
import signal
import threading
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from talentwar.engine.metrics import MOVE_KINDS, metric_names
from talentwar.results.result import Result
from talentwar.scenario import Scenario, to_yaml, validate
from talentwar.scenario.schema import ROLES

ENVIRONMENT = "TALENTWAR_STORE"
DEFAULT_FILE = "talentwar.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id VARCHAR PRIMARY KEY, created TIMESTAMP, version VARCHAR, kind VARCHAR, scenario VARCHAR,
    scenario_hash VARCHAR, scenario_yaml VARCHAR, seed BIGINT, replications INTEGER, months INTEGER,
    wall_seconds DOUBLE, moves_unlogged BIGINT
);
CREATE TABLE IF NOT EXISTS metrics (run_id VARCHAR, replication INTEGER, month SMALLINT, firm VARCHAR, metric VARCHAR, value DOUBLE);
CREATE TABLE IF NOT EXISTS moves (
    run_id VARCHAR, replication INTEGER, month SMALLINT, researcher INTEGER, kind VARCHAR, role VARCHAR, stage VARCHAR,
    from_firm VARCHAR, to_firm VARCHAR, salary_before FLOAT, salary_after FLOAT, sign_on FLOAT, knowledge_carried FLOAT
);
CREATE TABLE IF NOT EXISTS investors (run_id VARCHAR, replication INTEGER, month SMALLINT, investor VARCHAR, portfolio_value DOUBLE);
CREATE TABLE IF NOT EXISTS finals (run_id VARCHAR, parquet BLOB);
CREATE TABLE IF NOT EXISTS claims (run_id VARCHAR, claim VARCHAR, verdict VARCHAR, effect DOUBLE, low DOUBLE, high DOUBLE, detail VARCHAR);
CREATE TABLE IF NOT EXISTS explorations (
    run_id VARCHAR, name VARCHAR, source VARCHAR, experiment_yaml VARCHAR, quick BOOLEAN, factors VARCHAR, outcomes VARCHAR,
    points INTEGER, finished BOOLEAN, posterior VARCHAR
);
CREATE TABLE IF NOT EXISTS explore_points (run_id VARCHAR, point INTEGER, factor VARCHAR, value DOUBLE, sampled DOUBLE);
CREATE TABLE IF NOT EXISTS explore_outcomes (run_id VARCHAR, point INTEGER, replication INTEGER, outcome VARCHAR, value DOUBLE);
CREATE TABLE IF NOT EXISTS run_draws (run_id VARCHAR, posterior VARCHAR, replication INTEGER, particle INTEGER, factor VARCHAR, value DOUBLE);
CREATE TABLE IF NOT EXISTS run_labels (run_id VARCHAR, label VARCHAR, overrides VARCHAR);
CREATE TABLE IF NOT EXISTS posterior_particles (run_id VARCHAR, particle INTEGER, weight DOUBLE, factor VARCHAR, value DOUBLE);
CREATE TABLE IF NOT EXISTS optimisations (run_id VARCHAR, firm VARCHAR, objective VARCHAR, budget_k DOUBLE, generations INTEGER, spec VARCHAR, finished BOOLEAN, chosen VARCHAR);
CREATE TABLE IF NOT EXISTS optimise_points (
    run_id VARCHAR, trial INTEGER, generation INTEGER, effect DOUBLE, cost_k DOUBLE, feasible BOOLEAN, point VARCHAR, sampler VARCHAR
);
CREATE TABLE IF NOT EXISTS posterior_checks (
    run_id VARCHAR, target VARCHAR, held_out BOOLEAN, observed DOUBLE, se DOUBLE, mean DOUBLE, low DOUBLE, high DOUBLE, z DOUBLE, source VARCHAR
);
"""
FRAMES = ("metrics", "moves", "investors")
DATA_TABLES = (*FRAMES, "finals", "claims", "explorations", "explore_points", "explore_outcomes", "posterior_particles", "posterior_checks", "run_draws", "run_labels", "optimisations", "optimise_points")


SAVED: list[str] = []  # ids of the runs this process has stored, for an honest word on Ctrl-C


class StoreError(Exception):
    """A user's mistake with the store (an unknown or ambiguous id, an unreadable file): one line."""


def default_path() -> Path:
    return Path(os.environ.get(ENVIRONMENT) or DEFAULT_FILE)


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the resolved scenario's canonical JSON: equal hashes, equal scenarios."""
    return hashlib.sha256(scenario.model_dump_json().encode()).hexdigest()


class RunStore:
    """An embedded DuckDB run store at `path` (default: $TALENTWAR_STORE, else ./talentwar.duckdb)."""

    def __init__(self, path: str | Path | None = None, create: bool = True):
        import duckdb

        self.path = Path(path) if path is not None else default_path()
        try:
            exists, is_dir, folder = self.path.exists(), self.path.is_dir(), self.path.parent.is_dir()
        except OSError as exc:  # a name too long for the system
            raise StoreError(f"{_shorten(self.path)}: cannot be used for the run store ({exc.strerror or exc}); give a shorter path") from None
        if is_dir:
            raise StoreError(f"{self.path}: is a folder; give a file for the run store (e.g. {self.path / DEFAULT_FILE})")
        if not exists and not create:
            raise StoreError(f"{self.path}: no run store here yet; `talentwar run` creates one, or give --store (or {ENVIRONMENT}) for another")
        if not exists and not folder:
            raise StoreError(f"{self.path}: the folder {self.path.parent} does not exist; create it first or give another --store")
        try:
            self.connection = duckdb.connect(str(self.path))
        except (duckdb.Error, OSError) as exc:
            if "lock" in str(exc).lower():  # DuckDB allows one writing process per file
                raise StoreError(f"{self.path}: the run store is in use by another process; wait for it to finish, or give another --store") from None
            raise StoreError(f"{self.path}: cannot open the run store ({_first_line(exc)}); give a writable DuckDB file") from None
        try:
            self._check_tables()
            self.connection.execute(SCHEMA)
        except BaseException:
            self.connection.close()
            raise

    def _check_tables(self) -> None:
        """Refuse a DuckDB file that holds tables other than a run store's, or a run store's tables
        with other columns, before writing anything to it."""
        found = _columns(self.connection)
        expected = _expected_columns()
        strangers = sorted(name for name in found if name not in expected)
        changed = sorted(name for name in found if name in expected and found[name] != expected[name])
        if strangers or changed or (found and "runs" not in found):
            what = f"tables {', '.join(strangers[:5])}" if strangers else f"tables {', '.join(changed or sorted(found))} with other columns"
            raise StoreError(f"{self.path}: not a talentwar run store (it holds {what}); give another --store")

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------ writing
    def save(self, result: Result, label: str | None = None, overrides: list[str] | None = None) -> str:
        """Record a simulation run, with the user's `label` and the `--set` overrides that made its
        scenario ("path=value"); return its new id."""
        final = io.BytesIO()
        result.final.to_parquet(final, index=False)
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "run", result.scenario, result.seed, result.replications, result.months, result.wall_seconds, result.moves_unlogged)
            for table in FRAMES:
                self._insert_frame(con, table, getattr(result, table), [run_id])
            con.execute("INSERT INTO finals VALUES (?, ?)", [run_id, final.getvalue()])
            if label or overrides:
                con.execute("INSERT INTO run_labels VALUES (?, ?, ?)", [run_id, label or None, json.dumps(list(overrides or []))])
            drawn = result.info.get("posterior")
            if drawn:  # worlds drawn from a posterior: which particle each replication ran in
                draws = pd.DataFrame(drawn["draws"]).melt(id_vars=["replication", "particle"], var_name="factor", value_name="value")
                self._insert_frame(con, "run_draws", draws, [run_id, drawn["id"]], "replication, particle, factor, value")
        SAVED.append(run_id)
        return run_id

    def save_claims(self, results: list, scenario: Scenario, replications: int, seed: int, seconds: float) -> str:
        """Record a claims run: its base scenario and one row per claim (`ClaimResult`)."""
        months = scenario.simulation.months
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "claims", scenario, seed, replications, months, seconds, 0)
            for r in results:
                e = r.effect
                con.execute(
                    "INSERT INTO claims VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [run_id, r.id, r.verdict, e.mean if e else None, e.low if e else None, e.high if e else None, json.dumps(r.to_dict())],
                )
        SAVED.append(run_id)
        return run_id

    def start_exploration(self, plan, values: pd.DataFrame, sampled: pd.DataFrame) -> str:
        """Record an exploration before it runs: its experiment, base scenario and every point's
        values and SALib draws (one row per point, one column per factor; explore/design.py).
        Outcomes follow block by block (`add_outcomes`)."""
        long = values.astype(float).reset_index().melt(id_vars="point", var_name="factor", value_name="value")
        long["sampled"] = sampled.astype(float).reset_index().melt(id_vars="point", var_name="factor", value_name="sampled")["sampled"]
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "explore", plan.base, plan.seed, plan.replications, plan.months, 0.0, 0)
            self._insert_experiment(con, run_id, plan, plan.factors, plan.outcomes, len(values), finished=False)
            self._insert_frame(con, "explore_points", long, [run_id], "point, factor, value, sampled")
        SAVED.append(run_id)
        return run_id

    def add_outcomes(self, run_id: str, points: np.ndarray, values: np.ndarray, names: list[str]) -> None:
        """Store a finished block: `values` [len(points), replications, len(names)], in one transaction."""
        n_points, n_reps, n_out = values.shape
        frame = pd.DataFrame({
            "point": np.repeat(np.asarray(points, np.int64), n_reps * n_out),
            "replication": np.tile(np.repeat(np.arange(n_reps), n_out), n_points),
            "outcome": np.tile(np.asarray(names, dtype=object), n_points * n_reps),
            "value": values.reshape(-1).astype(np.float64),
        })
        with self._transaction() as (con, _):
            self._insert_frame(con, "explore_outcomes", frame, [run_id])

    def finish_exploration(self, run_id: str, wall_seconds: float) -> None:
        with self._transaction() as (con, _):
            con.execute("UPDATE explorations SET finished = true WHERE run_id = ?", [run_id])
            con.execute("UPDATE runs SET wall_seconds = wall_seconds + ? WHERE id = ?", [float(wall_seconds), run_id])

    def exploration(self, run_id: str) -> dict:
        """A stored exploration: its record (experiment text, factors, outcomes, ...), its points
        (a frame indexed by point) and which points have their outcomes stored."""
        info, record = self._experiment_record(run_id, "explore", "an exploration; `talentwar runs list` shows each run's kind")
        long = self.connection.execute("SELECT point, factor, value, sampled FROM explore_points WHERE run_id = ?", [info["id"]]).df()
        names = [f["name"] for f in record["factors"]]
        frames = {}
        for column in ("value", "sampled"):
            frame = long.pivot(index="point", columns="factor", values=column)[names]
            frame.columns.name = None
            frames[column] = frame
        done = self.connection.execute("SELECT DISTINCT point FROM explore_outcomes WHERE run_id = ?", [info["id"]]).fetchall()
        return {"info": info, **record, "values": frames["value"], "sampled": frames["sampled"], "done": {int(r[0]) for r in done}}

    def explore_outcomes(self, run_id: str) -> pd.DataFrame:
        """Every stored (point, replication, outcome, value) row of an exploration, in point order."""
        return self.connection.execute(
            "SELECT point, replication, outcome, value FROM explore_outcomes WHERE run_id = ? ORDER BY point, replication, rowid", [self.resolve(run_id)]
        ).df()

    def save_calibration(self, plan, posterior) -> str:
        """Record a calibration (`talentwar calibrate FILE`, kind "calibration"): its experiment, the
        posterior's particles with their weights and the predictive check, in one transaction."""
        particles = posterior.particles.reset_index(names="particle").melt(id_vars=["particle", "weight"], var_name="factor", value_name="value")
        checks = posterior.checks[["target", "held_out", "observed", "se", "mean", "low", "high", "z", "source"]]
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "calibration", plan.base, plan.seed, plan.replications, plan.months, posterior.seconds, 0)
            self._insert_experiment(con, run_id, plan, plan.factors, plan.targets, len(posterior.particles), finished=True)
            for table, frame in (("posterior_particles", particles), ("posterior_checks", checks)):
                self._insert_frame(con, table, frame, [run_id])
        SAVED.append(run_id)
        return run_id

    def save_claims_across(self, plan, across) -> str:
        """Record claims across worlds (kind "claims-across"): the experiment, its worlds (as an
        exploration's points) and one `claims` row per claim, its verdict the commonest over the
        worlds and its detail every world's verdict and effect, the shares and the PRIM box."""
        worlds = across.worlds.astype(float).reset_index().melt(id_vars="point", var_name="factor", value_name="value")
        worlds["sampled"] = worlds["value"]
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "claims-across", plan.base, across.seed, across.replications, plan.months, across.seconds, 0)
            self._insert_experiment(con, run_id, plan, across.factors, [], len(across.worlds), finished=True)
            self._insert_frame(con, "explore_points", worlds, [run_id], "point, factor, value, sampled")
            for r in across.results:
                commonest = max(r.shares, key=r.shares.get)
                effects = [e for e in r.effects if e is not None and np.isfinite(e)]
                median = float(np.median(effects)) if effects else None
                con.execute("INSERT INTO claims VALUES (?, ?, ?, ?, NULL, NULL, ?)", [run_id, r.id, commonest, median, json.dumps(r.to_dict())])
        SAVED.append(run_id)
        return run_id

    def start_optimisation(self, search) -> str:
        """Record a search of a firm's levers (`talentwar levers optimise`, kind "levers-optimise")
        before it runs: its scenario and its definition (levers/optimise.py `Search.record`).
        Points follow generation by generation (`add_generation`)."""
        q = search.question
        with self._transaction() as (con, run_id):
            self._insert_run(con, run_id, "levers-optimise", q.base, q.seed, q.replications, q.base.simulation.months, 0.0, 0)
            con.execute("INSERT INTO optimisations VALUES (?, ?, ?, ?, ?, ?, false, NULL)",
                        [run_id, q.firm, q.objective, search.budget_k, search.generations, json.dumps(search.record())])
        SAVED.append(run_id)
        return run_id

    def add_generation(self, run_id: str, points: list, seconds: float) -> None:
        """Store a finished generation's points, each (Point, the sampler's attributes of its trial), in one transaction."""
        with self._transaction() as (con, _):
            for point, sampler in points:
                con.execute("INSERT INTO optimise_points VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [run_id, point.trial, point.generation, point.effect.mean, point.cost.mean, point.feasible,
                             json.dumps(point.to_dict()), json.dumps(sampler)])
            con.execute("UPDATE runs SET wall_seconds = wall_seconds + ? WHERE id = ?", [float(seconds), run_id])

    def finish_optimisation(self, run_id: str, chosen, seconds: float, generations: int) -> float:
        """Mark a search finished after `generations`, with its chosen point (a Point, or None); its wall time in all, s."""
        with self._transaction() as (con, _):
            con.execute("UPDATE optimisations SET finished = true, generations = ?, chosen = ? WHERE run_id = ?",
                        [generations, json.dumps(chosen.to_dict()) if chosen is not None else None, run_id])
            con.execute("UPDATE runs SET wall_seconds = wall_seconds + ? WHERE id = ?", [float(seconds), run_id])
        return float(self.connection.execute("SELECT wall_seconds FROM runs WHERE id = ?", [run_id]).fetchone()[0])

    def optimisation(self, run_id: str) -> dict:
        """A stored search of levers: its `runs` row, firm, objective, budget, generations, spec (a
        dict), whether it finished, its chosen point (a dict or None) and its points in trial order,
        each (the point as a dict, the sampler's attributes)."""
        info = self.info(run_id)
        if info["kind"] != "levers-optimise":
            raise StoreError(f"run {info['id']!r} is a {info['kind']} run, not a search of levers; `talentwar levers optimise` makes one")
        firm, objective, budget_k, generations, spec, finished, chosen = self.connection.execute(
            "SELECT firm, objective, budget_k, generations, spec, finished, chosen FROM optimisations WHERE run_id = ?", [info["id"]]
        ).fetchone()
        rows = self.connection.execute("SELECT point, sampler FROM optimise_points WHERE run_id = ? ORDER BY trial", [info["id"]]).fetchall()
        return {"info": info, "firm": firm, "objective": objective, "budget_k": budget_k, "generations": generations, "spec": json.loads(spec),
                "finished": bool(finished), "chosen": json.loads(chosen) if chosen else None,
                "points": [(json.loads(point), json.loads(sampler)) for point, sampler in rows]}

    def posterior(self, run_id: str) -> dict:
        """A stored calibration: its record (experiment text, factors, targets), the particles (one
        row each: the uncertainties' values and `weight`) and the predictive check."""
        info, record = self._experiment_record(run_id, "calibration", "a calibration; `talentwar calibrate FILE` makes one")
        record["targets"] = record.pop("outcomes")
        long = self.connection.execute("SELECT particle, weight, factor, value FROM posterior_particles WHERE run_id = ?", [info["id"]]).df()
        particles = long.pivot(index=["particle", "weight"], columns="factor", values="value")[[f["name"] for f in record["factors"]]].reset_index("weight")
        particles.columns.name = None
        checks = self.connection.execute("SELECT * EXCLUDE (run_id) FROM posterior_checks WHERE run_id = ? ORDER BY rowid", [info["id"]]).df()
        return {"info": info, **record, "particles": particles[[*particles.columns[1:], "weight"]], "checks": checks}

    @staticmethod
    def _insert_frame(con, table: str, frame: pd.DataFrame, values: list, columns: str = "*") -> None:
        """INSERT INTO `table` one row per row of `frame`: the `values` (run id first), then `columns` of the frame."""
        con.register("frame", frame)
        try:
            con.execute(f"INSERT INTO {table} SELECT {', '.join('?' * len(values))}, {columns} FROM frame", values)
        finally:
            con.unregister("frame")

    @staticmethod
    def _insert_experiment(con, run_id: str, plan, factors: list, outcomes: list, points: int, finished: bool) -> None:
        """The `explorations` row of an exploration, calibration or claims across worlds (`outcomes`: a calibration's targets)."""
        con.execute(
            "INSERT INTO explorations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, plan.experiment.name, plan.source, plan.text, plan.quick, json.dumps([f.to_dict() for f in factors]),
             json.dumps([o.to_dict() for o in outcomes]), points, finished, plan.posterior["info"]["id"] if plan.posterior else None],
        )

    def _experiment_record(self, run_id: str, kind: str, what: str) -> tuple[dict, dict]:
        """(the `runs` row, the `explorations` row with factors and outcomes decoded) of a run of `kind`;
        StoreError, saying it is not `what`, for a run of another kind."""
        info = self.info(run_id)
        if info["kind"] != kind:
            raise StoreError(f"run {info['id']!r} is a {info['kind']} run, not {what}")
        cursor = self.connection.execute("SELECT * EXCLUDE (run_id) FROM explorations WHERE run_id = ?", [info["id"]])
        record = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
        record["factors"], record["outcomes"] = json.loads(record["factors"]), json.loads(record["outcomes"])
        return info, record

    @contextmanager
    def _transaction(self):
        """(connection, a new run id) inside one transaction; an exception rolls it all back. Ctrl-C
        waits until the transaction has committed (or rolled back) and then interrupts."""
        with _interrupts_deferred():
            self.connection.begin()
            try:
                yield self.connection, _new_id()
            except BaseException:
                self.connection.rollback()
                raise
            self.connection.commit()

    @staticmethod
    def _insert_run(con, run_id, kind, scenario, seed, replications, months, wall_seconds, moves_unlogged) -> None:
        con.execute(
            "INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                run_id,
                datetime.now(timezone.utc).replace(tzinfo=None),
                version("talentwar"),
                kind,
                scenario.name,
                scenario_hash(scenario),
                to_yaml(scenario),
                int(seed),
                int(replications),
                int(months),
                float(wall_seconds),
                int(moves_unlogged),
            ],
        )

    # ------------------------------------------------------------ reading
    def runs(self) -> pd.DataFrame:
        """One row per stored run, newest first (the scenario's YAML left out): its label and the
        `--set` overrides it ran with (a list; empty for none)."""
        frame = self.connection.execute(
            "SELECT id, created, kind, label, scenario, left(scenario_hash, 12) AS scenario_hash, seed, replications, months, "
            "wall_seconds, version, overrides FROM runs LEFT JOIN run_labels ON run_labels.run_id = runs.id ORDER BY created DESC, id"
        ).df()
        frame["overrides"] = [json.loads(o) if isinstance(o, str) else [] for o in frame["overrides"]]
        return frame

    def resolve(self, run_id: str | None) -> str:
        """The full id of `run_id`: an id, a unique prefix of one, or None / "latest" for the newest run."""
        if run_id in (None, "latest"):
            row = self.connection.execute("SELECT id FROM runs ORDER BY created DESC LIMIT 1").fetchone()
            if row is None:
                raise StoreError(f"{self.path}: the run store is empty; record a run with `talentwar run` first")
            return row[0]
        ids = [r[0] for r in self.connection.execute("SELECT id FROM runs WHERE starts_with(id, ?)", [run_id]).fetchall()]
        if len(ids) == 1:
            return ids[0]
        if not ids:
            raise StoreError(f"run {run_id!r}: no such run in {self.path}; `talentwar runs list` shows the stored ids")
        raise StoreError(f"run {run_id!r}: ambiguous, it starts {len(ids)} ids ({', '.join(sorted(ids)[:4])}); give more characters")

    def info(self, run_id: str) -> dict:
        run_id = self.resolve(run_id)
        cursor = self.connection.execute("SELECT runs.*, label, overrides FROM runs LEFT JOIN run_labels ON run_labels.run_id = runs.id WHERE id = ?", [run_id])
        names = [d[0] for d in cursor.description]
        info = dict(zip(names, cursor.fetchone(), strict=True))
        info["overrides"] = json.loads(info["overrides"]) if info["overrides"] else []
        return info

    def claims(self, run_id: str) -> list[dict]:
        rows = self.connection.execute("SELECT detail FROM claims WHERE run_id = ? ORDER BY rowid", [self.resolve(run_id)]).fetchall()
        return [json.loads(r[0]) for r in rows]

    def load(self, run_id: str | None = None) -> Result:
        """A stored simulation run as a Result, with the same categories and column order as when it ran."""
        info = self.info(run_id)
        if info["kind"] != "run":
            keeps = {"explore": "its points' outcomes (`talentwar explore analyze`)", "calibration": "its posterior (`talentwar runs show`)",
                     "levers-optimise": "its points and their Pareto front (`talentwar runs show`)"}.get(info["kind"], "its verdicts")
            raise StoreError(f"run {info['id']!r} is a {info['kind']} run, which keeps {keeps}, not simulation results")
        scenario = validate(_yaml(info["scenario_yaml"]), f"run {info['id']}")
        frames = {t: self.connection.execute(f"SELECT * EXCLUDE (run_id) FROM {t} WHERE run_id = ? ORDER BY rowid", [info["id"]]).df() for t in FRAMES}
        blob = self.connection.execute("SELECT parquet FROM finals WHERE run_id = ?", [info["id"]]).fetchone()[0]
        firms, stages = [f.name for f in scenario.firms], list(scenario.simulation.stages)
        categories = {
            "firm": firms,
            "from_firm": firms,
            "to_firm": firms,
            "metric": metric_names(stages, firms),
            "kind": list(MOVE_KINDS),
            "role": list(ROLES),
            "stage": stages,
            "investor": [v.name for v in scenario.investors] or ["none"],  # engine/params.py: a stand-in when there are none
        }
        for frame in frames.values():
            for column in frame.columns:
                if column in categories:
                    frame[column] = pd.Categorical(frame[column], categories=categories[column])
        return Result(
            scenario=scenario,
            seed=int(info["seed"]),
            replications=int(info["replications"]),
            months=int(info["months"]),
            metrics=frames["metrics"],
            moves=frames["moves"],
            final=pd.read_parquet(io.BytesIO(blob)),
            investors=frames["investors"],
            moves_unlogged=int(info["moves_unlogged"]),
            wall_seconds=float(info["wall_seconds"]),
            info={"run_id": info["id"], "created": info["created"], "version": info["version"], **self._draws(info["id"])},
        )

    def _draws(self, run_id: str) -> dict:
        """{"posterior": {"id", "draws"}} for a run whose worlds were drawn from a posterior, else {}."""
        long = self.connection.execute("SELECT posterior, replication, particle, factor, value FROM run_draws WHERE run_id = ? ORDER BY rowid", [run_id]).df()
        if long.empty:
            return {}
        wide = long.pivot(index=["replication", "particle"], columns="factor", values="value").reset_index()
        wide.columns.name = None
        return {"posterior": {"id": long["posterior"].iloc[0], "draws": wide.to_dict("records")}}

    def delete(self, run_id: str) -> str:
        run_id = self.resolve(run_id)
        with self._transaction() as (con, _):
            for table in DATA_TABLES:
                con.execute(f"DELETE FROM {table} WHERE run_id = ?", [run_id])
            con.execute("DELETE FROM runs WHERE id = ?", [run_id])
        return run_id


def load_run(run_id: str | None = None, store: str | Path | None = None) -> Result:
    """A stored run as a Result: `run_id` an id or unique prefix (default the newest run)."""
    with RunStore(store) as s:
        return s.load(run_id)


def _new_id() -> str:
    return uuid.uuid4().hex[:10]


def _yaml(text: str) -> dict:
    import yaml

    return yaml.safe_load(text)


def _first_line(exc: Exception) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@contextmanager
def _interrupts_deferred():
    """Ctrl-C (SIGINT) held back until the block ends, then raised as KeyboardInterrupt: a write
    of a few seconds is never cut short. Outside the main thread signals cannot be handled; there
    the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


def _columns(connection) -> dict[str, list[str]]:
    rows = connection.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position"
    ).fetchall()
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


@functools.cache
def _expected_columns() -> dict[str, list[str]]:
    import duckdb

    with duckdb.connect(":memory:") as connection:
        connection.execute(SCHEMA)
        return _columns(connection)


def _shorten(path: Path) -> str:
    from talentwar.scenario.loader import shorten

    return shorten(str(path))
