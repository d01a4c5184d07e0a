"""Sampling an experiment's points with SALib: full factorial, Latin hypercube, Sobol (Saltelli) or Morris.

SALib samples a unit box scaled to each factor's range. A factor given as a list of values is
sampled as an index: a uniform draw u on [0, k) picks value floor(u), so every value is equally
likely and Sobol and Morris indices read it as one factor. A `log` range is sampled in the logarithm
of its values (the draws, and so the indices, are of log values). Whole-number fields are rounded.
With `levers: crossed` (factorial and latin designs) the uncertainties are sampled by the design
and every combination of lever values is run in every sampled world. With a posterior
(`--posterior ID`), the calibration's uncertainties take one particle's values per world, drawn
by weight (their correlations kept), and the design samples the experiment's other factors.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import pandas as pd

from talentwar.exploration.experiment import MAX_POINTS, ExperimentError, Plan, ResolvedFactor


def problem(factors: list[ResolvedFactor]) -> dict:
    """SALib's problem: each factor's name and bounds (a list of k values: [0, k])."""
    return {
        "num_vars": len(factors),
        "names": [f.label for f in factors],
        "bounds": [[0.0, float(f.choices)] if f.values is not None else list(_bounds(f)) for f in factors],
    }


def _bounds(f: ResolvedFactor) -> tuple[float, float]:
    """A range factor's bounds where it is sampled: its range, or the range of its logarithm."""
    return (float(np.log(f.low)), float(np.log(f.high))) if f.log else (f.low, f.high)


