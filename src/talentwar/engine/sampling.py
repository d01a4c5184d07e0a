"""Drawing from the scenario's distributions inside the engine, one draw per element."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import rng
from talentwar.engine.params import BETA, FIXED, LOGNORMAL, UNIFORM, Distributions


def take(dists: Distributions, index: jax.Array) -> Distributions:
    """The distributions at `index` (one per element of `index`)."""
    return Distributions(dists.kind[index], dists.a[index], dists.b[index])


def draw_money(key: jax.Array, dists: Distributions) -> jax.Array:
    """One draw per element from fixed, uniform or lognormal distributions, by inverse transform.

    Cheap enough for every month (hires, offers); the schema keeps beta out of money fields.
    """
    return _inverse_money(rng.uniform(key, dists.kind.shape), dists)


def _inverse_money(u: jax.Array, dists: Distributions, lognormal: bool = True) -> jax.Array:
    """Money from uniforms `u`; with lognormal=False, for tables known to hold none."""
    value = jnp.where(dists.kind == UNIFORM, dists.a + u * (dists.b - dists.a), dists.a)
    if not lognormal:
        return value
    z = jax.scipy.special.ndtri(u)
    return jnp.where(dists.kind == LOGNORMAL, dists.a * jnp.exp(dists.b * z), value)


def draw_money_from(key: jax.Array, table: Distributions, index: jax.Array) -> jax.Array:
    """draw_money from table[index], one per element of `index`, with the same numbers.

    The normal quantile, the costly part, is computed only when the table holds a lognormal:
    the test is on scenario data, the same in every replication, so it skips the work instead
    of masking it. The uniforms enter the branch as its operand, which materialises them: fused
    into the quantile, which reads them several times, XLA recomputed the 20 Threefry rounds for
    each read (3.2 ms against 0.5 ms per 100,000 draws, docs/performance.md).
    """
    return _money_from(rng.uniform(key, index.shape), table, index)


def draw_money_at(key: jax.Array, size: int, rows: jax.Array | None, table: Distributions, index: jax.Array) -> jax.Array:
    """draw_money_from(key, table, index_of_all)[rows] for `index` = index_of_all[rows], computed
    for those rows only (a population of `size`), with the same numbers."""
    return _money_from(rng.uniform_at(key, size, rows), table, index)


def _money_from(u: jax.Array, table: Distributions, index: jax.Array) -> jax.Array:
    return jax.lax.cond(
        jnp.any(table.kind == LOGNORMAL),
        lambda u: _inverse_money(u, take(table, index)),
        lambda u: _inverse_money(u, take(table, index), lognormal=False),
        u,
    )


def draw(key: jax.Array, dists: Distributions, shape: tuple[int, ...] | None = None) -> jax.Array:
    """Draws from any scenario distribution, beta included (used once, for the initial population).

    `dists` broadcasts against `shape` (default: the shape of `dists.kind`). Beta draws (a
    rejection loop) run only when some element has a beta distribution; which ones do is
    scenario data, the same in every replication.
    """
    shape = dists.kind.shape if shape is None else shape
    kind, a, b = (jnp.broadcast_to(x, shape) for x in dists)
    money_key, beta_key = jax.random.split(key)
    value = jnp.where(kind == FIXED, a, draw_money(money_key, Distributions(kind, a, b)))
    is_beta = kind == BETA

    def with_beta(value: jax.Array) -> jax.Array:
        alpha = jnp.where(is_beta, a * b, 1.0)
        beta = jnp.where(is_beta, (1.0 - a) * b, 1.0)
        return jnp.where(is_beta, rng.beta(beta_key, alpha, beta), value)

    return jax.lax.cond(jnp.any(is_beta), with_beta, lambda v: v, value).astype(jnp.float32)


def mean(dists: Distributions) -> jax.Array:
    """The mean of each fixed, uniform or lognormal distribution (0 where there is none)."""
    uniform = 0.5 * (dists.a + dists.b)
    lognormal = dists.a * jnp.exp(0.5 * dists.b**2)
    value = jnp.where(dists.kind == UNIFORM, uniform, jnp.where(dists.kind == LOGNORMAL, lognormal, dists.a))
    return jnp.where(dists.kind < 0, 0.0, value)
