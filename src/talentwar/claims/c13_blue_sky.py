"""C13 Blue-sky compute keeps autonomy-seekers (seed 002).

Mechanism. A blue-sky share of the cluster is reserved for self-chosen research (M5): it raises
the autonomy pull of staying for those who weigh autonomy (M9), through tokens shared equally or
by skill, at the price of less compute for assigned work (M4).

Experiment. The lab reserves a blue-sky share x of its cluster (002: 15-20%) or none. Effect:
autonomy-weighted attrition of the lab's month-0 staff: the sum of the autonomy weights of those
no longer at the lab at the horizon over the sum for all of them, x minus none (negative supports
the claim). Headline: x = 0.175, the middle of 002's range.
"""

import numpy as np

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, edit


def variants(base, cast, x):
    def run(share: float) -> Variant:
        return Variant(edit(base, firms={cast.lab: {"compute.blue_sky_share": share}}), cast.horizon)

    return {"blue sky": run(x), "none": run(0.0)}


def weighted_attrition(result, cast) -> np.ndarray:
    final = result.final
    staff = final[final["initial_firm"] == cast.lab]
    weight = staff["weight_autonomy"].to_numpy(np.float64)
    left = (staff["firm"] != cast.lab).to_numpy()
    reps = staff["replication"].to_numpy()
    lost = np.bincount(reps, weights=weight * left, minlength=result.replications)
    return lost / np.bincount(reps, weights=weight, minlength=result.replications)


def effect(results, cast):
    return weighted_attrition(results["blue sky"], cast) - weighted_attrition(results["none"], cast)


CLAIM = Claim(
    id="C13",
    title="Blue-sky compute keeps autonomy-seekers",
    seeds="002",
    comparison="a 17.5% blue-sky share at the lab vs none",
    measured="autonomy-weighted attrition of the lab's month-0 staff by the horizon (blue sky minus none)",
    unit="autonomy-weighted share",
    condition="lab's blue-sky share of compute",
    values=(0.05, 0.1, 0.175, 0.25, 0.35),
    quick_values=(0.05, 0.35),
    headline=lambda base, cast: 0.175,
    direction=-1,
    material=0.002,  # a fifth of a point
    variants=variants,
    effect=effect,
    mechanism=__doc__,
    reading={
        SUPPORTED: "The blue-sky share keeps the researchers who weigh autonomy: fewer of them leave.",
        NOT_SUPPORTED: "The blue-sky share does not measurably change how many autonomy-seekers leave: the compute it takes from assigned work offsets the autonomy it gives, or autonomy is too small a part of their choice.",
        REVERSED: "More autonomy-seekers leave with a blue-sky share, against the claim.",
    },
)
