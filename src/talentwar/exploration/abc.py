"""Calibrating an experiment's uncertainties to observed moments: ABC-SMC with pyabc.

`talentwar calibrate FILE` reads an experiment file's `uncertainties` (each range a uniform
prior, or with `log` uniform in the logarithm), its `targets` and its `abc` section. A target is a
metric of a firm as an outcome reads it, with the observed value and its standard error, or a
validation fact (docs/validation.md): its experiment's statistic, by default against the middle of
the fact's band with half its width as the standard error. pyabc's ABC-SMC (Toni et al. 2009;
Klinger, Rickert and Hasenauer 2018) proposes particles, each simulated for `abc.replications`
replications with common random numbers: metric targets as a lane group of the points program
(explore/runner.py), their moments the means over the replications; fact targets by running the
fact's variants on the particle's scenario (talentwar.validation, always over the fact's own
horizon), their moments the fact's statistic. A particle's distance to the observations is
sqrt(sum(z^2)) over the fitted targets, z = (model - observed) / se (10 where the model gives no
finite moment, as the moment-matching fit scores it). Each generation accepts the
particles within a shrinking epsilon (the median of the last generation's distances), until
`abc.generations` or `abc.min_epsilon`. The last generation, with its weights, is the posterior.

Held-out targets are simulated with every particle but never enter the distance: the predictive
check reports them apart from the fitted ones. pyabc draws from numpy's global generator, which is
seeded with the experiment's seed, and particles are simulated one at a time in this process, so
the same file and seed give the same posterior.
"""

from __future__ import annotations

import logging
import math
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from talentwar.exploration.experiment import Plan


@dataclass
class Posterior:
    """A calibration's result: the last generation's particles and weights, and the predictive check."""

    particles: pd.DataFrame  # one row per particle: each uncertainty's value and `weight` (summing to 1)
    checks: pd.DataFrame  # per target: held_out, observed, se, mean, low, high (95%), z
    epsilons: list[float]  # each generation's acceptance distance
    simulations: int  # particles simulated in all
    seconds: float

    def to_dict(self, plan: Plan, run_id: str) -> dict:
        """The fit as `talentwar calibrate FILE --json` prints it and `--out` writes it (non-finite numbers as None)."""

        def finite(v):
            return (float(v) if math.isfinite(v) else None) if isinstance(v, (float, np.floating)) else v

        return {
            "run_id": run_id,
            "experiment": plan.experiment.name,
            "particles": len(self.particles),
            "generations": len(self.epsilons),
            "epsilons": self.epsilons,
            "simulations": self.simulations,
            "seconds": round(self.seconds, 1),
            "posterior": [{"uncertainty": name, **{k: finite(v) for k, v in row.items()}} for name, row in self.summary(plan.factors).iterrows()],
            "fitted": [{k: finite(v) for k, v in row.items()} for row in self.checks[~self.checks["held_out"]].to_dict("records")],
            "held_out": [{k: finite(v) for k, v in row.items()} for row in self.checks[self.checks["held_out"]].to_dict("records")],
        }

    def summary(self, factors) -> pd.DataFrame:
        """Per uncertainty: prior range, posterior mean and 95% interval (weighted)."""
        w = self.particles["weight"].to_numpy()
        rows = {}
        for f in factors:
            x = self.particles[f.label].to_numpy()
            low, high = weighted_quantiles(x, w, (0.025, 0.975))
            rows[f.label] = {"prior_low": f.low, "prior_high": f.high, "mean": float(np.sum(w * x)), "low": low, "high": high}
        return pd.DataFrame.from_dict(rows, orient="index").rename_axis("uncertainty")


