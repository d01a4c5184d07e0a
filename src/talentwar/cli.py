"""The `talentwar` command line: parses options, calls the API, prints with Rich.

The engine (and with it JAX) is imported inside `run` only, so that `talentwar scenario ...`
and `--help` answer at once.
"""

from __future__ import annotations

import json
import math
import os
import sys
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer
import yaml
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from talentwar.scenario import ScenarioError, builtin_names, builtin_text, json_schema, load_scenario, scale_market, to_yaml
from talentwar.scenario.loader import shorten
from talentwar.scenario.schema import simulation_bounds

DEFAULT_SCENARIO = "talent-war-2026"
LABEL_LENGTH = 80  # characters of a run label: it must fit a row of `runs list`
POPULATION, GENERATIONS = 16, 8  # `levers optimise`: NSGA-II's points a generation, and generations
# Shown by `run`, in this order, when the summary has them.
KEY_METRICS = ("capability", "core_retention", "knowledge_leaked", "retention_spend", "departures_poached", "replication_months_gained")

# Column headers short enough for an 80-column terminal.
SHORT_LABELS = {
    "capability": "capability",
    "core_retention": "core kept",
    "knowledge_leaked": "leaked",
    "retention_spend": "retain k$",
    "departures_poached": "poached",
    "replication_months_gained": "R&D months",
}

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Monte Carlo simulator of the frontier-AI talent market.")
scenario_app = typer.Typer(no_args_is_help=True, help="List, show, check and describe scenario files.")
app.add_typer(scenario_app, name="scenario")
runs_app = typer.Typer(no_args_is_help=True, help="List, show, compare, export and delete the runs (simulations, claims, explorations) in the run store.")
app.add_typer(runs_app, name="runs")

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)

Sets = Annotated[
    Optional[list[str]],
    typer.Option("--set", metavar="FIELD.PATH=VALUE", help="Override one scenario field, e.g. market.temperature=0.5; repeatable."),
]


StorePath = Annotated[
    Optional[Path],
    typer.Option("--store", envvar="TALENTWAR_STORE", help="The run store (a DuckDB file). Default: ./talentwar.duckdb."),
]


MAX_PROBLEMS = 20  # problems shown; the rest are counted


def bounds(field: str, low: int | None = None) -> dict[str, int]:
    """typer's min and max for an option that sets simulation.`field`: the scenario schema's limits."""
    lowest, highest = simulation_bounds(field)
    return {"min": lowest if low is None else low, "max": highest}


def fail(lines: list[str]) -> NoReturn:
    """A user's mistake: one line per problem on stderr (the first MAX_PROBLEMS, each on one line
    and shortened, then how many more), exit status 2, no traceback."""
    for line in lines[:MAX_PROBLEMS]:
        typer.echo(shorten(line, 600), err=True)
    if len(lines) > MAX_PROBLEMS:
        typer.echo(f"... and {len(lines) - MAX_PROBLEMS} more problems; fix these first and check again", err=True)
    raise typer.Exit(2)


def _check_settings() -> None:
    """The engine's environment settings (TALENTWAR_THREADS, TALENTWAR_BATCH_MEMORY), checked before any work."""
    from talentwar.engine.run import SettingError, check_settings

    try:
        check_settings()
    except SettingError as exc:
        fail([str(exc)])


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"talentwar {version('talentwar')}")
        raise typer.Exit()


