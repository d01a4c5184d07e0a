"""The job ladder alone, hand-written in JAX: the floor that the general engine is measured against.

benchmarks/bench.py times three programs on the same job ladder: the Mesa reference, talentwar's
general engine (the built-in `job-ladder` scenario), and this kernel. The kernel computes only
what the Mesa reference computes, with the same order of events and the same parameters
(`ladder_parameters`):

1. search: an employed researcher receives an offer with probability lambda1 from one of the
   other employers, its salary drawn from F, and accepts it if it pays more;
2. separation: an employed researcher leaves for the pool with probability delta;
3. hiring: the employers refill their vacancies from pool members who did not just leave, taken
   in random order (an exact sample without replacement), each hire paid a draw from F;
4. the DataCollector's two numbers: employed head count and mean employed salary.

It keeps no knowledge, equity, preferences, budgets, firm metrics or move log, so its speed is
what XLA on this machine gives for the ladder's arithmetic with nothing else in the month. The
gap between it and the engine is the cost of the engine's generality (docs/performance.md).
tests/test_mesa_reference.py checks it against the closed form, as the Mesa reference is.
"""

from __future__ import annotations

from functools import partial
from typing import NamedTuple

import jax
import jax.numpy as jnp

from benchmarks.mesa_reference.model import LadderParameters
from talentwar.engine import rng
from talentwar.engine.compact import running_count
from talentwar.engine.mechanisms.hiring import _sample_exactly


class Ladder(NamedTuple):
    employer: jax.Array  # int32 [N]: employer index, -1 in the pool
    salary: jax.Array  # float32 [N]: k$ a year


def initial(p: LadderParameters, key: jax.Array) -> Ladder:
    """Employers filled to their targets, then the pool; every salary a draw from F."""
    employer = jnp.concatenate([jnp.full(n, e, jnp.int32) for e, n in enumerate(p.employers)] + [jnp.full(p.pool, -1, jnp.int32)])
    return Ladder(employer, jax.random.uniform(key, (p.researchers,), jnp.float32, p.low, p.high))


def month(p: LadderParameters, state: Ladder, key: jax.Array) -> tuple[Ladder, jax.Array]:
    """One month of one replication; returns the new state and [employed, mean employed salary]."""
    n, employers = p.researchers, len(p.employers)
    k_draws, k_hire = jax.random.split(key)
    offer_u, poacher_u, wage_u, leave_u = rng.uniform(k_draws, (4, n))
    employer, salary = state

    # 1. search: an offer from one of the other employers, accepted if it pays more
    poacher = (employer + 1 + (poacher_u * (employers - 1)).astype(jnp.int32)) % employers
    wage = p.low + (p.high - p.low) * wage_u
    accept = (employer >= 0) & (offer_u < p.offer_rate) & (wage > salary)
    employer = jnp.where(accept, poacher, employer)
    salary = jnp.where(accept, wage, salary)

    # 2. separation to the pool
    left = (employer >= 0) & (leave_u < p.separation_rate)
    employer = jnp.where(left, -1, employer)

    # 3. hiring: an exact random sample of the pool members who did not just leave fills the
    # vacancies, employer after employer (the engine's O(N) sampler, not a sort)
    eligible = (employer < 0) & ~left
    headcount = (employer[:, None] == jnp.arange(employers)).sum(0)
    filled_before = jnp.cumsum(jnp.maximum(jnp.asarray(p.employers) - headcount, 0))
    hired = _sample_exactly(k_hire, eligible, filled_before[-1])
    hired_by = jnp.searchsorted(filled_before, running_count(hired) - 1, side="right").astype(jnp.int32)
    employer = jnp.where(hired, hired_by, employer)
    salary = jnp.where(hired, p.low + (p.high - p.low) * offer_u, salary)  # offer_u is unused by pool members

    # 4. what the Mesa reference's DataCollector records
    on_payroll = employer >= 0
    count = on_payroll.sum()
    mean_salary = jnp.where(on_payroll, salary, 0.0).sum() / jnp.maximum(count, 1)
    return Ladder(employer, salary), jnp.stack([count.astype(jnp.float32), mean_salary])


@partial(jax.jit, static_argnames=("p", "replications", "months"))
def simulate(p: LadderParameters, replications: int, months: int, seed: int = 0) -> tuple[Ladder, jax.Array]:
    """`replications` independent ladders, vmapped; final states and the [replications, months, 2] series."""

    def one(key: jax.Array) -> tuple[Ladder, jax.Array]:
        start, keys = jax.random.split(key)
        return jax.lax.scan(lambda s, k: month(p, s, k), initial(p, start), jax.random.split(keys, months))

    return jax.vmap(one)(jax.random.split(jax.random.key(seed), replications))
