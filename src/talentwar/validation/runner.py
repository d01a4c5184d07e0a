"""Running validation facts: plan every variant, run each once with common random numbers, measure."""

from __future__ import annotations

import time
from typing import Callable, Iterable

from talentwar.claims.base import cast_of
from talentwar.claims.experiment import resolve
from talentwar.scenario import Scenario
from talentwar.validation.base import FactResult, NotApplicable

Progress = Callable[[int, int, str], None]


def run_validation(
    facts: Iterable[str] | None = None,
    scenario: Scenario | str = "talent-war-2026",
    replications: int | None = None,
    seed: int | None = None,
    quick: bool = False,
    progress: Progress | None = None,
) -> list[FactResult]:
    """Run facts (ids "a" to "h"; default all) on `scenario` and say which the model reproduces.

    Every variant runs `replications` replications (default: the scenario's) from `seed` (default:
    the scenario's); variants that are the same scenario and horizon run once. `quick` runs the
    same experiments on a small market with 8 replications (claims' --quick): a smoke test whose
    passes and fails are not the answer. `progress(done, total, fact)` follows each simulation.
    """
    from talentwar.simulation import simulate
    from talentwar.validation import FACTS

    ids = [f.lower() for f in facts] if facts else list(FACTS)
    unknown = [f for f in ids if f not in FACTS]
    if unknown:
        raise ValueError(f"unknown fact {', '.join(unknown)}; expected some of {', '.join(FACTS)}")
    base, replications, seed = resolve(scenario, replications, seed, quick)
    cast = cast_of(base)
    plans = []
    for fact_id in ids:
        fact = FACTS[fact_id]
        try:
            plans.append((fact, fact.variants(base, cast, quick), ""))
        except NotApplicable as why:
            plans.append((fact, {}, str(why)))
    unique = {v.key: v for _, variants, _ in plans for v in variants.values()}
    total, done, cache, results = len(unique), 0, {}, []
    for fact, variants, reason in plans:
        started = time.perf_counter()
        if reason:
            results.append(_result(fact, None, reason, 0, 0.0))
            continue
        for variant in variants.values():
            if variant.key not in cache:
                reps = variant.scenario.simulation.replications if fact.own_scenario else replications
                cache[variant.key] = simulate(variant.scenario, replications=reps, months=variant.months, seed=seed)
                done += 1
                if progress:
                    progress(done, total, fact.id)
        estimate, note = fact.measure({name: cache[v.key] for name, v in variants.items()}, cast)
        results.append(_result(fact, estimate, note, len(variants), time.perf_counter() - started))
    return results


def _result(fact, estimate, note: str, runs: int, seconds: float) -> FactResult:
    return FactResult(
        id=fact.id,
        title=fact.title,
        source=fact.source,
        published=fact.published,
        band=fact.band,
        unit=fact.unit,
        measured=fact.measured,
        value=estimate,
        passed=fact.passes(estimate),
        note=note,
        runs=runs,
        seconds=seconds,
    )
