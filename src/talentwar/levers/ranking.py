"""Which lever buys the most retention per dollar: `talentwar levers`.

For one firm, each lever takes one step from the scenario's value (or from none), defined here
and shown with every result. The scenario and each stepped copy run with the same seed and
replications (common random numbers), so a replication's difference is the lever's, not noise:

    effect   = objective with the step - objective without it, per replication (mean, 95% t-interval)
    cost     = the firm's `lever_cost` over the run with the step - without it, k$ (docs/ODD.md 7.21)
    per M$   = mean effect / mean cost x 1000 (a ratio of means; 95% bootstrap interval over replications)

Levers are ranked by effect per million dollars. A lever that costs nothing (or saves money) and
helps ranks first; one that costs nothing and does nothing ranks last, and so does one whose
effect per dollar cannot be told (cost 0, effect 0).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from talentwar.claims.base import Estimate, NotApplicable, per_replication
from talentwar.engine.metrics import is_flow
from talentwar.levers.catalog import BY_NAME, LEVERS, unknown_levers
from talentwar.scenario import Scenario


@dataclass
class LeverResult:
    name: str
    step: str
    mechanism: str
    effect: Estimate | None = None  # on the objective
    cost: Estimate | None = None  # k$ over the run
    per_million: Estimate | None = None  # effect per million dollars
    note: str = ""

    def to_dict(self) -> dict:
        def est(e):
            return e.to_dict() if e is not None else None

        return {"name": self.name, "step": self.step, "mechanism": self.mechanism, "effect": est(self.effect), "cost_k": est(self.cost),
                "effect_per_million": est(self.per_million), "note": self.note or None}


@dataclass
class Ranking:
    scenario: str
    firm: str
    objective: str
    replications: int
    months: int
    seed: int
    quick: bool
    seconds: float
    base: Estimate  # the objective without any step
    levers: list[LeverResult] = field(default_factory=list)  # ranked, best first

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "firm": self.firm, "objective": self.objective, "replications": self.replications, "months": self.months,
                "seed": self.seed, "quick": self.quick, "seconds": round(self.seconds, 1), "base": self.base.to_dict(),
                "levers": [r.to_dict() for r in self.levers]}


@dataclass(frozen=True)
class Question:
    """What a lever is asked to move, checked against the scenario: the firm, its objective, and the
    replications and seed every compared run shares (common random numbers)."""

    base: Scenario  # as resolved (with --quick: the small market)
    firm: str
    objective: str
    replications: int
    seed: int
    quick: bool

    def measure(self, scenario: Scenario) -> tuple[np.ndarray, np.ndarray]:
        """(the objective, the firm's `lever_cost` over the run in k$), per replication, of `scenario`
        run with this question's replications and seed. The objective is read at the horizon, or
        summed over the run for a flow."""
        from talentwar.simulation import simulate

        out = simulate(scenario, replications=self.replications, seed=self.seed)
        value = per_replication(out, self.firm, self.objective, total=is_flow(self.objective))
        return value.astype(np.float64), per_replication(out, self.firm, "lever_cost", total=True).astype(np.float64)


def question(scenario: Scenario | str, firm: str, levers: list[str] | None, objective: str, replications: int | None, seed: int | None, quick: bool) -> tuple[Question, list[str]]:
    """The checked question and the lever names (default all of LEVERS); ValueError, one line, for
    an unknown firm, lever or objective."""
    from talentwar.claims.experiment import resolve
    from talentwar.engine.metrics import metric_names

    base, replications, seed = resolve(scenario, replications, seed, quick)
    employers = [f.name for f in base.firms if f.kind != "outside"]
    if firm not in employers:
        raise ValueError(f"--firm {firm}: no such firm in scenario {base.name}; firms are {', '.join(employers)}")
    names = levers or [lever.name for lever in LEVERS]
    if unknown_levers(names):
        raise ValueError(unknown_levers(names))
    if objective not in metric_names(list(base.simulation.stages), [f.name for f in base.firms]):
        raise ValueError(f"--objective {objective}: not a metric; try core_retention, capability, headcount_core or any of `talentwar run`'s metrics")
    return Question(base, firm, objective, replications, seed, quick), names


def rank_levers(
    scenario: Scenario | str = "talent-war-2026",
    firm: str = "lean_lab",
    levers: list[str] | None = None,
    objective: str = "core_retention",
    replications: int | None = None,
    seed: int | None = None,
    quick: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Ranking:
    """Step each of `firm`'s levers (default all of LEVERS) and rank them by effect on `objective`
    per million dollars. ValueError for an unknown firm, lever or objective."""
    from talentwar.validation.base import ratio_of_sums

    asked, names = question(scenario, firm, levers, objective, replications, seed, quick)
    base = asked.base
    started = time.perf_counter()
    plans: list[tuple[LeverResult, Scenario | None]] = []
    for name in names:
        lever = BY_NAME[name]
        result = LeverResult(lever.name, lever.step, lever.mechanism)
        try:
            stepped, result.step = lever.take(base, firm)
            plans.append((result, stepped))
        except NotApplicable as why:
            result.note = str(why)
            plans.append((result, None))
    runs = 1 + sum(stepped is not None for _, stepped in plans)

    def run(s: Scenario, label: str, done: int):
        measured = asked.measure(s)
        if progress:
            progress(done, runs, label)
        return measured

    base_objective, base_cost = run(base, "the scenario", 1)
    done = 1
    for result, stepped in plans:
        if stepped is None:
            continue
        done += 1
        value, cost = run(stepped, result.name, done)
        effect, spent = value - base_objective, cost - base_cost
        result.effect, result.cost = Estimate.of(effect), Estimate.of(spent)

        def per_million(index, effect=effect, spent=spent):
            return _per_million(effect[index].mean(), spent[index].mean())

        result.per_million = ratio_of_sums(per_million, asked.replications)
    ranked = sorted((r for r, _ in plans), key=_rank_key)
    return Ranking(base.name, firm, objective, asked.replications, base.simulation.months, asked.seed, quick, time.perf_counter() - started,
                   Estimate.of(base_objective), ranked)


def _per_million(effect: float, cost_k: float) -> float:
    """Effect per million dollars; for a lever that costs nothing (or saves money): +inf if it
    helps, -inf if it hurts, NaN if it does nothing."""
    if cost_k > 0:
        return effect / (cost_k / 1000.0)
    return math.inf if effect > 0 else -math.inf if effect < 0 else math.nan


def _rank_key(result: LeverResult) -> tuple:
    """Best first: the highest effect per M$ (a free win is +inf); NaN (nothing to tell) and levers
    that could not be taken last."""
    if result.per_million is None or math.isnan(result.per_million.mean):
        return (1, 0.0)
    return (0, -result.per_million.mean)
