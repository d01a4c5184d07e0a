"""(f) Flows between labs run both ways, and the stronger lab gains several times what it loses (SignalFire 2025).

Mechanism. Any firm may hunt any other (M10), and each researcher weighs an offer's pay, equity,
compute, autonomy and mission against staying (M9); where one lab beats another on those pulls,
more of the second's people take the first's offers than the reverse, and the net direction of
the flow emerges from the pulls rather than from who is allowed to hunt whom.

Experiment. The scenario as it is (after its burn-in), 24 months. The two employers of kind "lab"
with the most compute (effective GPUs): the stronger has more. Measured: researchers who moved
from the weaker to the stronger over those who moved the other way, summed over replications,
with a bootstrap interval. A flow that never runs the other way gives an infinite ratio, which
no band holds: the market runs one way.
"""

from __future__ import annotations


from talentwar.validation.base import HORIZON, Fact, NotApplicable, Variant, count_per_replication, employers_of_kind, ratio_of_sums, safe_ratio, scenario_firm

MONTHS = 24


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
    pair(base)
    return {"as is": Variant(base, HORIZON)}


def measure(results, cast):
    result = results["as is"]
    weaker, stronger = pair(result.scenario)
    moves = result.moves[(result.moves["kind"] == "poached") & (result.moves["month"] <= MONTHS)]
    gained = count_per_replication(moves[(moves["from_firm"] == weaker) & (moves["to_firm"] == stronger)], result.replications)
    lost = count_per_replication(moves[(moves["from_firm"] == stronger) & (moves["to_firm"] == weaker)], result.replications)
    note = f"{weaker} -> {stronger}: {gained.sum()} moves; {stronger} -> {weaker}: {lost.sum()} moves (all replications)"
    if lost.sum() == 0:
        note += f"; nothing flows the other way: nobody at {stronger} took an offer from {weaker}"
    return ratio_of_sums(lambda i: safe_ratio(gained[i].sum(), lost[i].sum()), result.replications), note


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
    measured="moves from the weaker lab to the stronger over moves the other way, 24 months",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
