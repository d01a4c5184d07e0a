"""(g) Core researchers of a strong-mission, well-equipped lab decline most offers of 2-3 times their pay (2025 reports).

Mechanism. An offer is taken only if its pulls beat staying (M9): a large cash pull can lose to
the compute, autonomy and mission the researcher gives up and to the unvested equity they forfeit
(M1, M2), and the lab may counter (M11). 002 describes offers that "double or triple total annual
compensation"; in 2025 such offers went to researchers at OpenAI and Thinking Machines, and most
were declined.

Experiment. The scenario as it is (after its burn-in), 12 months, with one change: the employer
with the weakest mission (among all but the target) hunts the core researchers of the target,
the best-equipped lab (most compute) among those whose mission is at least the employers'
median, at a salary premium of 150% (2.5 times their pay), buying out all their
unvested equity as they value it, 5% of them a month, with no budget limit. Measured: the share
of those offers accepted, summed over replications, bootstrap interval.
"""

from __future__ import annotations

import numpy as np

from talentwar.validation.base import HORIZON, Fact, NotApplicable, Variant, count_per_replication, edit, employers_of_kind, monthly, ratio_of_sums, safe_ratio, scenario_firm

MONTHS = 12
PREMIUM = 1.5  # 2.5 times current pay: the middle of 002's "double or triple"
OFFER_RATE = 0.05  # assumption: enough offers for a tight interval in a year


def roles(scenario) -> tuple[str, str]:
    """(target lab, poacher): of the labs whose mission is at least the employers' median, the one with the
    most compute; and the other employer with the weakest mission."""
    labs = employers_of_kind(scenario, "lab")
    if not labs or len(scenario.employers) < 2:
        raise NotApplicable("the scenario needs an employer of kind 'lab' and another employer")

    def mission(name):
        return scenario_firm(scenario, name).organisation.mission

    def compute(name):
        c = scenario_firm(scenario, name).compute
        return c.gpus * c.hardware_efficiency

    median = float(np.median([mission(f.name) for f in scenario.employers]))
    target = max((lab for lab in labs if mission(lab) >= median), key=compute, default=max(labs, key=mission))
    poacher = min((f.name for f in scenario.employers if f.name != target), key=mission)
    return target, poacher


def variants(base, cast, quick=False):
    target, poacher = roles(base)
    offers = {
        "poaching.offer_rate": OFFER_RATE,
        "poaching.hunts": {"firms": [target], "roles": ["core"], "stages": None},
        "poaching.salary_premium": PREMIUM,
        "poaching.salary_distribution": None,
        "poaching.buyout_fraction": 1.0,
        "poaching.monthly_budget": None,
    }
    return {"superstar offers": Variant(edit(base, firms={poacher: offers}), HORIZON)}


def measure(results, cast):
    result = results["superstar offers"]
    target, poacher = roles(result.scenario)
    moves = result.moves
    taken = (moves["kind"] == "poached") & (moves["from_firm"] == target) & (moves["to_firm"] == poacher) & (moves["role"] == "core")
    accepted = count_per_replication(moves[taken & (moves["month"] <= MONTHS)], result.replications)
    received = monthly(result, poacher, "offers_made")[:, :MONTHS].sum(axis=1)  # it hunts only the target's core
    note = f"{poacher} offered {received.sum():.0f} times to {target}'s core over all replications; {accepted.sum()} accepted"
    return ratio_of_sums(lambda i: safe_ratio(accepted[i].sum(), received[i].sum()), result.replications), note


FACT = Fact(
    id="g",
    title="Strong-mission core researchers decline most offers of 2-3x pay",
    source=(
        "press reports of 2025: S. Altman (Uncapped podcast, 17 June 2025) on Meta's offers, 'none of our best people' "
        "took them; WIRED (July 2025): more than a dozen of Thinking Machines' ~50 staff approached by Meta with offers of "
        "USD 200 million to over 1 billion over four years, none accepted"
    ),
    published="most such offers declined; at Thinking Machines none of 12+ accepted",
    band=(0.0, 0.33),
    band_reason=(
        "'mostly declined' means under a half; the one count reported (0 of more than 12) puts the acceptance rate, with "
        "a 95% upper bound of about a quarter, well below that; Meta did hire some researchers elsewhere, so a third is the "
        "most the reports allow"
    ),
    unit="share accepted",
    measured="share of a weak-mission firm's offers of 2.5x pay to the strongest-mission lab's core that are accepted, 12 months",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