def calibrate_experiment(plan: Plan, progress: Callable[[int, int], None] | None = None) -> Posterior:
    """Run ABC-SMC on `plan` (loaded with purpose "calibrate"). `progress(simulations, generations)`
    follows the work (generations: the most that will run)."""
    import pyabc

    settings = plan.experiment.abc_quick if plan.quick else plan.experiment.abc
    population, generations = settings.population, settings.generations
    min_epsilon = plan.experiment.abc.min_epsilon
    fitted = [(t.name, t.se) for t in plan.targets if not t.held_out]
    observed = {t.name: t.observed for t in plan.targets}
    state = {"simulations": 0}

    def model(parameters) -> dict:
        values = {f.label: natural(f, parameters[f.label]) for f in plan.factors}
        moments = simulate_moments(plan, values)
        state["simulations"] += 1
        if progress:
            progress(state["simulations"], generations)
        return moments

    def distance(x: dict, y: dict) -> float:
        return math.sqrt(sum(residual(x[name], y[name], se) ** 2 for name, se in fitted))

    # A log factor's particles carry the logarithm of its value (a uniform prior on it, and
    # perturbations in proportion to the value); they are turned back into values below.
    bounds = {f.label: (math.log(f.low), math.log(f.high)) if f.log else (f.low, f.high) for f in plan.factors}
    prior = pyabc.Distribution(**{label: pyabc.RV("uniform", low, high - low) for label, (low, high) in bounds.items()})
    for name in ("ABC", "Sampler", "Epsilon", "History", "Distance", "Acceptor", "Population"):
        logging.getLogger(f"pyabc.{name}" if name != "ABC" else "ABC").setLevel(logging.WARNING)
    logging.getLogger("pyabc").setLevel(logging.WARNING)
    started = time.perf_counter()
    np.random.seed(plan.seed)  # pyabc samples from numpy's global generator
    with tempfile.TemporaryDirectory() as folder:
        abc = pyabc.ABCSMC(model, prior, distance, population_size=population, sampler=pyabc.sampler.SingleCoreSampler())
        history = abc.new(f"sqlite:///{Path(folder) / 'abc.db'}", observed)

        history = abc.run(max_nr_populations=generations, minimum_epsilon=min_epsilon)
        populations = history.get_all_populations()
        epsilons = [float(e) for e in populations.loc[populations["t"] >= 0, "epsilon"]]
        frame, weights = history.get_distribution()
        stat_weights, stats = history.get_weighted_sum_stats()
    particles = pd.DataFrame({f.label: [natural(f, x) for x in frame[f.label]] for f in plan.factors})
    particles["weight"] = np.asarray(weights) / np.sum(weights)
    checks = _checks(plan, np.asarray(stat_weights, float), stats)
    return Posterior(particles, checks, epsilons, state["simulations"], time.perf_counter() - started)


def residual(model: float, observed: float, se: float) -> float:
    """(model - observed) / se; ZMAX where the model gives no finite moment (a ratio over no events),
    as the moment-matching fit scores it (talentwar.calibration). With an infinite distance instead,
    a prior under which most particles give no finite moment has an infinite median distance, and
    the first generations accept everything."""
    from talentwar.calibration import ZMAX

    return (model - observed) / se if math.isfinite(model) else ZMAX


def natural(factor, x: float) -> float:
    """A particle's coordinate as the factor's value: the exponential of a log factor's."""
    return math.exp(float(x)) if factor.log else float(x)


def simulate_moments(plan: Plan, values: dict[str, float]) -> dict[str, float]:
    """Every target's moment at the point `values`: metric targets as the mean of their outcome over
    the plan's replications, fact targets as the fact's statistic; NaN where the model cannot
    compute (a distance of infinity: the particle is rejected)."""
    from talentwar.exploration.runner import run_block
    from talentwar.simulation import NonFiniteError
    from talentwar.validation import run_validation

    moments: dict[str, float] = {}
    if plan.outcomes:
        outcomes = run_block(plan, np.array([0]), pd.DataFrame([values]))[0]  # [replications, outcomes]
        moments.update(zip([o.name for o in plan.outcomes], outcomes.mean(axis=0).tolist(), strict=True))
    facts = [t.fact for t in plan.targets if t.fact]
    if facts:
        scenario = plan.scenario_at(values, f"{plan.source}: particle {values}")
        try:
            results = run_validation(facts, scenario, replications=plan.replications, seed=plan.seed)
            moments.update({f"fact:{r.id}": r.value.mean if r.value else math.nan for r in results})
        except NonFiniteError:
            moments.update({f"fact:{fact}": math.nan for fact in facts})
    return moments


