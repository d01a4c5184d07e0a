"""M1 Vesting and equity value (000: three-year vesting, paper handcuffs).

Share prices follow geometric Brownian motion, monthly:
    price' = price * exp((drift - volatility^2 / 2) / 12 + volatility * sqrt(1/12) * Z).
A grant of `shares` vests monthly after a cliff:
    vested_fraction = 0 if age < cliff else min(1, age / months);
    unvested_value = shares * (1 - vested_fraction) * price[firm],
price being the share price, blended with performance units under M3's synthetic equity.
Switched off, prices stay at 1 and every grant counts as vested: nothing is forfeited on leaving.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import liquidity
from talentwar.engine.params import Params
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def advance(state: State, params: Params, key: jax.Array) -> State:
    on = switch(params, "M1")
    z = jax.random.normal(key, params.drift.shape)
    log_return = (params.drift - 0.5 * params.volatility**2) / 12.0 + params.volatility * jnp.sqrt(1.0 / 12.0) * z
    price = state.firms.share_price * jnp.exp(on * log_return)
    r = state.researchers
    researchers = r._replace(
        grant_age=jnp.minimum(r.grant_age + 1, 1200).astype(jnp.int16),
        retention_age=jnp.minimum(r.retention_age + 1, 1200).astype(jnp.int16),
        tenure=jnp.minimum(r.tenure + 1, 1200).astype(jnp.int16),
    )
    return State(researchers=researchers, firms=state.firms._replace(share_price=price))


def vested_fraction(age: jax.Array, months: jax.Array, cliff: jax.Array, params: Params) -> jax.Array:
    fraction = jnp.where(age < cliff, 0.0, jnp.minimum(1.0, age / jnp.maximum(months, 1)))
    return jnp.where(switch(params, "M1") > 0, fraction, 1.0)


def unvested_value(state: State, params: Params) -> jax.Array:
    """k$ of the current grant and any special retention grant (M11) forfeited by leaving today (0 without M1)."""
    r = state.researchers
    # params are shared by every replication: a real branch; without M1 every grant counts as vested
    return jax.lax.cond(switch(params, "M1") > 0, lambda: _unvested_value(state, params), lambda: jnp.zeros(r.firm.shape, jnp.float32))


def _unvested_value(state: State, params: Params) -> jax.Array:
    r = state.researchers
    hiring_grant = r.grant_shares * (1.0 - vested_fraction(r.grant_age, r.grant_months, r.grant_cliff, params))
    retention_grant = r.retention_shares * (1.0 - vested_fraction(r.retention_age, r.retention_months, r.retention_cliff, params))
    return (hiring_grant + retention_grant) * liquidity.equity_price(state.firms, params)[r.firm]
