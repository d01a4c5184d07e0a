"""C4 Rest-and-vest stagnation (seed 000).

Mechanism. A researcher who would leave but stays because of unvested equity (choice, M9,
without the equity pull) rests: their research productivity drops until the grant has vested
(M14). A heavy retention grant (M11) makes more of those who get an offer stay for the equity
alone.

Experiment. The lab gives its core researchers and research engineers special retention grants
of x times a core researcher's stock, or none. Effect: mean research productivity of the lab's
research staff over the run, grant minus none (negative means stagnation). Headline: x = 4 (a
heavy grant, assumption).
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, core_equity, edit, per_replication, protect


def variants(base, cast, x):
    lab = cast.lab
    return {
        "heavy grant": Variant(edit(base, firms={lab: protect(["core", "research_engineer"], core_equity(base, lab, x))}), cast.horizon),
        "none": Variant(edit(base, firms={lab: protect([])}), cast.horizon),
    }


def productivity(result, cast):
    return per_replication(result, cast.lab, "productivity", total=True) / result.months


def effect(results, cast):
    return productivity(results["heavy grant"], cast) - productivity(results["none"], cast)


def extras(results, cast):
    def resting(result):
        return per_replication(result, cast.lab, "share_resting", total=True) / result.months

    return {"share of staff resting, mean over months (grant minus none)": resting(results["heavy grant"]) - resting(results["none"])}


CLAIM = Claim(
    id="C4",
    title="Rest-and-vest stagnation",
    seeds="000",
    comparison="heavy retention equity for the lab's research staff vs none",
    measured="mean research productivity of the lab's research staff (grant minus none)",
    unit="productivity (1 = full)",
    condition="retention grant, multiple of a core researcher's stock",
    values=(0.5, 1.0, 2.0, 4.0, 8.0),
    quick_values=(0.5, 8.0),
    headline=lambda base, cast: 4.0,
    direction=-1,
    material=0.002,  # a fifth of a percent of productivity
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Heavy retention equity keeps people who then work at reduced productivity: the grant buys presence, not effort.",
        NOT_SUPPORTED: "Productivity does not measurably change with the grant: few of those it holds would have left without it.",
        REVERSED: "Productivity rises with the grant, against the claim.",
    },
)
