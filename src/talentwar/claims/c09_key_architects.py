"""C9 Two or three key architects carry most of the blueprint (seeds 002, 001).

Mechanism. A mover carries their tacit knowledge (M12), capped outside their own stage by the
origin's compartmentalisation; only (1 - bureaucracy) of it lands at the acquirer, and what it
adds there is the rise in the acquirer's own stage knowledge: large where it lagged, small where
its own people already know the stage. The months of the acquirer's R&D this replaces are the
gain over its own R&D rate (002: replication velocity).

Experiment. A third of the way into the run the k architecture staff of the lab who know the
stage best move to the acquirer, against the same run without the move (same seed). Effect: the
acquirer's gain in architecture knowledge that month as a share of the lab's architecture
knowledge the month before. The claim says "most": supported if the whole interval is above 0.5,
reversed if it is below. Headline: k = 3.
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, departure, edit, per_replication

MOST = 0.5


def stage_of(scenario) -> str:
    stages = scenario.simulation.stages
    return "architecture" if "architecture" in stages else stages[0]


def variants(base, cast, x):
    m, stage = cast.shock_month, stage_of(base)
    move = [departure(cast.lab, m, int(x), stage=stage, to=cast.need("acquirer"))]
    return {"no move": Variant(base, m), "architects move": Variant(edit(base, departures=move), m)}


def effect(results, cast):
    stage, m, acquirer = stage_of(results["no move"].scenario), cast.shock_month, cast.need("acquirer")
    gained = per_replication(results["architects move"], acquirer, f"knowledge:{stage}", month=m) - per_replication(
        results["no move"], acquirer, f"knowledge:{stage}", month=m
    )
    return gained / per_replication(results["no move"], cast.lab, f"knowledge:{stage}", month=m - 1)


def extras(results, cast):
    stage, m, acquirer = stage_of(results["no move"].scenario), cast.shock_month, cast.need("acquirer")

    def at(name, firm, metric, month=m):
        return per_replication(results[name], firm, metric, month=month)

    return {
        "acquirer R&D months saved": at("architects move", cast.lab, f"replication_months_to:{acquirer}")
        - at("no move", cast.lab, f"replication_months_to:{acquirer}"),
        "share of its stage knowledge the lab loses": 1.0 - at("architects move", cast.lab, f"knowledge:{stage}") / at("no move", cast.lab, f"knowledge:{stage}"),
    }


CLAIM = Claim(
    id="C9",
    title="Two or three key architects carry most of the blueprint",
    seeds="002, 001",
    comparison="the lab's top 3 architecture staff move to the acquirer vs nobody moves",
    measured="acquirer's gain in architecture knowledge as a share of the lab's (above 0.5 = most)",
    unit="share of the lab's stage knowledge",
    condition="architecture staff who move (the top k)",
    values=(1, 2, 3, 5, 8),
    quick_values=(1, 3),
    headline=lambda base, cast: 3,
    direction=+1,
    material=0.0,
    threshold=MOST,
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "A handful of architects hand the acquirer most of what the lab knows of the stage.",
        NOT_SUPPORTED: "Whether the movers carry most of the blueprint is within the noise.",
        REVERSED: "The movers hand the acquirer well under half of the lab's stage knowledge: the acquirer already knows much of the stage, its bureaucracy absorbs part, and overlap means no few people hold it all.",
    },
)
