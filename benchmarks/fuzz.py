"""Fuzz the command line with 10,000 hostile inputs and print what happened (issue 20).

    .venv/bin/python -m benchmarks.fuzz [--cases 10000] [--seed 0] [--no-run]

A third each: mutated scenario files (`talentwar scenario check FILE`), random `--set` options and
random --months/--seed/--replications values (tests/fuzzing.py says how they are made). Accepted
scenarios are simulated (2 replications, up to 6 months) unless --no-run. The promise is 0
tracebacks, 0 hangs, 0 badly formed messages and 0 non-finite outputs; the failures are listed.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for tests.fuzzing

from tests.fuzzing import OUTCOMES, campaign  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-run", action="store_true", help="do not simulate the accepted scenarios")
    options = parser.parse_args()
    started = time.perf_counter()

    def report(done, total, counts):
        if done % 500 == 0 or done == total:
            bad = sum(n for (_, outcome), n in counts.items() if outcome not in ("accepted", "refused"))
            print(f"{done:,}/{total:,} cases, {bad} failures, {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    counts, failures = campaign(options.cases, options.seed, run_accepted=not options.no_run, report=report)
    seconds = time.perf_counter() - started
    print(f"{options.cases:,} cases, seed {options.seed}, {seconds:.0f} s" + (" (accepted scenarios not run)" if options.no_run else ""))
    print(f"| kind | {' | '.join(OUTCOMES)} |")
    print("|---" * (len(OUTCOMES) + 1) + "|")
    for kind in ("file", "set", "flags"):
        print(f"| {kind} | " + " | ".join(str(counts[(kind, outcome)]) for outcome in OUTCOMES) + " |")
    for outcome, tried in failures[:50]:
        print(f"{outcome}: {tried}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
