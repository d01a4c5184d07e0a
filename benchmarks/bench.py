"""talentwar's speed, side by side with Mesa, in one run.

    python benchmarks/bench.py                  # everything (4 minutes on 2 cores with a filled compilation cache)
    python benchmarks/bench.py --quick          # the ladder comparison at N = 10,000 only (under a minute)
    python benchmarks/bench.py --json out.json  # also write the table as JSON
    python benchmarks/bench.py --sections full  # one or more of ladder, full, default

Needs the benchmark extra: `pip install -e '.[bench]'` (Mesa). Sections:

1. job ladder, Mesa against talentwar: researcher-months per second of the Burdett-Mortensen
   special case, written in plain Mesa 3 (benchmarks/mesa_reference) and run by talentwar's
   general engine (built-in `job-ladder`, scaled to N), at N = 1,000 and 10,000, and the ratio;
   each side's best of three timed runs. A third column (best of ten) times the ladder alone,
   hand-written in JAX (benchmarks/ladder_kernel.py, the same replications): what XLA gives for
   the ladder's arithmetic with nothing else in the month, so the gap to it is the cost of the
   general engine.
2. full model: talent-war-2026 scaled to N researchers and F firms (scale_market), every
   mechanism on, for several replication counts: throughput and peak memory.
3. the default `talentwar run`: process wall time with an empty compilation cache (cold) and
   with the cache filled (warm), and peak memory.

Every measurement runs in its own process, so peak memory (the process's maximum resident set)
belongs to that measurement alone. talentwar's timings exclude compilation (a warm-up run with
the same shapes comes first in the same process); a Mesa model has nothing to compile. Both
include drawing the initial population.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
LADDER_MONTHS = 60
LADDER_REPLICATIONS = 16
LADDER_REPEATS = 3  # each side's best of three timed runs: single runs of a second vary by 40% on a shared machine
KERNEL_REPEATS = 10  # the hand-written kernel's runs take tens of milliseconds: best of ten
FULL_MONTHS = 36
FULL_GRID = [  # (researchers, firms, replication counts)
    (1_000, 5, (16, 64)),
    (1_000, 50, (16, 64)),
    (10_000, 5, (16, 64)),
    (10_000, 50, (16, 64)),
    (100_000, 5, (4, 16)),
    (100_000, 50, (4, 16)),
    (1_000_000, 5, (4,)),
    (1_000_000, 50, (4,)),
]
SECTIONS = ("ladder", "full", "default")
TARGETS = {
    "ladder_ratio_at_10000": 100.0,  # talentwar / Mesa researcher-months per second
    "full_100000_50_16": 2e7,  # researcher-months per second
    "million_peak_gb": 8.0,
    "default_warm_s": 10.0,
    "default_cold_s": 30.0,
}


# ------------------------------------------------------------------ one measurement, in a child process
def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2  # KiB on Linux


def _timed(run: Callable[[], object], repeats: int) -> tuple[list[float], object]:
    """Wall seconds of each of `repeats` calls of `run`, and the last call's result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
    return times, result


def _measured(times: list[float], researcher_months: int, **extra) -> dict:
    """One measurement's record: the best time, all times, the work done and the process's peak memory."""
    return {"seconds": min(times), "all_seconds": times, **extra, "researcher_months": researcher_months, "peak_gb": _peak_gb()}


def _ladder_parameters(researchers: int):
    """The built-in job ladder scaled to N researchers (two employers and the pool), as the Mesa reference reads it."""
    from benchmarks.mesa_reference import ladder_parameters
    from talentwar.scenario import load_scenario, scale_market

    return ladder_parameters(scale_market(load_scenario("job-ladder"), researchers, 3))


def measure_mesa(researchers: int, months: int, repeats: int = 1) -> dict:
    from benchmarks.mesa_reference import JobLadderModel

    parameters = _ladder_parameters(researchers)

    def run() -> None:
        model = JobLadderModel(parameters, seed=0)
        for _ in range(months):
            model.step()

    times, _ = _timed(run, repeats)
    return _measured(times, researchers * months)


