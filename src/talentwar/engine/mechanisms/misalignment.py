"""M6 Monetization pressure and misalignment (001: hired for sparse attention, tasked with ad targeting).

At a firm with monetization pressure m, every research hire (any role but product, poached or
from the outside pool) is put on product work with probability m when they join; the staff at
month 0 have already found their work. While on product work:
    research productivity x (1 - productivity_loss)       (feeds learning, M7)
    morale -= morale_loss each month                        (floored at 0)
    extra outside job offers, search_rate a month ("rapid burnout and further churn": they look,
        and M9's choice, with the mission pull lost, makes most of them leave)
    the mission pull of staying falls by mission_penalty,
and an offer from a firm with pressure m carries an expected mission penalty m * mission_penalty
for a research role (M9). Switched off, nobody is assigned and nothing of this applies.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import rng
from talentwar.engine.params import PRODUCT, Params
from talentwar.engine.state import Researchers
from talentwar.engine.switches import switch


def assign(r: Researchers, joined: jax.Array, params: Params, key: jax.Array) -> Researchers:
    """Research staff in `joined` go onto product work with their firm's monetization pressure."""

    def put_on_product() -> jax.Array:
        pressure = params.monetization_pressure[r.firm]
        return joined & (r.role != PRODUCT) & (rng.uniform(key, r.firm.shape) < pressure)

    # params are shared by every replication: a real branch; without M6 nobody is put on product work
    put = jax.lax.cond(switch(params, "M6") > 0, put_on_product, lambda: jnp.zeros_like(joined))
    return r._replace(on_product=jnp.where(joined, put, r.on_product))


def mission_penalty(r: Researchers, poacher: jax.Array, params: Params) -> tuple[jax.Array, jax.Array]:
    """The mission pull lost by staying, and the one expected at the poacher (for research roles)."""
    on = switch(params, "M6")
    research = r.role != PRODUCT
    staying = on * params.misaligned_mission_penalty * r.on_product
    moving = on * params.misaligned_mission_penalty * params.monetization_pressure[poacher] * research
    return staying, moving


def productivity(r: Researchers, params: Params) -> jax.Array:
    return 1.0 - switch(params, "M6") * params.misaligned_productivity_loss * r.on_product


def search_rate(r: Researchers, params: Params) -> jax.Array:
    """Extra monthly probability of an outside job offer [N] (M16's outside market; M9 decides)."""
    return switch(params, "M6") * params.misaligned_search_rate * r.on_product


def wear_morale(r: Researchers, params: Params) -> Researchers:
    loss = switch(params, "M6") * params.misaligned_morale_loss * r.on_product
    return r._replace(morale=jnp.clip(r.morale - loss, 0.0, 1.0))
