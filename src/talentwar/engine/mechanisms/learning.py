"""M7 Learning and compartmentalisation (001: the verification cycle; 002: walled-off stages learn slower).

Each month, an employed researcher at firm g with skill a learns
  in their own stage:   dk = own_stage_rate * a * v / (v + v_half) * productivity * (1 - k)
  in every other stage: dk = cross_stage_rate * (1 - compartmentalisation[g]) * max(0, K[g, s] - k)
  from documentation:   dk = documentation_uptake * max(0, codified[g, s] - k)      (M16 ramp-up)
with v the verification speed (M4) and K the knowledge, at the start of the month, of the firm
they work for at the end of it (this month's joiners learn at their new firm, leavers not at all);
knowledge stays in [0, 1] with diminishing returns toward 1. Meanwhile the frontier moves:
everyone's knowledge, employed or not, loses frontier_drift of itself each month, so knowledge
settles where learning balances obsolescence instead of creeping to 1. Compartmentalisation is the
price of the firewall: nobody learns the end-to-end blueprint from colleagues (002), so the
cross-stage term shrinks. Productivity is 1 until product work (M6) or rest-and-vest (M14)
lower it. Switched off, nobody learns and nothing goes out of date.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.records import FirmView
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def learn(state: State, params: Params, view: FirmView, productivity: jax.Array | float = 1.0) -> State:
    # params are shared by every replication: a real branch, so a market without M7 skips the work
    return jax.lax.cond(switch(params, "M7") > 0, lambda: _learn(state, params, view, productivity), lambda: state)


def _learn(state: State, params: Params, view: FirmView, productivity: jax.Array | float) -> State:
    r = state.researchers
    g = r.firm
    k = r.knowledge
    own_stage = jnp.arange(k.shape[1])[None, :] == r.stage[:, None]
    speed = view.verification_speed[g]
    own = params.learning_rate * r.skill * speed / (speed + params.verification_half_speed) * productivity
    own_gain = jnp.minimum(own, 1.0)[:, None] * (1.0 - k)
    colleagues = params.cross_learning_rate * (1.0 - params.compartmentalisation[g])[:, None] * jnp.maximum(view.knowledge[g] - k, 0.0)
    reading = params.documentation_uptake * jnp.maximum(state.firms.codified[g] - k, 0.0)
    gain = jnp.where(own_stage, own_gain, colleagues) + reading
    employed_now = params.is_employer[g] > 0  # at the firm they work for at the end of the month
    gain = gain * employed_now[:, None] - params.frontier_drift * k
    return state._replace(researchers=r._replace(knowledge=jnp.clip(k + gain, 0.0, 1.0)))
