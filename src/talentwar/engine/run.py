"""Replications: lax.scan over months, vmap over replications, jit, keys and batching.

Replication r draws every random number from fold_in(key(seed), r), then per month and per
phase by fold_in again. Keys alone do not make results independent of batching: XLA's CPU
code computes exp, log and division with slightly different rounding depending on the
vector width and on an element's position in it. So the compiled program always vmaps a
fixed number of replications, the lane width W, chosen from the scenario's size alone, and
replication r always runs in lane r mod W (the last group is padded). A replication's
numbers are then bit-identical whether it runs alone, in a batch of 7 or of 200. Each
scenario shape compiles once, into a persistent cache in the user's cache directory
(engine/program.py).
"""

from __future__ import annotations

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, NamedTuple

import jax
import jax.numpy as jnp
import numpy as np

from talentwar.engine import program
from talentwar.engine.mechanisms.vesting import unvested_value
from talentwar.engine.metrics import MoveLog, Observation
from talentwar.engine.params import Dims, Params
from talentwar.engine.population import initial_state, mark_month_zero
from talentwar.engine.step import step

CPU_MEMORY_BUDGET_BYTES = 2 * 1024**3
# Lane widths: on a CPU, vmapping beyond 8 lanes or 160,000 researchers per call buys no speed
# (lane groups run concurrently on the cores instead); an accelerator runs one group at a time
# and needs wide calls to keep busy, since each of the month's ~1,000 operations costs a launch.
MAX_LANES = {"cpu": 8, "accelerator": 64}
LANE_RESEARCHERS = {"cpu": 160_000, "accelerator": 2_000_000}


class FinalSnapshot(NamedTuple):
    initial_firm: jax.Array  # where each researcher was at month 0 (after any burn-in)
    firm: jax.Array
    role: jax.Array
    stage: jax.Array
    salary: jax.Array
    unvested_value: jax.Array
    knowledge: jax.Array
    preferences: jax.Array  # [N, 5]: each researcher's weights over the pulls (fixed for life)


def replicate(params: Params, seed: jax.Array, replication: jax.Array, months: int, dims: Dims):
    """One replication: the initial population, then `months` steps. Pure."""
    base = jax.random.fold_in(jax.random.key(seed), replication)
    state = initial_state(jax.random.fold_in(base, 0), params, dims)
    run_key = jax.random.fold_in(base, 1)
    burn_in = dims.burn_in
    if burn_in == 0:

        def month(state, t):
            return step(state, jax.random.fold_in(run_key, t), t, params, dims.move_capacity)

        initial_firm = state.researchers.firm
        final, observations = jax.lax.scan(month, state, jnp.arange(months))
    else:
        # The market runs unreported before month 0: months -burn_in .. -1 to the step, in the same
        # scan (one traced month: a second loop of its own doubled the compile time), their keys
        # fold_in(run_key, t - burn_in) wrapping below 2^32 so that reported month t keeps
        # fold_in(run_key, t). Their outputs are not computed (zeros) and are dropped.
        def month(carry, t):
            state, initial_firm = carry
            zero = t == burn_in
            state = jax.lax.cond(zero, lambda s: mark_month_zero(s, params), lambda s: s, state)
            initial_firm = jnp.where(zero, state.researchers.firm, initial_firm)
            state, observed = step(state, jax.random.fold_in(run_key, t - burn_in), t - burn_in, params, dims.move_capacity, t >= burn_in)
            return (state, initial_firm), observed

        (final, initial_firm), observations = jax.lax.scan(month, (state, state.researchers.firm), jnp.arange(burn_in + months))
        observations = jax.tree_util.tree_map(lambda x: x[burn_in:], observations)
    r = final.researchers
    snapshot = FinalSnapshot(initial_firm, r.firm, r.role, r.stage, r.salary, unvested_value(final, params), r.knowledge, r.preferences)
    return snapshot, observations


# What replicate returns, as a tree of arrays (every leaf is one array).
OUTPUTS = jax.tree_util.tree_structure(
    (FinalSnapshot(*[0] * len(FinalSnapshot._fields)), Observation(0, MoveLog(*[0] * len(MoveLog._fields)), 0))
)


def lane_width(dims: Dims, months: int, n_metrics: int) -> int:
    """Replications vmapped in one compiled call: many for small populations, one for large ones.

    Depends on the scenario's shape, the backend and the memory budget (the default's, unless
    TALENTWAR_BATCH_MEMORY is set), never on how many replications are asked for.
    """
    kind = "cpu" if jax.default_backend() == "cpu" else "accelerator"
    width, budget = MAX_LANES[kind], memory_budget()
    while width > 1 and (dims.researchers * width > LANE_RESEARCHERS[kind] or width * bytes_per_replication(dims, months, n_metrics) > budget):
        width //= 2
    return width


class SettingError(ValueError):
    """An environment setting the engine cannot use; the message names it and what would be right."""


