"""C3 A protected class alienates infra, data and product staff (seed 000).

Mechanism. Where a firm gives special grants to a protected class (M11), the unprotected infra,
data and product staff lose morale each month (M13, "toxicity"), and their internal moves into
AI roles are blinded (M16); low morale raises their monthly quit hazard and makes rivals'
offers more attractive (M9).

Experiment. At the firm that has a protected class in the scenario (else the lab): its special
grants to core researchers (or, if it has none, grants the size of their stock) vs no protected
class. Effect: departures of the unprotected (every role but core; poached or separated) over
the run per unprotected researcher at month 0, treatment minus control. The sweep varies the
toxicity: the morale the unprotected lose each month a protected class exists.
"""

import numpy as np

from talentwar.claims.base import (
    NOT_SUPPORTED,
    REVERSED,
    SUPPORTED,
    Claim,
    Variant,
    core_equity,
    edit,
    initial_headcount,
    protect,
    scenario_firm,
)
from talentwar.scenario.schema import ROLES

UNPROTECTED = tuple(r for r in ROLES if r != "core")


def protecting_firm(base, cast) -> str:
    return next((f.name for f in base.employers if f.retention.protected_roles), cast.lab)


def variants(base, cast, x):
    firm = protecting_firm(base, cast)
    retention = scenario_firm(base, firm).retention
    grant = retention.special_grant.model_dump(mode="python") if retention.protected_roles else core_equity(base, firm)
    market = {"morale.toxicity": x}
    return {
        "protected class": Variant(edit(base, firms={firm: protect(["core"], grant)}, market=market), cast.horizon),
        "none": Variant(edit(base, firms={firm: protect([])}, market=market), cast.horizon),
    }


def attrition(result, firm: str) -> np.ndarray:
    moves = result.moves
    left = moves[(moves["from_firm"] == firm) & moves["role"].isin(UNPROTECTED) & moves["kind"].isin(["poached", "quit", "separated"])]
    counts = left.groupby("replication").size().reindex(range(result.replications), fill_value=0).to_numpy()
    return counts / max(initial_headcount(result.scenario, firm, UNPROTECTED), 1)


def effect(results, cast):
    firm = protecting_firm(results["protected class"].scenario, cast)  # the one firm it protects
    return attrition(results["protected class"], firm) - attrition(results["none"], firm)


CLAIM = Claim(
    id="C3",
    title="A protected class alienates infra, data and product staff",
    seeds="000",
    comparison="special grants to core only vs none, at the firm with a protected class",
    measured="departures of unprotected staff over the run per unprotected researcher (protected class minus none)",
    unit="share of the unprotected",
    condition="toxicity: morale the unprotected lose each month",
    values=(0.0, 0.005, 0.01, 0.02, 0.04),
    quick_values=(0.0, 0.04),
    headline=lambda base, cast: base.market.morale.toxicity,
    direction=+1,
    material=0.01,  # one point of the unprotected headcount
    variants=variants,
    effect=effect,
    mechanism=__doc__,
    reading={
        SUPPORTED: "The protected class drives out more of the unprotected staff than no protected class does.",
        NOT_SUPPORTED: "Attrition of the unprotected does not measurably change with the protected class: the morale it costs is too small, or separations for other reasons dominate.",
        REVERSED: "Fewer unprotected staff leave with a protected class, against the claim.",
    },
)
