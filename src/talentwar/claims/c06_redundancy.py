"""C6 Redundancy makes three departures an inconvenience (seed 000).

Mechanism. A firm's knowledge of a stage combines its people (noisy-OR over its best, each
next-best discounted by how much they overlap) with its codified stock (M8). When people leave,
the firm keeps what was written down or also held by others; vacancies refill from the outside
pool (M16) with little knowledge, and documentation speeds their ramp-up.

Experiment. At the lab, high redundancy (codified share 0.5, overlap 0.9, documenting 5% of the
gap a month) vs low (none codified, overlap 0.3, no documentation), both assumptions. In each,
the top k core researchers (most knowledge of their own stage) leave for the outside pool a third
of the way into the run, against the same run without departures (same seed). Capability lost
= 1 - capability with the departures / without, at the end of the month they leave. Effect: the
loss with low redundancy minus with high. Headline: k = 3.
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, departure, edit, per_replication

HIGH = {"organisation.codified_knowledge": 0.5, "organisation.knowledge_overlap": 0.9, "organisation.documentation_rate": 0.05}
LOW = {"organisation.codified_knowledge": 0.0, "organisation.knowledge_overlap": 0.3, "organisation.documentation_rate": 0.0}


def variants(base, cast, x):
    m = cast.shock_month
    leave = [departure(cast.lab, m, int(x), roles=["core"])]
    out = {}
    for name, redundancy in (("high", HIGH), ("low", LOW)):
        out[name] = Variant(edit(base, firms={cast.lab: redundancy}), m)
        out[f"{name}, departures"] = Variant(edit(base, firms={cast.lab: redundancy}, departures=leave), m)
    return out


def loss(results, cast, name):
    at = cast.shock_month
    after = per_replication(results[f"{name}, departures"], cast.lab, "capability", month=at)
    return 1.0 - after / per_replication(results[name], cast.lab, "capability", month=at)


def effect(results, cast):
    return loss(results, cast, "low") - loss(results, cast, "high")


def extras(results, cast):
    return {"capability lost, high redundancy": loss(results, cast, "high"), "capability lost, low redundancy": loss(results, cast, "low")}


CLAIM = Claim(
    id="C6",
    title="Redundancy makes three departures an inconvenience",
    seeds="000",
    comparison="high documentation and overlap vs low, when the top 3 core researchers leave",
    measured="share of the lab's capability lost when they leave (low redundancy minus high)",
    unit="share of capability",
    condition="core researchers who leave (the top k)",
    values=(1, 2, 3, 5, 8),
    quick_values=(1, 3),
    headline=lambda base, cast: 3,
    direction=+1,
    material=0.01,  # one percent of capability
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Documentation and overlap cut what the departures cost: with redundancy the loss is smaller.",
        NOT_SUPPORTED: "Redundancy does not measurably change what the departures cost: the lost knowledge is not in the stage that limits capability, or is refilled either way.",
        REVERSED: "The departures cost more with redundancy, against the claim.",
    },
)
