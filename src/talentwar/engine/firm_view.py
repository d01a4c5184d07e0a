"""What each firm looks like this month, aggregated from its researchers (knowledge: engine/knowledge.py)."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import knowledge, segments
from talentwar.engine.mechanisms import compute
from talentwar.engine.params import PRODUCT, Params
from talentwar.engine.records import FirmView
from talentwar.engine.state import Researchers, State


def research_staff(r: Researchers, params: Params) -> jax.Array:
    """Employed researchers in every role but product, per firm [F]."""
    research = (params.is_employer[r.firm] > 0) & (r.role != PRODUCT)
    return segments.segment_sum(research.astype(jnp.float32), r.firm, params.is_employer.shape[0])


def observe(state: State, params: Params) -> FirmView:
    r = state.researchers
    n_firms = params.is_employer.shape[0]
    employed = params.is_employer[r.firm] > 0
    headcount = segments.segment_sum(employed.astype(jnp.float32), r.firm, n_firms)
    staff = research_staff(r, params)
    research = employed & (r.role != PRODUCT)
    skill_sum = segments.ordered_sum(jnp.where(research, r.skill, 0.0), r.firm, n_firms)
    known = knowledge.known(state.firms.ranked, state.firms.codified, params.knowledge_overlap)
    speed = compute.verification_speed(params, staff)
    offer_speed = compute.verification_speed(params, staff, params.compute_promise)
    offer_speed = offer_speed.at[params.outside_index].set(compute.outside_offer_speed(params, speed, staff))
    return FirmView(
        employed=employed,
        headcount=headcount,
        research_staff=staff,
        mean_research_skill=jnp.where(staff > 0, skill_sum / jnp.maximum(staff, 1.0), 1.0),
        knowledge=known.level,
        known=known,
        verification_speed=speed,
        offer_verification_speed=offer_speed,
    )
