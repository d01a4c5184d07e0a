"""M11 Counter-offers and special retention grants (000: "specialized equity incentives ... to stave off poaching").

Special grants: in its grant_month, a firm gives every employed member of its protected class
(protected_roles) a special equity grant, drawn from special_grant, vesting on its own schedule
beside their other grants and forfeited on leaving like any unvested equity (M1). Its value at grant is
retention spend. The recipients are the protected class (M13's toxic hierarchy).
Counter-offers: when an eligible researcher (counter_roles, at a firm with counter_offers) has
accepted an offer, the firm counters with the salary that matches the offer's cash over the
planning horizon, at most counter_max_multiple of the current salary:
    counter = min(counter_max_multiple * salary, (horizon * offer_salary + sign_on) / horizon).
The researcher then decides again with the same draw of taste (M9) and the counter as the pay
for staying. Whoever stays because of it gets the raise; the annual raise is retention spend.
Switched off: no special grants and no counters.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import liquidity, vesting
from talentwar.engine.mechanisms.poaching import Offers
from talentwar.engine.params import Params
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
    """The salary each researcher is offered to stay [N]: their own unless their firm counters."""
    r = state.researchers
    eligible = accepted & (params.counter_role[r.firm, r.role.astype(jnp.int32)] > 0) & (switch(params, "M11") > 0)
    matching = (params.horizon_years * offers.salary + offers.sign_on) / params.horizon_years
    counter = jnp.minimum(params.counter_max_multiple[r.firm] * r.salary, jnp.maximum(matching, r.salary))
    return jnp.where(eligible, counter, r.salary)
