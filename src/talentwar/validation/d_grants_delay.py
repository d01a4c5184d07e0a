"""(d) Broad grants delay departures rather than prevent them (Aldatmaz, Ouimet and Van Wesep 2018).

Mechanism. A grant that everyone receives is unvested equity that leaving forfeits (M1), so it
holds people back while it vests. Those it holds rest (M14): they keep the wish to leave that it
overrode and look for work, so more offers reach them; as it vests the hold weakens and they leave
on the next offer like the one they declined. Cumulative turnover falls behind at first and then
catches up.

Experiment. The lab over 48 months, as the scenario has it, and the same with a broad-based grant
in month 1 to every employed researcher of every role: the size of the lab's own core grant,
vesting as that grant does (three years in the built-in scenarios; the authors: "these options
typically vest in three years"). The paper compares turnover in the third year after the year of
the grant with the three years before it, so the run goes one year past the last vesting date.
Measured: the cumulative shortfall of voluntary departures (rivals' offers and outside jobs taken)
with the grant, against without, at month 48 as a share of its largest value over the 48 months:
0 when turnover has fully caught up, 1 when none of the early shortfall has been made up. Ratio
of sums over replications, bootstrap interval.
"""

from __future__ import annotations

import numpy as np

from talentwar.claims.base import core_equity, protect
from talentwar.scenario.schema import ROLES
from talentwar.validation.base import HORIZON, Fact, Variant, edit, ratio_of_sums, safe_ratio, voluntary_departures

MONTHS = HORIZON


def variants(base, cast, quick=False):
    broad = edit(base, firms={cast.lab: protect(list(ROLES), core_equity(base, cast.lab))})
    return {"no grant": Variant(base, MONTHS), "broad grant": Variant(broad, MONTHS)}


def measure(results, cast):
    control = voluntary_departures(results["no grant"], cast.lab)
    treated = voluntary_departures(results["broad grant"], cast.lab)

    def left_unmade(index):
        gap = np.cumsum(control[index].sum(axis=0) - treated[index].sum(axis=0))
        return safe_ratio(gap[-1], gap.max()) if gap.max() > 0 else float("nan")

    gap = np.cumsum(control.sum(axis=0) - treated.sum(axis=0))
    peak = int(np.argmax(gap)) + 1
    note = f"largest shortfall {gap.max() / control.shape[0]:.2f} departures a replication, at month {peak}; {gap[-1] / control.shape[0]:.2f} at month {MONTHS}"
    return ratio_of_sums(left_unmade, control.shape[0]), note


FACT = Fact(
    id="d",
    title="Broad grants delay departures rather than prevent them",
    source=(
        "Aldatmaz, Ouimet and Van Wesep (2018), The option to quit: the effect of employee stock options on turnover, "
        "Journal of Financial Economics 127(1), 136-151"
    ),
    published=(
        "turnover falls after a broad-based grant; in the third year after the grant year it rises by as much as it fell "
        "in the three years before"
    ),
    band=(-0.5, 0.5),
    band_reason=(
        "the paper finds the early fall fully made up in the third year after the grant year (a share of 0); a share within 0.5 of it, at least half made "
        "up, counts as reproducing a delay rather than a prevention"
    ),
    unit="share of the largest shortfall left at month 48",
    measured="cumulative voluntary departures without the broad grant minus with it, at month 48, over the largest such gap",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
