"""The initial population of one replication, drawn from the scenario's distributions."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import rng, segments
from talentwar.engine.knowledge import DEPTH, Ranked
from talentwar.engine.mechanisms import capability, liquidity, vesting
from talentwar.engine.params import CORE, N_ROLES, RESEARCH_ENGINEER, Dims, Distributions, Params
from talentwar.engine.sampling import draw, take
from talentwar.engine.state import GRANT_SLOTS, Firms, Pending, Researchers, State


def initial_state(key: jax.Array, params: Params, dims: Dims) -> State:
    N, S = dims.researchers, dims.stages
    keys = jax.random.split(key, 12)
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

    tenure = jnp.minimum(jnp.round(draw(keys[4], take(params.group_tenure, group))), 1200)
    salary = draw(keys[8], take(params.group_salary, group))
    equity_value = draw(keys[5], take(params.group_equity, group))
    # Grants in progress started when the researcher joined and at each refresh since (share price
    # index 1.0 at month 0, so k$ are shares); see vesting.initial_grants.
    cell = (firm * N_ROLES + role) * S + stage
    refresh_value = draw(keys[10], Distributions(*(x[:, None] for x in take(params.cell_refresh, cell))), (N, GRANT_SLOTS - 1))
    grants = vesting.initial_grants(
        tenure,
        equity_value,
        refresh_value,
        (params.group_grant_months[group], params.group_grant_cliff[group], params.group_grant_every[group]),
        (params.cell_refresh_months[cell], params.cell_refresh_cliff[cell], params.cell_refresh_every[cell]),
        params.cell_refresh_interval[cell],
    )

    researchers = Researchers(
        firm=firm.astype(jnp.int32),
        role=role.astype(jnp.int8),
        stage=stage.astype(jnp.int8),
        region=params.region[firm].astype(jnp.int8),
        initial_core_firm=jnp.full(N, -1, jnp.int32),  # set by mark_month_zero
        skill=draw(keys[6], take(params.group_skill, group)),
        knowledge=knowledge.astype(jnp.float32),
        preferences=preferences.astype(jnp.float32),
        risk_aversion=draw(keys[7], take(params.group_risk_aversion, group)),
        wealth=(draw(keys[11], take(params.group_wealth_years, group)) * salary).astype(jnp.float32),
        salary=salary,
        grants=grants,
        protected=jnp.zeros(N, bool),
        tenure=tenure.astype(jnp.int16),
        morale=jnp.ones(N, jnp.float32),
        reference_pay=salary,
        on_product=jnp.zeros(N, bool),
        wants_ai_role=(rng.uniform(keys[9], (N,)) < params.group_wants_ai_role[group]) & (role > RESEARCH_ENGINEER),
        resting=jnp.zeros(N, bool),
        unrest=jnp.zeros(N, jnp.float32),
        pending=Pending(
            starts_in=jnp.zeros(N, jnp.int16),
            poacher=firm.astype(jnp.int32),
            **{field: jnp.zeros(N, jnp.float32) for field in ("salary", "sign_on", "equity_value", "cost")},
        ),
    )
    codified = jnp.broadcast_to(params.codified_knowledge[:, None], (dims.firms, S)).astype(jnp.float32)
    firms = Firms(
        share_price=jnp.ones(dims.firms, jnp.float32),
        codified=codified,
        capability=jnp.zeros(dims.firms, jnp.float32),
        capability_start=jnp.zeros(dims.firms, jnp.float32),
        core_start=jnp.zeros(dims.firms, jnp.float32),
        information_quality=jnp.asarray(params.information_quality, jnp.float32),
        ranked=Ranked(*(jnp.zeros((DEPTH, dims.firms, S), jnp.float32),) * 2),
    )
    state = State(researchers=researchers, firms=firms)
    return mark_month_zero(capability.measure(capability.rank(state, params), params), params)


def mark_month_zero(state: State, params: Params) -> State:
    """Month 0 is now (the drawn population, or the market after its burn-in): the core team whose
    retention is reported, the capability that performance units are measured against (M3) and the
    equity price index, 1.0, start here. Grants are restated in shares at the new index, so no
    grant changes value."""
    r = state.researchers
    core = (r.role == CORE) & (params.is_employer[r.firm] > 0)
    price = liquidity.equity_price(state.firms, params)[r.firm]
    firms = state.firms._replace(
        share_price=jnp.ones_like(state.firms.share_price),
        capability_start=state.firms.capability,
        core_start=segments.segment_sum(core.astype(jnp.float32), r.firm, params.is_employer.shape[0]),
    )
    researchers = r._replace(
        initial_core_firm=jnp.where(core, r.firm, -1).astype(jnp.int32),
        grants=r.grants._replace(shares=r.grants.shares * price[:, None]),
    )
    return State(researchers=researchers, firms=firms)
