"""M5 Blue-sky compute share (002: "a non-negotiable percentage of cluster time (e.g. 15-20%)").

A share b of the cluster is reserved for self-chosen research. It is taken from assigned work
(M4: compute per researcher for assigned work is scaled by 1 - b) and given as tokens: each
researcher's autonomy pull rises by
    autonomy_gain * b * tokens_i,
tokens_i = 1 under equal tokens, or skill_i / mean skill of the firm's research staff when tokens
follow skill. Self-chosen research also brings breakthroughs: each month, with probability
b * breakthrough_rate, one stage (drawn at random) of the firm gains breakthrough_size of the
codified knowledge it lacks. Switched off, the whole cluster is assigned and none of this applies.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.state import Researchers, State
from talentwar.engine.switches import switch


def share(params: Params) -> jax.Array:
    """Each firm's blue-sky share [F] (0 when M5 is off)."""
    return params.blue_sky_share * switch(params, "M5")


def autonomy(r: Researchers, params: Params, mean_skill: jax.Array, *firms: jax.Array) -> tuple[jax.Array, ...]:
    """Autonomy pull [N] of working at each of `firms` (each [N]), blue-sky tokens included.

    `mean_skill` [F] is each firm's mean research skill over all its staff (FirmView), never over
    the rows given here, which may be only a block of offer holders (engine/compact.py).
    """

    def at(firm: jax.Array) -> jax.Array:
        tokens = jnp.where(params.blue_sky_by_skill[firm] > 0, r.skill / mean_skill[firm], 1.0)
        return params.autonomy[firm] + params.blue_sky_autonomy_gain * share(params)[firm] * tokens

    return tuple(at(firm) for firm in firms)


def breakthroughs(state: State, params: Params, key: jax.Array) -> State:
    codified = state.firms.codified
    n_firms, n_stages = codified.shape
    k_happens, k_stage = jax.random.split(key)
    happens = jax.random.uniform(k_happens, (n_firms,)) < share(params) * params.breakthrough_rate * params.is_employer
    stage = jax.random.randint(k_stage, (n_firms,), 0, n_stages)
    hit = happens[:, None] & (jnp.arange(n_stages)[None, :] == stage[:, None])
    codified = jnp.where(hit, codified + params.breakthrough_size * (1.0 - codified), codified)
    return state._replace(firms=state.firms._replace(codified=codified))
