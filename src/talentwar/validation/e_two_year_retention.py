"""(e) Two-year retention at frontier labs (SignalFire, State of Talent 2025).

Mechanism. Who is still at a lab two years on is the sum of every decision in between: rivals'
offers and outside jobs declined or taken (M9, M10, the outside market of M16), counter-offers
(M11), morale (M13) and life events (M16).

Experiment. The scenario as it is (after its burn-in), 24 months. Measured: of the researchers
employed at each lab (every employer of kind "lab") at month 0, the share who have not left it
by month 24, pooled over the labs; per replication, with a Student-t interval. SignalFire follows
engineers from when they were hired; month-0 staff include longer tenures, who have fewer
unvested grants left and may differ: a difference this fact notes and does not correct.
"""

from __future__ import annotations

import numpy as np

from talentwar.validation.base import HORIZON, Estimate, Fact, NotApplicable, Variant, count_per_replication, employers_of_kind

MONTHS = 24


def variants(base, cast, quick=False):
    if not employers_of_kind(base, "lab"):
        raise NotApplicable("the scenario has no employer of kind 'lab'")
    return {"as is": Variant(base, HORIZON)}


def retained(result, firms: list[str]) -> tuple[np.ndarray, dict[str, float]]:
    """Per replication, the share of month-0 staff of `firms` who never left their firm; and per firm, the mean."""
    final = result.final
    start = final.loc[final["initial_firm"].isin(firms), ["replication", "researcher", "initial_firm"]]
    moves = result.moves
    out = moves.loc[moves["kind"].isin(["poached", "quit", "separated"]) & (moves["month"] <= MONTHS), ["replication", "researcher", "from_firm"]]
    left = start.merge(out, left_on=["replication", "researcher", "initial_firm"], right_on=["replication", "researcher", "from_firm"])
    left = left.drop_duplicates(["replication", "researcher"])
    staff, gone = count_per_replication(start, result.replications), count_per_replication(left, result.replications)
    by_firm = {}
    for firm in firms:
        at = start["initial_firm"] == firm
        gone_here = (left["initial_firm"] == firm).sum()
        by_firm[firm] = 1.0 - gone_here / max(int(at.sum()), 1)
    return 1.0 - gone / np.maximum(staff, 1), by_firm


def measure(results, cast):
    result = results["as is"]
    firms = employers_of_kind(result.scenario, "lab")
    values, by_firm = retained(result, firms)
    note = "by lab: " + ", ".join(f"{firm} {share:.2f}" for firm, share in by_firm.items())
    return Estimate.of(values), note


FACT = Fact(
    id="e",
    title="Two-year retention at frontier labs",
    source="SignalFire (2025), State of Talent Report 2025: two-year retention of engineers hired by AI labs",
    published="Anthropic 80%, Google DeepMind 78%, OpenAI 67%, Meta 64% still there two years after being hired",
    band=(0.64, 0.80),
    band_reason="the range of the four labs SignalFire reports, from Meta's 64% to Anthropic's 80%",
    unit="share retained",
    measured="share of the labs' month-0 staff still at their lab at month 24",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
