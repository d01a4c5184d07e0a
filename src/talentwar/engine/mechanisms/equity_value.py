"""M2 Certainty equivalent of equity: capital asymmetry and the liquidity premium (001, 002).

A researcher with relative risk aversion rho values equity of face value V in firm f at
    CE = V * exp(-(rho * sigma_f^2 / 2) * (T_f + holding_years) - illiquidity_discount * T_f),
the certainty equivalent of a lognormal payoff under CRRA utility held for T_f + holding
years, discounted for the T_f years until it can be sold (001: private equity is a long-dated,
volatile call option; public stock, T_f = 0, carries only the holding-period risk). Liquidity
windows (M3) shorten T_f.
Switched off, CE = V: equity is valued at face, liquid and riskless.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import liquidity
from talentwar.engine.params import Params
from talentwar.engine.switches import switch


def certainty_factor(risk_aversion: jax.Array, firm: jax.Array, params: Params) -> jax.Array:
    sigma = params.volatility[firm]
    years = liquidity.years_to_liquidity(params)[firm]  # shortened by secondary windows (M3)
    exponent = 0.5 * risk_aversion * sigma**2 * (years + params.holding_years) + params.illiquidity_discount * years
    return jnp.where(switch(params, "M2") > 0, jnp.exp(-exponent), 1.0)
