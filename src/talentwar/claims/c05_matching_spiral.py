"""C5 Matching raises escalates a compensation spiral (seed 000).

Mechanism. Every researcher's reference pay drifts toward the best pay they see among peers and
offers (M13). A firm that matches raises lifts everyone paid below their reference up to it each
month, which raises the best pay their peers see, which raises the references again: the floor
escalates.

Experiment. The lab matches raises or does not. Effect: growth of the lab's pay index (mean
salary at the horizon over mean salary after the first month, minus 1), matching minus not. The
sweep varies how fast reference pay drifts toward the best pay seen.
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, edit, per_replication


def variants(base, cast, x):
    def run(match: bool) -> Variant:
        return Variant(edit(base, firms={cast.lab: {"retention.match_raises": match}}, market={"morale.reference_drift": x}), cast.horizon)

    return {"matching": run(True), "no matching": run(False)}


def growth(result, cast):
    return per_replication(result, cast.lab, "mean_salary") / per_replication(result, cast.lab, "mean_salary", month=1) - 1.0


def effect(results, cast):
    return growth(results["matching"], cast) - growth(results["no matching"], cast)


CLAIM = Claim(
    id="C5",
    title="Matching raises escalates a compensation spiral",
    seeds="000",
    comparison="the lab matches every raise vs does not",
    measured="growth of the lab's pay index over the run (matching minus not)",
    unit="growth (0.1 = 10%)",
    condition="reference-pay drift per month",
    values=(0.0, 0.05, 0.1, 0.2, 0.4),
    quick_values=(0.0, 0.4),
    headline=lambda base, cast: base.market.morale.reference_drift,
    direction=+1,
    material=0.01,  # one percent of pay
    variants=variants,
    effect=effect,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Matching raises makes pay grow faster: the floor escalates as references chase the pay they see.",
        NOT_SUPPORTED: "Matching does not measurably raise pay growth: references do not run ahead of pay.",
        REVERSED: "Pay grows more slowly with matching, against the claim.",
    },
)
