"""What every claim shares: who plays which part in a scenario, variants, estimates, verdicts, sweeps.

A claim (MODEL.md, C1-C14) is an experiment. For each value x of its key condition it builds
named scenario variants (a control and a treatment, sometimes more), runs each with the same
seed and replications, so that replication r of every variant starts from the same population
and draws the same random numbers until the treatment changes something (common random
numbers), and turns the results into one effect value per replication. The effect's estimate
is the mean over replications with a 95% Student-t interval. The verdict follows one rule,
the same for every claim and parameterised in each claim's module:

    d = direction * (effect - threshold), an interval [lo, hi] for it likewise;
    supported      if lo > 0 and d >= material   (the whole interval on the claimed side, and
                                                  the effect large enough to matter);
    reversed       if hi < 0 and -d >= material  (the whole interval on the other side);
    not supported  otherwise.

`direction` is the sign the claim predicts, `threshold` the value it must beat (0 for a
difference; 0.5 for "most of"), `material` the smallest effect that counts. The sweep repeats
the experiment along the condition's values; the verdict flips between two neighbouring values
whose verdicts differ, and a claim whose verdict is the same at every value is flagged
insensitive (MODEL.md: a claim that holds everywhere is suspicious).
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from talentwar.scenario import Scenario
from talentwar.scenario.schema import ROLES

SUPPORTED, NOT_SUPPORTED, REVERSED = "supported", "not supported", "reversed"
VERDICTS = (SUPPORTED, NOT_SUPPORTED, REVERSED)
NOT_APPLICABLE = "not applicable"
LEVEL = 0.95


class NotApplicable(Exception):
    """The scenario lacks a part the claim needs (a poacher, a pact, a public incumbent, ...)."""


# ---------------------------------------------------------------- who plays which part
@dataclass(frozen=True)
class Cast:
    """The parts of a scenario that claims refer to, found from its structure, not its names.

    lab: the employer that rivals' offers aim at most (sum of their offer rates at it);
    rivals: the firms that poach from it; acquirer: the rival with the highest offer rate;
    incumbent: the first employer of kind "incumbent" other than the lab (else the acquirer);
    horizon: the months simulated; shock_month: when scheduled departures happen (a third of
    the way in, so that firms have learned and documented for a while before).
    """

    lab: str
    rivals: tuple[str, ...]
    acquirer: str | None
    incumbent: str | None
    horizon: int

    @property
    def shock_month(self) -> int:
        return max(2, self.horizon // 3)

    def need(self, part: str) -> str:
        value = getattr(self, part)
        if not value:
            raise NotApplicable(f"the scenario has no {part.replace('_', ' ')} (no firm poaches from {self.lab!r})")
        return value


def cast_of(scenario: Scenario) -> Cast:
    employers = scenario.employers
    names = [f.name for f in employers]

    def hunts(poacher, target) -> bool:
        h = poacher.poaching.hunts
        return poacher.poaching.offer_rate > 0 and poacher.name != target and (h.firms is None or target in h.firms)

    pressure = {g: sum(p.poaching.offer_rate for p in employers if hunts(p, g)) for g in names}
    lab = max(names, key=lambda g: (pressure[g], -names.index(g)))
    rivals = tuple(p.name for p in employers if hunts(p, lab))
    acquirer = max(rivals, key=lambda p: scenario_firm(scenario, p).poaching.offer_rate) if rivals else None
    incumbents = [f.name for f in employers if f.kind == "incumbent" and f.name != lab]
    return Cast(
        lab=lab,
        rivals=rivals,
        acquirer=acquirer,
        incumbent=incumbents[0] if incumbents else acquirer,
        horizon=scenario.simulation.months,
    )


def scenario_firm(scenario: Scenario, name: str):
    return next(f for f in scenario.firms if f.name == name)


# ---------------------------------------------------------------- building variants
def edit(
    scenario: Scenario, firms: dict[str, dict] | None = None, investors: dict[str, dict] | None = None, **sections
) -> Scenario:
    """A copy of `scenario` with nested fields replaced, validated again by the schema.

    `firms={"lean_lab": {"capital.window_interval_months": 6}}` edits a firm by name (likewise
    `investors`); `market={"morale.toxicity": 0.02}` edits a section; `departures=[...]` or
    `mechanisms={...}` replaces a value.
    """
    data = scenario.model_dump(mode="python")
    for key, named in (("firms", firms), ("investors", investors)):
        for name, changes in (named or {}).items():
            _assign(next(item for item in data[key] if item["name"] == name), changes)
    for section, changes in sections.items():
        if section == "market":
            _assign(data[section], changes)
        else:
            data[section] = changes
    return Scenario.model_validate(data)


def merge(*edits: dict[str, dict]) -> dict[str, dict]:
    """Firm edits combined: {"a": {...}} and {"a": {...}, "b": {...}} into one dict."""
    out: dict[str, dict] = {}
    for e in edits:
        for name, changes in e.items():
            out[name] = {**out.get(name, {}), **changes}
    return out


def _assign(target: dict, changes: dict) -> None:
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        node = target
        for key in parents:
            node = node[key]
        node[leaf] = value


def scaled(dist: dict, factor: float) -> dict:
    """A money distribution (as dumped by the schema) with every draw multiplied by `factor`."""
    kind = dist["dist"]
    if kind == "fixed":
        return {**dist, "value": dist["value"] * factor}
    if kind == "uniform":
        return {**dist, "low": dist["low"] * factor, "high": dist["high"] * factor}
    return {**dist, "median": dist["median"] * factor}


def core_equity(scenario: Scenario, firm: str, factor: float = 1.0) -> dict:
    """An equity grant like the one the firm's largest core group holds, its value times `factor`.

    "Doubling" a core researcher's stock (C1) is a special grant of factor 1 on top of their own.
    """
    groups = [g for g in scenario_firm(scenario, firm).population if g.role == "core"] or scenario_firm(scenario, firm).population
    grant = max(groups, key=lambda g: g.count).equity.model_dump(mode="python", exclude={"refresh"})  # one grant, not its refreshes
    return {**grant, "value": scaled(grant["value"], factor)}


def protect(roles: list[str], grant: dict | None = None) -> dict:
    """Edits of one firm that give `roles` a special retention grant in month 1 (M11); no roles: none."""
    edits: dict = {"retention.protected_roles": roles}
    if grant is not None:
        edits.update({"retention.special_grant": grant, "retention.grant_month": 1})
    return edits


def departure(firm: str, month: int, count: int, who: str = "top", roles=None, stage=None, to=None) -> dict:
    return {"firm": firm, "month": month, "count": count, "who": who, "roles": roles, "stage": stage, "to": to}


@dataclass(frozen=True)
class Variant:
    """A scenario to run, for how many months."""

    scenario: Scenario
    months: int

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.months}|{self.scenario.model_dump_json()}".encode()).hexdigest()


# ---------------------------------------------------------------- reading results per replication
def monthly(result, firm: str, metric: str) -> np.ndarray:
    """[replications, months]: one firm metric, month by month."""
    frame = result.metrics
    rows = frame[(frame["firm"] == firm) & (frame["metric"] == metric)]
    return rows["value"].to_numpy().reshape(result.replications, result.months)


def per_replication(result, firm: str, metric: str, month: int | None = None, total: bool = False) -> np.ndarray:
    """One value per replication: the metric at `month` (default the last), or its sum over months."""
    values = monthly(result, firm, metric)
    if total:
        return values.sum(axis=1)
    return values[:, (result.months if month is None else month) - 1]


def initial_headcount(scenario: Scenario, firm: str, roles=ROLES) -> int:
    return sum(g.count for g in scenario_firm(scenario, firm).population if g.role in roles)


def ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator per replication, NaN where the denominator is 0 (nothing to measure)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan)


# ---------------------------------------------------------------- estimates and verdicts
@dataclass(frozen=True)
class Estimate:
    """Mean of per-replication values with a two-sided `LEVEL` Student-t interval; n replications used."""

    mean: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: np.ndarray) -> Estimate:
        from talentwar.results.compare import mean_interval

        values = np.asarray(values, np.float64)
        values = values[np.isfinite(values)]
        return cls(*mean_interval(values, LEVEL), int(values.size))

    def to_dict(self) -> dict:
        return {"mean": _finite(self.mean), "low": _finite(self.low), "high": _finite(self.high), "n": self.n}

    @classmethod
    def from_dict(cls, data: dict) -> Estimate:
        def number(x, missing):
            return missing if x is None else float(x)

        return cls(number(data["mean"], math.nan), number(data["low"], -math.inf), number(data["high"], math.inf), int(data["n"]))


def _finite(x: float) -> float | None:
    return float(x) if math.isfinite(x) else None


def verdict(estimate: Estimate, direction: int, material: float, threshold: float = 0.0) -> str:
    """The rule in this module's docstring."""
    if estimate.n == 0 or not math.isfinite(estimate.mean):
        return NOT_SUPPORTED
    d = direction * (estimate.mean - threshold)
    lo, hi = sorted((direction * (estimate.low - threshold), direction * (estimate.high - threshold)))
    if lo > 0 and d >= material:
        return SUPPORTED
    if hi < 0 and -d >= material:
        return REVERSED
    return NOT_SUPPORTED