def measure_talentwar(scenario: str, researchers: int, firms: int, months: int, replications: int, repeats: int = 1) -> dict:
    from talentwar import simulate
    from talentwar.scenario import load_scenario, scale_market

    import jax

    market = scale_market(load_scenario(scenario), researchers, firms)
    (warmup,), _ = _timed(lambda: simulate(market, replications=1, months=months), 1)  # compiles or loads the program
    times, result = _timed(lambda: simulate(market, replications=replications, months=months), repeats)
    out = _measured(times, researchers * months * replications, warmup_seconds=warmup, lane_width=result.info["lane_width"])
    stats = jax.local_devices()[0].memory_stats() if jax.default_backend() != "cpu" else None
    if stats and "peak_bytes_in_use" in stats:
        out["device_peak_gb"] = stats["peak_bytes_in_use"] / 1024**3
    return out


def measure_kernel(researchers: int, months: int, replications: int, repeats: int = 1) -> dict:
    from benchmarks import ladder_kernel

    import jax

    parameters = _ladder_parameters(researchers)
    run = lambda: jax.block_until_ready(ladder_kernel.simulate(parameters, replications, months))  # noqa: E731
    (warmup,), _ = _timed(run, 1)  # compiles
    times, _ = _timed(run, repeats)
    return _measured(times, researchers * months * replications, warmup_seconds=warmup)


def _child(kind: str, **kwargs) -> dict:
    """Run one measurement in a fresh Python process and return its result."""
    code = (
        "import json, sys; sys.path.insert(0, {root!r}); from benchmarks import bench; "
        "print('RESULT' + json.dumps(bench.measure_{kind}(**{kwargs!r})))"
    ).format(root=str(ROOT), kind=kind, kwargs=kwargs)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    for line in done.stdout.splitlines():
        if line.startswith("RESULT"):
            result = json.loads(line[len("RESULT") :])
            result["throughput"] = result["researcher_months"] / result["seconds"]
            return result
    raise RuntimeError(f"benchmark child {kind} {kwargs} failed:\n{done.stderr[-3000:]}")


def _default_run(cache: Path) -> dict:
    """`talentwar run` as a user types it, timed from process start to exit, with its own peak memory."""
    env = dict(os.environ, TALENTWAR_CACHE_DIR=str(cache), COLUMNS="160")
    exe = Path(sys.executable).with_name("talentwar")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "talentwar"]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command + ["run"], stdout=subprocess.DEVNULL, stderr=errors, env=env, cwd=tempfile.gettempdir())
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            raise RuntimeError(f"talentwar run failed:\n{errors.read().decode()[-3000:]}")
    return {"seconds": seconds, "peak_gb": usage.ru_maxrss / 1024**2}


# ------------------------------------------------------------------ the run
def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="talentwar benchmarks, side by side with Mesa")
    parser.add_argument("--quick", action="store_true", help="only the Mesa comparison at N = 10,000 (under a minute)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the results as JSON (rewritten after each measurement)")
    parser.add_argument(
        "--sections", nargs="+", choices=SECTIONS, default=list(SECTIONS), metavar="SECTION", help=f"which of {', '.join(SECTIONS)} to run"
    )
    args = parser.parse_args(argv)
    from talentwar.engine.run import SettingError, check_settings

    try:
        check_settings()  # the measurements' child processes read them too
    except SettingError as exc:
        parser.error(str(exc))
    results: dict = {"machine": machine(), "quick": args.quick, "ladder": [], "full": [], "default_run": {}}

    def save() -> None:
        if args.json:
            results["targets"] = verdicts(results)
            args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")

    try:
        save()  # an unwritable --json fails now, not after the first measurement
    except OSError as exc:
        parser.error(f"--json {args.json}: cannot write ({exc.strerror or exc}); give a file in a writable folder")

    sizes = [10_000] if args.quick else [1_000, 10_000]
    months = 30 if args.quick else LADDER_MONTHS
    if "ladder" in args.sections:
        ladder(results, sizes, months, save)
    if not args.quick and "full" in args.sections:
        full(results, save)
    if not args.quick and "default" in args.sections:
        default_run(results, save)

    results["targets"] = verdicts(results)
    print("\ntargets")
    for name, v in results["targets"].items():
        print(f"  {name}: {v['measured']:.3g} against {v['target']:.3g}: {'met' if v['met'] else 'missed'}")
    if args.json:
        save()
        print(f"\nwrote {args.json}")
    return results


