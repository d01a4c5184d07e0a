"""M2 Certainty equivalent of equity: capital asymmetry and the liquidity premium (001, 002).

A researcher values equity as an undiversified employee does (Hall and Murphy 2002, "Stock
options for undiversified executives"): the grant is a share of their wealth, not all of it. With
outside wealth W, relative risk aversion rho and equity of face value V in firm f, held for
T = T_f + holding_years years (T_f the years until it can be sold, shortened by windows, M3)
while its price follows the firm's geometric Brownian motion (drift mu_f, volatility sigma_f),
    X = exp((mu_f - sigma_f^2 / 2) T + sigma_f sqrt(T) Z),   Z ~ N(0, 1),
    u(W + CE_risk) = E[u(W + V X)],   u CRRA (log at rho = 1),
so the drift is credited and the risk is priced by how much of the holder's wealth rides on it.
The expectation is a 16-point Gauss-Hermite quadrature. Illiquidity is then discounted for the
T_f years until the equity can be sold (001: private equity is a long-dated call option),
    CE = CE_risk * exp(-illiquidity_discount * T_f).
Public stock (T_f = 0, a year's holding) is valued near face; a private lab's at a fraction that
depends on its volatility, the years to liquidity and the holder's wealth (docs/ODD.md, M2, for
the figures and the published values they are compared with: Meulbroek 2001).
Switched off, CE = V: equity is valued at face, liquid and riskless.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from talentwar.engine.mechanisms import liquidity
from talentwar.engine.params import Params
from talentwar.engine.switches import switch

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(16)  # probabilists' Hermite: E f(Z) = sum w f(z) / sqrt(2 pi)
NODES = _NODES.astype(np.float32)
LOG_WEIGHTS = np.log(_WEIGHTS / _WEIGHTS.sum()).astype(np.float32)
WEALTH_FLOOR = 1.0  # k$: a holder with no other wealth still has a thousand dollars (the CRRA CE of 0 wealth is 0)


def certainty_equivalent(face: jax.Array, wealth: jax.Array, risk_aversion: jax.Array, firm: jax.Array, params: Params) -> jax.Array:
    """k$ a holder would take in cash today for equity of `face` k$ in `firm` (each [n]; M2)."""
    liquid_in = liquidity.years_to_liquidity(params)[firm]  # shortened by secondary windows (M3)
    years = liquid_in + params.holding_years
    sigma = params.volatility[firm]
    growth = (params.drift[firm] - 0.5 * sigma**2) * years
    spread = sigma * jnp.sqrt(years)
    base = jnp.maximum(wealth, WEALTH_FLOOR)
    face = jnp.maximum(face, 0.0)
    log_total = jnp.log(base[:, None] + face[:, None] * jnp.exp(growth[:, None] + spread[:, None] * NODES))  # [n, 16]
    exponent = 1.0 - risk_aversion
    near_log = jnp.abs(exponent) < 1e-3
    safe = jnp.where(near_log, 1.0, exponent)[:, None]
    power_mean = jax.nn.logsumexp(safe * log_total + LOG_WEIGHTS, axis=-1) / safe[:, 0]
    log_mean = (log_total * jnp.exp(LOG_WEIGHTS)).sum(-1)
    risk_adjusted = jnp.maximum(jnp.exp(jnp.where(near_log, log_mean, power_mean)) - base, 0.0)
    value = jnp.where(face > 0, risk_adjusted * jnp.exp(-params.illiquidity_discount * liquid_in), 0.0)
    return jnp.where(switch(params, "M2") > 0, value, face)