# ---------------------------------------------------------------- the claim
Variants = Callable[[Scenario, Cast, float], dict[str, Variant]]
Effect = Callable[[dict, Cast], np.ndarray]


@dataclass(frozen=True)
class Claim:
    """One claim of MODEL.md as an experiment. Each module in talentwar.claims defines one `CLAIM`.

    variants(base, cast, x) -> named variants at condition value x;
    effect(results, cast) -> one effect value per replication (results by variant name);
    extras(results, cast) -> further measures reported at the headline value, without verdicts;
    headline(base, cast) -> the condition value of the headline comparison (the seed's setting,
    or the base scenario's own value); it is added to `values` if it is not among them.
    reading: a sentence per verdict on what the result means.
    """

    id: str
    title: str
    seeds: str
    comparison: str
    measured: str
    unit: str
    condition: str
    values: tuple[float, ...]
    headline: Callable[[Scenario, Cast], float]
    direction: int
    material: float
    variants: Variants
    effect: Effect
    mechanism: str
    reading: dict[str, str]
    threshold: float = 0.0
    extras: Callable[[dict, Cast], dict[str, np.ndarray]] | None = None
    quick_values: tuple[float, ...] | None = None

    def judge(self, estimate: Estimate) -> str:
        return verdict(estimate, self.direction, self.material, self.threshold)

    def sweep_values(self, base: Scenario, cast: Cast, quick: bool = False) -> tuple[tuple[float, ...], float]:
        headline = float(self.headline(base, cast))
        values = (self.quick_values or (self.values[0], self.values[-1])) if quick else self.values
        return tuple(sorted({float(v) for v in values} | {headline})), headline


