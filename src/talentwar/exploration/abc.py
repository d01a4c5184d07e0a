"""Calibrating an experiment's uncertainties to observed moments: ABC-SMC with pyabc.

`talentwar calibrate FILE` reads an experiment file's `uncertainties` (each range a uniform
prior), its `targets` (a metric of a firm as an outcome reads it, with the observed value and its
standard error) and its `abc` section. pyabc's ABC-SMC (Toni et al. 2009; Klinger, Rickert and
Hasenauer 2018) proposes particles, each simulated for `abc.replications` replications with common
random numbers (as a lane group of the points program, explore/runner.py); a particle's moments
are the means over its replications, and its distance to the observations is
sqrt(sum(((model - observed) / se)^2)) over the fitted targets. Each generation accepts the
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

    from talentwar.exploration.runner import run_block

    settings = plan.experiment.abc_quick if plan.quick else plan.experiment.abc
    population, generations = settings.population, settings.generations
    min_epsilon = plan.experiment.abc.min_epsilon
    names = [t.outcome.name for t in plan.targets]
    fitted = [(t.outcome.name, t.se) for t in plan.targets if not t.held_out]
    observed = {t.outcome.name: t.observed for t in plan.targets}
    state = {"simulations": 0}

    def model(parameters) -> dict:
        values = pd.DataFrame([{f.label: float(parameters[f.label]) for f in plan.factors}])
        outcomes = run_block(plan, np.array([0]), values)[0]  # [replications, targets]
        state["simulations"] += 1
        if progress:
            progress(state["simulations"], generations)
        return dict(zip(names, outcomes.mean(axis=0).tolist(), strict=True))

    def distance(x: dict, y: dict) -> float:
        total = sum(((x[name] - y[name]) / se) ** 2 for name, se in fitted)
        return math.sqrt(total) if math.isfinite(total) else math.inf

    prior = pyabc.Distribution(**{f.label: pyabc.RV("uniform", f.low, f.high - f.low) for f in plan.factors})
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
    particles = frame[[f.label for f in plan.factors]].reset_index(drop=True)
    particles["weight"] = np.asarray(weights) / np.sum(weights)
    checks = _checks(plan, np.asarray(stat_weights, float), stats)
    return Posterior(particles, checks, epsilons, state["simulations"], time.perf_counter() - started)


def _checks(plan: Plan, weights: np.ndarray, stats: list[dict]) -> pd.DataFrame:
    """The posterior predictive check: per target, the weighted mean and 95% range of the last
    generation's simulated moments against the observed value, z = (mean - observed) / se."""
    weights = weights / weights.sum()
    rows = []
    for t in plan.targets:
        x = np.array([s[t.outcome.name] for s in stats], float)
        mean = float(np.sum(weights * x))
        low, high = weighted_quantiles(x, weights, (0.025, 0.975))
        rows.append({
            "target": t.outcome.name, "held_out": t.held_out, "observed": t.observed, "se": t.se,
            "mean": mean, "low": low, "high": high, "z": (mean - t.observed) / t.se, "source": t.source,
        })
    return pd.DataFrame(rows)


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs) -> tuple[float, ...]:
    order = np.argsort(x)
    x, w = x[order], w[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / np.sum(w)
    return tuple(float(np.interp(q, cumulative, x)) for q in qs)