SETTINGS = {  # the environment variables the engine reads: what each means, and an example
    "TALENTWAR_THREADS": ("the number of lane groups (batches of replications) to run at once", "2"),
    "TALENTWAR_BATCH_MEMORY": ("the bytes the batches of replications running at once may take", "4294967296 for 4 GiB"),
}


def setting(name: str) -> int | None:
    """The whole number in environment variable `name` (one of SETTINGS), or None when it is unset or empty."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if raw.isdecimal() and int(raw) >= 1:
        return int(raw)
    meaning, example = SETTINGS[name]
    raise SettingError(f"{name}={raw!r}: expected {meaning}, a whole number of at least 1 (e.g. {name}={example}), or leave it unset")


def check_settings() -> None:
    """Raise SettingError for the first unusable setting in SETTINGS, before any work starts."""
    for name in SETTINGS:
        setting(name)


def memory_budget() -> int:
    """Bytes the lane groups in flight may take: TALENTWAR_BATCH_MEMORY, else 2 GiB on a CPU and
    half the accelerator's memory on an accelerator."""
    budget = setting("TALENTWAR_BATCH_MEMORY")
    if budget is not None:
        return budget
    if jax.default_backend() == "cpu":
        return CPU_MEMORY_BUDGET_BYTES
    stats = jax.local_devices()[0].memory_stats() or {}
    return int(stats.get("bytes_limit", 2 * CPU_MEMORY_BUDGET_BYTES)) // 2


def bytes_per_replication(dims: Dims, months: int, n_metrics: int) -> int:
    # The step holds about a dozen researcher-sized arrays of S + 24 columns at once; outputs
    # are the monthly metrics and the move log.
    working = 12 * dims.researchers * (dims.stages + 24) * 4
    outputs = (months + dims.burn_in) * (dims.firms * n_metrics * 4 + dims.move_capacity * 36)  # burn-in months' zeros too
    return working + outputs + dims.researchers * (dims.stages + 8) * 4


FRAME_BYTES_PER_VALUE = 21  # a metric value in Result.metrics: replication, month, firm, metric and the value


