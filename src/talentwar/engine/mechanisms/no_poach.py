"""M15 Investor no-poach pacts and proxies (002: "the proxy problem"; antitrust keeps pacts informal).

An investor with a pact promises the firms it protects that its portfolio (the firms it holds a
stake in) will not recruit from them. Pacts cannot be written into term sheets, so they are soft:
each month each portfolio firm keeps each promise with the pact's compliance probability, and a
firm that keeps it does not target the protected firm's staff that month. And the investor's
talent map leaks: each month, for each protected firm, with probability proxy_leakage the map
reaches one firm outside the pact (an employer neither in the portfolio nor protected, drawn at
random), whose information quality about the protected firm's staff rises to talent_map_quality
(002: the one-degree-of-separation mechanism). Switched off, nobody is restrained and nothing leaks.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def restraint(params: Params, key: jax.Array) -> jax.Array:
    """[F, F]: 1 where poacher p keeps a promise not to recruit from firm g this month."""
    V, F = params.pact_portfolio.shape
    kept = jax.random.uniform(key, (V, F, F)) < params.pact_compliance[:, None, None]
    bound = (params.pact_portfolio[:, :, None] * params.pact_protects[:, None, :]) > 0
    return (kept & bound).any(0).astype(jnp.float32) * switch(params, "M15")


def leak(state: State, params: Params, key: jax.Array) -> State:
    V, F = params.pact_portfolio.shape
    k_leaks, k_receiver = jax.random.split(key)
    leaks = (jax.random.uniform(k_leaks, (V, F)) < params.pact_leakage[:, None]) & (params.pact_protects > 0)
    outside_pact = (params.pact_portfolio == 0) & (params.pact_protects == 0) & (params.is_employer[None] > 0)  # [V, F]
    candidates = outside_pact[:, :, None] & (jnp.arange(F)[:, None] != jnp.arange(F)[None, :])[None]  # [V, q, g]
    score = jnp.where(candidates, jax.random.uniform(k_receiver, (V, F, F)), -1.0)
    receiver = jnp.argmax(score, axis=1)  # [V, g]: a random eligible firm q for each leak
    reached = leaks & (score.max(axis=1) >= 0) & (switch(params, "M15") > 0)  # [V, g]
    got_map = reached[:, None, :] & (jnp.arange(F)[None, :, None] == receiver[:, None, :])  # [V, q, g]
    quality = jnp.where(got_map, params.talent_map_quality[:, None, None], 0.0).max(0)
    known = state.firms.information_quality
    return state._replace(firms=state.firms._replace(information_quality=jnp.maximum(known, quality)))


def portfolio_value(state: State, params: Params) -> jax.Array:
    """Stake-weighted value of each investor's portfolio [V], k$."""
    return params.stakes @ (params.valuation * state.firms.share_price)
