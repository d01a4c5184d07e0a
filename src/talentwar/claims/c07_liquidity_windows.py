"""C7 Liquidity windows neutralise capital asymmetry (seeds 002, 001).

Mechanism. A researcher values equity at its certainty equivalent (M2), discounted for the years
until it can be sold; a private lab's stock is a long-dated option, an incumbent's is liquid.
Secondary windows (M3) let holders sell part of their vested stock every k months, shortening
the expected time to liquidity and raising the value of all the lab's equity in choice (M9).

Experiment. The lab runs biannual windows (every 6 months; 002) or none. Effect: departures from
the lab to public (liquid) rivals over the run per researcher at month 0, windows minus none
(negative supports the claim). The sweep varies the lab's years to liquidity without windows:
the capital asymmetry the windows offset.
"""

from talentwar.claims.base import (
    NOT_SUPPORTED,
    REVERSED,
    SUPPORTED,
    Claim,
    NotApplicable,
    Variant,
    edit,
    initial_headcount,
    per_replication,
    scenario_firm,
)

WINDOW_MONTHS = 6  # 002: "structured, biannual secondary share sales"


def liquid_rivals(base, cast):
    liquid = [r for r in cast.need("rivals") if scenario_firm(base, r).capital.public]
    if not liquid:
        raise NotApplicable(f"no public (liquid) firm poaches from {cast.lab!r}")
    return liquid


def variants(base, cast, x):
    liquid_rivals(base, cast)
    if scenario_firm(base, cast.lab).capital.public:
        raise NotApplicable(f"{cast.lab!r} is public: its stock is already liquid")

    def run(interval: int) -> Variant:
        return Variant(edit(base, firms={cast.lab: {"capital.window_interval_months": interval, "capital.years_to_liquidity": x}}), cast.horizon)

    return {"windows": run(WINDOW_MONTHS), "none": run(0)}


def attrition(result, cast):
    lost = sum(per_replication(result, cast.lab, f"departures_to:{q}", total=True) for q in liquid_rivals(result.scenario, cast))
    return lost / initial_headcount(result.scenario, cast.lab)


def effect(results, cast):
    return attrition(results["windows"], cast) - attrition(results["none"], cast)


CLAIM = Claim(
    id="C7",
    title="Liquidity windows neutralise capital asymmetry",
    seeds="002, 001",
    comparison="biannual secondary windows vs none at the private lab",
    measured="the lab's attrition to liquid (public) rivals over the run (windows minus none)",
    unit="share of the lab's staff",
    condition="lab's years to liquidity",
    values=(1.0, 3.0, 5.0, 8.0, 12.0),
    quick_values=(1.0, 12.0),
    headline=lambda base, cast: scenario_firm(base, cast.lab).capital.years_to_liquidity,
    direction=-1,
    material=0.002,  # a fifth of a point of the lab's staff
    variants=variants,
    effect=effect,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Windows cut the lab's losses to liquid incumbents: liquidity, not cash, was part of their pull.",
        NOT_SUPPORTED: "Windows do not measurably change the losses to liquid incumbents: the equity pull is too small a part of the choice, or the windows shorten liquidity too little.",
        REVERSED: "The lab loses more to liquid incumbents with windows, against the claim.",
    },
)
