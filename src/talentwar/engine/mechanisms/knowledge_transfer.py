"""M12 Knowledge transfer and leakage (001: diffusion gap, negative results; 002: replication velocity).

A mover carries their tacit knowledge, capped outside their own stage by the origin's
compartmentalisation (002: no single person holds the end-to-end blueprint):
    carried[s] = k[s] if s is their stage else min(k[s], 1 - compartmentalisation[origin]);
only (1 - bureaucracy[acquirer]) of it lands (001: culture does not move):
    arrived[s] = carried[s] * (1 - bureaucracy[acquirer]).
The acquirer's knowledge gain is the rise in its stage knowledge K (engine/knowledge.py) that the
mover alone would bring, largest where it lagged (computed against the firm at the start of the
month; several movers' gains in one month are added),
and the months of its own R&D this replaces are sum_s gained[s] / own_rd_rate. The origin
loses whatever of the mover's knowledge was neither codified nor held by others: that is
what its knowledge K drops by. A researcher who takes a job in the outside market (M16) is no
rival's gain: they keep what they know in the outside pool, as a separated researcher does.
Switched off, movers to rivals arrive knowing nothing.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import compact, knowledge
from talentwar.engine.mechanisms import liquidity
from talentwar.engine.moves import join
from talentwar.engine.params import Params
from talentwar.engine.records import FirmView, Offers, Transfer, from_rival
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def move(state: State, params: Params, view: FirmView, offers: Offers, accepted: jax.Array) -> tuple[State, Transfer]:
    r = state.researchers
    origin, acquirer = r.firm, offers.poacher
    to_rival = accepted & from_rival(offers, params)  # the rest took a job in the outside market

    def carry() -> tuple[jax.Array, jax.Array]:
        own_stage = jnp.arange(r.knowledge.shape[1])[None, :] == r.stage[:, None]
        cap = jnp.where(own_stage, 1.0, 1.0 - params.compartmentalisation[origin][:, None])
        carried = jnp.minimum(r.knowledge, cap)
        arrived = jnp.where(to_rival[:, None], carried * (1.0 - params.bureaucracy[acquirer])[:, None], 0.0)
        gained = compact.where_selected(  # computed for movers to rivals only
            lambda rows: knowledge.gain(*rows, view.known, state.firms.codified, params.knowledge_overlap),
            to_rival,
            (arrived, acquirer),
            fill=0.0,
        )
        return arrived, gained

    def nothing() -> tuple[jax.Array, jax.Array]:
        return jnp.zeros_like(r.knowledge), jnp.zeros_like(r.knowledge)

    # params are shared by every replication: a real branch; without M12 nothing arrives and nothing is gained
    arrived, gained = jax.lax.cond(switch(params, "M12") > 0, carry, nothing)
    months = gained.sum(-1) / params.own_rd_rate

    grant_shares = offers.equity_value / liquidity.equity_price(state.firms, params)[acquirer]
    researchers = join(
        r,
        accepted,
        firm=acquirer,
        salary=offers.salary,
        grant=(grant_shares, params.offer_grant_months[acquirer], params.offer_grant_cliff[acquirer], params.offer_grant_every[acquirer]),
        knowledge=jnp.where(to_rival[:, None], arrived, r.knowledge),  # quitters keep what they know, as separations do
    )
    return state._replace(researchers=researchers), Transfer(arrived=arrived, gained=gained, replication_months=months)
