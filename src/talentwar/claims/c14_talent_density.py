"""C14 Talent density has diminishing returns (seed 001).

Mechanism. A firm's stage knowledge combines its best people with each next-best discounted for
overlap (M8, noisy-OR), and capability grows with research headcount to a power below 1
(`headcount_elasticity`): both make the n-th researcher add less than the one before (001: the
tenth researcher adds less than 10%).

Experiment. At the start of the run (month 1) k randomly chosen core researchers of the lab
leave, with replacement hiring and life events switched off (M16) so that the team really is
smaller when capability is measured at the end of that month; the same seed removes nested sets.
With n core researchers at month 0 and h = n / 2, the marginal capability of a core researcher
at full strength is (C(n) - C(n - 2)) / 2, at half strength (C(h + 2) - C(h)) / 2. Effect:
marginal at half strength minus at full, as a share of C(n): positive means diminishing returns.
The sweep varies the headcount elasticity, the model's own parameter for diminishing returns,
to show whether the result is more than that assumption.
"""

from talentwar.claims.base import (
    NOT_SUPPORTED,
    REVERSED,
    SUPPORTED,
    Claim,
    NotApplicable,
    Variant,
    departure,
    edit,
    initial_headcount,
    per_replication,
)

STEP = 2  # researchers per marginal difference, to average over who they are


def removals(base, cast) -> dict[str, int]:
    n = initial_headcount(base, cast.lab, ("core",))
    if n < 2 * STEP + 2:
        raise NotApplicable(f"{cast.lab!r} has {n} core researchers; the experiment needs at least {2 * STEP + 2}")
    half = n // 2
    return {"full": 0, "full - 2": STEP, "half + 2": n - half - STEP, "half": n - half}


def variants(base, cast, x):
    out = {}
    for name, k in removals(base, cast).items():
        leave = [departure(cast.lab, 1, k, who="random", roles=["core"])] if k else []
        scenario = edit(base, market={"capability.headcount_elasticity": x}, departures=leave, mechanisms={**base.mechanisms, "M16": False})
        out[name] = Variant(scenario, cast.shock_month)
    return out


def effect(results, cast):
    c = {name: per_replication(result, cast.lab, "capability", month=1) for name, result in results.items()}
    at_full = (c["full"] - c["full - 2"]) / STEP
    at_half = (c["half + 2"] - c["half"]) / STEP
    return (at_half - at_full) / c["full"]


CLAIM = Claim(
    id="C14",
    title="Talent density has diminishing returns",
    seeds="001",
    comparison="the lab with its full core team vs with 2 fewer, and at half strength vs 2 more",
    measured="marginal capability of a core researcher at half strength minus at full strength, per unit of capability",
    unit="share of capability per researcher",
    condition="headcount elasticity of capability",
    values=(0.25, 0.5, 0.75, 0.9, 1.0),
    quick_values=(0.25, 1.0),
    headline=lambda base, cast: base.market.capability.headcount_elasticity,
    direction=+1,
    material=0.001,  # a tenth of a percent of capability per researcher
    variants=variants,
    effect=effect,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Each added core researcher adds less than the one before: density has diminishing returns here.",
        NOT_SUPPORTED: "The marginal researcher adds about as much at full strength as at half, within the interval.",
        REVERSED: "Researchers add more at full strength than at half: returns to density increase, against the claim.",
    },
)
