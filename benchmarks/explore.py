"""Points as lanes against one simulation per point, side by side in one run (issue 21).

    .venv/bin/python -m benchmarks.explore [--points 32] [--replications 4] [--months 36]

Both run the same Latin-hypercube points of experiments/default.yaml on talent-war-2026 with the
same replications: (a) `talentwar.simulate` once per point, as a user without explorations
would (each point a scenario: its parameters shared by the lanes, its frames built); (b) the
points as lanes of one compiled program (`talentwar explore`'s block runner, outcomes only).
Each path runs once untimed first so that neither pays for compiling. Prints researcher-months
per second for each and their ratio, and the memory the process took at its peak.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=32)
    parser.add_argument("--replications", type=int, default=4)
    parser.add_argument("--months", type=int, default=36)
    options = parser.parse_args()

    import yaml

    from talentwar.exploration.design import sample
    from talentwar.exploration.experiment import parse_experiment
    from talentwar.exploration.runner import run_block
    from talentwar.simulation import simulate

    experiment = yaml.safe_load((ROOT / "experiments" / "default.yaml").read_text())
    experiment["design"] = {"method": "latin", "samples": options.points, "replications": options.replications, "months": options.months}
    text = yaml.safe_dump(experiment)
    plan = parse_experiment(experiment, None, text, "benchmark", ROOT / "experiments")
    values, _ = sample(plan)
    points = np.arange(len(values))
    researchers = sum(g.count for f in plan.base.firms for g in f.population)
    work = len(points) * options.replications * options.months * researchers

    def lanes():
        return run_block(plan, points, values)

    def one_by_one():
        for p in points:
            simulate(plan.scenario_at(dict(values.loc[p]), f"point {p}"), replications=options.replications, months=options.months, seed=plan.seed)

    timings = {}
    for name, fn in (("one simulate() per point", one_by_one), ("points as lanes", lanes)):
        if name == "points as lanes":
            run_block(plan, points[:1], values)  # compile
        else:
            simulate(plan.scenario_at(dict(values.loc[0]), "point 0"), replications=options.replications, months=options.months, seed=plan.seed)
        started = time.perf_counter()
        fn()
        timings[name] = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    print(f"talent-war-2026 ({researchers:,} researchers, burn-in {plan.base.simulation.burn_in_months} months unreported), "
          f"{len(points)} points x {options.replications} replications x {options.months} months")
    print("| path | seconds | researcher-months per second |")
    print("|---|---|---|")
    for name, seconds in timings.items():
        print(f"| {name} | {seconds:.1f} | {work / seconds:.3g} |")
    base = timings["one simulate() per point"]
    print(f"ratio (lanes / one by one): {base / timings['points as lanes']:.2f}x; peak memory of the process {peak:.2f} GB")


if __name__ == "__main__":
    sys.exit(main())
