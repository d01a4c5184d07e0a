"""What every validation fact shares: the fact, its result, and the measures facts are read with.

A fact is a published, quantitative finding about how people react to equity, offers and pay,
turned into an experiment: scenario variants run with the same seed and replications (common
random numbers), one statistic of their results, a 95% interval for it, and a band that counts
as reproducing the finding. The band is written next to its source in the fact's module, with
why it is that wide. A fact passes when the model's estimate lies inside its band; the interval
is reported beside it, so a pass on a wide interval reads as the weak evidence it is.

Statistics are either means of per-replication values (a Student-t interval, as in the claims)
or ratios of sums over replications (counts of rare events, such as quits in a quarter, are too
few per replication for a ratio each): their interval is a percentile bootstrap over
replications, resampling the same replications in every variant (they share random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from talentwar.claims.base import LEVEL, Cast, Estimate, Variant, edit, monthly, scenario_firm
from talentwar.scenario import Scenario

__all__ = ["Cast", "Estimate", "Fact", "FactResult", "NotApplicable", "Variant", "edit", "monthly", "scenario_firm"]

HORIZON = 48  # every fact's variants run this long and read the months they need: one compiled program for all
BOOTSTRAP_DRAWS = 2000
BOOTSTRAP_SEED = 20260  # fixed: the same results always give the same interval


class NotApplicable(Exception):
    """The scenario lacks a part the fact needs (two labs, a poacher, ...)."""


Variants = Callable[[Scenario, Cast, bool], dict[str, Variant]]


@dataclass(frozen=True)
class Fact:
    """One published finding as an experiment. Each module in talentwar.validation defines one `FACT`.

    variants(base, cast, quick) -> named variants (a fact with its own fixed scenario, such as the
    job ladder, ignores `base`; `quick` asks for the small version); measure(results, cast) -> (Estimate, note): the model's value and a
    note on how it was read (or why it cannot be, e.g. a flow that never happens).
    """

    id: str
    title: str
    source: str
    published: str
    band: tuple[float, float]
    band_reason: str
    unit: str
    measured: str
    variants: Variants
    measure: Callable[[dict, Cast], tuple[Estimate, str]]
    mechanism: str
    own_scenario: bool = False  # True: runs a built-in scenario of its own, whatever the base

    def passes(self, estimate: Estimate | None) -> bool:
        if estimate is None or estimate.n == 0 or not math.isfinite(estimate.mean):
            return False
        return self.band[0] <= estimate.mean <= self.band[1]


@dataclass
class FactResult:
    """What `run_validation` reports for one fact."""

    id: str
    title: str
    source: str
    published: str
    band: tuple[float, float]
    unit: str
    measured: str
    value: Estimate | None
    passed: bool
    note: str = ""
    runs: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict:
        value = self.value
        return {
            "id": self.id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "band": list(self.band),
            "unit": self.unit,
            "measured": self.measured,
            "value": _finite(value.mean) if value else None,
            "interval": [_finite(value.low), _finite(value.high)] if value else None,
            "replications_used": value.n if value else 0,
            "pass": self.passed,
            "note": self.note or None,
            "runs": self.runs,
            "seconds": round(self.seconds, 2),
        }


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


# ---------------------------------------------------------------- estimates of ratios of sums
def ratio_of_sums(parts: Callable[[np.ndarray], float], replications: int) -> Estimate:
    """The statistic `parts(index)` over all replications, with a percentile bootstrap interval.

    `parts` maps an array of replication indices (with repeats) to the statistic computed on
    those replications' sums; infinite or undefined draws are kept, so an interval that reaches
    them is reported as unbounded rather than narrowed.
    """
    everyone = np.arange(replications)
    value = float(parts(everyone))
    rng = np.random.default_rng(BOOTSTRAP_SEED)
    draws = np.asarray([parts(rng.integers(0, replications, replications)) for _ in range(BOOTSTRAP_DRAWS)], np.float64)
    draws = np.where(np.isnan(draws), np.inf, draws)  # 0 / 0: as undefined as it gets, never inside a band
    tail = (1 - LEVEL) / 2
    # inverted_cdf picks draws instead of interpolating between them, so infinite draws stay infinite
    low, high = np.quantile(draws, [tail, 1 - tail], method="inverted_cdf") if replications > 1 else (value, value)
    return Estimate(value, float(low), float(high), replications)


def safe_ratio(numerator: float, denominator: float) -> float:
    if denominator > 0:
        return numerator / denominator
    return math.inf if numerator > 0 else math.nan


def voluntary_departures(result, firm: str) -> np.ndarray:
    """[replications, months]: researchers of `firm` who took a rival's offer or an outside job."""
    return monthly(result, firm, "departures_poached") + monthly(result, firm, "departures_quit")


def count_per_replication(rows, replications: int) -> np.ndarray:
    """How many of `rows` (a frame with a `replication` column) fall in each replication, 0 for none."""
    return rows.groupby("replication").size().reindex(range(replications), fill_value=0).to_numpy()


def employers_of_kind(scenario: Scenario, kind: str) -> list[str]:
    return [f.name for f in scenario.employers if f.kind == kind]


def _mean(d) -> float:
    """The mean of a scenario distribution."""
    kind = getattr(d, "dist", "fixed")
    if kind == "fixed":
        return float(d.value)
    if kind == "uniform":
        return (d.low + d.high) / 2
    if kind == "lognormal":
        return d.median * math.exp(d.sigma**2 / 2)
    return float(d.mean)


def equity_holders(scenario: Scenario) -> str:
    """The employer whose staff hold the most equity for their pay: new grants a year (face value) over
    salary, over all its population groups. Facts about vesting are read there, where there is vesting to remove."""

    def share(firm) -> float:
        grants = sum(g.count * _mean(g.equity.value) * 12 / max(g.equity.months, 1) for g in firm.population)
        pay = sum(g.count * _mean(g.salary) for g in firm.population)
        return grants / pay if pay > 0 else 0.0

    best = max(scenario.employers, key=share)
    if share(best) <= 0:
        raise NotApplicable("no employer grants equity: there is no vesting to remove")
    return best.name

