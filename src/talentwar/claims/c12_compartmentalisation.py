"""C12 Compartmentalisation cuts the value of poaching (seed 002).

Mechanism. A mover carries their own stage's knowledge whole, and other stages' only up to
1 - compartmentalisation of their origin (M12): a walled-off firm has no single person with the
end-to-end blueprint. The price: cross-stage learning inside the firm is scaled by the same
factor (M7), so its people learn more slowly.

Experiment. The lab's compartmentalisation at x vs 0. Effect: knowledge the lab's poached
researchers deliver to their acquirers (the rise in the acquirers' stage knowledge, summed over
stages) per poached researcher, x minus 0 (negative supports the claim). The lab's own learning
cost is reported beside it: the share of its capability at the horizon lost to the walls.
Headline: x = 0.8 ("high", assumption).
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, edit, per_replication, ratio


def variants(base, cast, x):
    def run(level: float) -> Variant:
        return Variant(edit(base, firms={cast.lab: {"organisation.compartmentalisation": level}}), cast.horizon)

    return {"walled": run(x), "open": run(0.0)}


def gain_per_poached(result, cast):
    return ratio(
        per_replication(result, cast.lab, "knowledge_leaked", total=True), per_replication(result, cast.lab, "departures_poached", total=True)
    )


def effect(results, cast):
    return gain_per_poached(results["walled"], cast) - gain_per_poached(results["open"], cast)


def extras(results, cast):
    capability = {name: per_replication(results[name], cast.lab, "capability") for name in ("walled", "open")}
    return {"lab's own learning cost: share of capability lost at the horizon": 1.0 - capability["walled"] / capability["open"]}


CLAIM = Claim(
    id="C12",
    title="Compartmentalisation cuts the value of poaching",
    seeds="002",
    comparison="the lab's compartmentalisation high (0.8) vs none",
    measured="acquirers' knowledge gain per researcher poached from the lab (walled minus open)",
    unit="stage knowledge per mover",
    condition="lab's compartmentalisation",
    values=(0.2, 0.4, 0.6, 0.8, 1.0),
    quick_values=(0.2, 1.0),
    headline=lambda base, cast: 0.8,
    direction=-1,
    material=0.0005,  # assumption: a twentieth of a percent of a stage per mover
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Walls cut what each poached researcher hands a rival; the lab pays for it in slower learning (see its learning cost).",
        NOT_SUPPORTED: "Compartmentalisation does not measurably change what a poached researcher delivers: what movers bring lies mostly in their own stage, which the walls do not touch.",
        REVERSED: "Poached researchers deliver more from a walled-off lab, against the claim.",
    },
)
