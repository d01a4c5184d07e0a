"""M4 Compute access and verification speed (000: compute is the currency; 001: compute-to-freedom; 002).

A firm's compute per researcher is its effective GPUs (GPUs x hardware efficiency), less the
blue-sky share (M5), shared among its research staff (every role but product); a dedicated
promise adds to it:
    verification_speed = (gpus_per_head + promise) / (1 + friction_days / 30).
It enters choice (M9) as the compute pull log(1 + verification_speed). A job in the outside market
(M16) is somewhere too: its speed is `market.outside_market.compute_share` times the employers' mean,
weighted by research staff (the compute a typical frontier researcher works with).
Switched off, every firm and offer has verification speed 1: compute pulls nobody.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import blue_sky
from talentwar.engine.params import Params
from talentwar.engine.switches import switch


def verification_speed(params: Params, research_staff: jax.Array, promise: jax.Array | float = 0.0) -> jax.Array:
    """Verification speed at each firm [F] (or of offers, given per-offer `promise` and firm-indexed inputs)."""
    per_head = params.effective_gpus * (1.0 - blue_sky.share(params)) / jnp.maximum(research_staff, 1.0)
    speed = (per_head + promise) / (1.0 + params.friction_days / 30.0)
    return jnp.where(switch(params, "M4") > 0, speed, 1.0)


def outside_offer_speed(params: Params, speed: jax.Array, research_staff: jax.Array) -> jax.Array:
    """Verification speed of a job in the outside market (M16): the share of the employers' mean speed,
    weighted by their research staff, that `market.outside_market.compute_share` sets."""
    staff = jnp.where(params.is_employer > 0, research_staff, 0.0)
    mean = jnp.sum(speed * staff) / jnp.maximum(jnp.sum(staff), 1.0)
    return jnp.where(switch(params, "M4") > 0, params.outside_compute_share * mean, 1.0)
