"""Comparing two runs: per firm and metric, both means, the difference and whether it exceeds the noise.

Each run gives one value per replication (flows summed over the run, stocks at the horizon, as in
`Result.summary`). When both runs have the same seed, replication count and firms, replication r
of each started from the same population and the same random numbers (common random numbers),
so the difference is taken per replication (paired); otherwise the two samples are independent
(Welch). The difference's 95% Student-t interval "exceeds the noise" when it excludes 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from talentwar.results.result import Result

LEVEL = 0.95


def paired(a: Result, b: Result) -> bool:
    return a.seed == b.seed and a.replications == b.replications and [f.name for f in a.scenario.firms] == [f.name for f in b.scenario.firms]


def compare(a: Result, b: Result, metrics: tuple[str, ...] | None = None) -> pd.DataFrame:
    """firm, metric, mean_a, mean_b, difference (b - a), low, high, exceeds_noise, for firms in both runs."""
    use_pairs = paired(a, b)
    values = {}
    for name, result in (("a", a), ("b", b)):
        frame = result.per_replication()
        if metrics:
            frame = frame[frame["metric"].isin(metrics)]
        values[name] = frame.pivot_table(index="replication", columns=["firm", "metric"], values="value", observed=True)
    rows = []
    for column in values["a"].columns:
        if column not in values["b"].columns:
            continue
        x, y = values["a"][column].to_numpy(), values["b"][column].to_numpy()
        difference, low, high = _interval(x, y, use_pairs)
        rows.append(
            {
                "firm": column[0],
                "metric": column[1],
                "mean_a": float(np.mean(x)),
                "mean_b": float(np.mean(y)),
                "difference": difference,
                "low": low,
                "high": high,
                "exceeds_noise": bool(low > 0 or high < 0),
            }
        )
    out = pd.DataFrame(rows, columns=["firm", "metric", "mean_a", "mean_b", "difference", "low", "high", "exceeds_noise"])
    out.attrs["paired"] = use_pairs
    return out


def mean_interval(values: np.ndarray, level: float = LEVEL) -> tuple[float, float, float]:
    """Mean of `values` with its two-sided `level` Student-t interval; (nan, nan, nan) for none, unbounded for one."""
    n = values.size
    if n == 0:
        return math.nan, math.nan, math.nan
    mean = float(values.mean())
    if n == 1:
        return mean, -math.inf, math.inf
    half = float(stats.t.ppf(0.5 + level / 2, n - 1) * values.std(ddof=1) / math.sqrt(n))
    return mean, mean - half, mean + half


def _interval(x: np.ndarray, y: np.ndarray, use_pairs: bool) -> tuple[float, float, float]:
    if use_pairs:
        return mean_interval(y - x)
    va, vb = x.var(ddof=1) / x.size if x.size > 1 else math.inf, y.var(ddof=1) / y.size if y.size > 1 else math.inf
    difference = float(y.mean() - x.mean())
    se = math.sqrt(va + vb)
    if not math.isfinite(se):
        return difference, -math.inf, math.inf
    if se == 0:
        return difference, difference, difference
    dof = (va + vb) ** 2 / ((va**2 / (x.size - 1)) + (vb**2 / (y.size - 1)))  # Welch-Satterthwaite
    half = stats.t.ppf(0.5 + LEVEL / 2, dof) * se
    return difference, difference - half, difference + half
