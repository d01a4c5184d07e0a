"""C2 A dedicated cluster beats a 30% equity bump (seed 000).

Mechanism. An offer's compute promise (M10) raises the verification speed the researcher would
have at the poacher (M4), and compute is one of the five pulls in choice (M9), weighted by each
researcher's preferences (builders weigh it most). An equity bump raises the equity pull, at its
certainty equivalent (M2): discounted for volatility, risk aversion and illiquidity.

Experiment. Every rival that poaches from the lab hunts its core researchers only. Treatment:
the rivals' offers carry a dedicated compute promise of x GPUs (000: "20,000 GPUs") and their
usual equity; control: no compute promise and equity grants 30% larger. Effect: acceptance rate
of offers among the lab's core researchers, treatment minus control. The sweep over x shows
how large a promise must be to beat the equity bump.
"""

from talentwar.claims.base import (
    NOT_SUPPORTED,
    REVERSED,
    SUPPORTED,
    Claim,
    Variant,
    edit,
    per_replication,
    ratio,
    scaled,
    scenario_firm,
)

EQUITY_BUMP = 1.3  # 000: "a 30% equity bump"


def variants(base, cast, x):
    def run(promise: float, equity_factor: float) -> Variant:
        firms = {}
        for r in cast.need("rivals"):
            grant = scenario_firm(base, r).poaching.equity_grant.model_dump(mode="python")
            firms[r] = {
                "poaching.hunts.roles": ["core"],
                "poaching.compute_promise": promise,
                "poaching.equity_grant.value": scaled(grant["value"], equity_factor),
            }
        return Variant(edit(base, firms=firms), cast.horizon)

    return {"cluster": run(x, 1.0), "equity bump": run(0.0, EQUITY_BUMP)}


def acceptance(result, cast):
    accepted = per_replication(result, cast.lab, "departures_poached", total=True)
    return ratio(accepted, per_replication(result, cast.lab, "offers_received", total=True))


def effect(results, cast):
    return acceptance(results["cluster"], cast) - acceptance(results["equity bump"], cast)


def extras(results, cast):
    return {
        "acceptance with the compute promise": acceptance(results["cluster"], cast),
        "acceptance with the equity bump": acceptance(results["equity bump"], cast),
    }


CLAIM = Claim(
    id="C2",
    title="A dedicated cluster beats a 30% equity bump",
    seeds="000",
    comparison="rivals' offers with a 20,000-GPU promise vs with +30% equity",
    measured="acceptance rate of offers among the lab's core researchers (cluster minus equity bump)",
    unit="share of offers",
    condition="compute promised per offer (GPUs)",
    values=(0.0, 1000.0, 5000.0, 10000.0, 20000.0),
    quick_values=(0.0, 20000.0),
    headline=lambda base, cast: 20000.0,
    direction=+1,
    material=0.02,  # two points of acceptance
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "Core researchers accept offers with a dedicated cluster more often than offers with 30% more equity: compute pulls harder than stock.",
        NOT_SUPPORTED: "The compute promise and the equity bump win offers about equally often, within the interval.",
        REVERSED: "The equity bump wins more acceptances than the compute promise, against the claim.",
    },
)