def estimated_bytes(dims: Dims, months: int, replications: int, n_metrics: int, width: int) -> int:
    """Memory a run needs at its peak: every replication's outputs on the host, the metrics frame
    built from them, and the lane groups in flight."""
    outputs = (months + dims.burn_in) * (dims.firms * n_metrics * 4 + dims.move_capacity * 36) + dims.researchers * (dims.stages + 8) * 4
    frame = months * dims.firms * n_metrics * FRAME_BYTES_PER_VALUE
    in_flight = min(concurrent_groups(), -(-replications // width)) * width * bytes_per_replication(dims, months, n_metrics)
    return replications * (outputs + frame) + in_flight


def available_memory() -> int | None:
    """Bytes of memory free for a new run (MemAvailable on Linux), or None where it cannot be read."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, AttributeError):
        return None


def run_replications(
    params: Params,
    dims: Dims,
    months: int,
    seed: int,
    replications: int,
    width: int,
    n_metrics: int,
    progress: Callable[[int, int], None] | None = None,
    batch_size: int | None = None,
    per_replication: bool = False,
) -> tuple[FinalSnapshot, Observation]:
    """Run replications 0..replications-1, `width` at a time; returns host arrays, replication first.

    `batch_size` only sets how often `progress` is called (every batch_size replications,
    rounded up to whole groups of `width`); the numbers never depend on it. With
    `per_replication`, each leaf of `params` has a leading axis of `replications` and replication
    r runs with its own parameters (worlds drawn from a posterior), in lane r mod width as always.
    """
    one = jax.tree_util.tree_map(lambda x: x[0], params) if per_replication else params
    fn = program.executable(functools.partial(replicate, months=months, dims=dims), (dims, months), width, one, OUTPUTS, lane_params=per_replication)
    device_params = jax.tree_util.tree_map(jnp.asarray, params) if not per_replication else None
    seed_array = jnp.asarray(seed, jnp.uint32)
    report_every = max(width, -(-(batch_size or width) // width) * width)
    starts = range(0, replications, width)

    # Each group's outputs are copied into arrays for all replications as soon as it finishes,
    # by its own thread while other groups still run: concatenating the pieces at the end took
    # 0.6-0.9 s of 8 s for 16 replications at N = 100,000 and held every output twice.
    outputs: list[np.ndarray] = []
    allocate = threading.Lock()

    def run_group(start: int) -> None:
        ids = np.minimum(np.arange(start, start + width), replications - 1)  # pad the last group
        valid = int(min(width, replications - start))
        lanes = device_params if not per_replication else lane_rows(params, ids)
        piece = jax.tree_util.tree_leaves(jax.device_get(fn(lanes, seed_array, jnp.asarray(ids, jnp.int32))))
        with allocate:
            if not outputs:
                outputs.extend(np.empty((replications,) + x.shape[1:], x.dtype) for x in piece)
        for whole, x in zip(outputs, piece, strict=True):
            whole[start : start + valid] = x[:valid]

    # Groups are independent: on a CPU, run as many at once as there are cores and memory allow
    # (XLA parallelises only part of each step); on an accelerator, one at a time.
    workers = group_workers(len(starts), width * bytes_per_replication(dims, months, n_metrics))
    with ThreadPoolExecutor(workers) as pool:
        for start, _ in zip(starts, pool.map(run_group, starts), strict=True):
            done = min(start + width, replications)
            if progress is not None and (done % report_every == 0 or done == replications):
                progress(done, replications)
    return jax.tree_util.tree_unflatten(OUTPUTS, outputs)


def lane_rows(params: Params, rows: np.ndarray) -> Params:
    """Each leaf's `rows` (its leading axis: points or replications) on the device: one lane group's parameters."""
    return jax.tree_util.tree_map(lambda x: jnp.asarray(np.take(x, rows, axis=0)), params)


def group_workers(groups: int, group_bytes: int) -> int:
    """Lane groups to run at once: as many as the cores and the memory budget allow, at least one."""
    return max(1, min(groups, concurrent_groups(), memory_budget() // max(group_bytes, 1)))


def point_groups(points: np.ndarray, replications: int, width: int) -> np.ndarray:
    """The pairs (point, replication) of `points` x range(replications), packed into lane groups.

    Pair (p, r) always runs in lane (p + r) mod `width`, so its numbers depend on (seed, p, r) and
    p's parameters alone, never on which other points share its block, process or machine (the
    lane's position in the vector can change the last bits, see the module's docstring). The
    points' program is not the plain run's (its parameters are per lane), so a point's numbers
    agree with a plain run of its scenario to rounding, not bit for bit.
    Returns [groups, width, 2] of (index into `points`, replication), -1 in padding.
    """
    points = np.asarray(points, np.int64)
    index = np.repeat(np.arange(len(points)), replications)
    replication = np.tile(np.arange(replications), len(points))
    lane = (points[index] + replication) % width
    order = np.argsort(lane, kind="stable")
    lane_sorted = lane[order]
    rank = np.arange(len(order)) - np.searchsorted(lane_sorted, lane_sorted)  # position within its lane
    groups = np.full((int(rank.max()) + 1 if len(rank) else 0, width, 2), -1, np.int64)
    groups[rank, lane_sorted, 0] = index[order]
    groups[rank, lane_sorted, 1] = replication[order]
    return groups


def _firm_metrics(params: Params, seed: jax.Array, replication: jax.Array, months: int, dims: Dims) -> jax.Array:
    return replicate(params, seed, replication, months, dims)[1].firm_metrics


def run_points(
    params: Params,
    points: np.ndarray,
    dims: Dims,
    months: int,
    seed: int,
    replications: int,
    width: int,
    reduce: Callable[[np.ndarray], np.ndarray],
    progress: Callable[[int, int], None] | None = None,
) -> np.ndarray:
    """Replications 0..replications-1 of several parameter points, the points as lanes of one
    compiled program: nothing recompiles between points.

    `params` holds every point's parameters, each leaf with a leading axis of len(points) (the
    shapes and switches equal for all of them); `points` numbers them in their design. Each lane
    group's monthly firm metrics [width, months, firms, metrics] go through `reduce` as soon as it
    finishes, which returns [width, outcomes]; the run returns [len(points), replications, outcomes].
    Replication r uses the same random numbers at every point (common random numbers).
    """
    lane_leaves = jax.tree_util.tree_map(lambda x: x[0], params)
    fn = program.executable(functools.partial(_firm_metrics, months=months, dims=dims), (dims, months, "firm_metrics"), width, lane_leaves, jax.tree_util.tree_structure(0), lane_params=True)
    groups = point_groups(points, replications, width)
    seed_array = jnp.asarray(seed, jnp.uint32)
    out: list[np.ndarray] = []
    allocate = threading.Lock()

    def run_group(group: np.ndarray) -> None:
        valid = group[:, 0] >= 0
        index, replication = np.where(valid, group[:, 0], 0), np.where(valid, group[:, 1], 0)
        lane_params = lane_rows(params, index)
        reduced = np.asarray(reduce(np.asarray(jax.device_get(fn(lane_params, seed_array, jnp.asarray(replication, jnp.int32))))))
        with allocate:
            if not out:
                out.append(np.full((len(points), replications) + reduced.shape[1:], np.nan, reduced.dtype))
            out[0][index[valid], replication[valid]] = reduced[valid]

    workers = group_workers(len(groups), width * bytes_per_replication(dims, months, 0))
    done = 0
    with ThreadPoolExecutor(workers) as pool:
        for group, _ in zip(groups, pool.map(run_group, groups), strict=True):
            done += int((group[:, 0] >= 0).sum())
            if progress is not None:
                progress(done, len(points) * replications)
    return out[0]


def concurrent_groups() -> int:
    """Lane groups to run at once: the CPU cores (at most 4) on a CPU backend, else 1; TALENTWAR_THREADS overrides."""
    threads = setting("TALENTWAR_THREADS")
    if threads is not None:
        return threads
    if jax.default_backend() != "cpu":
        return 1
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
