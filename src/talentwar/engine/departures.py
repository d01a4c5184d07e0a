"""Scheduled departures: the what-if shock of key people walking out (not a mechanism).

In its month, each event picks exactly `count` of the firm's employed researchers in the given
roles and stage: the ones with the most knowledge of their own stage (`top`) or a uniform random
choice (`random`, by a priority drawn from the month's key, so the same seed removes nested sets:
the 2 random leavers include the 1). Leavers for a rival hold its offer on its usual terms
(salary premium, buyout of unvested equity priced as M10 prices it, the mean of its equity grant) and accept it, so the
move goes through M12 like any poached researcher; leavers for the outside pool separate (M16).
Nothing is drawn and nothing changes in a month without an event.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from talentwar.engine import rng
from talentwar.engine.mechanisms.poaching import buyout
from talentwar.engine.params import Params
from talentwar.engine.records import Offers
from talentwar.engine.sampling import mean
from talentwar.engine.state import Researchers, State


class Leaving(NamedTuple):
    to_rival: jax.Array  # bool [N]: accepts the offer of `destination` this month
    to_pool: jax.Array  # bool [N]: separates to the outside pool this month
    destination: jax.Array  # int32 [N]


def scheduled(
    state: State, params: Params, month: jax.Array, key: jax.Array, offers: Offers, unvested: jax.Array
) -> tuple[Offers, Leaving]:
    """Who walks out in month `month` (0 for the first), and the offers with theirs imposed.

    Months without an event take the other branch of the `lax.cond`: the offers pass through
    untouched and no work over researchers is done.
    """
    r = state.researchers
    n = r.firm.shape[0]
    nobody = Leaving(jnp.zeros(n, bool), jnp.zeros(n, bool), r.firm)

    def walk_out():
        leaving = _pick(r, params, month, key)
        return impose(offers, leaving, r, params, unvested), leaving

    return jax.lax.cond(jnp.any(params.departure_month == month + 1), walk_out, lambda: (offers, nobody))


def _pick(r: Researchers, params: Params, month: jax.Array, key: jax.Array) -> Leaving:
    n = r.firm.shape[0]
    own = jnp.take_along_axis(r.knowledge, r.stage[:, None].astype(jnp.int32), axis=1)[:, 0]
    employed = params.is_employer[r.firm] > 0
    leaving = jnp.zeros(n, bool)
    destination = r.firm
    for e in range(params.departure_month.shape[0]):
        stage = params.departure_stage[e]
        eligible = (
            (params.departure_month[e] == month + 1)
            & employed
            & (r.firm == params.departure_firm[e])
            & (params.departure_role[e][r.role.astype(jnp.int32)] > 0)
            & ((stage < 0) | (r.stage.astype(jnp.int32) == stage))
        )
        priority = jnp.where(params.departure_top[e] > 0, own, rng.uniform(jax.random.fold_in(key, e), (n,)))
        order = jnp.argsort(jnp.where(eligible, -priority, jnp.inf))
        rank = jnp.zeros(n, jnp.int32).at[order].set(jnp.arange(n, dtype=jnp.int32))
        chosen = eligible & (rank < params.departure_count[e])
        leaving = leaving | chosen
        destination = jnp.where(chosen, params.departure_to[e], destination)
    to_pool = leaving & (destination == params.outside_index)
    return Leaving(to_rival=leaving & ~to_pool, to_pool=to_pool, destination=destination)


def impose(offers: Offers, leaving: Leaving, r: Researchers, params: Params, unvested: jax.Array) -> Offers:
    """Leavers for a rival hold its offer instead of any they had; leavers for the pool hold none."""
    to = leaving.destination
    salary = r.salary * (1.0 + jnp.maximum(params.salary_premium[to], 0.0))
    sign_on = buyout(params, to, 1.0, unvested, unvested, r.wealth, r.risk_aversion, r.firm)  # a known deal: full information
    equity_value = mean(params.offer_equity)[to]
    cost = sign_on + equity_value + salary - r.salary

    def forced(new, old):
        return jnp.where(leaving.to_rival, new, old)

    return Offers(
        made=forced(True, offers.made & ~leaving.to_pool),
        poacher=forced(to, offers.poacher),
        salary=forced(salary, offers.salary),
        sign_on=forced(sign_on, offers.sign_on),
        equity_value=forced(equity_value, offers.equity_value),
        cost=forced(cost, offers.cost),
        over_budget=offers.over_budget & ~leaving.to_rival & ~leaving.to_pool,
    )
