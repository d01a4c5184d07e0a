"""The levers a firm holds, each an amount moved from the scenario's value (or from none).

Amount 0 is the scenario as it is; each lever's `step` is the amount `talentwar levers` takes to
rank it, and `high` the most `talentwar levers optimise` searches. Continuous levers move a
number (a grant's size, a share); levelled ones (`levels`) climb a ladder of policies one rung per
unit (counter-offers: none, to leavers, to every offer). How far a lever can still move depends
on where the scenario has it (`room`): a share at 100%, or a firm that already counters every
offer, has none, and the lever is not taken.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from talentwar.claims.base import NotApplicable, core_equity, edit, protect, scaled, scenario_firm
from talentwar.scenario import Scenario


@dataclass(frozen=True)
class Lever:
    name: str
    step: str  # the ranking's step, in words, for every starting point
    mechanism: str
    unit: str  # what one unit of amount is
    step_amount: float
    high: float  # the most the optimiser searches, where the scenario leaves room
    levels: bool  # an integer ladder of policies, not a number
    room: Callable[[Scenario, str], float]  # how far the lever can still move at this firm
    apply: Callable[[Scenario, str, float], tuple[Scenario, str]]  # (scenario, firm, amount > 0) -> (scenario, the move in words)

    def span(self, scenario: Scenario, firm: str) -> float:
        """The amounts the optimiser searches at this firm: [0, span]; 0 if the lever cannot move."""
        return min(self.high, self.room(scenario, firm))

    def take(self, scenario: Scenario, firm: str, amount: float | None = None) -> tuple[Scenario, str]:
        """The scenario with the lever moved by `amount` (default: its step, or as far as it can go),
        and the move in words; NotApplicable if the lever has no room at this firm."""
        room = self.room(scenario, firm)
        if room <= 0:
            raise NotApplicable(self.why_not(scenario, firm))
        amount = min(self.step_amount if amount is None else amount, room)
        if amount <= 0:
            return scenario, "as the scenario has it"
        return self.apply(scenario, firm, round(amount) if self.levels else amount)

    def why_not(self, scenario: Scenario, firm: str) -> str:
        return _NO_ROOM.get(self.name, "{firm} cannot move this lever further").format(firm=firm)


_NO_ROOM = {
    "refresh_grants": "{firm} grants no equity to refresh",
    "special_grant": "{firm} grants no equity",
    "counter_offers": "{firm} already matches every offer",
    "windows": "{firm} already opens a window every month",
    "blue_sky": "{firm} already gives the whole cluster to self-chosen research",
    "documentation": "{firm} already writes down the whole undocumented gap each month",
    "compartmentalisation": "{firm} is already fully compartmentalised",
}


def _firm(scenario: Scenario, firm: str):
    return scenario_firm(scenario, firm)


def _has_equity(scenario: Scenario, firm: str) -> float:
    return math.inf if any(g.equity is not None for g in _firm(scenario, firm).population) else 0.0


def _special_grant(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    worth = "the core's hiring grant" if amount == 1 else f"{amount:.3g}x the core's hiring grant"
    words = f"a special grant to every core researcher in month 1, worth {worth} and vesting as it does"
    return edit(scenario, firms={firm: protect(["core"], core_equity(scenario, firm, amount))}), words


def _refresh_grants(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    """Refresh grants `amount` larger (x(1 + amount)); where a group has none, a yearly refresh worth
    amount/2 of its hiring grant (so the ranking's step of 0.5 gives a quarter, a typical refresh)."""
    data = scenario.model_dump(mode="python")
    groups = [g for g in next(f for f in data["firms"] if f["name"] == firm)["population"] if g["equity"] is not None]
    had = any(g["equity"]["refresh"] is not None for g in groups)
    for g in groups:
        equity = g["equity"]
        if equity["refresh"] is not None:
            equity["refresh"]["value"] = scaled(equity["refresh"]["value"], 1 + amount)
        else:
            equity["refresh"] = {"interval_months": 12, "value": scaled(equity["value"], amount / 2), "months": equity["months"], "cliff_months": 0}
    words = f"refresh grants {amount:.0%} larger" if had else f"a yearly refresh grant worth {amount / 2:.0%} of the hiring grant"
    return type(scenario).model_validate(data), words


COUNTER_LADDER = (None, "leaving", "any_offer")  # no counter-offers; to those about to leave; to every offer received


def _counter_level(scenario: Scenario, firm: str) -> int:
    retention = _firm(scenario, firm).retention
    return 0 if not retention.counter_offers else COUNTER_LADDER.index(retention.counter_when)


def _counter_offers(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    level = min(len(COUNTER_LADDER) - 1, _counter_level(scenario, firm) + int(amount))
    if COUNTER_LADDER[level] == "leaving":
        return edit(scenario, firms={firm: {"retention.counter_offers": True, "retention.counter_roles": None, "retention.counter_when": "leaving"}}), "counter-offers to everyone about to leave"
    edits = {"retention.counter_offers": True, "retention.counter_when": "any_offer"}
    if not _firm(scenario, firm).retention.counter_offers:
        edits["retention.counter_roles"] = None
    return edit(scenario, firms={firm: edits}), "counter every offer received, not only those about to leave"


PAY_POSITION_STEP = 0.1  # one rung of the pay-review ladder: 10 points more against the market (assumption)


def _pay_review(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    """Rung 1: a yearly review where there is none (else 10 points more against the market); each
    further rung 10 points more."""
    review = _firm(scenario, firm).retention.pay_review
    rungs = int(amount)
    edits: dict = {}
    if review.interval_months == 0:
        edits["retention.pay_review.interval_months"] = 12
        rungs -= 1
    position = min(1.0, review.position + PAY_POSITION_STEP * rungs)
    if position != review.position:
        edits["retention.pay_review.position"] = position
    if review.interval_months == 0:
        words = f"a yearly pay review closing {review.toward:.0%} of the gap to the market" + (f", targeting {position:+.0%} against it" if rungs else "")
    else:
        words = f"pay reviews targeting {position:+.0%} against the market (from {review.position:+.0%})"
    return edit(scenario, firms={firm: edits}), words


WINDOWS_FROM_NONE = 12  # months: halving from a yearly window gives every 6, 3 and 1 months (assumption)


def _window_interval(interval: int, halvings: int) -> int:
    return max(1, (interval or WINDOWS_FROM_NONE) // 2**halvings)


def _window_room(scenario: Scenario, firm: str) -> float:
    interval = _firm(scenario, firm).capital.window_interval_months or WINDOWS_FROM_NONE
    return float(math.floor(math.log2(interval))) if interval > 1 else 0.0


def _windows(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    capital = _firm(scenario, firm).capital
    interval = _window_interval(capital.window_interval_months, int(amount))
    words = (f"secondary windows every {interval} months, {capital.window_fraction:.0%} of vested holdings each" if capital.window_interval_months == 0
             else f"secondary windows every {interval} months (from {capital.window_interval_months})")
    return edit(scenario, firms={firm: {"capital.window_interval_months": interval}}), words


def _gpus(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
    gpus = _firm(scenario, firm).compute.gpus
    return edit(scenario, firms={firm: {"compute.gpus": gpus * (1 + amount)}}), f"{amount:.0%} more GPUs: {gpus:,.0f} -> {gpus * (1 + amount):,.0f}"


def _share(section: str, field: str, what: str):
    """A lever that adds `amount` to a share of the firm (at most 1): (its room, its move)."""

    def room(scenario: Scenario, firm: str) -> float:
        return 1.0 - getattr(getattr(_firm(scenario, firm), section), field)

    def apply(scenario: Scenario, firm: str, amount: float) -> tuple[Scenario, str]:
        now = getattr(getattr(_firm(scenario, firm), section), field)
        after = min(1.0, now + amount)
        shown = ".0%" if after - now >= 0.01 else ".1%"  # a move under a point still shows
        return edit(scenario, firms={firm: {f"{section}.{field}": after}}), f"{what}: {now:{shown}} -> {after:{shown}}"

    return room, apply


def _anywhere(scenario: Scenario, firm: str) -> float:
    return math.inf


LEVERS = (
    Lever("special_grant", "a special grant to every core researcher in month 1, worth the core's hiring grant and vesting as it does", "M11",
          "x the core's hiring grant", 1.0, 2.0, False, _has_equity, _special_grant),
    Lever("refresh_grants", "refresh grants 50% larger (none: a yearly refresh worth a quarter of the hiring grant)", "M1",
          "x the refresh grants (none: x half the hiring grant, yearly)", 0.5, 2.0, False, _has_equity, _refresh_grants),
    Lever("counter_offers", "counter-offers to everyone about to leave (already: to every offer received)", "M11",
          "rungs: none, to leavers, to every offer", 1, 2, True, lambda s, f: float(len(COUNTER_LADDER) - 1 - _counter_level(s, f)), _counter_offers),
    Lever("pay_review", "a yearly pay review (already: targeting 10 points more against the market)", "M11",
          "rungs: a yearly review, then 10 points more against the market each", 1, 3, True, _anywhere, _pay_review),
    Lever("gpus", "25% more GPUs", "M4", "x the firm's GPUs, added", 0.25, 1.0, False, _anywhere, _gpus),
    Lever("blue_sky", "10 points more of the cluster for self-chosen research", "M5", "share of the cluster, added", 0.1, 0.5, False,
          *_share("compute", "blue_sky_share", "blue-sky share of the cluster")),
    Lever("windows", "secondary windows every 6 months (already: twice as often)", "M3", "halvings of the interval between windows (none: from 12 months)",
          1, 3, True, _window_room, _windows),
    Lever("documentation", "2 points more of the undocumented gap written down each month", "M8", "monthly documentation rate, added", 0.02, 0.1, False,
          *_share("organisation", "documentation_rate", "monthly documentation rate")),
    Lever("compartmentalisation", "20 points more compartmentalisation", "M7, M12", "compartmentalisation, added", 0.2, 0.6, False,
          *_share("organisation", "compartmentalisation", "compartmentalisation")),
)
BY_NAME = {lever.name: lever for lever in LEVERS}


def take_all(scenario: Scenario, firm: str, amounts: dict[str, float]) -> tuple[Scenario, list[str]]:
    """The scenario with every lever in `amounts` moved by its amount (those at 0 left as they are),
    and each move in words. The levers touch distinct fields, so the order does not matter."""
    words = []
    for name, amount in amounts.items():
        if amount > 0:
            scenario, said = BY_NAME[name].take(scenario, firm, amount)
            words.append(said)
    return scenario, words


def unknown_levers(names: list[str]) -> str | None:
    """The one-line complaint about names that are not levers, or None."""
    unknown = [name for name in names if name not in BY_NAME]
    return f"--levers: unknown lever {', '.join(unknown)}; levers are {', '.join(BY_NAME)}" if unknown else None
