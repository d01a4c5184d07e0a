"""M16 Baseline separations and replacement hiring (000: a machine that runs regardless of who sits in the chair).

Separations: each employed researcher leaves for the outside pool with the firm's monthly
`separation_rate` (life events: the small exogenous rate no lever reaches), forfeiting unvested
equity. Every other departure is a decision (M9): offers from rivals (M10) and from the outside
market, a job elsewhere that arrives at `market.outside_market.offer_rate` a month at a salary of
`pay_ratio` times the current one (engine/mechanisms/poaching.py makes these offers).
Hiring: every (firm, role, stage) cell below its target headcount (the scenario's count)
refills from the outside pool within the month. Hires are an equal-probability sample of exactly
min(vacancies, pool) of the pool members who did not just leave; each takes the vacancy's role and stage, a salary and an equity grant
drawn from the firm's distributions for that cell, and brings the (usually low) knowledge
they have, and settles in the firm's region. When the pool is short, the hires fill
consecutive vacancies from a random start. Knowledge in the outside pool goes stale at
`outside_knowledge_decay` a month.
Switched off: nobody separates, the outside market makes no offers, nobody is hired, pool knowledge keeps.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import compact, rng, segments
from talentwar.engine.mechanisms import liquidity
from talentwar.engine.moves import join
from talentwar.engine.params import N_ROLES, Params
from talentwar.engine.sampling import draw_money_at
from talentwar.engine.state import State
from talentwar.engine.switches import switch

SAMPLING_BUCKETS = 1024


def separate(state: State, params: Params, key: jax.Array, forced: jax.Array | float = 0.0) -> tuple[State, jax.Array]:
    """Life events (M16), plus `forced` [N]: 1 for the scheduled departures to the outside pool."""
    r = state.researchers
    employed = params.is_employer[r.firm] > 0
    rate = params.separation_rate[r.firm] * switch(params, "M16") + forced
    leaving = employed & (rng.uniform(key, r.firm.shape) < rate)
    researchers = join(
        r,
        leaving,
        firm=params.outside_index,
        salary=r.salary,
        grant=(0.0, 1, 0, 1),
        knowledge=r.knowledge,
    )
    return state._replace(researchers=researchers), leaving


def hire(state: State, params: Params, key: jax.Array, just_left: jax.Array) -> tuple[State, jax.Array]:
    r = state.researchers
    S = r.knowledge.shape[1]
    n_cells = params.cell_target.shape[0]
    employed = params.is_employer[r.firm] > 0
    cell_of = (r.firm * N_ROLES + r.role.astype(jnp.int32)) * S + r.stage.astype(jnp.int32)
    staffed = segments.segment_sum(employed.astype(jnp.int32), cell_of, n_cells)
    vacancies = jnp.maximum(params.cell_target - staffed, 0) * (switch(params, "M16") > 0)
    cumulative_vacancies = jnp.cumsum(vacancies)
    n_vacancies = cumulative_vacancies[-1]

    k_priority, k_rotate, k_salary, k_equity = jax.random.split(key, 4)
    available = (r.firm == params.outside_index) & ~just_left
    selected = _sample_exactly(k_priority, available, jnp.minimum(n_vacancies, available.sum()))
    # Selected members fill consecutive vacancies from a random start (wrapping around), so a
    # short pool does not always favour the firms listed first.
    order = compact.running_count(selected) - 1
    rotation = jnp.floor(jax.random.uniform(k_rotate) * n_vacancies).astype(order.dtype)
    place = jnp.mod(order + rotation, jnp.maximum(n_vacancies, 1))
    hired = selected
    n = hired.shape[0]
    price = liquidity.equity_price(state.firms, params)

    def terms(row, vacancy):  # for the hired only; row i takes the i-th of N draws, whoever else is hired
        cell = jnp.minimum(jnp.searchsorted(cumulative_vacancies, vacancy, side="right"), n_cells - 1)
        firm = cell // (N_ROLES * S)
        salary = draw_money_at(k_salary, n, row, params.cell_salary, cell)
        equity_value = draw_money_at(k_equity, n, row, params.cell_equity, cell)
        return cell, firm, salary, equity_value / price[firm]

    cell, firm, salary, grant_shares = compact.where_selected(terms, hired, place, fill=(0, 0, 0.0, 0.0), numbered=True)
    researchers = join(
        r,
        hired,
        firm=firm,
        salary=salary,
        grant=(grant_shares, params.cell_grant_months[cell], params.cell_grant_cliff[cell], params.cell_grant_every[cell]),
        knowledge=r.knowledge,
        role=(cell // S) % N_ROLES,
        stage=cell % S,
    )
    # A hire from the outside pool settles in the hiring firm's region.
    researchers = researchers._replace(region=jnp.where(hired, params.region[firm], r.region).astype(r.region.dtype))
    return state._replace(researchers=researchers), hired


def _sample_exactly(key: jax.Array, candidates: jax.Array, how_many: jax.Array) -> jax.Array:
    """Exactly `how_many` of the candidates, each with the same probability, in O(N) integer work.

    Candidates get a random priority bucket; all buckets below the one where the running count
    reaches `how_many` are taken whole, and that bucket is taken in index order up to the count.
    """
    priority = rng.randint(key, candidates.shape, SAMPLING_BUCKETS)
    per_bucket = segments.ordered_sum(candidates.astype(jnp.int32), priority, SAMPLING_BUCKETS)
    running = jnp.cumsum(per_bucket)
    cut = jnp.searchsorted(running, how_many, side="left")
    before_cut = running[cut] - per_bucket[cut]
    at_cut = candidates & (priority == cut)
    return candidates & ((priority < cut) | (at_cut & (compact.running_count(at_cut) <= how_many - before_cut)))


def age_pool(state: State, params: Params) -> State:
    r = state.researchers
    decay = params.outside_knowledge_decay * switch(params, "M16") * (r.firm == params.outside_index)
    return state._replace(researchers=r._replace(knowledge=r.knowledge * (1.0 - decay)[:, None]))
