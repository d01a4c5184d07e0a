"""The simulation entry point: scenario in, Result out."""

from __future__ import annotations

import time
import warnings
from pathlib import Path
from typing import Callable

from talentwar.engine.metrics import metric_names
from talentwar.engine.params import build
from talentwar.engine.run import check_settings, lane_width, run_replications
from talentwar.results import Result
from talentwar.scenario import Scenario, load_scenario


def simulate(
    scenario: Scenario | str | Path,
    replications: int | None = None,
    months: int | None = None,
    seed: int | None = None,
    *,
    batch_size: int | None = None,
    max_moves_per_month: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Run `replications` Monte Carlo replications of `scenario` for `months` months.

    Defaults come from the scenario's `simulation` section. Replication r depends only on
    (seed, r): results are bit-identical whatever `batch_size` (which only sets how often
    `progress(done, total)` is called). `max_moves_per_month` caps the
    move log per replication and month (default: a quarter of the population); moves beyond
    it still happen and are counted in `Result.moves_unlogged`.
    """
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    sim = scenario.simulation
    replications = sim.replications if replications is None else int(replications)
    months = sim.months if months is None else int(months)
    seed = sim.seed if seed is None else int(seed)
    for name, value, low in (("replications", replications, 1), ("months", months, 1), ("seed", seed, 0)):
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value}")
    resolved = scenario.model_copy(
        update={"simulation": sim.model_copy(update={"replications": replications, "months": months, "seed": seed})}
    )
    params, layout = build(resolved, move_capacity=max_moves_per_month)
    if batch_size is not None and batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    check_settings()  # TALENTWAR_THREADS, TALENTWAR_BATCH_MEMORY: before compiling, not after
    n_metrics = len(metric_names(layout.stages, layout.firms))
    width = lane_width(layout.dims, months, n_metrics)
    started = time.perf_counter()
    snapshot, observations = run_replications(
        params, layout.dims, months, seed, replications, width, n_metrics, progress, batch_size
    )
    wall = time.perf_counter() - started
    result = Result.from_arrays(resolved, layout, params, seed, snapshot, observations, wall_seconds=wall, lane_width=width)
    if result.moves_unlogged:
        warnings.warn(
            f"{result.moves_unlogged} moves happened but were not logged (more than {layout.dims.move_capacity} "
            "in a month); raise max_moves_per_month to log them all",
            stacklevel=2,
        )
    return result
