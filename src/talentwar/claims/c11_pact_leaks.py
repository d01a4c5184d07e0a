"""C11 No-poach pacts leak through proxies (seed 002).

Mechanism. An investor's portfolio firms keep a no-poach promise to the protected firm with the
compliance probability (M15). Each month the investor's talent map of the protected firm may
leak to a firm outside the pact, raising that firm's information quality about who knows what
there (M10): its offers aim at the protected firm's most valuable people.

Experiment. The scenario's pact that protects the lab, with proxy leakage x per month vs none.
Effect: researchers the lab loses to poachers over the run per researcher at month 0, leakage
minus none. Headline: x = 0.2 a month ("high", assumption).
"""

from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED, Claim, NotApplicable, Variant, edit, initial_headcount, per_replication


def pact_investor(base, cast) -> str:
    for v in base.investors:
        if v.pact is not None and cast.lab in v.pact.protects:
            return v.name
    raise NotApplicable(f"no investor's no-poach pact protects {cast.lab!r}")


def variants(base, cast, x):
    investor = pact_investor(base, cast)

    def run(leakage: float) -> Variant:
        return Variant(edit(base, investors={investor: {"pact.proxy_leakage": leakage}}), cast.horizon)

    return {"leaky pact": run(x), "tight pact": run(0.0)}


def attrition(result, cast):
    return per_replication(result, cast.lab, "departures_poached", total=True) / initial_headcount(result.scenario, cast.lab)


def effect(results, cast):
    return attrition(results["leaky pact"], cast) - attrition(results["tight pact"], cast)


def extras(results, cast):
    def leaked(name):
        return per_replication(results[name], cast.lab, "knowledge_leaked", total=True)

    return {"knowledge the lab leaks to poachers (leaky minus tight)": leaked("leaky pact") - leaked("tight pact")}


CLAIM = Claim(
    id="C11",
    title="No-poach pacts leak through proxies",
    seeds="002",
    comparison="a pact with proxy leakage 0.2 a month vs 0",
    measured="the protected lab's attrition to poachers over the run (leaky minus tight)",
    unit="share of the lab's staff",
    condition="proxy leakage probability per month",
    values=(0.02, 0.05, 0.1, 0.2, 0.5),
    quick_values=(0.02, 0.5),
    headline=lambda base, cast: 0.2,
    direction=+1,
    material=0.002,  # a fifth of a point of the lab's staff
    variants=variants,
    effect=effect,
    extras=extras,
    mechanism=__doc__,
    reading={
        SUPPORTED: "A leaking talent map costs the protected firm people: the pact's promise is undone by the firms outside it.",
        NOT_SUPPORTED: "Leakage does not measurably raise the protected firm's attrition: better information changes whom rivals aim at more than how many they take.",
        REVERSED: "The protected firm loses fewer people with a leaky pact, against the claim.",
    },
)
