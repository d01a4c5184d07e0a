"""M8 Codified knowledge, capability and money saved (000: documentation; 001: diminishing returns, inference savings).

Documentation: each month a firm writes down a share of what its staff know and its stock lacks,
    codified[f, s] += documentation_rate[f] * max(0, K_staff[f, s] - codified[f, s]),
K_staff the knowledge of its people alone (engine/knowledge.py). Firm knowledge K combines the two (firm_view).
Capability needs every stage (a weakest link), compute, and people with diminishing returns:
    capability[f] = (mean_s K[f, s]^rho)^(1/rho) * (effective_gpus[f] / compute_reference)^alpha
                    * research_staff[f]^beta,
rho < 0 (CES close to the minimum across stages), beta < 1 (001: the tenth researcher adds
less than 10%). Money saved by inference-efficiency knowledge (001: "1% efficiency = tens of
millions a year"): K[f, inference_efficiency] * user_base[f] / 12 k$ a month.
Switched off: nothing is codified beyond the initial stock, capability and money saved are 0.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import knowledge
from talentwar.engine.firm_view import research_staff
from talentwar.engine.params import FIXED, Params
from talentwar.engine.state import State
from talentwar.engine.switches import switch


def rank(state: State, params: Params) -> State:
    """Rank each firm's best people per stage (engine/knowledge.py) once, when the month's moves and
    learning are done; documentation and breakthroughs change only the codified stock, so this
    ranking serves document(), measure(), the month's metrics and the next month's firms."""
    r = state.researchers
    n_firms, n_stages = params.is_employer.shape[0], r.knowledge.shape[1]
    ranked = jax.lax.cond(  # params are shared by every replication: a real branch, not both
        knowledge_stays_zero(params),
        lambda: knowledge.nobody_knows(r.firm, n_firms, n_stages),
        lambda: knowledge.rank(r.knowledge, r.firm, n_firms),
    )
    return state._replace(firms=state.firms._replace(ranked=ranked))


def knowledge_stays_zero(params: Params) -> jax.Array:
    """Whether every researcher's knowledge is 0 now and always: everyone starts knowing nothing
    (fixed 0 in every population group) and nobody learns (M7 off). Movers carry, hires bring
    and the outside pool keeps only what people already know, so nothing else can raise it.
    The job ladder is such a market; its ranking is then known without looking (0.9 of 2.1 ms a month at N = 10,000)."""
    starts_at_zero = [(d.kind == FIXED) & (d.a == 0.0) for d in (params.group_own_knowledge, params.group_other_knowledge)]
    return (switch(params, "M7") == 0) & jnp.all(starts_at_zero[0]) & jnp.all(starts_at_zero[1])


def document(state: State, params: Params) -> State:
    codified, ranked = state.firms.codified, state.firms.ranked
    staff_knowledge = knowledge.combine(ranked, jnp.zeros_like(codified), params.knowledge_overlap[:, None])
    written = params.documentation_rate[:, None] * jnp.maximum(staff_knowledge - codified, 0.0) * switch(params, "M8")
    return state._replace(firms=state.firms._replace(codified=codified + written))


def measure(state: State, params: Params) -> State:
    """Record each firm's capability at this moment in the state (read by M3's performance units)."""
    level = knowledge.combine(state.firms.ranked, state.firms.codified, params.knowledge_overlap[:, None])
    staff = research_staff(state.researchers, params)
    return state._replace(firms=state.firms._replace(capability=capability(level, staff, params)))


def capability(knowledge: jax.Array, research_staff: jax.Array, params: Params) -> jax.Array:
    """Capability per firm [F] from firm knowledge [F, S] and research headcount [F]."""
    rho = params.weakest_link
    weakest_link = jnp.mean(jnp.maximum(knowledge, 1e-6) ** rho, axis=1) ** (1.0 / rho)
    compute = (params.effective_gpus / params.compute_reference) ** params.compute_elasticity
    people = jnp.maximum(research_staff, 0.0) ** params.headcount_elasticity
    return weakest_link * compute * people * params.is_employer * switch(params, "M8")


def money_saved(knowledge: jax.Array, params: Params) -> jax.Array:
    """k$ a month saved by inference-efficiency knowledge at each firm [F]."""
    return (knowledge * params.inference_stage).sum(1) * params.user_base / 12.0 * switch(params, "M8")
