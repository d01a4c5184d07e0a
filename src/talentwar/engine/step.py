"""One month: the ordered list of phases.

The order matters and is part of the model (docs/ODD.md, "Process overview and scheduling"):
prices and vesting move first, refresh grants fall due and pay is reviewed; firms and the outside market then
make offers on what they see; researchers choose; counter-offers answer; movers carry knowledge;
life events send some to the outside pool; vacancies refill from it; joiners are assigned work;
morale and reference pay move; the month's learning accrues and knowledge in the pool goes
stale; firms rank who knows most; documentation and breakthroughs accrue; capability is measured.
This order (offers, choice, separations, hiring) gives the job ladder's kappa = lambda1 (1 - delta) / delta.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import departures, firm_view, metrics, records
from talentwar.engine.mechanisms import (
    blue_sky,
    capability,
    hierarchy,
    internal_mobility,
    choice,
    hiring,
    knowledge_transfer,
    learning,
    misalignment,
    no_poach,
    poaching,
    rest_and_vest,
    retention,
    vesting,
)
from talentwar.engine.params import Params
from talentwar.engine.state import State
from talentwar.engine.switches import switch

PHASES = (
    "vesting",
    "poaching",
    "choice",
    "separation",
    "hiring",
    "assignment",
    "breakthroughs",
    "retention",
    "pacts",
    "leaks",
    "mobility",
    "departures",
    "refresh",
)


def step(
    state: State, key: jax.Array, month: jax.Array, params: Params, move_capacity: int, observed: jax.Array | None = None
) -> tuple[State, metrics.Observation]:
    """Month `month` (0 for the first; negative in a burn-in) of one replication.

    `observed` (a scalar bool, the same in every replication) false skips the month's observation
    and returns zeros in its place (a burn-in month); None always observes.
    """
    keys = {phase: jax.random.fold_in(key, i) for i, phase in enumerate(PHASES)}
    state = vesting.advance(state, params, keys["vesting"])  # M1
    state, refreshed = vesting.refresh(state, params, keys["refresh"])  # M1: refresh grants due this month
    state, granted = retention.grant(state, params, month, keys["retention"])  # M11
    state, reviewed = retention.review(state, params, month)  # M11: pay reviews due this month
    state, due = choice.start_dates(state)  # M9: moves agreed earlier for this month's start
    start = state.researchers
    view = firm_view.observe(state, params)  # M4 and firm knowledge
    unvested = vesting.unvested_value(state, params)  # M1, M3
    restraint = no_poach.restraint(params, keys["pacts"])  # M15
    search = misalignment.search_rate(start, params) + hierarchy.search_rate(start, params) + rest_and_vest.search_rate(start, params)  # M6, M13, M14: the unhappy look
    offers = poaching.make_offers(state, params, view, unvested, keys["poaching"], restraint, search)  # M10, M16's outside market
    offers = choice.hold_taken(offers, start, due)  # M9
    offers, leaving = departures.scheduled(state, params, month, keys["departures"], offers, unvested)  # what-if shocks
    started = due & offers.made  # a move taken earlier starts now (a walk-out to the pool cancels it)
    forced = leaving.to_rival | started  # taken without a new decision
    ahead = choice.forfeits(state, params, unvested)  # M1: forfeited now and at later start dates
    first = choice.decide(state, params, view, offers, ahead, keys["choice"])  # M9, M2, M5, M6
    first_answer = first.accepted | (first.starts_in > 0) | forced
    staying_salary = retention.counter_salary(state, params, offers, first_answer)  # M11
    decision = jax.lax.cond(  # without counter-offers the second answer is the first
        switch(params, "M11") > 0,
        lambda: choice.decide(state, params, view, offers, ahead, keys["choice"], staying_salary),
        lambda: first,
    )
    accepted = decision.accepted | forced
    stays = ~accepted & ~((decision.starts_in > 0) & ~forced)
    countered = first_answer & stays  # stayed for the counter-offer
    counter_raise = jnp.where(stays, staying_salary - start.salary, 0.0)  # whoever stays gets their counter
    r = start._replace(salary=start.salary + counter_raise)
    r = choice.take_later(r, offers, decision, forced)  # M9: held open until the start date
    taste, _ = choice.draws(keys["choice"], unvested.shape[0], None)  # the month's draws of taste (M9)
    state = state._replace(researchers=rest_and_vest.update(r, decision.held & ~forced, unvested, params, taste))  # M14
    state, transfer = knowledge_transfer.move(state, params, view, offers, accepted)  # M12
    after_poaching = state.researchers
    state, separated = hiring.separate(state, params, keys["separation"], jnp.where(leaving.to_pool, 1.0, 0.0))  # M16: life events
    after_separation = state.researchers
    took_outside_job = accepted & ~records.from_rival(offers, params)  # they work elsewhere now: not hireable this month
    state, hired = hiring.hire(state, params, keys["hiring"], separated | took_outside_job)  # M16
    r = misalignment.assign(state.researchers, accepted | hired, params, keys["assignment"])  # M6
    r, promoted = internal_mobility.move_internally(r, params, keys["mobility"])  # M16
    r = misalignment.wear_morale(r, params)  # M6
    state = state._replace(researchers=hierarchy.update(r, offers, params))  # M13
    productivity = misalignment.productivity(state.researchers, params) * rest_and_vest.productivity(state.researchers, params)
    state = learning.learn(state, params, view, productivity)  # M7
    state = hiring.age_pool(state, params)
    state = capability.rank(state, params)  # the month's one ranking of who knows most
    state = capability.document(state, params)  # M8
    state = blue_sky.breakthroughs(state, params, keys["breakthroughs"])  # M5
    state = capability.measure(state, params)  # M8
    state = no_poach.leak(state, params, keys["leaks"])  # M15: talent maps reach next month's poachers
    trace = metrics.MonthTrace(
        start=start,
        after_poaching=after_poaching,
        after_separation=after_separation,
        end=state,
        view=view,
        offers=offers,
        accepted=accepted,
        transfer=transfer,
        separated=separated,
        hired=hired,
        productivity=productivity,
        granted=granted,
        countered=countered,
        started=started,
        counter_raise=counter_raise,
        reviewed=reviewed,
        promoted=promoted,
        refreshed=refreshed,
        month=month,
    )
    def observe():
        return metrics.observe(trace, params, move_capacity)

    if observed is None:
        return state, observe()
    blank = jax.tree_util.tree_map(lambda x: jnp.zeros(x.shape, x.dtype), jax.eval_shape(observe))
    return state, jax.lax.cond(observed, observe, lambda: blank)
