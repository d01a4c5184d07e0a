"""(f) Flows between labs run both ways, and the stronger lab gains several times what it loses (SignalFire 2025).

Mechanism. Any firm may hunt any other (M10), and each researcher weighs an offer's pay, equity,
compute, autonomy and mission against staying (M9); where one lab beats another on those pulls,
more of the second's people take the first's offers than the reverse, and the net direction of
the flow emerges from the pulls rather than from who is allowed to hunt whom.

Experiment. The two employers of kind "lab" with the most compute (effective GPUs): the stronger
has more. In the scenario (after its burn-in), the two labs hunt each other's core researchers and
research engineers on the same terms, so that only the labs themselves differ: 2% of the hunted
a month each, value targeting, 20% over current pay, a full buyout of unvested equity as the
holder values it, no new grant or compute promise and no budget limit. Measured over 24 months:
the likelihood of a move per hunted researcher (moves over the mean hunted headcount, summed over
replications), weaker -> stronger over stronger -> weaker, with a bootstrap interval. SignalFire's
ratios are per engineer, so this is too. A flow that never runs the other way gives an infinite
ratio, which no band holds.
"""

from __future__ import annotations

from talentwar.validation.base import HORIZON, Fact, NotApplicable, Variant, count_per_replication, edit, employers_of_kind, monthly, ratio_of_sums, safe_ratio, scenario_firm

MONTHS = 24
HUNTED = ("core", "research_engineer")
TERMS = {  # the same for both labs: only the labs differ
    "poaching.offer_rate": 0.02,  # assumption: enough moves both ways for an interval in two years
    "poaching.targeting": "value",
    "poaching.salary_premium": 0.2,  # assumption: a typical premium for a move between labs
    "poaching.salary_distribution": None,
    "poaching.buyout_fraction": 1.0,
    "poaching.equity_grant": {"value": 0.0},
    "poaching.compute_promise": 0.0,
    "poaching.monthly_budget": None,
}


def pair(scenario) -> tuple[str, str]:
    """(weaker, stronger): the two labs with the most effective compute."""
    labs = employers_of_kind(scenario, "lab")
    if len(labs) < 2:
        raise NotApplicable("the scenario has fewer than two employers of kind 'lab'")

    def compute(name):
        c = scenario_firm(scenario, name).compute
        return c.gpus * c.hardware_efficiency

    weaker, stronger = sorted(labs, key=compute)[-2:]
    return weaker, stronger


def variants(base, cast, quick=False):
    weaker, stronger = pair(base)

    def hunting(target):
        return {**TERMS, "poaching.hunts": {"firms": [target], "roles": list(HUNTED), "stages": None, "where_pulls_beat": False}}

    return {"hunting each other": Variant(edit(base, firms={weaker: hunting(stronger), stronger: hunting(weaker)}), HORIZON)}


def measure(results, cast):
    result = results["hunting each other"]
    weaker, stronger = pair(result.scenario)
    moves = result.moves[(result.moves["kind"] == "poached") & (result.moves["month"] <= MONTHS)]
    gained = count_per_replication(moves[(moves["from_firm"] == weaker) & (moves["to_firm"] == stronger)], result.replications)
    lost = count_per_replication(moves[(moves["from_firm"] == stronger) & (moves["to_firm"] == weaker)], result.replications)

    def hunted(firm):  # [replications]: mean headcount of the hunted roles over the months read
        return sum(monthly(result, firm, f"headcount:{role}")[:, :MONTHS] for role in HUNTED).mean(axis=1)

    pool_weaker, pool_stronger = hunted(weaker), hunted(stronger)
    note = (
        f"{weaker} -> {stronger}: {gained.sum()} moves from about {pool_weaker.mean():.0f} hunted; "
        f"{stronger} -> {weaker}: {lost.sum()} moves from about {pool_stronger.mean():.0f} (all replications)"
    )
    if lost.sum() == 0:
        note += f"; nothing flows the other way: nobody at {stronger} took an offer from {weaker}"

    def ratio(i):
        return safe_ratio(gained[i].sum() / pool_weaker[i].sum(), lost[i].sum() / pool_stronger[i].sum()) if pool_stronger[i].sum() > 0 else float("nan")

    return ratio_of_sums(ratio, result.replications), note


FACT = Fact(
    id="f",
    title="The stronger lab gains several times what it loses",
    source="SignalFire (2025), State of Talent Report 2025: moves between AI labs",
    published="engineers 8.2 times as likely to move OpenAI -> Anthropic as the reverse, 10.6 times DeepMind -> Anthropic",
    band=(4.0, 16.0),
    band_reason=(
        "the two published ratios (8.2 and 10.6), each within a factor of two: the model's labs are not OpenAI, DeepMind or "
        "Anthropic, only two labs that differ in compute, pay and mission"
    ),
    unit="ratio of moves",
    measured="moves per hunted researcher from the weaker lab to the stronger over the reverse, both hunting each other on equal terms, 24 months",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
