"""Running claims: plan every variant, run each once with common random numbers, judge the effects."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Iterable

from talentwar.claims.base import NOT_APPLICABLE, Cast, Claim, ClaimResult, Estimate, NotApplicable, SweepPoint, Variant, cast_of
from talentwar.scenario import Scenario, load_scenario, scale_market


@dataclass(frozen=True)
class QuickSettings:
    """`quick=True`: a small market, a short horizon, few replications and two sweep values.

    It exercises every claim end to end in seconds (the test suite runs it); its verdicts rest
    on few replications and are not the claims' answers.
    """

    population_share: float = 1 / 3
    months: int = 12
    replications: int = 8


QUICK = QuickSettings()

Progress = Callable[[int, int, str], None]


def run_claims(
    claims: Iterable[str] | None = None,
    scenario: Scenario | str = "talent-war-2026",
    replications: int | None = None,
    seed: int | None = None,
    quick: bool = False,
    progress: Progress | None = None,
    posterior: dict | None = None,
) -> list[ClaimResult]:
    """Run claims (ids such as "C1"; default all of C1-C14) on `scenario` and judge each.

    Every variant of every claim runs `replications` replications (default: the scenario's)
    from `seed` (default: the scenario's), so that variants share their random numbers.
    `progress(done, total, label)` is called after each simulation. A claim whose parts the
    scenario lacks (say, no pact protecting the lab) comes back `not applicable`, with the reason.
    `posterior` (a stored calibration) draws each replication's world from it, the same world for
    replication r of every variant (`simulate`'s posterior).
    """
    from talentwar.claims import CLAIMS
    from talentwar.simulation import simulate

    ids = [c.upper() for c in claims] if claims else list(CLAIMS)
    unknown = [c for c in ids if c not in CLAIMS]
    if unknown:
        raise ValueError(f"unknown claim {', '.join(unknown)}; expected some of {', '.join(CLAIMS)}")
    base, replications, seed = resolve(scenario, replications, seed, quick)
    cast = cast_of(base)

    plans = [_plan(CLAIMS[c], base, cast, quick) for c in ids]
    total = sum(len(p.unique) for p in plans)
    done = 0
    results = []
    for plan in plans:
        started = time.perf_counter()
        if plan.reason:
            results.append(_not_applicable(plan.claim, plan.reason))
            continue
        cache = {}
        for key, variant in plan.unique.items():
            cache[key] = simulate(variant.scenario, replications=replications, months=variant.months, seed=seed, posterior=posterior)
            done += 1
            if progress:
                progress(done, total, plan.claim.id)
        results.append(_judge(plan, cast, cache, time.perf_counter() - started))
    return results


def resolve(scenario: Scenario | str, replications: int | None, seed: int | None, quick: bool) -> tuple[Scenario, int, int]:
    """The base scenario (made small with `quick`), replications and seed that `run_claims` uses."""
    base = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    if quick:
        base = quick_scenario(base)
    replications = base.simulation.replications if replications is None else int(replications)
    seed = base.simulation.seed if seed is None else int(seed)
    if replications < 2:
        raise ValueError(f"replications must be >= 2 for an interval, got {replications}")
    return base, replications, seed


@dataclass
class _Plan:
    claim: Claim
    headline: float = 0.0
    points: list[tuple[float, dict[str, Variant]]] | None = None
    unique: dict[str, Variant] | None = None
    reason: str = ""


def _plan(claim: Claim, base: Scenario, cast: Cast, quick: bool, headline_only: bool = False) -> _Plan:
    try:
        values, headline = claim.sweep_values(base, cast, quick)
        if headline_only:  # claims across worlds: the verdict at the headline value, no sweep
            values = (headline,)
        points = [(x, claim.variants(base, cast, x)) for x in values]
    except NotApplicable as why:
        return _Plan(claim, reason=str(why), unique={})
    unique = {v.key: v for _, variants in points for v in variants.values()}
    return _Plan(claim, headline, points, unique)


def _judge(plan: _Plan, cast: Cast, cache: dict, seconds: float) -> ClaimResult:
    claim = plan.claim
    sweep, extras, headline_effect = [], {}, None
    for x, variants in plan.points:
        results = {name: cache[v.key] for name, v in variants.items()}
        estimate = Estimate.of(claim.effect(results, cast))
        sweep.append(SweepPoint(x, estimate, claim.judge(estimate)))
        if x == plan.headline:
            headline_effect = estimate
            if claim.extras:
                extras = {name: Estimate.of(values) for name, values in claim.extras(results, cast).items()}
    return ClaimResult(
        id=claim.id,
        title=claim.title,
        verdict=claim.judge(headline_effect),
        effect=headline_effect,
        headline=plan.headline,
        condition=claim.condition,
        unit=claim.unit,
        measured=claim.measured,
        comparison=claim.comparison,
        sweep=sweep,
        extras=extras,
        runs=len(plan.unique),
        seconds=seconds,
    )


def _not_applicable(claim: Claim, reason: str) -> ClaimResult:
    return ClaimResult(
        id=claim.id,
        title=claim.title,
        verdict=NOT_APPLICABLE,
        effect=None,
        headline=None,
        condition=claim.condition,
        unit=claim.unit,
        measured=claim.measured,
        comparison=claim.comparison,
        reason=reason,
    )


def quick_scenario(base: Scenario) -> Scenario:
    """`base` as `--quick` runs it: a third of the market, 12 months, 8 replications."""
    total = sum(g.count for f in base.firms for g in f.population)
    small = scale_market(base, researchers=max(len(base.firms) * 20, round(total * QUICK.population_share)), firms=len(base.firms))
    months = min(QUICK.months, base.simulation.months)
    # scheduled departures beyond the short horizon would not fire; drop them
    departures = [d for d in small.departures if d.month <= months]
    simulation = small.simulation.model_copy(update={"months": months, "replications": QUICK.replications})
    return small.model_copy(update={"simulation": simulation, "departures": departures})