def ladder(results: dict, sizes: list[int], months: int, save: Callable[[], None]) -> None:
    print(f"1. job ladder, {months} months: Mesa (one replication) against talentwar ({LADDER_REPLICATIONS} replications), best of {LADDER_REPEATS}")
    print(f"{'N':>10} {'Mesa rm/s':>12} {'talentwar rm/s':>15} {'ratio':>8} {'kernel rm/s':>12} {'kernel ratio':>13}")
    for n in sizes:
        mesa = _child("mesa", researchers=n, months=months, repeats=LADDER_REPEATS)
        ours = _child(
            "talentwar", scenario="job-ladder", researchers=n, firms=3, months=months, replications=LADDER_REPLICATIONS, repeats=LADDER_REPEATS
        )
        kernel = _child("kernel", researchers=n, months=months, replications=LADDER_REPLICATIONS, repeats=KERNEL_REPEATS)
        row = {
            "researchers": n,
            "months": months,
            "mesa": mesa,
            "talentwar": ours,
            "ratio": ours["throughput"] / mesa["throughput"],
            "kernel": kernel,
            "kernel_ratio": kernel["throughput"] / mesa["throughput"],
        }
        results["ladder"].append(row)
        print(
            f"{n:>10,} {mesa['throughput']:>12.3g} {ours['throughput']:>15.3g} {row['ratio']:>7.1f}x"
            f" {kernel['throughput']:>12.3g} {row['kernel_ratio']:>12.1f}x",
            flush=True,
        )
        save()


def full(results: dict, save: Callable[[], None]) -> None:
    print(f"\n2. full model (talent-war-2026 scaled, every mechanism on), {FULL_MONTHS} months")
    print(f"{'N':>10} {'firms':>6} {'reps':>5} {'seconds':>9} {'rm/s':>10} {'peak GB':>8}")
    for n, firms, counts in FULL_GRID:
        for replications in counts:
            m = _child("talentwar", scenario="talent-war-2026", researchers=n, firms=firms, months=FULL_MONTHS, replications=replications)
            results["full"].append({"researchers": n, "firms": firms, "replications": replications, "months": FULL_MONTHS, **m})
            print(f"{n:>10,} {firms:>6} {replications:>5} {m['seconds']:>9.1f} {m['throughput']:>10.3g} {m['peak_gb']:>8.2f}", flush=True)
            save()


def default_run(results: dict, save: Callable[[], None]) -> None:
    print("\n3. default `talentwar run` (talent-war-2026, 100 replications x 36 months), process wall time")
    with tempfile.TemporaryDirectory() as cache:
        cold = _default_run(Path(cache))
        warm = _default_run(Path(cache))
    results["default_run"] = {
        "cold_s": cold["seconds"],
        "warm_s": warm["seconds"],
        "cold_peak_gb": cold["peak_gb"],
        "warm_peak_gb": warm["peak_gb"],
    }
    print(f"cold {cold['seconds']:.1f} s (peak {cold['peak_gb']:.2f} GB), warm {warm['seconds']:.1f} s (peak {warm['peak_gb']:.2f} GB)")
    save()


def verdicts(results: dict) -> dict:
    out = {}
    at_10k = [r for r in results["ladder"] if r["researchers"] == 10_000]
    if at_10k:
        out["ladder_ratio_at_10000"] = at_10k[0]["ratio"]
    for r in results["full"]:
        if (r["researchers"], r["firms"], r["replications"]) == (100_000, 50, 16):
            out["full_100000_50_16"] = r["throughput"]
        if r["researchers"] == 1_000_000 and r["replications"] == 4:
            out["million_peak_gb"] = max(out.get("million_peak_gb", 0.0), r["peak_gb"])
    if results["default_run"]:
        out["default_warm_s"] = results["default_run"]["warm_s"]
        out["default_cold_s"] = results["default_run"]["cold_s"]
    lower_is_better = {"million_peak_gb", "default_warm_s", "default_cold_s"}
    return {
        k: {"measured": v, "target": TARGETS[k], "met": v <= TARGETS[k] if k in lower_is_better else v >= TARGETS[k]}
        for k, v in out.items()
    }


def machine() -> dict:
    import jax

    return {
        "cpu": _cpu_name(),
        "cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "python": platform.python_version(),
        "jax": jax.__version__,
        "backend": jax.default_backend(),
        "devices": [str(d) for d in jax.devices()],
    }


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