@app.callback()
def _app(
    show_version: Annotated[
        bool, typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    pass


# ---------------------------------------------------------------- scenario
@scenario_app.command("list")
def scenario_list() -> None:
    """The built-in scenarios, with what each one is for."""
    table = Table("scenario", "description")
    for name in builtin_names():
        description = (yaml.safe_load(builtin_text(name)).get("description") or "").strip().splitlines()
        table.add_row(name, description[0] if description else "")
    out.print(table)


@scenario_app.command("show")
def scenario_show(name: str) -> None:
    """Print a built-in scenario's YAML; `> my.yaml` gives a copy to edit."""
    try:
        typer.echo(builtin_text(name), nl=False)
    except ScenarioError as exc:
        fail(exc.problems)


@scenario_app.command("check")
def scenario_check(file: str, sets: Sets = None) -> None:
    """Load and validate a scenario file; print every problem, one line each."""
    try:
        scenario = load_scenario(file, overrides=sets)
    except ScenarioError as exc:
        fail(exc.problems)
    researchers = sum(group.count for firm in scenario.employers for group in firm.population)
    sizes = ", ".join(
        _count(n, noun) for n, noun in ((len(scenario.employers), "firm"), (researchers, "researcher"), (scenario.simulation.months, "month"))
    )
    out.print(f"{file}: valid ({sizes})", markup=False, soft_wrap=True)


@scenario_app.command("scale")
def scenario_scale(
    name: Annotated[str, typer.Argument(help="A built-in scenario name or a YAML file.")],
    researchers: Annotated[int, typer.Option("--researchers", min=2, help="Researchers in the whole market, the outside pool included.")],
    firms: Annotated[int, typer.Option("--firms", min=2, help="Firms, the outside pool included.")],
    sets: Sets = None,
) -> None:
    """Print a larger market of the same kinds of firm as YAML: `> big.yaml`, then `talentwar run big.yaml`."""
    try:
        scenario = scale_market(load_scenario(name, overrides=sets), researchers, firms)
    except ScenarioError as exc:
        fail(exc.problems)
    except ValueError as exc:
        fail([f"--researchers/--firms: {exc}"])
    typer.echo(to_yaml(scenario), nl=False)


@scenario_app.command("schema")
def scenario_schema(
    out_path: Annotated[Optional[Path], typer.Option("--out", help="Write to this file instead of stdout.")] = None,
) -> None:
    """The JSON Schema of scenario files (for editors that validate YAML as you type)."""
    text = json.dumps(json_schema(), indent=2) + "\n"
    if out_path is None:
        typer.echo(text, nl=False)
        return
    try:
        out_path.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail([f"--out {out_path}: cannot write ({exc.strerror}); give a file path in an existing folder"])
    typer.echo(str(out_path))


# ---------------------------------------------------------------- run
@app.command()
def run(
    scenario: Annotated[str, typer.Argument(help="A built-in name or a YAML file.")] = DEFAULT_SCENARIO,
    replications: Annotated[Optional[int], typer.Option(**bounds("replications"), help="Default: the scenario's.")] = None,
    months: Annotated[Optional[int], typer.Option(**bounds("months"), help="Default: the scenario's.")] = None,
    seed: Annotated[Optional[int], typer.Option(**bounds("seed"), help="Default: the scenario's.")] = None,
    sets: Sets = None,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write metrics, moves, final state and scenario here.")] = None,
    batch_size: Annotated[Optional[int], typer.Option(min=1, help="Replications between progress updates; results never depend on it.")] = None,
    report: Annotated[bool, typer.Option("--report", help="Also write an HTML report: DIR/report.html with --out, else report-<run id>.html.")] = False,
    posterior: Annotated[Optional[str], typer.Option("--posterior", metavar="ID", help="Draw each replication's world from a stored calibration's posterior (talentwar calibrate FILE).")] = None,
    label: Annotated[Optional[str], typer.Option("--label", metavar="TEXT", help="A name for the run in `talentwar runs list` and `runs show` (one line, at most 80 characters).")] = None,
    store: StorePath = None,
) -> None:
    """Simulate a scenario, record it in the run store and print each firm's key metrics with 90% intervals."""
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        fail([f"--out {out_dir}: is a file; give a folder to write the results into"])
    if label is not None and (not label.strip() or len(label) > LABEL_LENGTH or not label.isprintable()):
        fail([f"--label {label[:LABEL_LENGTH]!r}: give one line of printable text, 1 to {LABEL_LENGTH} characters"])
    _check_settings()
    drawn = _posterior(store, posterior)
    try:
        loaded = load_scenario(scenario, overrides=sets)
    except ScenarioError as exc:
        fail(exc.problems)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from talentwar import simulate
    from talentwar.simulation import MemoryEstimateError, prepare

    try:
        prepare(loaded, replications, months, seed)  # refuse a run that cannot fit before showing progress
    except MemoryEstimateError as exc:
        fail([f"{shorten(scenario)}: {exc}"])
    with Progress(TextColumn("replications"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("simulate", total=None)
        with _refused_runs(scenario, bar):
            result = simulate(
                loaded,
                replications=replications,
                months=months,
                seed=seed,
                batch_size=batch_size,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
                posterior=drawn,
            )
    out.print(summary_table(result.summary()))
    if drawn is not None:
        out.print(f"each replication's world drawn from calibration {drawn['info']['id']} ({len(set(d['particle'] for d in result.info['posterior']['draws']))} distinct particles)", markup=False)
    with _open_store(store) as runs:
        run_id = runs.save(result, label.strip() if label else None, sets)
    out.print(
        f"{_count(result.replications, 'replication')} x {_count(result.months, 'month')}, seed {result.seed}, "
        f"{result.wall_seconds:.1f} s; stored as run {run_id} in {runs.path}",
        markup=False,
        soft_wrap=True,
    )
    if out_dir is not None:
        try:
            written = result.write(out_dir)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the results ({exc.strerror or exc}); give a writable folder"])
        out.print(f"wrote {written}", markup=False, soft_wrap=True)
    if report:
        from talentwar.report import write_report

        _write_report(lambda path, png: write_report(result, path, png), (out_dir / "report.html") if out_dir is not None else Path(f"report-{run_id}.html"))


@app.command()
def claims(
    ids: Annotated[Optional[list[str]], typer.Argument(metavar="CLAIM", help="Claim ids such as C1 C5; default all of C1-C14.")] = None,
    scenario: Annotated[str, typer.Option(help="A built-in name or a YAML file: the base of every variant.")] = DEFAULT_SCENARIO,
    replications: Annotated[Optional[int], typer.Option(**bounds("replications", low=2), help="Per variant. Default: the scenario's.")] = None,
    seed: Annotated[Optional[int], typer.Option(**bounds("seed"), help="Default: the scenario's.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small market, 12 months, 8 replications, two sweep values: a smoke test, not an answer.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write claims.md, claims.json and a figure per claim (claims/C1.png, ...) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of the claims (id, verdict, effect, interval, sweep) instead of the table.")] = False,
    across: Annotated[Optional[str], typer.Option("--across", metavar="FILE", help="Each claim's verdict in every world an experiment file samples (its uncertainties and design).")] = None,
    posterior: Annotated[Optional[str], typer.Option("--posterior", metavar="ID", help="Draw each replication's world (with --across: each world) from a stored calibration's posterior.")] = None,
    worlds: Annotated[Optional[int], typer.Option("--worlds", min=1, max=100_000, help="With --across: sample this many worlds (Latin hypercube) instead of the file's design.")] = None,
    store: StorePath = None,
) -> None:
    """Run the seeds' claims as experiments: a verdict, an effect with its 95% interval, and where it flips."""
    import time

    from talentwar.claims import CLAIMS

    wanted = [c.upper() for c in ids] if ids else list(CLAIMS)
    unknown = [c for c in wanted if c not in CLAIMS]
    if unknown:
        fail([f"claims: unknown claim {', '.join(unknown)}; expected some of {', '.join(CLAIMS)}"])
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        fail([f"--out {out_dir}: is a file; give a folder to write the claims report into"])
    if worlds is not None and across is None:
        fail(["claims --worlds: samples worlds for --across FILE; give the experiment file too"])
    if across is not None:
        if scenario != DEFAULT_SCENARIO:
            fail([f"claims --across {shorten(across)}: --scenario comes from the experiment file with --across"])
        return _claims_across(wanted, across, posterior, worlds, replications, seed, quick, as_json, out_dir, store)
    _check_settings()
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as exc:
        fail(exc.problems)
    drawn = _posterior(store, posterior)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from talentwar.claims import run_claims
    from talentwar.claims.experiment import resolve

    started = time.perf_counter()
    with Progress(TextColumn("simulations {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("", total=None)
        with _refused_runs(scenario, bar):
            results = run_claims(
                wanted,
                loaded,
                replications=replications,
                seed=seed,
                quick=quick,
                progress=lambda done, total, claim: bar.update(task, completed=done, total=total, description=claim),
                posterior=drawn,
            )
    seconds = time.perf_counter() - started
    base, used_replications, used_seed = resolve(loaded, replications, seed, quick)  # what run_claims ran (small with --quick)
    with _open_store(store) as runs:
        run_id = runs.save_claims(results, base, used_replications, used_seed, seconds)
    err.print(f"stored as run {run_id} in {runs.path}", markup=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        out.print(claims_table(results))
    if out_dir is not None:
        context = _report_context(
            "claims", wanted, CLAIMS, base, used_replications, used_seed, replications, seed, quick, out_dir, scenario, seconds, sum(r.runs for r in results)
        )
        try:
            written = _write_claims(results, out_dir, context)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the claims report ({exc.strerror or exc}); give a writable folder"])
        (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)


def _claims_across(
    wanted: list[str], file: str, posterior: Optional[str], worlds: Optional[int], replications: Optional[int], seed: Optional[int],
    quick: bool, as_json: bool, out_dir: Optional[Path], store: Optional[Path],
) -> None:
    _check_settings()
    from talentwar.exploration import ExperimentError, load_experiment

    drawn = _posterior(store, posterior)
    try:
        plan = load_experiment(file, quick=quick)
        plan = plan.with_posterior(drawn) if drawn is not None else plan
    except ExperimentError as exc:
        fail(exc.problems)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from talentwar.claims.across import run_claims_across

    with Progress(TextColumn("simulations {task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("", total=None)
        with _refused_runs(file, bar):
            across = run_claims_across(
                wanted, plan, worlds, replications, seed, progress=lambda done, total, claim: bar.update(task, completed=done, total=total, description=claim)
            )
    with _open_store(store) as runs:
        run_id = runs.save_claims_across(plan, across)
    err.print(f"stored as run {run_id} in {runs.path}", markup=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps({"run_id": run_id, "worlds": len(across.worlds), "replications": across.replications, "seed": across.seed,
                               "claims": [r.to_dict() for r in across.results]}, indent=2))
    else:
        caption = f"shares of {_count(len(across.worlds), 'world')} ({_count(across.replications, 'replication')} per variant); the box: where it is supported (PRIM)"
        out.print(across_table([r.to_dict() for r in across.results], caption))
    if out_dir is not None:
        from talentwar.claims.document import write_across

        words = ["talentwar claims", f"--across {file}"] + [f"{flag} {value}" for flag, value in (("--worlds", worlds), ("--replications", replications), ("--seed", seed), ("--posterior", posterior)) if value is not None]
        context = {**_provenance(words + (["--quick"] if quick else []) + [f"--out {out_dir}"]), "experiment": file}
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            written = write_across(across, out_dir / "claims-across.md", context)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the claims across worlds ({exc.strerror or exc}); give a writable folder"])
        (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)


def across_table(results: list[dict], caption: str) -> Table:
    """Claims across worlds (each as `AcrossResult.to_dict`): the shares of verdicts and the box."""
    from talentwar.claims.across import box_text

    table = Table(caption=caption, show_lines=True)
    for column in ("claim", "supported", "not supported", "reversed", "where it is supported"):
        table.add_column(column)
    for r in results:
        table.add_row(f"{r['id']} {r['title']}", *[f"{r['shares'].get(v, 0):.2g}" for v in ("supported", "not supported", "reversed")], box_text(r))
    return table


def claims_table(results) -> Table:
    from talentwar.claims.document import interval_text

    table = Table(caption="effect: mean [95% interval] at the headline value of the condition", show_lines=True)
    for column in ("claim", "verdict", "effect", "flips along the sweep"):
        table.add_column(column)
    for r in results:
        table.add_row(f"{r.id} {r.title}", r.verdict, f"{interval_text(r.effect)}\n{r.unit}", r.flip_text() or r.reason)
    return table


def _report_context(command: str, wanted, every, base, used_replications, used_seed, replications, seed, quick, out_dir, scenario, seconds, simulations) -> dict:
    """What a generated page (claims.md, validation.md) says about how it was made: the command that remakes it, and the run."""
    words = [f"talentwar {command}"] + ([" ".join(wanted)] if list(wanted) != list(every) else [])
    words += _run_options(scenario, replications, seed, quick) + [f"--out {out_dir}"]
    return {
        **_provenance(words),
        "scenario": base.name,
        "replications": used_replications,
        "seed": used_seed,
        "simulations": simulations,
        "seconds": seconds,
    }


def _generating(scenario: Optional[str], out_dir: Optional[Path], what: str):
    """The scenario a command that writes pages runs on (None: it comes from elsewhere); first
    refuse an --out that is a file."""
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        fail([f"--out {out_dir}: is a file; give a folder to write {what} into"])
    _check_settings()
    if scenario is None:
        return None
    try:
        return load_scenario(scenario)
    except ScenarioError as exc:
        fail(exc.problems)


def _run_options(scenario: str, replications, seed, quick: bool) -> list[str]:
    """The options of a generating command that change what it computes, as typed (defaults left out)."""
    words = [f"--scenario {scenario}"] if scenario != DEFAULT_SCENARIO else []
    words += [f"--replications {replications}"] if replications is not None else []
    words += [f"--seed {seed}"] if seed is not None else []
    return words + (["--quick"] if quick else [])


def _provenance(words: list[str]) -> dict:
    """The command that remakes a generated page, and the talentwar version and machine that made it."""
    import platform

    return {"command": " ".join(words), "version": version("talentwar"), "machine": f"{platform.machine()}, {_count(os.cpu_count() or 1, 'core')}"}


def _write_claims(results, out_dir: Path, context: dict) -> Path:
    """claims.md, claims.json and the figures, moved into DIR only when all are written."""
    from talentwar.claims import CLAIMS
    from talentwar.claims.document import FIGURES, write_json, write_markdown
    from talentwar.claims.figures import plot_claim
    from talentwar.results.staging import staged

    with staged(out_dir, prefix=".talentwar-claims-") as staging:
        for r in results:
            if r.sweep:
                plot_claim(r, CLAIMS[r.id], staging / FIGURES / f"{r.id}.png")
        write_json(results, staging / "claims.json", context)
        write_markdown(results, CLAIMS, staging / "claims.md", context)
    return out_dir / "claims.md"


@app.command()
def validate(
    ids: Annotated[Optional[list[str]], typer.Argument(metavar="FACT", help="Fact ids such as b c; default all of a-h.")] = None,
    scenario: Annotated[str, typer.Option(help="A built-in name or a YAML file: the base of every experiment.")] = DEFAULT_SCENARIO,
    replications: Annotated[Optional[int], typer.Option(**bounds("replications", low=2), help="Per variant. Default: the scenario's.")] = None,
    seed: Annotated[Optional[int], typer.Option(**bounds("seed"), help="Default: the scenario's.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small market and 8 replications: a smoke test, not an answer.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write validation.md, validation.json and a figure per fact (validation/b.png, ...) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list of the facts (id, source, published, band, value, interval, pass).")] = False,
) -> None:
    """Run the published facts as experiments: the model's value with its 95% interval against each fact's band."""
    import time

    from talentwar.validation import FACTS

    wanted = [f.lower() for f in ids] if ids else list(FACTS)
    unknown = [f for f in wanted if f not in FACTS]
    if unknown:
        fail([f"validate: unknown fact {', '.join(unknown)}; expected some of {', '.join(FACTS)}"])
    loaded = _generating(scenario, out_dir, "the validation report")

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from talentwar.claims.experiment import resolve
    from talentwar.validation import run_validation

    started = time.perf_counter()
    with Progress(TextColumn("simulations ({task.description})"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("", total=None)
        with _refused_runs(scenario, bar):
            results = run_validation(
                wanted,
                loaded,
                replications=replications,
                seed=seed,
                quick=quick,
                progress=lambda done, total, fact: bar.update(task, completed=done, total=total, description=fact),
            )
    seconds = time.perf_counter() - started
    if as_json:
        typer.echo(json.dumps([r.to_dict() for r in results], indent=2))
    else:
        out.print(validation_table(results))
    if out_dir is not None:
        from talentwar.validation.document import write

        base, used_replications, used_seed = resolve(loaded, replications, seed, quick)
        context = _report_context(
            "validate", wanted, FACTS, base, used_replications, used_seed, replications, seed, quick, out_dir, scenario, seconds, sum(r.runs for r in results)
        )
        try:
            written = write(results, FACTS, out_dir, context)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the validation report ({exc.strerror or exc}); give a writable folder"])
        (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)


@app.command()
def calibrate(
    file: Annotated[
        Optional[str], typer.Argument(metavar="[FILE]", help="An experiment file with uncertainties, targets and abc: fit them by ABC-SMC (docs/explore.md). Without it: fit the behavioural parameters to the validation facts.")
    ] = None,
    scenario: Annotated[str, typer.Option(help="A built-in name or a YAML file: the scenario whose parameters are fitted.")] = DEFAULT_SCENARIO,
    trials: Annotated[int, typer.Option(min=1, max=10_000, help="Points of parameter space tried (the first is the scenario's own).")] = 40,
    replications: Annotated[int, typer.Option(min=2, max=10_000, help="Per experiment of each trial.")] = 24,
    seed: Annotated[Optional[int], typer.Option(min=0, max=2**31 - 1, help="Seeds the sampler and the simulations. Default: the scenario's.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small market: a smoke test, not a fit.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write calibration.md and calibration.json here (with FILE: <experiment name>.md and .json).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the fit as JSON (parameters, moments, objective, every trial).")] = False,
    write_into: Annotated[
        Optional[list[Path]], typer.Option("--write-into", help="Scenario YAML files to write the fitted values into (comments kept); repeatable.")
    ] = None,
    store: StorePath = None,
) -> None:
    """Fit the behavioural parameters to published facts (simulated method of moments), or an experiment's uncertainties to observed moments (ABC-SMC)."""
    if file is not None:
        given = [name for name, used in (("--scenario", scenario != DEFAULT_SCENARIO), ("--trials", trials != 40), ("--replications", replications != 24),
                                          ("--seed", seed is not None), ("--write-into", bool(write_into))) if used]
        if given:
            fail([f"calibrate {shorten(file)}: {', '.join(given)} belong to fitting the behavioural parameters; the experiment file's abc section sets an ABC fit"])
    if out_dir is not None and out_dir.exists() and not out_dir.is_dir():
        fail([f"--out {out_dir}: is a file; give a folder to write the calibration into"])
    if file is not None:
        return _calibrate_file(file, quick, as_json, store, out_dir)
    for target in write_into or []:
        if not target.is_file():
            fail([f"--write-into {target}: no such scenario file; give a YAML scenario to write the fit into"])
    _check_settings()
    try:
        loaded = load_scenario(scenario)
    except ScenarioError as exc:
        fail(exc.problems)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from talentwar import calibration

    with Progress(
        TextColumn("trials (best {task.description})"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err
    ) as bar:
        task = bar.add_task("-", total=trials)
        try:
            fit = calibration.calibrate(
                loaded, trials, replications, seed, quick, progress=lambda done, total, best: bar.update(task, completed=done, description=f"{best:.3g}")
            )
        except ValueError as exc:
            fail([f"calibrate: {exc}"])
    if as_json:
        typer.echo(json.dumps(fit.to_dict(), indent=2))
    else:
        table = Table(caption=f"objective {fit.start_objective:.3g} -> {fit.objective:.3g} (sum of squared residuals)")
        for column in ("parameter", "before", "fitted"):
            table.add_column(column)
        for p in fit.parameters:
            table.add_row(p["path"], f"{p['start']:.3g}", f"{p['fitted']:.3g}")
        out.print(table)
        moments = Table()
        for column in ("fact", "band", "before (z)", "fitted (z)"):
            moments.add_column(column)
        for m in fit.moments:
            moments.add_row(f"({m.fact}) {m.title}", f"[{m.band[0]:g}, {m.band[1]:g}]", f"{calibration.number_text(m.start_value)} ({m.start_z:+.2f})", f"{calibration.number_text(m.value)} ({m.z:+.2f})")
        out.print(moments)
    if out_dir is not None:
        words = ["talentwar calibrate", f"--trials {trials}"] + _run_options(scenario, replications, seed, quick)
        context = _provenance(words + [f"--write-into {target}" for target in write_into or []] + [f"--out {out_dir}"])
        try:
            written = calibration.write(fit, out_dir, context)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the calibration ({exc.strerror or exc}); give a writable folder"])
        (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)
    for target in write_into or []:
        try:
            calibration.write_values(target, fit.values)
        except (ValueError, OSError) as exc:
            fail([f"--write-into {target}: {exc}"])
        (err if as_json else out).print(f"wrote the fitted values into {target}", markup=False, soft_wrap=True)


@app.command()
def levers(
    scenario: Annotated[str, typer.Argument(metavar="[SCENARIO|optimise]", help="A built-in name or a YAML file; or `optimise` (then the scenario) to search the best mix of levers within --budget.")] = DEFAULT_SCENARIO,
    optimised: Annotated[Optional[str], typer.Argument(metavar="[SCENARIO]", help="With optimise: the scenario (default talent-war-2026; with --across, the file's).")] = None,
    firm: Annotated[str, typer.Option("--firm", help="The firm whose levers move (an employer of the scenario).")] = ...,
    names: Annotated[Optional[list[str]], typer.Option("--levers", metavar="NAME", help="Levers to move (repeatable or comma-separated); default all.")] = None,
    objective: Annotated[str, typer.Option(help="The metric a lever should raise: read at the horizon, or summed over the run for a flow.")] = "core_retention",
    replications: Annotated[Optional[int], typer.Option(**bounds("replications", low=2), help="Per run. Default: the scenario's (optimise: at most 32 per point and world).")] = None,
    seed: Annotated[Optional[int], typer.Option(**bounds("seed"), help="Default: the scenario's.")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small market and 8 replications: a smoke test, not an answer.")] = False,
    out_dir: Annotated[Optional[Path], typer.Option("--out", help="Write the page (levers.md or optimise.md, with its figure, JSON and an interactive HTML page) here.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON: per lever name, step, cost (k$), effect and effect per M$; or the front and the chosen point.")] = False,
    budget: Annotated[Optional[float], typer.Option("--budget", metavar="M$", help="optimise: the most the levers may cost over the run, in millions of dollars.")] = None,
    population: Annotated[int, typer.Option(min=4, max=1000, help="optimise: points per generation of NSGA-II.")] = POPULATION,
    generations: Annotated[int, typer.Option(min=1, max=1000, help="optimise: generations of NSGA-II (a resumed search may be given more).")] = GENERATIONS,
    across: Annotated[Optional[str], typer.Option("--across", metavar="FILE", help="optimise, robust: evaluate every point in the worlds an experiment file samples (its uncertainties and design).")] = None,
    posterior: Annotated[Optional[str], typer.Option("--posterior", metavar="ID", help="optimise, robust: draw the worlds (with --across: their uncertainties) from a stored calibration's posterior.")] = None,
    worlds: Annotated[Optional[int], typer.Option("--worlds", min=2, max=1000, help="optimise, robust: this many worlds (Latin hypercube, or posterior draws; default the file's design, or 8 draws).")] = None,
    quantile: Annotated[Optional[float], typer.Option("--quantile", min=0.01, max=0.99, help="optimise, robust: the quantile of the worlds' effects to maximise (default 0.1: the worst tenth).")] = None,
    resume: Annotated[Optional[str], typer.Option("--resume", metavar="ID", help="optimise: go on with a stopped search from its last stored generation.")] = None,
    store: StorePath = None,
) -> None:
    """Rank a firm's levers by effect per million dollars, each a defined step with 95% intervals; or (optimise) search the mix of
    levers that buys the most within a budget: the Pareto front of effect against cost, stored in the run store and resumable."""
    wanted = [name.strip() for given in names or [] for name in given.split(",") if name.strip()] or None
    search_options = {"--budget": budget, "--across": across, "--posterior": posterior, "--worlds": worlds, "--quantile": quantile, "--resume": resume,
                      "--population": population if population != POPULATION else None, "--generations": generations if generations != GENERATIONS else None}
    if scenario == "optimise":
        return _levers_optimise(optimised, firm, wanted, objective, replications, seed, quick, out_dir, as_json, population, generations, search_options, store)
    given = [flag for flag, value in search_options.items() if value is not None]
    if given:
        fail([f"levers: {', '.join(given)} belong to `talentwar levers optimise`, the search within a budget"])
    if optimised is not None:
        fail([f"levers {shorten(scenario)} {shorten(optimised)}: give one scenario (or `levers optimise SCENARIO`)"])
    from talentwar.levers import document, rank_levers

    loaded = _generating(scenario, out_dir, "the ranking")

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("runs ({task.description})"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("", total=None)
        with _refused_runs(scenario, bar):
            try:
                ranking = rank_levers(
                    loaded, firm, wanted, objective, replications, seed, quick,
                    progress=lambda done, total, name: bar.update(task, completed=done, total=total, description=name),
                )
            except ValueError as exc:
                fail([str(exc)])
    if as_json:
        typer.echo(json.dumps(ranking.to_dict(), indent=2))
    else:
        table = Table(caption=f"{ranking.firm}'s {ranking.objective} without a step: {_number(ranking.base.mean)}; effect and cost against the same replications without the step; 95% intervals", show_lines=True)
        for column in ("rank", "lever", "step", "effect", "cost, k$", "per M$"):
            table.add_column(column, overflow="fold")
        for i, lever in enumerate(ranking.levers, 1):
            if lever.effect is None:
                table.add_row("-", lever.name, lever.step, f"not taken: {escape(lever.note)}", "", "")
                continue
            table.add_row(str(i), lever.name, lever.step, *(escape(document.estimate_text(e)) for e in (lever.effect, lever.cost, lever.per_million)))
        out.print(table)
    if out_dir is not None:
        words = ["talentwar levers", shorten(scenario), f"--firm {firm}"] + ([f"--levers {','.join(wanted)}"] if wanted else [])
        words += [f"--objective {objective}"] * (objective != "core_retention") + _run_options(DEFAULT_SCENARIO, replications, seed, quick)
        _write_page(lambda: document.write_ranking(ranking, out_dir, _provenance(words + [f"--out {out_dir}"])), out_dir, "the ranking", as_json)


def _write_page(write, out_dir: Path, what: str, as_json: bool) -> None:
    """`write()`, a page writer returning the main file; a folder it cannot write is one line."""
    try:
        written = write()
    except OSError as exc:
        fail([f"--out {out_dir}: cannot write {what} ({exc.strerror or exc}); give a writable folder"])
    (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)


def _levers_optimise(
    scenario: Optional[str], firm: str, wanted: Optional[list[str]], objective: str, replications: Optional[int], seed: Optional[int], quick: bool,
    out_dir: Optional[Path], as_json: bool, population: int, generations: int, options: dict, store: Optional[Path],
) -> None:
    """`talentwar levers optimise`: plan the search, run it generation by generation into the store, print the front.
    `options`: its own flags as given, None where left out or at their default (for the command that remakes the page)."""
    budget, across = options["--budget"], options["--across"]
    if budget is None:
        fail(["levers optimise: give --budget M$, the most the levers may cost over the run in millions of dollars (e.g. --budget 10)"])
    if across is not None and scenario is not None:
        fail([f"levers optimise {shorten(scenario)} --across {shorten(across)}: the scenario comes from the experiment file with --across"])
    scenario = scenario or DEFAULT_SCENARIO
    loaded = _generating(scenario if across is None else None, out_dir, "the search")
    from talentwar.exploration.experiment import ExperimentError
    from talentwar.levers import document, optimise, plan_search
    from talentwar.levers.optimise import not_taken_text
    from talentwar.results.store import StoreError

    drawn = _posterior(store, options["--posterior"])
    try:
        search, skipped = plan_search(loaded, firm, wanted, objective, budget, population, generations, replications, seed, quick,
                                      across, drawn, options["--worlds"], options["--quantile"])
    except ExperimentError as exc:
        fail(exc.problems)
    except ValueError as exc:
        fail([str(exc)])
    words = ["talentwar levers optimise"] + ([shorten(scenario)] if across is None and scenario != DEFAULT_SCENARIO else []) + [f"--firm {firm}", f"--budget {budget:g}"]
    words += [f"--levers {','.join(wanted)}"] if wanted else []
    words += [f"{flag} {value}" for flag, value in options.items() if value is not None and flag not in ("--budget", "--resume")]
    words += [f"--objective {objective}"] * (objective != "core_retention") + _run_options(DEFAULT_SCENARIO, replications, seed, quick)
    if skipped and not as_json:
        err.print(f"not searched: {escape(not_taken_text(skipped))}", soft_wrap=True)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    stored: list[str] = []
    with _open_store(store) as runs, Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err) as bar:
        task = bar.add_task("simulations", total=None)

        def begun(run_id: str) -> None:
            stored.append(run_id)
            bar.console.print(f"search {run_id}: if it stops, resume it with: {' '.join(words)} --resume {run_id}", markup=False, soft_wrap=True)

        def progress(done: int, total: int, what: str) -> None:
            bar.update(task, completed=done, total=total, description=what)
            if what.endswith("stored") and not err.is_terminal:  # a log file gets a line per generation, not a bar
                bar.console.print(f"{what}: {done:,} of {total:,} simulations", markup=False)

        with _refused_runs(across or scenario, bar):
            try:
                result = optimise(search, runs, options["--resume"], progress, begun)
            except (ValueError, StoreError) as exc:
                bar.stop()
                fail([str(exc)])
            except KeyboardInterrupt:
                if stored:
                    bar.stop()
                    typer.echo(f"interrupted; search {stored[0]} keeps every finished generation: resume with {' '.join(words)} --resume {stored[0]}", err=True)
                    raise typer.Exit(130) from None
                raise
    if as_json:
        typer.echo(json.dumps({**result.to_dict(), "not_searched": skipped}, indent=2))
    else:
        out.print(front_table(result.to_dict()))
        out.print(escape(document.chosen_text(result)), soft_wrap=True)
        out.print(f"{len(result.points):,} points in {result.seconds:.0f} s; stored as search {result.run_id} in {runs.path}", markup=False, soft_wrap=True)
    if out_dir is not None:
        _write_page(lambda: document.write_optimisation(result, out_dir, _provenance(words + [f"--out {out_dir}"])), out_dir, "the search", as_json)


def front_table(record: dict) -> Table:
    """The Pareto front of a search (as `Optimisation.to_dict`, or as stored), cheapest first."""
    from talentwar.claims.base import Estimate
    from talentwar.levers.document import estimate_text

    table = Table(caption=f"the Pareto front of {record['firm']}'s {record['objective']} against the cost of its levers over the run, within "
                          f"{record['budget_m']:g} M$; 95% intervals", show_lines=True)
    for column in ("cost, M$", "effect", "levers moved"):
        table.add_column(column, overflow="fold")
    for point in record["front"]:
        table.add_row(escape(estimate_text(Estimate.from_dict(point["cost_k"]), 1e-3)), escape(estimate_text(Estimate.from_dict(point["effect"]))),
                      escape("; ".join(point["moves"]) or "none (the scenario)"))
    return table


@app.command()
def explore(
    file: Annotated[str, typer.Argument(metavar="FILE|analyze", help="An experiment YAML file (docs/explore.md); or `analyze` and a stored exploration's id.")],
    run_id: Annotated[Optional[str], typer.Argument(metavar="[ID]", help="With analyze: the exploration (id, prefix or 'latest').")] = None,
    quick: Annotated[bool, typer.Option("--quick", help="A small version of the same design (the file's quick: section and a smaller market): a first look, not an answer.")] = False,
    workers: Annotated[int, typer.Option(min=1, max=256, help="Local processes running blocks of points at once (each compiles once).")] = 1,
    ray: Annotated[Optional[str], typer.Option("--ray", metavar="ADDRESS", help="Run the blocks on a Ray cluster: 'auto', an address, or 'local' (needs talentwar\\[ray]).")] = None,
    resume: Annotated[Optional[str], typer.Option("--resume", metavar="ID", help="Run only the points of a stopped exploration that have no outcomes yet.")] = None,
    posterior: Annotated[Optional[str], typer.Option("--posterior", metavar="ID", help="Draw the uncertainties of a stored calibration (talentwar calibrate FILE) from its posterior.")] = None,
    outcome: Annotated[Optional[str], typer.Option("--outcome", help="analyze: the outcome to analyse (default: each).")] = None,
    prim: Annotated[Optional[str], typer.Option("--prim", metavar="CONDITION", help="analyze: find the box where e.g. 'core_retention\\[lean_lab] < 0.8' holds (PRIM).")] = None,
    threshold: Annotated[float, typer.Option(min=0.05, max=1.0, help="analyze --prim: the density the box should reach.")] = 0.8,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary (run id, points, replications, outcomes) or the analysis as JSON.")] = False,
    report_path: Annotated[Optional[Path], typer.Option("--report", metavar="FILE", help="analyze: also write the analysis as an HTML page (offline, like the run report).")] = None,
    store: StorePath = None,
) -> None:
    """Run an experiment over many worlds (sampled with SALib) into the run store, or analyze one: Sobol or Morris indices, feature scores, PRIM boxes."""
    if file == "analyze":
        if resume or quick or ray or posterior or workers != 1:
            fail(["explore analyze: --quick, --workers, --ray, --resume and --posterior belong to running an experiment, not to analysing one"])
        return _explore_analyze(run_id or "latest", outcome, prim, threshold, as_json, report_path, store)
    if run_id is not None:
        fail([f"explore {shorten(file)} {shorten(run_id)}: give one experiment file (or `explore analyze ID`)"])
    if outcome or prim or report_path:
        fail(["explore: --outcome, --prim and --report belong to `talentwar explore analyze ID`"])
    if ray is not None and workers != 1:
        fail(["explore: give --workers (local processes) or --ray (a cluster's workers), not both"])
    _check_settings()
    from talentwar.exploration import ExperimentError, load_experiment

    try:
        plan = load_experiment(file, quick=quick)
    except ExperimentError as exc:
        fail(exc.problems)
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    from talentwar.exploration import Exploration
    from talentwar.exploration.runner import explore as run_exploration
    from talentwar.results.store import StoreError

    started, stored = time.perf_counter(), []
    drawn = _posterior(store, posterior)
    with _open_store(store) as runs:
        try:
            if drawn is not None:
                plan = plan.with_posterior(drawn)
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), TimeRemainingColumn(), console=err) as bar:
                task = bar.add_task("checking points", total=None)

                def begun(run_id: str) -> None:
                    stored.append(run_id)
                    bar.console.print(f"exploration {run_id}: if it stops, resume it with: talentwar explore {shorten(file)} --resume {run_id}", markup=False, soft_wrap=True)

                def progress(done: int, total: int, what: str) -> None:
                    bar.update(task, completed=done, total=total, description=f"{what} (point x replication)" if what == "running" else what)
                    if what == "running" and not err.is_terminal:  # a log file gets a line per stored block, not a bar
                        bar.console.print(f"{done:,} of {total:,} point-replications stored, {time.perf_counter() - started:.0f} s", markup=False)

                run_exploration(plan, runs, resume=resume, workers=workers, ray=ray, started=begun, progress=progress)
        except (ExperimentError, StoreError) as exc:
            fail(exc.problems if isinstance(exc, ExperimentError) else [str(exc)])
        except KeyboardInterrupt:
            if stored:
                typer.echo(f"interrupted; exploration {stored[0]} keeps every finished block: resume with talentwar explore {shorten(file)} --resume {stored[0]}", err=True)
                raise typer.Exit(130) from None
            raise
        exploration = Exploration.from_store(runs, stored[0])
    seconds = time.perf_counter() - started
    values = exploration.results[exploration.outcome_names].to_numpy(float)
    summary = {
        "run_id": exploration.run_id,
        "experiment": plan.experiment.name,
        "design": plan.experiment.design.method,
        "points": len(exploration.points),
        "replications": plan.replications,
        "months": plan.months,
        "outcomes": exploration.outcome_names,
        "non_finite_values": sum(not math.isfinite(v) for v in values.ravel()),
        "seconds": round(seconds, 1),
        "store": str(runs.path),
    }
    if as_json:
        typer.echo(json.dumps(summary, indent=2))
        return
    table = Table(caption=f"means over {_count(len(exploration.points), 'point')} x {_count(plan.replications, 'replication')}: the spread across worlds")
    for column in ("outcome", "min", "median", "max"):
        table.add_column(column)
    means = exploration.means()
    for name in exploration.outcome_names:
        table.add_row(escape(name), _number(means[name].min()), _number(means[name].median()), _number(means[name].max()))
    out.print(table)
    if summary["non_finite_values"]:
        err.print(f"warning: {summary['non_finite_values']:,} outcome values are not finite (NaN or infinite); analyses skip nothing, so check the ranges", markup=False)
    out.print(
        f"exploration {exploration.run_id}: {_count(summary['points'], 'point')} x {_count(plan.replications, 'replication')} x {_count(plan.months, 'month')}, "
        f"{seconds:.1f} s; stored in {runs.path}. Analyse it with: talentwar explore analyze {exploration.run_id}",
        markup=False,
        soft_wrap=True,
    )


def _explore_analyze(run_id: str, outcome: Optional[str], prim: Optional[str], threshold: float, as_json: bool, report_path: Optional[Path], store: Optional[Path]) -> None:
    from talentwar.exploration import AnalysisError, Exploration
    from talentwar.results.store import StoreError

    def load(runs, full_id):
        try:
            return Exploration.from_store(runs, full_id)
        except StoreError as exc:
            fail([str(exc)])

    exploration = _stored(store, run_id, load)
    report: dict = {"run_id": exploration.run_id, "design": exploration.method, "points": len(exploration.points), "complete": exploration.complete}
    try:
        names = [exploration.outcome(outcome)] if outcome else exploration.outcome_names
        if exploration.method in ("sobol", "morris") and exploration.complete:
            analyse = exploration.sobol if exploration.method == "sobol" else exploration.morris
            report[exploration.method] = {name: analyse(name) for name in names}
        report["feature_scores"] = exploration.feature_scores()[names] if len(exploration.means()) >= 4 else None
        report["prim"] = exploration.prim(prim, threshold) if prim else None
    except AnalysisError as exc:
        fail([f"explore analyze {run_id}: {exc}"])
    if report_path is not None:
        from talentwar.exploration.report import write_exploration_report

        sensitivity = {m: report[m] for m in ("sobol", "morris") if report.get(m)}
        try:
            written = write_exploration_report(exploration, report_path, sensitivity, report["feature_scores"], report["prim"])
        except OSError as exc:
            fail([f"--report {report_path}: cannot write the page ({exc.strerror or exc}); give a writable path"])
        err.print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)", markup=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(_analysis_json(report), indent=2))
        return
    out.print(
        f"exploration {exploration.run_id}: {exploration.method} design, {_count(len(exploration.points), 'point')}"
        + ("" if exploration.complete else " (not finished: resume it to complete the design)"),
        markup=False,
    )
    for method in ("sobol", "morris"):
        for name, frame in (report.get(method) or {}).items():
            out.print(_sensitivity_table(method, name, frame))
    if report["feature_scores"] is not None:
        scores = report["feature_scores"]
        table = Table(caption="feature scores: the share of each outcome's variation across points each factor explains (extra trees)")
        table.add_column("factor")
        for name in scores.columns:
            table.add_column(escape(name))
        for factor, row in scores.iterrows():
            table.add_row(str(factor), *[f"{v:.3f}" for v in row])
        out.print(table)
    box = report["prim"]
    if box is not None:
        table = Table(caption=f"PRIM box where {escape(box.condition)}: coverage {box.coverage:.2f} (of {box.cases} such points), density {box.density:.2f}, mass {box.mass:.2f}")
        for column in ("factor", "low", "high", "values inside", "quasi p-value"):
            table.add_column(column)
        for factor, row in box.limits.iterrows():
            table.add_row(str(factor), f"{row['low']:.4g}", f"{row['high']:.4g}", row["values"], f"{row['qp']:.2g}")
        out.print(table)


def _sensitivity_table(method: str, outcome: str, frame) -> Table:
    if method == "sobol":
        table = Table(caption=f"Sobol indices of {escape(outcome)}, 95% bootstrap intervals (S1: alone; ST: with all interactions)")
        columns = (("S1", "S1_low", "S1_high"), ("ST", "ST_low", "ST_high"))
    else:
        table = Table(caption=f"Morris screening of {escape(outcome)}: mu* with its 95% bootstrap interval; sigma: interactions or nonlinearity")
        columns = (("mu_star", "mu_star_low", "mu_star_high"),)
    table.add_column("factor")
    for value, _, _ in columns:
        table.add_column(value)
    if method == "morris":
        table.add_column("sigma")
    for factor, row in frame.iterrows():
        cells = [f"{_number(row[v])} [{_number(row[lo])}, {_number(row[hi])}]" for v, lo, hi in columns]
        if method == "morris":
            cells.append(_number(row["sigma"]))
        table.add_row(str(factor), *cells)
    return table


def _analysis_json(report: dict) -> dict:
    def records(frame):
        return [{"factor": str(index), **{k: _finite_or_none(v) for k, v in row.items()}} for index, row in frame.iterrows()]

    result = {k: report[k] for k in ("run_id", "design", "points", "complete")}
    for method in ("sobol", "morris"):
        if report.get(method):
            result[method] = {name: {"indices": records(frame), **({"second_order": [{k: _finite_or_none(v) if k.startswith("S2") else v for k, v in pair.items()} for pair in frame.attrs["second_order"].to_dict("records")]} if "second_order" in frame.attrs else {})} for name, frame in report[method].items()}
    if report.get("feature_scores") is not None:
        result["feature_scores"] = {name: {str(f): float(v) for f, v in column.items()} for name, column in report["feature_scores"].items()}
    if report.get("prim") is not None:
        result["prim"] = report["prim"].to_dict()
    return result


def _finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def _calibrate_file(file: str, quick: bool, as_json: bool, store: Optional[Path], out_dir: Optional[Path]) -> None:
    _check_settings()
    from talentwar.exploration import ExperimentError, load_experiment

    try:
        plan = load_experiment(file, quick=quick, purpose="calibrate")
    except ExperimentError as exc:
        fail(exc.problems)
    _open_store(store).close()  # a bad store fails now, not after the fit

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from talentwar.exploration.abc import calibrate_experiment

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=err) as bar:
        task = bar.add_task("ABC-SMC: sampling the prior", total=None)

        def progress(simulations: int, generations: int) -> None:
            bar.update(task, description=f"ABC-SMC (at most {generations} generations): {simulations:,} particles simulated")

        posterior = calibrate_experiment(plan, progress)
    with _open_store(store) as runs:
        run_id = runs.save_calibration(plan, posterior)
    summary, checks = posterior.summary(plan.factors), posterior.checks
    fit = posterior.to_dict(plan, run_id)
    if out_dir is not None:
        from talentwar.exploration import abc

        context = _provenance(["talentwar calibrate", file] + (["--quick"] if quick else []) + [f"--out {out_dir}"])
        try:
            written = abc.write(fit, plan, out_dir, context)
        except OSError as exc:
            fail([f"--out {out_dir}: cannot write the calibration ({exc.strerror or exc}); give a writable folder (the fit is stored as calibration {run_id})"])
        (err if as_json else out).print(f"wrote {written}", markup=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps(fit, indent=2))
        return
    table = Table(caption=f"posterior of {len(posterior.particles)} weighted particles after {_count(len(posterior.epsilons), 'generation')} (epsilon {posterior.epsilons[-1]:.3g} standard errors)")
    for column in ("uncertainty", "prior", "posterior mean [95%]"):
        table.add_column(column)
    for name, row in summary.iterrows():
        table.add_row(str(name), f"[{_number(row['prior_low'])}, {_number(row['prior_high'])}]", f"{_number(row['mean'])} [{_number(row['low'])}, {_number(row['high'])}]")
    out.print(table)
    table = Table(caption="predictive check: the last generation's simulated moments against each target; z = (mean - observed) / se")
    for column in ("target", "kind", "observed (se)", "model mean [95%]", "z"):
        table.add_column(column)
    for row in checks.to_dict("records"):
        table.add_row(escape(row["target"]), "held out" if row["held_out"] else "fitted", f"{_number(row['observed'])} ({_number(row['se'])})",
                      f"{_number(row['mean'])} [{_number(row['low'])}, {_number(row['high'])}]", f"{row['z']:+.2f}")
    out.print(table)
    out.print(f"{posterior.simulations:,} particles simulated in {posterior.seconds:.1f} s; stored as calibration {run_id} in {runs.path}", markup=False, soft_wrap=True)


def validation_table(results) -> Table:
    from talentwar.validation.document import band_text, value_text

    table = Table(caption="model: mean [95% interval]; pass when the mean lies in the band", show_lines=True)
    for column in ("fact", "published", "band", "model", "pass"):
        table.add_column(column)
    for r in results:
        table.add_row(f"({r.id}) {r.title}", r.published, f"{band_text(r.band)}\n{r.unit}", f"{value_text(r.value)}\n{r.note}", "pass" if r.passed else "FAIL")
    return table


def _posterior(store: Optional[Path], run_id: Optional[str]) -> dict | None:
    """The stored calibration `run_id` (None without one); opening the store also makes a bad store
    fail now, not after the simulation (it is not held meanwhile)."""
    from talentwar.results.store import StoreError

    with _open_store(store, create=run_id is None) as runs:
        if run_id is None:
            return None
        try:
            return runs.posterior(runs.resolve(run_id))
        except StoreError as exc:
            fail([f"--posterior {run_id}: {exc}"])


@contextmanager
def _refused_runs(scenario: str, bar):
    """A simulation the engine refuses (non-finite outputs, not enough memory, a posterior that does
    not fit the scenario): one line, exit 2."""
    from talentwar.exploration.experiment import ExperimentError
    from talentwar.simulation import MemoryEstimateError, NonFiniteError

    try:
        yield
    except (NonFiniteError, MemoryEstimateError) as exc:
        bar.stop()
        fail([f"{shorten(scenario)}: {exc}"])
    except ExperimentError as exc:
        bar.stop()
        fail(exc.problems)


def _open_store(path: Optional[Path], create: bool = True):
    """The run store; `create=False` (commands that only read or delete) needs one to exist."""
    from talentwar.results.store import RunStore, StoreError

    try:
        return RunStore(path, create=create)
    except StoreError as exc:
        fail([str(exc)])


def _write_report(write, path: Path, png_dir: Optional[Path] = None) -> None:
    """`write(path, png_dir)`, a report writer; a path it cannot write, or PNGs without kaleido, is one line."""
    try:
        written = write(path, png_dir)
    except OSError as exc:
        fail([f"{path}: cannot write the report ({exc.strerror or exc}); give a writable path"])
    except RuntimeError as exc:  # PNG export without its optional dependency
        fail([f"--png {png_dir}: {exc}"])
    out.print(f"wrote {written} ({written.stat().st_size / 1e6:.1f} MB)", markup=False, soft_wrap=True)


def _stored(store: Optional[Path], run_id: Optional[str], action):
    """Run `action(run_store, full_id)`; a user's mistake (unknown id, bad file) is one line and exit 2."""
    from talentwar.results.store import StoreError

    with _open_store(store, create=False) as runs:
        try:
            return action(runs, runs.resolve(run_id))
        except StoreError as exc:
            fail([str(exc)])


@runs_app.command("list")
def runs_list(store: StorePath = None) -> None:
    """Every stored run, newest first."""
    with _open_store(store, create=False) as runs:
        frame = runs.runs()
        table = Table(caption=f"{_count(len(frame), 'run')} in {runs.path}; reps x months; `runs show ID` gives every override")
    for column in ("id", "created (UTC)", "kind", "label", "scenario", "overrides", "size"):
        table.add_column(column, no_wrap=column in ("id", "kind", "size"), overflow="fold")
    for row in frame.itertuples():
        table.add_row(row.id, f"{row.created:%Y-%m-%d %H:%M}", row.kind, escape(row.label if isinstance(row.label, str) else ""), escape(row.scenario), escape(_overrides_text(row.overrides)),
                      f"{row.replications}x{row.months}")
    out.print(table)


def _overrides_text(overrides: list[str], shown: int = 2) -> str:
    """The first `shown` --set overrides, and how many more."""
    more = len(overrides) - shown
    return ", ".join(overrides[:shown]) + (f" (+{more} more)" if more > 0 else "")


@runs_app.command("show")
def runs_show(run_id: Annotated[str, typer.Argument(help="A run id or a unique prefix; 'latest' for the newest.")], store: StorePath = None) -> None:
    """A stored run: what was run, and its key metrics (or a claims run's verdicts)."""

    def show(runs, full_id):
        info = runs.info(full_id)
        out.print(
            f"run {info['id']} ({info['kind']}), {info['created']:%Y-%m-%d %H:%M:%S} UTC, talentwar {info['version']}\n"
            f"scenario {info['scenario']} (sha256 {info['scenario_hash'][:16]}), seed {info['seed']}, "
            f"{_count(info['replications'], 'replication')} x {_count(info['months'], 'month')}, {info['wall_seconds']:.1f} s"
            + (f"\nlabel: {info['label']}" if info["label"] else "")
            + "".join(f"\n--set {o}" for o in info["overrides"]),
            markup=False,
            soft_wrap=True,
        )
        if info["kind"] == "claims":
            from talentwar.claims import ClaimResult

            out.print(claims_table([ClaimResult.from_dict(c) for c in runs.claims(full_id)]))
        elif info["kind"] == "claims-across":
            out.print(across_table(runs.claims(full_id), "shares of the worlds; the box: where it is supported (PRIM)"))
        elif info["kind"] == "calibration":
            record = runs.posterior(full_id)
            checks = record["checks"]
            out.print(
                f"experiment {record['name']} ({record['source']}{', quick' if record['quick'] else ''}): {_count(len(record['particles']), 'particle')}\n"
                + "\n".join(f"{'held out' if row['held_out'] else 'fitted'} {row['target']}: observed {_number(row['observed'])}, model {_number(row['mean'])} "
                             f"[{_number(row['low'])}, {_number(row['high'])}], z {row['z']:+.2f}" for row in checks.to_dict("records")),
                markup=False,
                soft_wrap=True,
            )
        elif info["kind"] == "explore":
            record = runs.exploration(full_id)
            factors = ", ".join(f"{f['name']} ({f['role']})" for f in record["factors"])
            out.print(
                f"experiment {record['name']} ({record['source']}{', quick' if record['quick'] else ''}): {_count(record['points'], 'point')}, "
                f"{len(record['done']):,} with outcomes{'' if record['finished'] else ' (not finished: --resume ' + info['id'] + ')'}\n"
                f"factors: {factors}\noutcomes: {', '.join(o['name'] for o in record['outcomes'])}\n"
                f"analyse it with: talentwar explore analyze {info['id']}",
                markup=False,
                soft_wrap=True,
            )
        elif info["kind"] == "levers-optimise":
            from talentwar.claims.base import Estimate
            from talentwar.levers.document import estimate_text
            from talentwar.levers.optimise import confirming_seed, stored_front

            record = runs.optimisation(full_id)
            front, generations = stored_front(record)
            spec = record["spec"]
            out.print(
                f"search of {record['firm']}'s levers for {record['objective']} within {record['budget_k'] / 1000:g} M$: {_count(len(record['points']), 'point')} "
                f"in {generations} of {record['generations']} generations of {spec['population']}"
                + ("" if record["finished"] else f" (not finished: talentwar levers optimise ... --resume {info['id']})")
                + (f"; worlds: {spec['worlds']}, the {spec['quantile']:g} quantile" if spec["quantile"] is not None else ""),
                markup=False,
                soft_wrap=True,
            )
            out.print(front_table({"firm": record["firm"], "objective": record["objective"], "budget_m": record["budget_k"] / 1000, "front": front}))
            if record["chosen"] is not None:
                chosen = record["chosen"]
                out.print(f"chosen, measured again on seed {confirming_seed(info['seed'])}: effect {estimate_text(Estimate.from_dict(chosen['effect']))}, "
                          f"cost {estimate_text(Estimate.from_dict(chosen['cost_k']), 1e-3)} M$: {'; '.join(chosen['moves']) or 'no lever moved'}",
                          markup=False, soft_wrap=True)
        else:
            result = runs.load(full_id)
            if "posterior" in result.info:
                drawn = result.info["posterior"]
                out.print(f"worlds drawn from calibration {drawn['id']}: {len({d['particle'] for d in drawn['draws']})} distinct particles over {_count(len(drawn['draws']), 'replication')}", markup=False)
            out.print(summary_table(result.summary()))

    _stored(store, run_id, show)


@runs_app.command("compare")
def runs_compare(
    a: Annotated[str, typer.Argument(help="The run to compare from (id or prefix).")],
    b: Annotated[str, typer.Argument(help="The run to compare with.")],
    all_metrics: Annotated[bool, typer.Option("--all", help="Every metric, not only the key ones.")] = False,
    store: StorePath = None,
) -> None:
    """Per firm and key metric: both means, the difference B - A with its 95% interval, and whether it exceeds the noise."""
    from talentwar.results.compare import compare

    def run(runs, full_a):
        full_b = runs.resolve(b)
        first, second = runs.load(full_a), runs.load(full_b)
        return full_a, full_b, compare(first, second, None if all_metrics else KEY_METRICS)

    full_a, full_b, frame = _stored(store, a, run)
    how = "paired by replication (same seed and replications)" if frame.attrs["paired"] else "independent samples (Welch)"
    table = Table(caption=f"difference = {full_b} - {full_a}, 95% interval, {how}", show_lines=False)
    for column in ("firm", "metric", "A", "B", "B - A [95% interval]", "beyond noise"):
        table.add_column(column)
    for row in frame.itertuples():
        beyond = "[bold]yes[/bold]" if row.exceeds_noise else "no"
        table.add_row(str(row.firm), str(row.metric), _number(row.mean_a), _number(row.mean_b), f"{_number(row.difference)} [{_number(row.low)}, {_number(row.high)}]", beyond)
    out.print(table)


@runs_app.command("export")
def runs_export(
    run_id: Annotated[str, typer.Argument(help="A run id or a unique prefix.")],
    out_path: Annotated[Path, typer.Option("--out", help="The folder to write metrics, moves, final and investors into.")],
    file_format: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    store: StorePath = None,
) -> None:
    """Write a stored run's tables to files (Parquet or CSV) and its scenario as YAML."""
    if file_format not in ("parquet", "csv"):
        fail([f"--format {file_format}: unknown format; expected parquet or csv"])
    if out_path.exists() and not out_path.is_dir():
        fail([f"--out {out_path}: is a file; give a folder to export into"])

    def export(runs, full_id):
        try:
            return runs.load(full_id).write(out_path, file_format=file_format)
        except OSError as exc:
            fail([f"--out {out_path}: cannot write ({exc.strerror or exc}); give a writable folder"])

    written = _stored(store, run_id, export)
    out.print(f"wrote {written}", markup=False, soft_wrap=True)


@runs_app.command("delete")
def runs_delete(run_id: Annotated[str, typer.Argument(help="A run id or a unique prefix.")], store: StorePath = None) -> None:
    """Delete a stored run and all its tables (in one transaction)."""
    deleted = _stored(store, run_id, lambda runs, full_id: runs.delete(full_id))
    out.print(f"deleted run {deleted}", markup=False)


@app.command()
def report(
    run_ids: Annotated[Optional[list[str]], typer.Argument(metavar="[ID [ID]]", help="A stored run id or prefix (default the newest run); two ids: the second against the first, side by side.")] = None,
    out_path: Annotated[Path, typer.Option("--out", help="The HTML file to write (self-contained, works offline).")] = Path("report.html"),
    png_dir: Annotated[Optional[Path], typer.Option("--png", help="Also write each figure as PNG into this folder (needs kaleido).")] = None,
    store: StorePath = None,
) -> None:
    """Write an HTML report of a stored run (headline, capability, headcount, retention, moves, poaching, leaks, pay, bus factor), or of two runs side by side."""
    if out_path.is_dir():
        fail([f"--out {out_path}: is a folder; give the HTML file to write, e.g. {out_path / 'report.html'}"])
    ids = run_ids or [None]
    if len(ids) > 2:
        fail([f"report: {len(ids)} run ids given; give one run, or two to compare"])
    if len(ids) == 1:
        from talentwar.report import write_report

        result = _stored(store, ids[0], lambda runs, full_id: runs.load(full_id))
        return _write_report(lambda path, png: write_report(result, path, png), out_path, png_dir)

    def both(runs, first):
        second = runs.resolve(ids[1])
        labels = [runs.info(i)["label"] or i for i in (first, second)]
        return runs.load(first), runs.load(second), labels if labels[0] != labels[1] else [first, second]

    a, b, (label_a, label_b) = _stored(store, ids[0], both)
    from talentwar.report.comparison import write_comparison

    _write_report(lambda path, png: write_comparison(a, b, path, (label_a, label_b), png), out_path, png_dir)


def summary_table(summary, width: int | None = None):
    """One row per firm; each key metric as its mean over `[low, high]`. A terminal narrower than
    the whole table (`width`, default the console's) gets it in parts of a few metrics each, every
    part with the firm column, so no number is ever cut."""
    from rich.console import Group

    metrics = [m for m in KEY_METRICS if m in set(summary["metric"])]
    firms = [str(f) for f in dict.fromkeys(summary["firm"])]
    cells = {(row.firm, row.metric): f"{_number(row.mean)}\n[{_number(row.low)}, {_number(row.high)}]" for row in summary.itertuples()}
    cell_width = max([len(line) for text in cells.values() for line in text.splitlines()] + [len(SHORT_LABELS.get(m, m)) for m in metrics] + [1])
    firm_width = max([len(f) for f in firms] + [4])
    per_part = max(1, ((width or out.width) - firm_width - 4) // (cell_width + 3))
    parts = [metrics[i : i + per_part] for i in range(0, len(metrics), per_part)]
    tables = []
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        caption = "each cell: the mean over replications, and \\[the range that holds 90% of them] (a spread, not an interval of the mean)"
        table = Table(caption=caption if last else None, show_lines=True)
        table.add_column("firm", no_wrap=True)
        for metric in part:
            table.add_column(SHORT_LABELS.get(metric, metric.replace("_", " ")), no_wrap=True)
        for firm in firms:
            table.add_row(firm, *(cells.get((firm, m), "") for m in part))
        tables.append(table)
    return Group(*tables)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        saved = getattr(sys.modules.get("talentwar.results.store"), "SAVED", [])
        typer.echo(f"interrupted; run {saved[-1]} had been stored before it" if saved else "interrupted; nothing was stored", err=True)
        raise SystemExit(130) from None
