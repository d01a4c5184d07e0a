"""(a) The job ladder's closed form (Burdett and Mortensen 1998).

Mechanism. With cash-only preferences, deterministic choice, random offers at rate lambda1 drawn
from a fixed distribution F, separations at rate delta and immediate rehiring from F, the engine
is the textbook on-the-job search model, and employed salaries settle at
G(w) = F(w) / (1 + kappa (1 - F(w))), kappa = lambda1 (1 - delta) / delta for the engine's
monthly order of events (docs/ODD.md 7.17). This checks the bookkeeping of offers, choices,
separations and hiring that every other fact rests on.

Experiment. The built-in `job-ladder` scenario (100,000 researchers, 150 months; with --quick
4,000 researchers and 100 months), whatever the base scenario. Measured: the Kolmogorov-Smirnov
distance between the employed researchers' salaries at the horizon and G.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from talentwar.scenario import load_scenario, scale_market
from talentwar.scenario.schema import Fixed, LogNormal, Uniform
from talentwar.validation.base import Estimate, Fact, Variant

QUICK_RESEARCHERS, QUICK_MONTHS = 4_000, 100


def variants(base, cast, quick: bool = False):
    ladder = load_scenario("job-ladder")
    if quick:
        ladder = scale_market(ladder, QUICK_RESEARCHERS, len(ladder.firms))
        ladder = ladder.model_copy(update={"simulation": ladder.simulation.model_copy(update={"replications": 1})})
        return {"ladder": Variant(ladder, QUICK_MONTHS)}
    return {"ladder": Variant(ladder, ladder.simulation.months)}


def offer_cdf(dist):
    if isinstance(dist, Uniform):
        return lambda w: np.clip((w - dist.low) / max(dist.high - dist.low, 1e-12), 0.0, 1.0)
    if isinstance(dist, LogNormal):
        return lambda w: stats.norm.cdf(np.log(np.maximum(w, 1e-12) / dist.median) / max(dist.sigma, 1e-12))
    if isinstance(dist, Fixed):
        return lambda w: (w >= dist.value).astype(np.float64)
    raise ValueError(f"the job ladder's offer distribution must be fixed, uniform or lognormal, not {dist.dist}")


def ks_distance(result) -> float:
    scenario = result.scenario
    employer = scenario.employers[0]
    lam, delta = employer.poaching.offer_rate, employer.separation_rate  # each employer hunts the other: lambda1 per researcher
    kappa = lam * (1 - delta) / delta
    cdf = offer_cdf(employer.poaching.salary_distribution)
    final = result.final
    salaries = final.loc[final["firm"] != "outside", "salary"].to_numpy(np.float64)
    return float(stats.kstest(salaries, lambda w: cdf(w) / (1 + kappa * (1 - cdf(w)))).statistic)


def measure(results, cast):
    result = results["ladder"]
    distance = ks_distance(result)
    employed = int((result.final["firm"] != "outside").sum())
    return Estimate(distance, distance, distance, result.replications), f"{employed:,} employed salaries at month {result.months}"


FACT = Fact(
    id="a",
    title="The job ladder's closed form",
    source="Burdett, K. and D. T. Mortensen (1998), Wage differentials, employer size, and unemployment, International Economic Review 39(2), 257-273",
    published="employed salaries follow G(w) = F(w) / (1 + kappa (1 - F(w))) exactly",
    band=(0.0, 0.01),
    band_reason=(
        "the closed form is exact, so only sampling noise separates the two distributions: for 100,000 independent "
        "salaries the 95% Kolmogorov-Smirnov critical value is 1.36 / sqrt(100,000) = 0.0043; salaries in one market are not "
        "independent, so the band allows about twice that"
    ),
    unit="KS distance",
    measured="Kolmogorov-Smirnov distance between simulated employed salaries and G",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
    own_scenario=True,
)
