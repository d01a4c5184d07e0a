"""C8 Misaligned movers churn again (seed 001).

Mechanism. At a firm with product pressure, a research hire is put on product work with that
probability (M6): they lose research productivity, morale and mission pull, and look for jobs in
the outside market at an extra burnout rate (M16), which the lost mission pull makes them take;
low morale also makes them look (M13) and makes every offer more attractive (M9).

Experiment. The acquirer (the rival poaching the lab hardest) has high monetization pressure
(0.8) or low (0.1), both assumptions around 001's "hired for sparse attention, tasked with ad
targeting". Movers: research staff (core, research engineers) who join the acquirer during the
run, poached or hired. Second-move hazard: their moves out of the acquirer per month of
exposure, pooled per replication. Effect: high minus low. The sweep varies the burnout search
rate (extra outside offers a month) of researchers on product work.
"""

import numpy as np

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, Variant, edit, ratio
from talentwar.engine.metrics import MOVE_KINDS

HIGH, LOW = 0.8, 0.1
RESEARCH = ("core", "research_engineer")
PHASE = {"poached": 0, "quit": 0, "separated": 1, "hired": 2}  # the phase of the month in which each kind of move happens


def variants(base, cast, x):
    def run(pressure: float) -> Variant:
        return Variant(
            edit(base, firms={cast.need("acquirer"): {"product.monetization_pressure": pressure}}, market={"misalignment.search_rate": x}),
            cast.horizon,
        )

    return {"high pressure": run(HIGH), "low pressure": run(LOW)}


def second_move_hazard(result, firm: str) -> np.ndarray:
    """Per replication: moves out of `firm` by research staff who joined it, per month at risk."""
    moves = result.moves[["replication", "researcher", "month", "kind", "role", "to_firm"]].copy()
    moves["order"] = moves["kind"].map(PHASE).astype(int)  # within a month: offers taken, then separation, then hiring
    moves = moves.sort_values(["replication", "researcher", "month", "order"], kind="stable")
    following = moves.groupby(["replication", "researcher"], observed=True)["month"].shift(-1)
    joined = (moves["to_firm"] == firm) & moves["role"].isin(RESEARCH) & moves["kind"].isin([MOVE_KINDS[0], MOVE_KINDS[2]])
    left = following[joined].notna()
    exposure = np.where(left, following[joined] - moves["month"][joined], result.months - moves["month"][joined])
    frame = moves.loc[joined, ["replication"]].assign(left=left.to_numpy(), exposure=exposure)
    per_rep = frame.groupby("replication").sum().reindex(range(result.replications), fill_value=0)
    return ratio(per_rep["left"].to_numpy(np.float64), per_rep["exposure"].to_numpy(np.float64))


def effect(results, cast):
    acquirer = cast.need("acquirer")
    return second_move_hazard(results["high pressure"], acquirer) - second_move_hazard(results["low pressure"], acquirer)


def extras(results, cast):
    acquirer = cast.need("acquirer")
    return {
        "second-move hazard, high pressure": second_move_hazard(results["high pressure"], acquirer),
        "second-move hazard, low pressure": second_move_hazard(results["low pressure"], acquirer),
    }


CLAIM = Claim(
    id="C8",
    title="Misaligned movers churn again",
    seeds="001",
    comparison="monetization pressure high (0.8) vs low (0.1) at the acquirer",
    measured="monthly hazard that research staff who joined the acquirer move again (high minus low)",
    unit="per month",
    condition="burnout search rate on product work (extra outside offers), per month",
    values=(0.0, 0.01, 0.03, 0.06, 0.1),
    quick_values=(0.0, 0.1),
    headline=lambda base, cast: base.market.misalignment.search_rate,
    direction=+1,
    material=0.002,  # a fifth of a percent a month
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Movers into a product-pressured acquirer leave it again sooner: misalignment turns a hire into churn.",
        NOT_SUPPORTED: "Movers leave the acquirer about as often whatever its product pressure, within the interval.",
        REVERSED: "Movers stay longer under high product pressure, against the claim.",
    },
)
