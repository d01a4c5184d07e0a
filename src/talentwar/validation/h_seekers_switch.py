"""(h) Employed job seekers switch employers at about a tenth a month (Carrillo-Tudela et al. 2015).

Mechanism. A researcher who declined an offer only because leaving would forfeit their unvested
equity rests (M14): they want to leave and stay for the equity. They look for work, so outside job
offers reach them at the market's rate plus `market.rest_and_vest.search_rate` (M16's outside
market), and each offer, a rival's or an outside one, is decided as any other (M9), against the
equity they would forfeit. They are the model's employed job seekers.

Experiment. The scenario as it is (after its burn-in), 48 months. Measured: of the researchers
resting at the start of a month, at any employer, the share who took a rival's offer or an
outside job that month, pooled over employers and months: departures of the resting over resting
researcher-months. Ratio of sums over replications, bootstrap interval. The survey's searchers are
US workers at large, who looked for work in the past four weeks whatever held them; the model's
are held back by unvested equity, so they face a higher bar than the average searcher.
"""

from __future__ import annotations

from talentwar.claims.base import monthly
from talentwar.validation.base import HORIZON, Fact, Variant, ratio_of_sums, safe_ratio


def variants(base, cast, quick=False):
    return {"as is": Variant(base, HORIZON)}


def measure(results, cast):
    result = results["as is"]
    firms = [f.name for f in result.scenario.employers]
    seekers = sum(monthly(result, firm, "resting_at_start") for firm in firms).sum(axis=1)  # [replications]
    moved = sum(monthly(result, firm, "departures_resting") for firm in firms).sum(axis=1)

    def share(index):
        return safe_ratio(moved[index].sum(), seekers[index].sum())

    reps = result.replications
    note = f"{seekers.sum() / reps:.0f} resting researcher-months and {moved.sum() / reps:.1f} of their departures a replication"
    return ratio_of_sums(share, reps), note


FACT = Fact(
    id="h",
    title="Employed job seekers switch employers at about a tenth a month",
    source=(
        "Carrillo-Tudela, Hobijn, Perkowski and Visschers (2015), Majority of hires never report looking for a job, "
        "FRBSF Economic Letter 2015-10 (Current Population Survey, Contingent Worker Supplements)"
    ),
    published="about one-tenth of employed workers who search for a job switch employers in the following month",
    band=(0.05, 0.15),
    band_reason=(
        "'about one-tenth' is a rounded figure for US workers at large, not for AI researchers; half of it to one and a "
        "half times it counts as reproducing it"
    ),
    unit="share a month",
    measured="share of the researchers resting at the start of a month (M14: staying only for their unvested equity, and looking) who leave that month",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
