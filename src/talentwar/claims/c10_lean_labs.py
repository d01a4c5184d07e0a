"""C10 Lean labs are more vulnerable than capital-heavy firms (seed 002).

Mechanism. Capability (M8) is the weakest-linked combination of a firm's stage knowledge, times
compute and a concave function of research headcount. A lean lab's knowledge sits with few
people who overlap little and write little down; an incumbent has more people per stage, more
codified knowledge and a large cluster, so the same departures take a smaller share of it.

Experiment. A third of the way into the run, the top 3 core researchers of the lab, or of the
incumbent, leave for the outside pool, against the same run without departures (same seed).
Capability lost per departure = (1 - capability with / without) / 3 at the end of that month.
Effect: the lab's loss per departure minus the incumbent's. The sweep varies the lab's codified
(documented) share of knowledge: documentation is the cure 000 and 002 recommend.
"""

from talentwar.claims.base import (
    NOT_SUPPORTED,
    REVERSED,
    SUPPORTED,
    Claim,
    Variant,
    departure,
    edit,
    initial_headcount,
    per_replication,
    scenario_firm,
)

DEPARTURES = 3


def variants(base, cast, x):
    m = cast.shock_month
    documented = {cast.lab: {"organisation.codified_knowledge": x}}

    def leave(firm):
        return [departure(firm, m, DEPARTURES, roles=["core"])]

    return {
        "no departures": Variant(edit(base, firms=documented), m),
        "lab loses 3": Variant(edit(base, firms=documented, departures=leave(cast.lab)), m),
        "incumbent loses 3": Variant(edit(base, firms=documented, departures=leave(cast.need("incumbent"))), m),
    }


def loss_per_departure(results, cast, firm, name):
    at = cast.shock_month
    lost = 1.0 - per_replication(results[name], firm, "capability", month=at) / per_replication(results["no departures"], firm, "capability", month=at)
    return lost / max(min(DEPARTURES, initial_headcount(results[name].scenario, firm, ("core",))), 1)


def effect(results, cast):
    return loss_per_departure(results, cast, cast.lab, "lab loses 3") - loss_per_departure(results, cast, cast.need("incumbent"), "incumbent loses 3")


def extras(results, cast):
    return {
        "lab's capability lost per departure": loss_per_departure(results, cast, cast.lab, "lab loses 3"),
        "incumbent's capability lost per departure": loss_per_departure(results, cast, cast.need("incumbent"), "incumbent loses 3"),
    }


CLAIM = Claim(
    id="C10",
    title="Lean labs are more vulnerable than capital-heavy firms",
    seeds="002",
    comparison="the top 3 core researchers leave the lean lab vs the incumbent",
    measured="share of capability lost per departure (lab minus incumbent)",
    unit="share of capability per departure",
    condition="lab's codified share of knowledge",
    values=(0.0, 0.1, 0.3, 0.5, 0.7),
    quick_values=(0.0, 0.7),
    headline=lambda base, cast: scenario_firm(base, cast.lab).organisation.codified_knowledge,
    direction=+1,
    material=0.002,  # a fifth of a percent of capability per departure
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "The same departures cost the lean lab a larger share of its capability than they cost the incumbent.",
        NOT_SUPPORTED: "The lean lab and the incumbent lose about the same share per departure, within the interval.",
        REVERSED: "The incumbent loses more per departure than the lean lab, against the claim.",
    },
)
