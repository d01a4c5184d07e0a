"""Running an exploration: the design's points in blocks, each block's points as lanes of one
compiled program, each finished block stored at once.

A block is a list of point numbers. Its points' parameters are stacked, run for every replication
(engine/run.py `run_points`: pair (point, replication) always in lane (point + replication) mod
the lane width, replication r with the same random numbers at every point), reduced to the
experiment's outcomes and written to the run store in one transaction. So a run that dies keeps
every finished block, `--resume` runs only the points without outcomes, and the numbers of a
point never depend on the block size, the number of workers or the machine that ran it.

Workers: with `workers` > 1, blocks run in that many local processes (each compiles the program
once, or loads it from the disk cache); the parent writes the rows. `ray=ADDRESS` sends the same
blocks to a Ray cluster as tasks (the optional extra `talentwar[ray]`).
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterator

import jax
import numpy as np
import pandas as pd

from talentwar.exploration.design import sample
from talentwar.exploration.experiment import ExperimentError, Plan, reduce_outcomes

Progress = Callable[[int, int, str], None]  # (replications done, replications in all, what is happening)
BLOCK_LANE_GROUPS = 8  # lane groups in a block: enough to keep the cores busy, few enough to store often


def point_values(values: pd.DataFrame, point: int) -> dict:
    return dict(values.loc[point])


def run_block(plan: Plan, points: np.ndarray, values: pd.DataFrame, progress: Callable[[int, int], None] | None = None) -> np.ndarray:
    """The outcomes of `points` (numbers in the design) for every replication: [points, replications, outcomes]."""
    from talentwar.engine.run import run_points

    stacked = [plan.params_at(point_values(values, int(p)), f"{plan.source}: point {int(p)}") for p in points]
    params = jax.tree_util.tree_map(lambda *leaves: np.stack(leaves), *stacked)
    dims, width = plan.lanes()
    return run_points(
        params, np.asarray(points), dims, plan.months, plan.seed, plan.replications, width,
        lambda firm_metrics: reduce_outcomes(firm_metrics, plan.outcomes), progress,
    )


def block_size(plan: Plan) -> int:
    """Points in a block: BLOCK_LANE_GROUPS lane groups' worth of (point, replication) pairs."""
    from talentwar.engine.run import concurrent_groups

    _, width = plan.lanes()
    return max(1, -(-BLOCK_LANE_GROUPS * width * concurrent_groups() // plan.replications))


def blocks(todo: list[int], size: int) -> Iterator[np.ndarray]:
    for start in range(0, len(todo), size):
        yield np.asarray(todo[start : start + size], np.int64)


def explore(
    plan: Plan,
    store,
    resume: str | None = None,
    workers: int = 1,
    ray: str | None = None,
    progress: Progress | None = None,
    started: Callable[[str], None] | None = None,
) -> str:
    """Run `plan`'s design into `store` (a RunStore) and return the exploration's run id.

    With `resume` (a stored exploration's id) only the points without stored outcomes run; the
    experiment file must describe the same experiment as when it started. `started(run_id)` is
    called once the exploration is recorded, before its first block runs.
    """
    values, sampled = sample(plan)
    cluster = connect_ray(ray) if ray is not None else None  # before anything is recorded
    if resume is None:
        check_points(plan, values, progress)
        run_id = store.start_exploration(plan, values, sampled)
        done: set[int] = set()
    else:
        run_id, done = _resumable(plan, store, resume, values)
    if started:
        started(run_id)
    todo = [p for p in range(len(values)) if p not in done]
    total = len(values) * plan.replications
    finished = len(done) * plan.replications
    clock = time.perf_counter()
    if progress:
        progress(finished, total, "running")
    size = block_size(plan)
    names = [o.name for o in plan.outcomes]
    if ray is not None:
        results = _on_ray(cluster, plan, values, list(blocks(todo, size)))
    elif workers > 1:
        results = _in_processes(plan, values, list(blocks(todo, size)), workers)
    else:
        results = ((block, run_block(plan, block, values)) for block in blocks(todo, size))
    for block, outcomes in results:
        store.add_outcomes(run_id, block, outcomes, names)
        finished += len(block) * plan.replications
        if progress:
            progress(finished, total, "running")
    store.finish_exploration(run_id, time.perf_counter() - clock)
    return run_id


def check_points(plan: Plan, values: pd.DataFrame, progress: Progress | None = None) -> None:
    """Every point's scenario is valid, or ExperimentError naming the first 20 points and what is
    wrong, before anything is run or stored. (Shapes and switches were checked factor by factor
    when the file was read; a point's parameters are built, and checked again, in its block.)"""
    problems: list[str] = []
    for p in range(len(values)):
        try:
            plan.scenario_at(point_values(values, p), f"{plan.source}: point {p} ({_describe(values.loc[p])})")
        except ExperimentError as exc:
            problems.extend(exc.problems)
            if len(problems) >= 20:
                break
        if progress and p % 256 == 0:
            progress(0, len(values) * plan.replications, f"checking point {p:,} of {len(values):,}")
    if problems:
        raise ExperimentError(problems)


def _describe(row: pd.Series) -> str:
    return ", ".join(f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}" for name, value in row.items())


def _resumable(plan: Plan, store, resume: str, values: pd.DataFrame) -> tuple[str, set[int]]:
    from talentwar.results.store import scenario_hash

    record = store.exploration(resume)
    info = record["info"]
    run_id = info["id"]
    if record["finished"]:
        raise ExperimentError([f"--resume {resume}: exploration {run_id} has finished; nothing is left to run (`talentwar explore analyze {run_id}`)"])
    same = (
        record["quick"] == plan.quick
        and record["posterior"] == (plan.posterior["info"]["id"] if plan.posterior else None)
        and info["scenario_hash"] == scenario_hash(plan.base)
        and [f["name"] for f in record["factors"]] == [f.label for f in plan.factors]
        and [o["name"] for o in record["outcomes"]] == [o.name for o in plan.outcomes]
        and (info["seed"], info["replications"], info["months"]) == (plan.seed, plan.replications, plan.months)
        and record["values"].shape == values.shape
        and np.array_equal(record["values"].to_numpy(float), values.to_numpy(float))
    )
    if not same:
        raise ExperimentError([
            f"--resume {resume}: {plan.source} no longer describes exploration {run_id} (its scenario, factors, outcomes, design, "
            f"--quick or --posterior differ from when it started); resume with the file and options as they were, or start a new exploration"
        ])
    return run_id, record["done"]


def _in_processes(plan: Plan, values: pd.DataFrame, work: list[np.ndarray], workers: int):
    """Blocks in `workers` local processes (spawned: JAX does not survive a fork), in order."""
    import multiprocessing

    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        futures = [(block, pool.submit(run_block, plan, block, values.loc[block])) for block in work]
        for block, future in futures:
            yield block, future.result()


def connect_ray(address: str):
    """The `ray` module, joined to the cluster at `address` ("auto": the one this machine is part of;
    "local": a new one on this machine); ExperimentError if Ray is missing or no cluster answers."""
    try:
        import ray
    except ImportError:
        raise ExperimentError(["--ray: Ray is not installed; install the extra with pip install 'talentwar[ray]', or leave out --ray to run locally"]) from None
    if not ray.is_initialized():
        try:
            ray.init(address=None if address == "local" else address, ignore_reinit_error=True, log_to_driver=False)
        except Exception as exc:  # no cluster at that address, or one that refuses us
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ExperimentError([f"--ray {address}: cannot join a Ray cluster ({reason}); start one with `ray start --head`, or give --ray local"]) from None
    return ray


def _on_ray(ray, plan: Plan, values: pd.DataFrame, work: list[np.ndarray]):
    """Blocks as Ray tasks, each yielded as soon as it finishes."""
    task = ray.remote(run_block)
    shared_plan = ray.put(plan)
    pending = {task.remote(shared_plan, block, values.loc[block]): block for block in work}
    while pending:
        ready, _ = ray.wait(list(pending), num_returns=1)
        block = pending.pop(ready[0])
        yield block, ray.get(ready[0])
