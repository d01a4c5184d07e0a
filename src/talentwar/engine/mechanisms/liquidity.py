"""M3 Secondary liquidity windows and synthetic equity (002: biannual windows; performance-vesting units).

Windows: a private firm that lets researchers sell a fraction phi of their vested holdings every
k months turns a share into cash after k / phi months on average (each window sells phi of what
is left), so the years until its equity is liquid become
    T_eff = min(years_to_liquidity, (k / 12) / phi),
which raises the certainty equivalent of all its equity (M2; 001, 002: the liquidity premium).
Synthetic equity: a share s of every grant is in performance units whose price tracks the
firm's capability (M8) relative to month 0 instead of its share price,
    equity_price = (1 - s) * share_price + s * capability / capability_at_month_0.
Switched off: no windows (T_eff = years_to_liquidity) and all equity tracks the share price.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.state import Firms
from talentwar.engine.switches import switch


def years_to_liquidity(params: Params) -> jax.Array:
    """Years until each firm's equity can be sold [F], shortened by its windows."""
    has_windows = (params.window_interval > 0) & (params.window_fraction > 0) & (switch(params, "M3") > 0)
    through_windows = params.window_interval / 12.0 / jnp.maximum(params.window_fraction, 1e-6)
    return jnp.where(has_windows, jnp.minimum(params.years_to_liquidity, through_windows), params.years_to_liquidity)


def equity_price(firms: Firms, params: Params) -> jax.Array:
    """The value of one unit of each firm's equity grants [F]: share price blended with performance units."""
    performance = jnp.where(firms.capability_start > 0, firms.capability / jnp.maximum(firms.capability_start, 1e-12), 1.0)
    synthetic = params.synthetic_share * switch(params, "M3")
    return (1.0 - synthetic) * firms.share_price + synthetic * performance