@dataclass
class SweepPoint:
    value: float
    effect: Estimate
    verdict: str

    def to_dict(self) -> dict:
        return {"value": self.value, "effect": self.effect.to_dict(), "verdict": self.verdict}


@dataclass
class ClaimResult:
    """What `run_claims` reports for one claim."""

    id: str
    title: str
    verdict: str
    effect: Estimate | None
    headline: float | None
    condition: str
    unit: str
    measured: str
    comparison: str
    sweep: list[SweepPoint] = field(default_factory=list)
    extras: dict[str, Estimate] = field(default_factory=dict)
    reason: str = ""  # why the claim is not applicable to this scenario
    runs: int = 0
    seconds: float = 0.0

    @property
    def flips(self) -> list[tuple[float, float, str, str]]:
        """(value before, value after, verdict before, verdict after) wherever neighbours differ."""
        return [(a.value, b.value, a.verdict, b.verdict) for a, b in itertools.pairwise(self.sweep) if a.verdict != b.verdict]

    @property
    def insensitive(self) -> bool:
        return len(self.sweep) > 1 and not self.flips

    def flip_text(self) -> str:
        if self.verdict == NOT_APPLICABLE:
            return ""
        if self.insensitive:
            return f"none: {self.sweep[0].verdict} at every value (insensitive)"
        return "; ".join(f"{_number(a)} → {_number(b)} ({va} → {vb})" for a, b, va, vb in self.flips)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "verdict": self.verdict,
            "effect": self.effect.mean if self.effect and math.isfinite(self.effect.mean) else None,
            "interval": [_finite(self.effect.low), _finite(self.effect.high)] if self.effect else None,
            "replications_used": self.effect.n if self.effect else 0,
            "measured": self.measured,
            "unit": self.unit,
            "comparison": self.comparison,
            "condition": self.condition,
            "headline_value": self.headline,
            "sweep": [p.to_dict() for p in self.sweep],
            "flips": [{"between": [a, b], "from": va, "to": vb} for a, b, va, vb in self.flips],
            "insensitive": self.insensitive,
            "extras": {name: e.to_dict() for name, e in self.extras.items()},
            "reason": self.reason or None,
            "runs": self.runs,
            "seconds": round(self.seconds, 2),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ClaimResult:
        """The inverse of `to_dict` (as kept in the run store)."""
        interval = data["interval"] or [None, None]
        effect = None
        if data["effect"] is not None or data["interval"] is not None:
            effect = Estimate.from_dict({"mean": data["effect"], "low": interval[0], "high": interval[1], "n": data["replications_used"]})
        return cls(
            id=data["id"],
            title=data["title"],
            verdict=data["verdict"],
            effect=effect,
            headline=data["headline_value"],
            condition=data["condition"],
            unit=data["unit"],
            measured=data["measured"],
            comparison=data["comparison"],
            sweep=[SweepPoint(p["value"], Estimate.from_dict(p["effect"]), p["verdict"]) for p in data["sweep"]],
            extras={name: Estimate.from_dict(e) for name, e in data["extras"].items()},
            reason=data["reason"] or "",
            runs=data["runs"],
            seconds=data["seconds"],
        )


def _number(x: float) -> str:
    return f"{x:g}"
