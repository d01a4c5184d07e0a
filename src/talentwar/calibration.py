"""Calibration by simulated method of moments: the behavioural parameters that no source pins down,
fitted so that the model reproduces published facts (`talentwar calibrate`).

What is fitted. Eight market-wide parameters that the built-in scenarios mark "assumption" and
that set how people decide (M9, M14 and the outside market of M16): the temperature of taste, the
switching cost, the rate of outside job offers, the monthly lapse rate of an offer held open for
a later start date, the extra outside offers that those staying only for their equity find by
looking (M14), the compute an outside job comes with (a share of the employers' mean, M4), and
how much weight researchers put on equity and on compute (a factor on every archetype's weight of
that pull, applied before the weights are normalised, so the archetypes keep their order).

What they are fitted to. Six of the validation facts (talentwar.validation), the targets: (b)
quits after vesting dates, (c) departures when vesting is removed, (e) two-year retention at
frontier labs, (f) directional flows between two labs, (g) offers of 2-3 times pay declined and
(h) the monthly rate at which employed job seekers switch employers. (f) is the one that pins the
weight on compute: a fit to the other four moved it freely (to 0.07 of its previous value) and the
stronger lab's pull fell below the published ratio; (h) is the one that pins the search of those
who rest. Each moment's target is the middle of the fact's band and its scale half the band's
width, so a moment inside its band has a residual
z = (model - target) / scale between -1 and 1. The objective is the sum of z^2; a value that is
not finite (a ratio over zero events) scores ZMAX^2. The other facts, (a) the job ladder, (d)
grants that delay departures, are held out: they test the fit.

How. Optuna's TPE sampler (seeded: the same seed gives the same trials) proposes points in the
box of each parameter's range; the first trial is the scenario's own values. Every trial runs
the targets' experiments with the same seed and replications (common random numbers), so
differences between trials are the parameters', not noise. The fitted point is the trial with
the lowest objective.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict, dataclass, field
from typing import Callable

from talentwar.scenario import Scenario
from talentwar.simulation import NonFiniteError

TARGETS = ("b", "c", "e", "f", "g", "h")
HELD_OUT = ("a", "d")
ZMAX = 10.0  # the residual a non-finite moment counts as


@dataclass(frozen=True)
class Parameter:
    name: str  # how the docs and the JSON name it
    path: str  # the scenario field, for the reader
    low: float
    high: float
    log: bool
    meaning: str

    @property
    def pull(self) -> str | None:
        """For a factor on every archetype's weight of a pull ("archetypes.*.equity"), the pull."""
        return self.path.split(".")[-1] if self.path.startswith("archetypes.*.") else None

    def read(self, scenario: Scenario) -> float:
        """The parameter's value in `scenario`: the field's, or 1 for a factor on the scenario's weights."""
        return 1.0 if self.pull else scenario_values(scenario)[self.path]


PARAMETERS = (
    Parameter("temperature", "market.temperature", 0.01, 0.6, True, "scale of the idiosyncratic taste in each choice (M9)"),
    Parameter("switching_cost", "market.switching_cost", 0.0, 0.5, False, "utility cost of any move (M9)"),
    Parameter(
        "outside_offer_rate", "market.outside_market.offer_rate", 0.005, 0.3, True, "monthly probability of an outside job offer (M16)"
    ),
    Parameter(
        "start_lapse_rate", "market.start_dates.lapse_rate", 0.02, 0.95, True,
        "monthly probability that an offer held open for a later start date lapses (M9)",
    ),
    Parameter(
        "resting_search_rate", "market.rest_and_vest.search_rate", 0.0, 0.5, False,
        "extra monthly probability of an outside job offer for those staying only for their unvested equity (M14)",
    ),
    Parameter(
        "outside_compute_share", "market.outside_market.compute_share", 0.0, 1.0, False,
        "an outside job's verification speed as a share of the employers' mean (M4, M16)",
    ),
    Parameter(
        "equity_weight_scale", "archetypes.*.equity", 0.25, 64.0, True, "factor on every archetype's equity weight before normalising (M9)"
    ),
    Parameter(
        "compute_weight_scale", "archetypes.*.compute", 0.01, 2.0, True, "factor on every archetype's compute weight before normalising (M9)"
    ),
)


