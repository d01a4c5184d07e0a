"""Where one month's step spends its time: XLA's profile, attributed to the engine's functions.

    python benchmarks/profile_step.py [--scenario talent-war-2026] [--researchers 100000] [--firms 50]
        [--months 12] [--lanes 1] [--ops MODULE:FUNCTION | --ops all] [--callers]

Builds the scenario scaled to the given market (talentwar.scenario.scale_market), draws
`lanes` replications' initial populations, compiles `months` months of the step from them
(vmapped over the lanes, as the engine runs a lane group), runs it
once to warm up and once under `jax.profiler`, and attributes each executed XLA operation to
the innermost engine function it was traced from (XLA keeps the Python stack of every
operation; `_origins` explains the stacks of cached jaxprs). Prints milliseconds per month by
function and by module, and the wall time per month. With --callers, operations of the shared helpers (segment reductions, compaction, random
numbers, money draws) go to the engine function that called them, so each mechanism's line holds
all of its work. docs/performance.md quotes its output.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import json
import re
import tempfile
import time
from pathlib import Path

import jax
import jax.numpy as jnp

from talentwar.engine import program
from talentwar.engine.params import build
from talentwar.engine.population import initial_state
from talentwar.engine.step import step
from talentwar.scenario import ScenarioError, load_scenario, scale_market

ENGINE = "/talentwar/engine/"
# Loops and branches: the profile times them and, again, every operation inside them.
CONTROL = re.compile(r"(while|conditional|cond|call)(\.[\w.]+)?$")
HELPERS = ("segments", "compact", "rng", "sampling")  # --callers: charged to the function that called them


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenario", default="talent-war-2026")
    parser.add_argument("--researchers", type=int, default=100_000)
    parser.add_argument("--firms", type=int, default=50)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--lanes", type=int, default=1, help="replications vmapped together, as the engine's lane width")
    parser.add_argument("--top", type=int, default=25, help="functions to list")
    parser.add_argument("--ops", metavar="MODULE:FUNCTION", help="also list the costliest XLA operations traced from this function")
    parser.add_argument("--callers", action="store_true", help=f"charge the helpers' operations ({', '.join(HELPERS)}) to their callers")
    args = parser.parse_args()
    if args.callers:  # XLA then keeps every frame of each operation's stack, not only the innermost ten
        jax.config.update("jax_traceback_in_locations_limit", -1)

    try:
        scenario = scale_market(load_scenario(args.scenario), args.researchers, args.firms)
    except ScenarioError as exc:
        parser.error("; ".join(exc.problems))
    except ValueError as exc:
        parser.error(f"--researchers/--firms: {exc}")
    params, layout = build(scenario)
    params = jax.tree_util.tree_map(jnp.asarray, params)
    dims = layout.dims
    keys = jax.random.split(jax.random.key(0), args.lanes)
    state = jax.jit(jax.vmap(lambda k, p: initial_state(k, p, dims), in_axes=(0, None)))(keys, params)

    def months(state, params):
        def one(s, run_key):  # each lane its own keys, as in the engine
            def month(s, t):
                return step(s, jax.random.fold_in(run_key, t), t, params, dims.move_capacity)

            return jax.lax.scan(month, s, jnp.arange(args.months))

        return jax.vmap(one)(state, jax.random.split(jax.random.key(1), args.lanes))

    compiled = jax.jit(months).lower(state, params).compile(program.compiler_options())  # as the engine compiles
    jax.block_until_ready(compiled(state, params))
    started = time.perf_counter()
    jax.block_until_ready(compiled(state, params))
    wall = (time.perf_counter() - started) / args.months

    with tempfile.TemporaryDirectory() as trace_dir:
        jax.profiler.start_trace(trace_dir)
        jax.block_until_ready(compiled(state, params))
        jax.profiler.stop_trace()
        trace_file = sorted(Path(trace_dir).rglob("*.trace.json.gz"))[-1]
        events = json.loads(gzip.decompress(trace_file.read_bytes()))["traceEvents"]

    origin = _origins(compiled.as_text(), HELPERS if args.callers else ())
    by_function: collections.Counter[str] = collections.Counter()
    by_operation: collections.Counter[str] = collections.Counter()
    for event in events:
        if event.get("ph") == "X" and event["name"] in origin and not CONTROL.match(event["name"]):
            by_function[origin[event["name"]]] += event["dur"] / 1e3 / args.months
            if args.ops in (origin[event["name"]], "all"):
                by_operation[f"{event['name']} ({origin[event['name']]})"] += event["dur"] / 1e3 / args.months
    by_module: collections.Counter[str] = collections.Counter()
    for name, ms in by_function.items():
        by_module[name.split(":")[0]] += ms
    total = sum(by_function.values())

    print(f"{scenario.name}: {dims.researchers:,} researchers, {dims.firms} firms, {dims.stages} stages; {args.lanes} replication(s) vmapped")
    print(f"wall time per month: {wall * 1e3:.1f} ms ({dims.researchers * args.lanes / wall:.3g} researcher-months per second)")
    print(f"operation time per month: {total:.1f} ms (profiled; the profiler adds overhead)\n")
    print(f"{'ms/month':>9} {'share':>6}  module")
    for name, ms in by_module.most_common():
        print(f"{ms:9.2f} {ms / total:6.1%}  {name}")
    print(f"\n{'ms/month':>9} {'share':>6}  function")
    for name, ms in by_function.most_common(args.top):
        print(f"{ms:9.2f} {ms / total:6.1%}  {name}")
    if args.ops:
        print(f"\n{'ms/month':>9}  operation in {args.ops}")
        for name, ms in by_operation.most_common(args.top):
            print(f"{ms:9.3f}  {name}")


def _origins(hlo: str, skipped: tuple[str, ...] = ()) -> dict[str, str]:
    """XLA instruction name -> 'module:function' of the innermost engine frame it came from,
    passing over frames in the `skipped` modules."""
    section = None
    files, functions, locations, frames = {}, {}, {}, {}
    for line in hlo.splitlines():
        if line in ("FileNames", "FunctionNames", "FileLocations", "StackFrames"):
            section = line
            continue
        if section and not line.strip():
            section = None
            continue
        if section == "FileNames" or section == "FunctionNames":
            number, text = line.split(" ", 1)
            (files if section == "FileNames" else functions)[int(number)] = text.strip('"')
        elif section == "FileLocations":
            m = re.match(r"(\d+) \{file_name_id=(\d+) function_name_id=(\d+)", line)
            locations[int(m[1])] = (files[int(m[2])], functions[int(m[3])])
        elif section == "StackFrames":
            m = re.match(r"(\d+) \{file_location_id=(\d+)(?: parent_frame_id=(\d+))?", line)
            frames[int(m[1])] = (int(m[2]), int(m[3] or 1) - 1)  # the parent's number is written one higher; 0: none

    def innermost(frame: int) -> str:
        """The innermost engine function of the operation's own call: the frames up to the last
        call of step(). An operation from a jaxpr that JAX traced once and cached (jnp.where's, for
        one) keeps, innermost, the stack of the call that traced it first, wherever it is used:
        its place of use comes after, ending at step() like every other stack of the month."""
        engine, seen = [], set()
        while frame in frames and frame not in seen:
            seen.add(frame)
            location, frame = frames[frame]
            path, function = locations[location]
            if ENGINE in path:
                engine.append((path.split(ENGINE, 1)[1].removesuffix(".py").replace("mechanisms/", ""), function))
        steps = [i for i, call in enumerate(engine) if call == ("step", "step")]  # step() itself, not a lambda in it
        if len(steps) > 1:
            engine = engine[steps[-2] + 1 : steps[-1] + 1]
        for module, function in engine:
            if module not in skipped:
                return f"{module}:{function.split('.<locals>')[0]}"
        return "other"

    origin = {}
    for m in re.finditer(r"^\s*(?:ROOT )?%?([\w.\-]+) = .*stack_frame_id=(\d+)", hlo, re.MULTILINE):
        origin[m[1]] = innermost(int(m[2]))
    return origin


if __name__ == "__main__":
    main()
