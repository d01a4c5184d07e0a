"""Grow a scenario into a larger market: more firms and more researchers, the same kinds of firm.

`scale_market(base, researchers=N, firms=F)` repeats the base scenario's employers in copies
(`lean_lab`, `optimiser_incumbent`, ..., then `lean_lab_1`, `optimiser_incumbent_1`, ...)
until there are F - 1 employers besides the one outside pool, and scales every population
group by the same factor so the market holds N researchers in all. A copy hunts the copies of
its firm's targets in its own replica of the market (the copy of that target if it exists,
the original otherwise). Amounts that grow with a firm's size (its GPUs and its poaching
budget) grow with the factor; rates, prices and preferences are unchanged. Investors keep
their stakes and pacts in the original firms only.

This is how the benchmarks build national-scale markets (docs/performance.md), and how a
user can ask "what if this market had 500 firms?".
"""

from __future__ import annotations

from talentwar.scenario.schema import Firm, Scenario


def scale_market(base: Scenario, researchers: int, firms: int) -> Scenario:
    """A market of `firms` firms (the outside pool included) and exactly `researchers` researchers."""
    employers = base.employers
    outside = next(f for f in base.firms if f.kind == "outside")
    if firms < 2:
        raise ValueError(f"firms must be >= 2 (at least one employer and the outside pool), got {firms}")
    n_employers = firms - 1
    names = {(j // len(employers), employers[j % len(employers)].name) for j in range(n_employers)}

    def copy_name(name: str, replica: int) -> str:
        if replica == 0 or (replica, name) not in names:
            return name
        return f"{name}_{replica}"

    base_total = sum(g.count for f in employers for g in f.population)
    replicas = n_employers / len(employers)
    outside_total = sum(g.count for g in outside.population)
    factor = researchers / (base_total * replicas + outside_total)

    new_firms: list[Firm] = []
    for j in range(n_employers):
        replica, template = divmod(j, len(employers))
        firm = employers[template]
        hunts = firm.poaching.hunts
        if hunts.firms is not None:
            hunts = hunts.model_copy(update={"firms": [copy_name(t, replica) for t in hunts.firms]})
        budget = firm.poaching.monthly_budget
        new_firms.append(
            firm.model_copy(
                update={
                    "name": copy_name(firm.name, replica),
                    "compute": firm.compute.model_copy(update={"gpus": firm.compute.gpus * factor}),
                    "poaching": firm.poaching.model_copy(
                        update={"hunts": hunts, "monthly_budget": None if budget is None else budget * factor}
                    ),
                    "population": [g.model_copy(update={"count": max(1, round(g.count * factor))}) for g in firm.population],
                }
            )
        )
    employed = sum(g.count for f in new_firms for g in f.population)
    pool = researchers - employed
    if pool < len(outside.population):
        raise ValueError(
            f"researchers: {researchers} is too few for {firms} firms; every population group needs at least one "
            f"researcher, which takes {employed + len(outside.population)} or more"
        )
    shares = [g.count / outside_total for g in outside.population]
    counts = [max(1, int(pool * s)) for s in shares]
    counts[0] += pool - sum(counts)
    new_outside = outside.model_copy(
        update={"population": [g.model_copy(update={"count": c}) for g, c in zip(outside.population, counts, strict=True)]}
    )
    return Scenario.model_validate(
        base.model_copy(
            update={
                "name": f"{base.name}-x{firms}f-{researchers}r",
                "description": f"{base.name} scaled to {firms} firms and {researchers} researchers (talentwar.scenario.scale)",
                "firms": new_firms + [new_outside],
            }
        ).model_dump()
    )
