"""The simulation entry point: scenario in, Result out."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from talentwar.engine.metrics import metric_names
from talentwar.engine.params import Layout, Params, build
from talentwar.engine.run import available_memory, check_settings, estimated_bytes, lane_width, run_replications
from talentwar.results import Result
from talentwar.scenario import Scenario, load_scenario
from talentwar.scenario.schema import simulation_bounds


class MemoryEstimateError(ValueError):
    """A run that would need more memory than the machine has free, refused before it starts."""


class NonFiniteError(ValueError):
    """A run whose outputs hold NaN or infinity: the message names where it first appeared."""


def check_finite(observations, layout) -> None:
    """Raise NonFiniteError naming the firm (or investor), metric, month and replication where a
    non-finite value first appears in a run's outputs (earliest month, then replication)."""
    names = metric_names(layout.stages, layout.firms)
    found = []
    firm_metrics = np.asarray(observations.firm_metrics)  # [R, T, F, M]
    bad = np.argwhere(~np.isfinite(firm_metrics))
    if len(bad):
        r, t, f, m = min(bad.tolist(), key=lambda index: (index[1], index[0]))
        found.append((t, r, f"{names[m]} of {layout.firms[f]}", firm_metrics[r, t, f, m], len(bad)))
    portfolio = np.asarray(observations.portfolio_value)  # [R, T, V]
    bad = np.argwhere(~np.isfinite(portfolio))
    if len(bad):
        r, t, v = min(bad.tolist(), key=lambda index: (index[1], index[0]))
        found.append((t, r, f"the portfolio value of investor {layout.investors[v]}", portfolio[r, t, v], len(bad)))
    if found:
        t, r, where, value, count = min(found, key=lambda item: item[:2])
        raise NonFiniteError(
            f"the run produced {value} in {where} at month {t} (replication {r}) first, and {sum(item[4] for item in found)} "
            "non-finite values in all; nothing was stored. A scenario value is beyond what the model computes with: "
            "look for extreme sigmas, concentrations or amounts of money"
        )


class Plan(NamedTuple):
    scenario: Scenario  # with the replications, months and seed that will run
    params: Params
    layout: Layout
    width: int  # replications per compiled call
    n_metrics: int


def prepare(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    months: int | None = None,
    seed: int | None = None,
    max_moves_per_month: int | None = None,
) -> Plan:
    """Everything simulate() checks before it starts: the limits on replications, months and seed,
    the engine's settings, and whether the run fits in the memory free (MemoryEstimateError)."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    sim = scenario.simulation
    replications = sim.replications if replications is None else int(replications)
    months = sim.months if months is None else int(months)
    seed = sim.seed if seed is None else int(seed)
    for name, value in (("replications", replications), ("months", months), ("seed", seed)):
        low, high = simulation_bounds(name)
        if not low <= value <= high:
            raise ValueError(f"{name} must be between {low} and {high:,} (the scenario's simulation.{name} allows the same), got {value}")
    resolved = scenario.model_copy(
        update={"simulation": sim.model_copy(update={"replications": replications, "months": months, "seed": seed})}
    )
    params, layout = build(resolved, move_capacity=max_moves_per_month)
    check_settings()  # TALENTWAR_THREADS, TALENTWAR_BATCH_MEMORY: before compiling, not after
    n_metrics = len(metric_names(layout.stages, layout.firms))
    width = lane_width(layout.dims, months, n_metrics)
    need, free = estimated_bytes(layout.dims, months, replications, n_metrics, width), available_memory()
    if free is not None and need > free:
        fits = max(0, replications * free // need)
        raise MemoryEstimateError(
            f"{replications:,} replications x {months:,} months of this scenario would need about {need / 1e9:.1f} GB, more than the "
            f"{free / 1e9:.1f} GB free; about {fits:,} replications fit (or run fewer months)"
        )
    return Plan(resolved, params, layout, width, n_metrics)


def simulate(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    months: int | None = None,
    seed: int | None = None,
    *,
    batch_size: int | None = None,
    max_moves_per_month: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    posterior: dict | None = None,
) -> Result:
    """Run `replications` Monte Carlo replications of `scenario` for `months` months.

    Defaults come from the scenario's `simulation` section. Replication r depends only on
    (seed, r): results are bit-identical whatever `batch_size` (which only sets how often
    `progress(done, total)` is called). `max_moves_per_month` caps the
    move log per replication and month (default: a quarter of the population); moves beyond
    it still happen and are counted in `Result.moves_unlogged`. `posterior` (a stored calibration,
    `RunStore.posterior(id)`) draws each replication's world from its particles: replication r's
    draw depends only on (seed, r), and `Result.info["posterior"]` lists the draws.
    """
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    plan = prepare(scenario, replications, months, seed, max_moves_per_month)
    resolved, params, layout, width, n_metrics = plan.scenario, plan.params, plan.layout, plan.width, plan.n_metrics
    replications, months, seed = resolved.simulation.replications, resolved.simulation.months, resolved.simulation.seed
    info = {}
    if posterior is not None:
        from talentwar.exploration.experiment import posterior_params

        params, draws = posterior_params(resolved, posterior, replications, seed, layout.dims.move_capacity)
        info["posterior"] = {"id": posterior["info"]["id"], "draws": draws.to_dict("records")}
    started = time.perf_counter()
    snapshot, observations = run_replications(
        params, layout.dims, months, seed, replications, width, n_metrics, progress, batch_size, per_replication=posterior is not None
    )
    wall = time.perf_counter() - started
    check_finite(observations, layout)
    result = Result.from_arrays(resolved, layout, params, seed, snapshot, observations, wall_seconds=wall, lane_width=width, **info)
    if result.moves_unlogged:
        warnings.warn(
            f"{result.moves_unlogged} moves happened but were not logged (more than {layout.dims.move_capacity} "
            "in a month); raise max_moves_per_month to log them all",
            stacklevel=2,
        )
    return result
