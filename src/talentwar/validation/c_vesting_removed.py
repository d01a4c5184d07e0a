"""(c) Removing vesting raises voluntary departures (Jochem, Ladika and Sautner 2018).

Mechanism. Unvested equity is what a leaver forfeits (M1), so it holds people back only while it
is unvested. When FAS 123-R led firms to accelerate the vesting of their executives' options,
nothing was left to forfeit and voluntary departures rose; in the model the same follows from
the equity pull of staying (M9) and from buyouts (M10) that have nothing left to buy.

Experiment. The employer whose staff hold the most equity for their pay (base.equity_holders: where
there is vesting to remove) over 12 months, as the scenario has it (after its burn-in), and the same
with every grant vested (M1 off: nothing forfeited, nothing to buy out). Measured: the ratio of
voluntary departures (rivals' offers and outside jobs taken) without vesting to those with it.
Ratio of sums over replications, bootstrap interval.
"""

from __future__ import annotations

from talentwar.validation.base import HORIZON, Fact, Variant, edit, ratio_of_sums, equity_holders, safe_ratio, voluntary_departures

MONTHS = 12  # the first year


def variants(base, cast, quick=False):
    equity_holders(base)  # NotApplicable without equity
    return {
        "vesting": Variant(base, HORIZON),
        "vested": Variant(edit(base, mechanisms={**base.mechanisms, "M1": False}), HORIZON),
    }


def measure(results, cast):
    firm = equity_holders(results["vesting"].scenario)
    on = voluntary_departures(results["vesting"], firm)[:, :MONTHS].sum(axis=1)
    off = voluntary_departures(results["vested"], firm)[:, :MONTHS].sum(axis=1)
    note = f"{firm}: {off.sum() / on.size:.1f} voluntary departures a replication without vesting, {on.sum() / on.size:.1f} with it"
    return ratio_of_sums(lambda i: safe_ratio(off[i].sum(), on[i].sum()), on.size), note


FACT = Fact(
    id="c",
    title="Removing vesting raises voluntary departures",
    source=(
        "Jochem, Ladika and Sautner (2018), The retention effects of unvested equity: evidence from accelerated option "
        "vesting, Review of Financial Studies 31(11), 4142-4186"
    ),
    published="voluntary CEO departures rose from 5% to 21% after accelerated vesting (x4.2; 6% to 19%, x3.2, in the working paper)",
    band=(2.0, 6.3),
    band_reason=(
        "the two published ratios (x3.2 and x4.2), widened by half of the lower one downward and of the higher one upward: "
        "the evidence is for CEOs, whose grants are larger and whose outside offers rarer than a lab's staff"
    ),
    unit="ratio",
    measured="voluntary departures over 12 months at the employer whose staff hold most equity for their pay, with every grant vested, over those with vesting",
    variants=variants,
    measure=measure,
    mechanism=__doc__,
)