def _checks(plan: Plan, weights: np.ndarray, stats: list[dict]) -> pd.DataFrame:
    """The posterior predictive check: per target, the weighted mean and 95% range of the last
    generation's simulated moments against the observed value, z = (mean - observed) / se."""
    weights = weights / weights.sum()
    rows = []
    for t in plan.targets:
        x = np.array([s[t.name] for s in stats], float)
        mean = float(np.sum(weights * x))
        low, high = weighted_quantiles(x, weights, (0.025, 0.975))
        rows.append({
            "target": t.name, "held_out": t.held_out, "observed": t.observed, "se": t.se,
            "mean": mean, "low": low, "high": high, "z": (mean - t.observed) / t.se, "source": t.source,
        })
    return pd.DataFrame(rows)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs) -> tuple[float, ...]:
    order = np.argsort(x)
    x, w = x[order], w[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return tuple(float(np.interp(q, cumulative, x)) for q in qs)


# ---------------------------------------------------------------- the calibration page (`calibrate FILE --out DIR`)
def write(fit: dict, plan: Plan, out_dir, context: dict) -> Path:
    """DIR/<experiment name>.md and .json (the fit as `--json` prints it, with how it was made),
    moved into `out_dir` only when both are written."""
    import json

    from talentwar.results.staging import staged

    name = plan.experiment.name
    with staged(out_dir, prefix=".talentwar-calibration-") as staging:
        (staging / f"{name}.json").write_text(json.dumps({**context, **fit}, indent=2) + "\n", encoding="utf-8")
        (staging / f"{name}.md").write_text(markdown(fit, plan, context), encoding="utf-8")
    return Path(out_dir) / f"{name}.md"


def markdown(fit: dict, plan: Plan, context: dict) -> str:
    def number(x) -> str:
        return "n/a" if x is None or not math.isfinite(x) else f"{x:.3g}"

    settings = plan.experiment.abc_quick if plan.quick else plan.experiment.abc
    fitted, held_out = fit["fitted"], fit["held_out"]
    inside = [c["target"] for c in fitted if c["z"] is not None and abs(c["z"]) <= 1]
    lines = [
        f"# Calibration by ABC-SMC: {plan.experiment.name}",
        "",
        "<!-- generated by talentwar; do not edit by hand -->",
        f"Generated by `{context['command']}` (talentwar {context['version']}) from `{plan.source}` on scenario `{plan.base.name}`: "
        f"{fit['simulations']:,} particles simulated in {fit['seconds']:.0f} s on {context['machine']}, "
        f"{settings.replications} replications each, seed {plan.seed}; stored as calibration run {fit['run_id']}. "
        "Run the same command to regenerate this page and its JSON (the same file and seed give the same posterior).",
        "",
        *([plan.experiment.description.strip(), ""] if plan.experiment.description.strip() else []),
        "Method (src/talentwar/exploration/abc.py): pyabc's ABC-SMC. Particles are drawn from the priors below and simulated; a "
        "particle's distance is sqrt(sum(z^2)) over the fitted targets, z = (model - observed) / se (10 where the model gives no "
        "finite moment), and each generation keeps those "
        "within the median distance of the last (epsilon). The last generation, weighted, is the posterior. Held-out targets are "
        "simulated for every particle but never enter the distance: they test the fit. A fact target (`fact: b`) is the "
        "statistic of that validation fact's experiment (docs/validation.md), run at the particle's values; its observed value "
        "is the middle of the fact's band and its standard error half the band's width, so |z| <= 1 is inside the band.",
        "",
        f"Generations: {fit['generations']} of at most {settings.generations}; epsilon "
        + " -> ".join(number(e) for e in fit["epsilons"])
        + f" (stops early below {plan.experiment.abc.min_epsilon:g}).",
        "",
        "## Uncertainties: prior and posterior",
        "",
        "| uncertainty | scenario field | prior (uniform) | scenario's value | posterior mean [95% interval] |",
        "|---|---|---|---|---|",
    ]
    posterior = {row["uncertainty"]: row for row in fit["posterior"]}
    for f in plan.factors:
        row = posterior[f.label]
        prior = f"[{f.low:g}, {f.high:g}]" + (" in logs" if f.log else "") + (", a factor on the scenario's values" if f.scale else "")
        lines.append(
            f"| {f.label} | `{f.field}` | {prior} | {number(float(f.default(plan.raw)))} | {number(row['mean'])} [{number(row['low'])}, {number(row['high'])}] |"
        )
    lines += [
        "",
        "## Predictive check",
        "",
        "The last generation's simulated moments (weighted) against each target: z = (mean - observed) / se.",
        "",
        "| target | kind | observed (se) | model mean [95% range] | z | source |",
        "|---|---|---|---|---|---|",
    ]
    for kind, rows in (("fitted", fitted), ("held out", held_out)):
        for c in rows:
            z = "n/a" if c["z"] is None else f"{c['z']:+.2f}"
            lines.append(
                f"| {c['target']} | {kind} | {number(c['observed'])} ({number(c['se'])}) | {number(c['mean'])} [{number(c['low'])}, {number(c['high'])}] | {z} | {c['source']} |"
            )
    lines += [
        "",
        f"Fitted targets within one standard error: {len(inside)} of {len(fitted)} ({', '.join(inside) or 'none'}). "
        + (
            "Held out: " + ", ".join(f"{c['target']} (z {'n/a' if c['z'] is None else format(c['z'], '+.2f')})" for c in held_out) + "."
            if held_out
            else "No target is held out."
        ),
    ]
    return "\n".join(lines) + "\n"