def apply(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """`scenario` with the parameters set to `values` (names of PARAMETERS; missing ones unchanged)."""
    data = scenario.model_dump(mode="python")
    for p in PARAMETERS:
        if p.name not in values:
            continue
        value = float(values[p.name])
        if p.pull:
            for archetype in data["archetypes"].values():
                archetype[p.pull] *= value
            continue
        *parents, leaf = p.path.split(".")
        node = data
        for part in parents:
            node = node[part]
        node[leaf] = value
    return type(scenario).model_validate(data)


def scenario_values(scenario: Scenario) -> dict[str, float]:
    """The scenario fields PARAMETERS set, by path ("market.temperature", "archetypes.scholar.equity")."""
    data = scenario.model_dump(mode="python")
    out = {}
    for p in PARAMETERS:
        if p.pull:
            out.update({f"archetypes.{name}.{p.pull}": float(a[p.pull]) for name, a in data["archetypes"].items()})
            continue
        node = data
        for part in p.path.split("."):
            node = node[part]
        out[p.path] = float(node)
    return out


@dataclass
class Moment:
    fact: str
    title: str
    band: tuple[float, float]
    target: float
    scale: float
    value: float | None  # the model's value at the fitted point
    z: float
    start_value: float | None = None
    start_z: float = 0.0


@dataclass
class Calibration:
    scenario: str
    replications: int
    seed: int
    trials: int
    seconds: float
    parameters: list[dict]  # name, path, meaning, low, high, start, fitted
    moments: list[Moment]
    objective: float
    start_objective: float
    values: dict[str, float] = field(default_factory=dict)  # every scenario field the fit sets, at its fitted value
    start_values: dict[str, float] = field(default_factory=dict)  # the same fields as the fit found them
    history: list[dict] = field(default_factory=list)  # per trial: number, values, objective

    def to_dict(self) -> dict:
        out = asdict(self)
        out["targets"], out["held_out"] = list(TARGETS), list(HELD_OUT)
        return out

    @property
    def fitted(self) -> dict[str, float]:
        return {p["name"]: p["fitted"] for p in self.parameters}


def residual(value: float | None, band: tuple[float, float]) -> tuple[float, float, float]:
    """(target, scale, z) of a moment: the band's middle, half its width, and the standardised residual."""
    target, scale = (band[0] + band[1]) / 2, (band[1] - band[0]) / 2
    if value is None or not math.isfinite(value):
        return target, scale, ZMAX
    return target, scale, max(-ZMAX, min(ZMAX, (value - target) / scale))


def calibrate(
    scenario: Scenario | str = "talent-war-2026",
    trials: int = 40,
    replications: int = 24,
    seed: int | None = None,
    quick: bool = False,
    progress: Callable[[int, int, float], None] | None = None,
) -> Calibration:
    """Fit PARAMETERS to the TARGETS facts on `scenario`; `progress(done, trials, best)` follows each trial.

    `quick` runs the targets on claims' small market with few replications: a smoke test.
    """
    import optuna

    from talentwar.claims.experiment import resolve
    from talentwar.validation import run_validation

    base, replications, seed = resolve(scenario, replications, seed, quick)
    if trials < 1:
        raise ValueError(f"trials must be >= 1, got {trials}")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    start = {p.name: p.read(base) for p in PARAMETERS}
    for p in PARAMETERS:
        if not p.low <= start[p.name] <= p.high:
            raise ValueError(f"{p.path}: the scenario's value {start[p.name]} lies outside the fitted range [{p.low}, {p.high}]")
    measured: dict[int, list] = {}

    def objective(trial) -> float:
        values = {p.name: trial.suggest_float(p.name, p.low, p.high, log=p.log) for p in PARAMETERS}
        try:
            results = run_validation(TARGETS, apply(base, values), replications=replications, seed=seed)
        except NonFiniteError:
            if trial.number == 0:  # the scenario's own values: a problem to report, not a point to avoid
                raise
            return len(TARGETS) * ZMAX**2  # parameters the model cannot compute with score as badly as unmeasurable moments
        measured[trial.number] = results
        return sum(residual(r.value.mean if r.value else None, r.band)[2] ** 2 for r in results)

    study = optuna.create_study(direction="minimize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=min(10, trials)))
    study.enqueue_trial(start)
    started = time.perf_counter()
    for done in range(1, trials + 1):
        study.optimize(objective, n_trials=1)
        if progress:
            progress(done, trials, study.best_value)
    best, first = study.best_trial, study.trials[0]
    if best.number not in measured:
        raise ValueError("no trial ran to finite outputs; check the scenario's values")

    moments = []
    for at_best, at_start in zip(measured[best.number], measured[first.number]):
        value = at_best.value.mean if at_best.value else None
        start_value = at_start.value.mean if at_start.value else None
        target, scale, z = residual(value, at_best.band)
        moments.append(Moment(at_best.id, at_best.title, at_best.band, target, scale, value, z, start_value, residual(start_value, at_best.band)[2]))
    parameters = [
        {"name": p.name, "path": p.path, "meaning": p.meaning, "low": p.low, "high": p.high, "start": start[p.name], "fitted": best.params[p.name]}
        for p in PARAMETERS
    ]
    history = [{"number": t.number, "values": t.params, "objective": t.value} for t in study.trials]
    fitted = apply(base, best.params)
    return Calibration(
        scenario=base.name,
        replications=replications,
        seed=seed,
        trials=trials,
        seconds=time.perf_counter() - started,
        parameters=parameters,
        moments=moments,
        objective=best.value,
        start_objective=first.value,
        values=scenario_values(fitted),
        start_values=scenario_values(base),
        history=history,
    )


# ---------------------------------------------------------------- calibration.md and calibration.json
def write(calibration: Calibration, out_dir, context: dict):
    """calibration.md and calibration.json, moved into `out_dir` only when both are written."""
    import json
    from pathlib import Path

    from talentwar.results.staging import staged

    with staged(out_dir, prefix=".talentwar-calibration-") as staging:
        (staging / "calibration.json").write_text(json.dumps({**context, **calibration.to_dict()}, indent=2) + "\n", encoding="utf-8")
        (staging / "calibration.md").write_text(markdown(calibration, context), encoding="utf-8")
    return Path(out_dir) / "calibration.md"


def number_text(x: float | None) -> str:
    return "n/a" if x is None or not math.isfinite(x) else f"{x:.3g}"


def markdown(c: Calibration, context: dict) -> str:
    inside = [m.fact for m in c.moments if abs(m.z) <= 1]
    lines = [
        "# Calibration: the behavioural parameters fitted to published facts",
        "",
        "<!-- generated by talentwar; do not edit by hand -->",
        f"Generated by `{context['command']}` (talentwar {context['version']}): scenario `{c.scenario}`, {c.trials} trials of "
        f"{c.replications} replications per experiment, seed {c.seed}, in {c.seconds:.0f} s on {context['machine']}. "
        "Run the same command to regenerate this page and `calibration.json` (every trial's values and objective).",
        "",
        "Method: simulated method of moments (src/talentwar/calibration.py). Optuna's TPE sampler, seeded, proposes values "
        "of the parameters below in their ranges; the first trial is the scenario's own values. Each trial runs the target "
        "facts' experiments (docs/validation.md) with the same seed and replications, so trials differ by their parameters "
        "only. A moment's residual is z = (model - target) / scale, with the target the middle of the fact's band and the "
        "scale half its width: |z| <= 1 is inside the band. The fit minimises the sum of z^2; a moment that cannot be "
        f"measured (a ratio over no events) counts as z = {ZMAX:g}.",
        "",
        "## Parameters",
        "",
        "| parameter | scenario field | meaning | range | before | fitted |",
        "|---|---|---|---|---|---|",
    ]
    for p in c.parameters:
        scale = " (log scale)" if next(q for q in PARAMETERS if q.name == p["name"]).log else ""
        lines.append(
            f"| {p['name']} | `{p['path']}` | {p['meaning']} | [{p['low']:g}, {p['high']:g}]{scale} | {p['start']:.3g} | **{p['fitted']:.3g}** |"
        )
    lines += [
        "",
        "## Moments and residuals",
        "",
        "| fact | band | target | before: model (z) | fitted: model (z) |",
        "|---|---|---|---|---|",
    ]
    for m in c.moments:
        lines.append(
            f"| ({m.fact}) {m.title} | [{m.band[0]:g}, {m.band[1]:g}] | {m.target:.3g} | {number_text(m.start_value)} ({m.start_z:+.2f}) "
            f"| {number_text(m.value)} ({m.z:+.2f}) |"
        )
    lines += [
        "",
        f"Objective (sum of z^2): {c.start_objective:.3g} with the scenario's values, **{c.objective:.3g}** fitted. "
        f"Moments inside their band at the fitted point: {len(inside)} of {len(c.moments)} ({', '.join(inside) or 'none'}).",
        "",
        f"Held out (not targeted; they test the fit): {', '.join(f'({f})' for f in HELD_OUT)}, reported in docs/validation.md.",
        "The fitted values are written into the built-in scenarios (`--write-into`) with the comment "
        "`calibrated: docs/calibration.md`; a test checks that they agree with calibration.json. The weight factors are "
        "relative to the weights the fit started from (the archetypes' weights in calibration.json's `start_values`), so "
        "rerunning the command on a calibrated file refits around the fit: to regenerate this page exactly, run it on a "
        "scenario with the values in the \"before\" column.",
        "",
        "## Best trials",
        "",
        "| trial | " + " | ".join(p["name"] for p in c.parameters) + " | objective |",
        "|---|" + "---|" * (len(c.parameters) + 1),
    ]
    ranked = sorted((t for t in c.history if t["objective"] is not None), key=lambda t: t["objective"])[:8]
    for t in ranked:
        lines.append(f"| {t['number']} | " + " | ".join(f"{t['values'][p['name']]:.3g}" for p in c.parameters) + f" | {t['objective']:.3g} |")
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the fit written into a scenario file
NOTE = "calibrated: docs/calibration.md"


def write_values(path, values: dict[str, float]) -> None:
    """Write fitted `values` (Calibration.values: "market.temperature", "archetypes.scholar.equity", ...) into the
    scenario file at `path`, keeping its layout and comments; each changed line says where the value comes from.

    The file must spell the fields as the built-ins do: each market field on a line of its own under its
    section (`temperature:` under `market:`, `offer_rate:` under `market:` then `outside_market:`, ...), found
    by its whole path, and each archetype on one line in flow style.
    Raises ValueError naming the first field it cannot find; the file is then left as it was.
    """
    import re
    from pathlib import Path

    path = Path(path)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    parents: list[tuple[int, str]] = []  # (indent, key) of the block keys above the current line

    def number(value: float) -> str:
        return f"{value:.4g}"

    done = set()
    for i, line in enumerate(lines):
        key = re.match(r"^(\s*)(\w+):", line)
        if not key:
            continue
        indent = len(key.group(1))
        while parents and parents[-1][0] >= indent:
            parents.pop()
        dotted = ".".join([k for _, k in parents] + [key.group(2)])
        parents.append((indent, key.group(2)))
        if dotted in values and dotted not in done:
            match = re.match(r"^(\s+\w+:\s*)([^#\s]+)(\s*)(#.*)?$", line.rstrip("\n"))
            if match:
                was = (match.group(4) or "").lstrip("# ").removeprefix("assumption: ").removeprefix(f"{NOTE}; ")
                lines[i] = f"{match.group(1)}{number(values[dotted])}{match.group(3) or '  '}# {NOTE}{'; ' + was if was else ''}\n"
                done.add(dotted)
        if len(parents) == 2 and parents[0][1] == "archetypes" and "{" in line:
            name, changed = key.group(2), False
            for pull in ("equity", "compute"):
                field = f"archetypes.{name}.{pull}"
                if field in values:
                    line, count = re.subn(rf"(\b{pull}:\s*)[0-9.eE+-]+", lambda m, v=values[field]: m.group(1) + number(v), line, count=1)
                    if count:
                        done.add(field)
                        changed = True
            if changed and NOTE not in line and "#" in line:
                line = line.replace("# ", f"# {NOTE} (equity and compute weights); ", 1).replace("(weights: assumption)", "(other weights: assumption)")
            lines[i] = line
    missing = [key for key in values if key not in done]
    if missing:
        raise ValueError(f"{path}: cannot find {missing[0]} written as the built-in scenarios write it; set it by hand to {values[missing[0]]:.4g}")
    path.write_text("".join(lines), encoding="utf-8")
