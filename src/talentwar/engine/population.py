"""The initial population of one replication, drawn from the scenario's distributions."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import rng
from talentwar.engine.knowledge import DEPTH, Ranked
from talentwar.engine.mechanisms import capability
from talentwar.engine.params import CORE, RESEARCH_ENGINEER, Dims, Distributions, Params
from talentwar.engine.sampling import draw, take
from talentwar.engine.state import Firms, Researchers, State


def initial_state(key: jax.Array, params: Params, dims: Dims) -> State:
    N, S = dims.researchers, dims.stages
    keys = jax.random.split(key, 10)
    group = params.group_of
    firm = params.group_firm[group]
    role = params.group_role[group]
    stage = params.group_stage[group]

    own = draw(keys[0], take(params.group_own_knowledge, group))
    other_dists = take(params.group_other_knowledge, group)
    other = draw(keys[1], Distributions(*(x[:, None] for x in other_dists)), (N, S))
    in_stage = jnp.arange(S)[None, :] == stage[:, None]
    knowledge = jnp.where(in_stage, own[:, None], other)

    # Preferences: an archetype per researcher, then weights around the archetype's means.
    archetype = rng.categorical(keys[2], params.group_archetype_share[group])
    mean_weights = params.archetype_weights[archetype]
    concentration = params.archetype_concentration[archetype]
    dirichlet = rng.dirichlet(keys[3], jnp.maximum(mean_weights * concentration[:, None], 1e-3))
    preferences = jnp.where(concentration[:, None] > 0, dirichlet, mean_weights)

    tenure = jnp.round(draw(keys[4], take(params.group_tenure, group)))
    salary = draw(keys[8], take(params.group_salary, group))
    grant_months = params.group_grant_months[group]
    equity_value = draw(keys[5], take(params.group_equity, group))

    researchers = Researchers(
        firm=firm.astype(jnp.int32),
        role=role.astype(jnp.int8),
        stage=stage.astype(jnp.int8),
        region=params.region[firm].astype(jnp.int8),
        initial_core_firm=jnp.where((role == CORE) & (params.is_employer[firm] > 0), firm, -1).astype(jnp.int32),
        skill=draw(keys[6], take(params.group_skill, group)),
        knowledge=knowledge.astype(jnp.float32),
        preferences=preferences.astype(jnp.float32),
        risk_aversion=draw(keys[7], take(params.group_risk_aversion, group)),
        salary=salary,
        # A grant in progress started when the researcher joined (share price index 1.0 at month 0).
        grant_shares=equity_value,
        grant_age=jnp.minimum(tenure, grant_months).astype(jnp.int16),
        grant_months=grant_months.astype(jnp.int16),
        grant_cliff=params.group_grant_cliff[group].astype(jnp.int16),
        retention_shares=jnp.zeros(N, jnp.float32),
        retention_age=jnp.zeros(N, jnp.int16),
        retention_months=jnp.ones(N, jnp.int16),
        retention_cliff=jnp.zeros(N, jnp.int16),
        protected=jnp.zeros(N, bool),
        tenure=jnp.minimum(tenure, 1200).astype(jnp.int16),
        morale=jnp.ones(N, jnp.float32),
        reference_pay=salary,
        on_product=jnp.zeros(N, bool),
        wants_ai_role=(rng.uniform(keys[9], (N,)) < params.group_wants_ai_role[group]) & (role > RESEARCH_ENGINEER),
        resting=jnp.zeros(N, bool),
    )
    codified = jnp.broadcast_to(params.codified_knowledge[:, None], (dims.firms, S)).astype(jnp.float32)
    firms = Firms(
        share_price=jnp.ones(dims.firms, jnp.float32),
        codified=codified,
        capability=jnp.zeros(dims.firms, jnp.float32),
        capability_start=jnp.zeros(dims.firms, jnp.float32),
        information_quality=jnp.asarray(params.information_quality, jnp.float32),
        ranked=Ranked(*(jnp.zeros((DEPTH, dims.firms, S), jnp.float32),) * 2),
    )
    state = State(researchers=researchers, firms=firms)
    state = capability.measure(capability.rank(state, params), params)
    return state._replace(firms=state.firms._replace(capability_start=state.firms.capability))
