"""The check runs: record every frame of three runs, then hold a changed engine to them bit for bit.

    python benchmarks/check_runs.py record .check-runs     # before a change to the engine
    python benchmarks/check_runs.py compare .check-runs    # after it: exit 1, with each difference

A refactor that should not change behaviour (issue 23: the engine as mechanism slices) must give
the same numbers. The three runs cover the model from its largest to its smallest program:
`talent-war-2026` as shipped (burn-in, every mechanism it switches on), the same market scaled to
20,000 researchers at 20 firms (the block paths of more than 2,048 offer holders), and the job
ladder (three mechanisms; 2 replications of 36 months). Each writes its four frames (metrics,
moves, final, investors) as Parquet. The comparison sorts both sides by their key columns, so a metric that moves in the list
of metrics is not a difference, and reports, per frame and metric, how many values differ and by
how much at most. The record is not committed (Parquet files are ignored): make it from the
commit before the change.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

FRAMES = ("metrics", "moves", "final", "investors")
VALUES = {"metrics": ["value"], "investors": ["portfolio_value"]}  # the measured columns; the rest are keys


def _runs() -> dict[str, Callable[[], object]]:
    from talentwar import simulate
    from talentwar.scenario import load_scenario, scale_market

    return {
        "talent-war-2026": lambda: simulate("talent-war-2026", replications=8),
        "scaled-market": lambda: simulate(scale_market(load_scenario("talent-war-2026"), 20_000, 20), replications=4, months=24),
        "job-ladder": lambda: simulate("job-ladder", replications=2, months=36),  # 120,000 researchers: its moves are many
    }


def _keys(name: str, frame: pd.DataFrame) -> list[str]:
    """The columns that identify a row: for metrics and investors all but the value; for moves
    and final every column (a row is its own key: the sort puts equal frames in equal order)."""
    measured = VALUES.get(name, [])
    return [c for c in frame.columns if c not in measured] + measured


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    keys = _keys(name, frame)
    frame = frame.astype({c: str for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def record(folder: Path) -> None:
    for run, simulate in _runs().items():
        start = time.perf_counter()
        result = simulate()
        (folder / run).mkdir(parents=True, exist_ok=True)
        for name in FRAMES:
            _sorted(name, getattr(result, name)).to_parquet(folder / run / f"{name}.parquet", index=False)
        print(f"{run}: recorded in {time.perf_counter() - start:.1f} s")


def differences(name: str, old: pd.DataFrame, new: pd.DataFrame) -> list[str]:
    """One line per difference between two sorted frames; none when they are bit-identical."""
    if list(old.columns) != list(new.columns):
        return [f"{name}: columns {list(old.columns)} became {list(new.columns)}"]
    if len(old) != len(new):
        return [f"{name}: {len(old)} rows became {len(new)}"]
    lines = []
    metric = old["metric"].to_numpy() if "metric" in old.columns else None  # metrics: one line per metric
    for column in old.columns:
        a, b = old[column].to_numpy(), new[column].to_numpy()
        numeric = a.dtype.kind in "fiub" and b.dtype.kind in "fiub"
        same = (a == b) | (np.isnan(a) & np.isnan(b)) if numeric and a.dtype.kind == "f" else a == b
        if same.all():
            continue
        for label in np.unique(metric[~same]) if metric is not None else [column]:
            where = ~same & (metric == label) if metric is not None else ~same
            size = f", at most by {float(np.max(np.abs(a[where].astype(float) - b[where].astype(float)))):.3g}" if numeric else ""
            lines.append(f"{name}.{column} [{label}]: {int(where.sum())} of {len(a)} values differ{size}")
    return lines


def compare(folder: Path) -> int:
    found = 0
    for run, simulate in _runs().items():
        if not (folder / run).is_dir():
            print(f"{folder / run}: no record; run `python benchmarks/check_runs.py record {folder}` on the commit before the change", file=sys.stderr)
            return 2
        result = simulate()
        for name in FRAMES:
            old = pd.read_parquet(folder / run / f"{name}.parquet")
            lines = differences(name, _sorted(name, old), _sorted(name, getattr(result, name)))
            found += len(lines)
            print(f"{run} {name}: " + ("bit-identical" if not lines else f"{len(lines)} differences"))
            for line in lines:
                print(f"  {line}")
    return 1 if found else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="record the check runs, or compare the engine against a record")
    parser.add_argument("action", choices=("record", "compare"))
    parser.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.action == "record":
        record(args.folder)
        return 0
    return compare(args.folder)


if __name__ == "__main__":
    sys.exit(main())
