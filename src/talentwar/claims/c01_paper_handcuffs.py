"""C1 Retention stock is paper handcuffs when rivals buy out unvested equity (seed 000).

Mechanism. A special retention grant (M11) is unvested equity that a leaver forfeits (M1), so it
adds to the equity pull of staying in choice (M9). A rival's sign-on bonus buys out a fraction
of the unvested value (M10): at a buyout fraction of 1 the forfeit is fully paid, and the grant
holds only through what it is worth to someone who stays.

Experiment. The lab gives its core researchers a special grant the size of their own stock
(doubling it) or none, while every rival that poaches from it buys out a fraction x of unvested
equity. The grant's gain in core retention at month 24 (or the horizon, if shorter) is measured
at x and at x = 0; the effect is gain(0) - gain(x), in retention points: how much of the grant's
hold the buyouts erase. Headline: x = 1 (the seed's "buy out the unvested equity") against 0.
"""

from talentwar.claims.base import (
    REVERSED,
    NOT_SUPPORTED,
    SUPPORTED,
    Claim,
    Variant,
    core_equity,
    edit,
    merge,
    per_replication,
    protect,
)

RETENTION_MONTH = 24  # MODEL.md: 24-month core retention


def variants(base, cast, x):
    lab = cast.lab

    def run(grant: bool, buyout: float) -> Variant:
        rivals = {r: {"poaching.buyout_fraction": buyout} for r in cast.need("rivals")}
        own = {lab: protect(["core"], core_equity(base, lab)) if grant else protect([])}
        return Variant(edit(base, firms=merge(rivals, own)), cast.horizon)

    return {"grant, no buyout": run(True, 0.0), "none, no buyout": run(False, 0.0), "grant": run(True, x), "none": run(False, x)}


def retention(results, cast, name):
    return per_replication(results[name], cast.lab, "core_retention", month=min(RETENTION_MONTH, cast.horizon))


def effect(results, cast):
    gain_without_buyout = retention(results, cast, "grant, no buyout") - retention(results, cast, "none, no buyout")
    return gain_without_buyout - (retention(results, cast, "grant") - retention(results, cast, "none"))


def extras(results, cast):
    return {
        "retention gain of the grant without buyouts": retention(results, cast, "grant, no buyout") - retention(results, cast, "none, no buyout"),
        "retention gain of the grant at the headline buyout": retention(results, cast, "grant") - retention(results, cast, "none"),
    }


CLAIM = Claim(
    id="C1",
    title="Retention stock is paper handcuffs when rivals buy out unvested equity",
    seeds="000",
    comparison="doubling the core's stock by a special grant, rivals buying out 100% vs 0% of unvested equity",
    measured="24-month core retention the grant loses to buyouts (gain at 0% minus gain at x)",
    unit="share of the core",
    condition="rivals' buyout fraction",
    values=(0.0, 0.25, 0.5, 0.75, 1.0),
    quick_values=(0.0, 1.0),
    headline=lambda base, cast: 1.0,
    direction=+1,
    material=0.01,  # one point of core retention
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Buyouts erase a measurable part of what a special grant does for retention: the stock holds people only while rivals do not pay it out.",
        NOT_SUPPORTED: "Within the interval, buyouts do not change what the grant does for retention: either the grant holds little even without buyouts, or it holds through more than the forfeit.",
        REVERSED: "The grant retains more when rivals buy out unvested equity, against the claim.",
    },
)