def sample(plan: Plan) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The design's points: (values, sampled), one row per point (numbered 0, 1, ... in SALib's
    order), one column per factor. `values` are what the scenario gets; `sampled` are SALib's
    draws in the factors' bounds (a list factor's index draw, a whole-number field before
    rounding), which Morris and Sobol analyses read.

    The same experiment file and seed always give the same points: SALib's samplers are seeded
    with the design's seed."""
    design = plan.experiment.design
    samples = plan.experiment.quick.samples if plan.quick else design.samples
    levels = plan.experiment.quick.levels if plan.quick else design.levels
    drawn_from_posterior = [f for f in plan.factors if f.role == "posterior"]
    factors = [f for f in plan.factors if f.role != "posterior"]
    if drawn_from_posterior and not factors:
        raise ExperimentError([f"{plan.source}: with --posterior the design still needs one uncertainty or lever of its own to sample"])
    if design.levers == "crossed":
        worlds = [f for f in factors if f.role == "uncertainty"]
        levers = [f for f in factors if f.role == "lever"]
        if not worlds and not drawn_from_posterior:
            raise ExperimentError([f"{plan.source}: design.levers: crossed needs uncertainties to sample worlds from (or --posterior)"])
        unit = _unit(design.method, worlds, samples, levels, design, plan.seed, plan.source) if worlds else np.zeros((samples, 0))
        lever_grid = np.array(list(itertools.product(*[_grid(f, levels) for f in levers])), dtype=np.float64)
        drawn = np.array([np.concatenate([u, choice]) for u in unit for choice in lever_grid])
        order = [(worlds + levers).index(f) for f in factors]
        drawn = drawn[:, order]
    else:
        drawn = _unit(design.method, factors, samples, levels, design, plan.seed, plan.source)
    if len(drawn) > MAX_POINTS:
        raise ExperimentError([f"{plan.source}: design: {len(drawn):,} points, more than {MAX_POINTS:,}; lower design.samples or design.levels"])
    names = [f.label for f in factors]
    values = pd.DataFrame([_scale(u, factors) for u in drawn], columns=names)
    sampled = pd.DataFrame(drawn, columns=names)
    if drawn_from_posterior:
        # One particle per world (per point; with crossed levers, the same particle for every lever
        # combination of a world), drawn by weight with the design's seed.
        particles = plan.posterior["particles"]
        worlds = len(drawn) // (len(lever_grid) if design.levers == "crossed" else 1)
        chosen = np.random.default_rng(plan.seed).choice(len(particles), size=worlds, p=particles["weight"].to_numpy() / particles["weight"].sum())
        chosen = np.repeat(chosen, len(drawn) // worlds)
        for f in drawn_from_posterior:
            values[f.label] = sampled[f.label] = particles[f.label].to_numpy()[chosen]
        order = [f.label for f in plan.factors]
        values, sampled = values[order], sampled[order]
    values.index.name = sampled.index.name = "point"
    return values, sampled


def _unit(method: str, factors: list[ResolvedFactor], samples: int, levels: int, design, seed: int, source: str) -> np.ndarray:
    """Samples in the factors' SALib bounds (values for factorial)."""
    spec = problem(factors)
    if method == "factorial":
        return np.array(list(itertools.product(*[_grid(f, levels) for f in factors])), dtype=np.float64)
    if method == "latin":
        from SALib.sample import latin

        return latin.sample(spec, samples, seed=seed)
    if method == "sobol":
        if samples & (samples - 1):
            raise ExperimentError([f"{source}: design.samples: {samples} for a Sobol design; Saltelli's scheme needs a power of 2 (e.g. {1 << samples.bit_length() - 1} or {1 << samples.bit_length()})"])
        from SALib.sample import sobol

        return sobol.sample(spec, samples, calc_second_order=design.second_order, seed=seed)
    if method == "morris":
        if len(factors) < 2:
            raise ExperimentError([f"{source}: design.method: morris needs at least two factors"])
        from SALib.sample import morris

        return morris.sample(spec, samples, num_levels=design.morris_levels, seed=seed)
    raise ExperimentError([f"{source}: design.method: unknown method {method!r}"])


def _grid(f: ResolvedFactor, levels: int) -> list:
    """A factor's draws on a grid: each listed value's index draw (i + 0.5), or `levels` evenly
    spaced over its range (distinct whole numbers for a whole-number field)."""
    if f.values is not None:
        return [i + 0.5 for i in range(f.choices)]
    grid = np.linspace(*_bounds(f), levels)
    return list(np.unique(np.round(grid)) if f.integer and not f.log else grid)


def _scale(row: np.ndarray, factors: list[ResolvedFactor]) -> list:
    """A sampled row (in SALib's bounds) -> each factor's value."""
    out = []
    for u, f in zip(row, factors, strict=True):
        if f.values is not None:
            out.append(f.values[min(int(np.floor(u)), f.choices - 1)])
        elif f.log:
            out.append(int(round(float(np.exp(u)))) if f.integer else float(np.exp(u)))
        elif f.integer:
            out.append(int(round(float(u))))
        else:
            out.append(float(u))
    return out


def sample_worlds(plan: Plan, count: int | None, purpose: str) -> tuple[Plan, pd.DataFrame, list]:
    """The worlds of an experiment file: its uncertainties sampled by its design (or, with `count`,
    that many by Latin hypercube), its levers left at the scenario's values, since a world is what
    nobody controls. Returns the plan of the worlds, their values (one row per world) and each
    world's scenario; ExperimentError if the file has no uncertainties (`purpose` says who needs them)."""
    worlds_plan = replace(plan, factors=[f for f in plan.factors if f.role != "lever"])
    if not worlds_plan.factors:
        raise ExperimentError([f"{plan.source}: uncertainties: {purpose} need uncertainties to sample worlds from"])
    if count is not None:
        design = plan.experiment.design.model_copy(update={"method": "latin", "samples": count, "levers": "joint"})
        quick = plan.experiment.quick.model_copy(update={"samples": count})
        worlds_plan = replace(worlds_plan, experiment=plan.experiment.model_copy(update={"design": design, "quick": quick}))
    points, _ = sample(worlds_plan)
    return worlds_plan, points, [worlds_plan.scenario_at(dict(points.loc[w]), f"{plan.source}: world {w}") for w in range(len(points))]
