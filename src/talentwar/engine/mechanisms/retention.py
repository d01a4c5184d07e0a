"""M11 Counter-offers and special retention grants (000: "specialized equity incentives ... to stave off poaching").

Special grants: in its grant_month, a firm gives every employed member of its protected class
(protected_roles) a special equity grant, drawn from special_grant, vesting on its own schedule
beside their other grants and forfeited on leaving like any unvested equity (M1). Its value at grant is
retention spend. The recipients are the protected class (M13's toxic hierarchy).
Counter-offers: the firm counters an offer to an eligible researcher (counter_roles, at a firm with
counter_offers) with the salary that matches, or beats by counter_margin, the offer's cash over the
planning horizon, at most counter_max_multiple of the current salary:
    counter = min(counter_max_multiple * salary, max(salary, (1 + margin) * (horizon * offer_salary + sign_on) / horizon)).
Whom it counters is its policy (counter_when): `leaving`, only those who have accepted the offer
(a reactive counter); `any_offer`, every offer its people receive, as employers do in the
sequential auctions of Postel-Vinay and Robin (Econometrica 2002), so pay rises with the offers
people receive even when nobody moves. The researcher then decides again with the same draw of
taste (M9) and the counter as the pay for staying; whoever stays gets the raise, and the annual
raise is retention spend.
Pay reviews: every review interval_months a firm compares each of its cells (role x stage) with the
market: the mean salary of that cell over all employers. A cell whose mean pay is below the market's
times (1 + position) gets a raise of `toward` of the gap, the same share for everyone in it; pay is
never cut. The annual raises are retention spend.
Switched off: no special grants, no counters and no reviews.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import segments
from talentwar.engine.mechanisms import liquidity, vesting
from talentwar.engine.params import N_ROLES, Params
from talentwar.engine.records import Offers
from talentwar.engine.sampling import draw_money_from
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def grant(state: State, params: Params, month: jax.Array, key: jax.Array) -> tuple[State, jax.Array]:
    """Special grants due this month (month 1 is the first); returns the state and each grant's k$ value [N].

    Most months no firm grants, and the month and the grant months are the same in every
    replication: those months skip the work over researchers instead of masking it.
    """
    any_due = jnp.any((params.grant_month == month + 1) & (params.is_employer > 0)) & (switch(params, "M11") > 0)
    none = lambda state: (state, jnp.zeros(state.researchers.salary.shape, jnp.float32))  # noqa: E731
    return jax.lax.cond(any_due, lambda state: _grant(state, params, month, key), none, state)


def _grant(state: State, params: Params, month: jax.Array, key: jax.Array) -> tuple[State, jax.Array]:
    r = state.researchers
    employed = params.is_employer[r.firm] > 0
    due = (params.grant_month[r.firm] == month + 1) & (switch(params, "M11") > 0)
    eligible = employed & due & (params.protected_role[r.firm, r.role.astype(jnp.int32)] > 0)
    value = jnp.where(eligible, draw_money_from(key, params.special_grant, r.firm), 0.0)
    price = liquidity.equity_price(state.firms, params)[r.firm]
    grants = vesting.award(
        r.grants, params, eligible, value / price,
        params.special_grant_months[r.firm], params.special_grant_cliff[r.firm], params.special_grant_every[r.firm],
    )
    researchers = r._replace(grants=grants, protected=r.protected | eligible)
    return state._replace(researchers=researchers), value


def counter_salary(state: State, params: Params, offers: Offers, accepted: jax.Array) -> jax.Array:
    """The salary each researcher is offered to stay [N]: their own unless their firm counters.

    `accepted` is who would take their offer at their current pay; a firm that matches every offer
    (counter_when: any_offer) counters everyone who holds one.
    """
    r = state.researchers
    countered = jnp.where(params.counter_any_offer[r.firm] > 0, offers.made, accepted)
    eligible = countered & (params.counter_role[r.firm, r.role.astype(jnp.int32)] > 0) & (switch(params, "M11") > 0)
    matching = (1.0 + params.counter_margin[r.firm]) * (params.horizon_years * offers.salary + offers.sign_on) / params.horizon_years
    counter = jnp.minimum(params.counter_max_multiple[r.firm] * r.salary, jnp.maximum(matching, r.salary))
    return jnp.where(eligible, counter, r.salary)


def review(state: State, params: Params, month: jax.Array) -> tuple[State, jax.Array]:
    """Pay reviews due this month (month 1 is the first); returns the state and each annual raise in k$ [N].

    Reviews fall in the same months in every replication: other months skip the work.
    """
    interval = params.review_interval
    due = (interval > 0) & (jnp.remainder(month + 1, jnp.maximum(interval, 1)) == 0) & (params.is_employer > 0)
    none = lambda state: (state, jnp.zeros(state.researchers.salary.shape, jnp.float32))  # noqa: E731
    return jax.lax.cond(jnp.any(due) & (switch(params, "M11") > 0), lambda state: _review(state, params, due), none, state)


def _review(state: State, params: Params, due: jax.Array) -> tuple[State, jax.Array]:
    r = state.researchers
    n_firms, n_stages = params.is_employer.shape[0], r.knowledge.shape[1]
    cells = N_ROLES * n_stages
    cell = r.role.astype(jnp.int32) * n_stages + r.stage.astype(jnp.int32)
    employed = (params.is_employer[r.firm] > 0).astype(jnp.float32)
    totals = segments.ordered_sum(jnp.stack([employed, employed * r.salary], axis=1), r.firm * cells + cell, n_firms * cells)
    count, payroll = totals[:, 0].reshape(n_firms, cells), totals[:, 1].reshape(n_firms, cells)
    market = payroll.sum(0) / jnp.maximum(count.sum(0), 1.0)  # [cells]: mean pay over all employers
    own = payroll / jnp.maximum(count, 1.0)
    target = market[None, :] * (1.0 + params.review_position[:, None])
    gap = jnp.maximum(target / jnp.maximum(own, 1e-6) - 1.0, 0.0)
    factor = 1.0 + jnp.where(due[:, None] & (count > 0), params.review_toward[:, None] * gap, 0.0)  # [F, cells]
    salary = r.salary * factor[r.firm, cell]
    return state._replace(researchers=r._replace(salary=salary)), salary - r.salary
