"""Per-researcher random numbers: Threefry-2x32-20 written as plain integer array operations.

Keys are ordinary JAX keys (split and folded in with `jax.random`); only the bulk draws go
through this module. Each draw hashes the element's counter with the key by the same
Threefry-2x32 with 20 rounds that `jax.random` uses (Salmon et al. 2011, "Parallel random
numbers: as easy as 1, 2, 3"), and keeps both 32-bit words of every hash. Written as one
elementwise expression, XLA fuses and vectorises it: 1.4-1.8 ns a number on the 2-core
benchmark machine against 6-13 ns for `jax.random.uniform` (docs/performance.md). Integer
operations round identically at every vector width, so a replication's numbers do not depend
on batching. Gamma, beta and Dirichlet draws use Marsaglia and Tsang's (2000) method with a
rejection loop over the whole array rather than one loop per element.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

_ROTATIONS = (13, 15, 26, 6, 17, 29, 16, 24)
_MANTISSA = 23
_BOOST_ROUND = 0x7FFFFFFF  # the key of the U^(1/a) boost; proposal rounds count up from 0


def _rotate_left(x: jax.Array, r: int) -> jax.Array:
    return (x << r) | (x >> (32 - r))


def _threefry(k0: jax.Array, k1: jax.Array, x0: jax.Array, x1: jax.Array) -> tuple[jax.Array, jax.Array]:
    """Threefry-2x32 with 20 rounds (Random123's reference constants)."""
    schedule = (k0, k1, k0 ^ k1 ^ jnp.uint32(0x1BD11BDA))
    x0, x1 = x0 + k0, x1 + k1
    for i in range(20):
        x0 = x0 + x1
        x1 = _rotate_left(x1, _ROTATIONS[i % 8]) ^ x0
        if i % 4 == 3:
            j = i // 4 + 1
            x0 = x0 + schedule[j % 3]
            x1 = x1 + schedule[(j + 1) % 3] + jnp.uint32(j)
    return x0, x1


def bits(key: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    """Uniform uint32 words of `shape`, one hash per two elements."""
    size = 1
    for n in shape:
        size *= n
    half = (size + 1) // 2
    words = jax.random.key_data(key).astype(jnp.uint32).reshape(-1)
    counter = jnp.arange(half, dtype=jnp.uint32)
    high, low = _threefry(words[0], words[1], counter, jnp.zeros_like(counter))
    return jnp.concatenate([high, low])[:size].reshape(shape)


def bits_at(key: jax.Array, size: int, rows: jax.Array | None) -> jax.Array:
    """bits(key, (size,))[rows], hashing only those rows: a row's number never depends on which
    other rows are drawn. `rows` is int32 in [0, size); None means every row in order, drawn as
    bits() draws them (one hash for two rows, where a hash per row would cost twice as much)."""
    if rows is None:
        return bits(key, (size,))
    half = (size + 1) // 2
    words = jax.random.key_data(key).astype(jnp.uint32).reshape(-1)
    row = rows.astype(jnp.uint32)
    first = row < half  # the first half takes each hash's high word, the second half its low word
    high, low = _threefry(words[0], words[1], jnp.where(first, row, row - half), jnp.zeros_like(row))
    return jnp.where(first, high, low)


def uniform(key: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    """float32 in the open interval (0, 1): never exactly 0 or 1, so log and ndtri are safe."""
    return _to_unit(bits(key, shape))


def uniform_at(key: jax.Array, size: int, rows: jax.Array | None) -> jax.Array:
    """uniform(key, (size,))[rows], computed for those rows only (bit for bit the same)."""
    return _to_unit(bits_at(key, size, rows))


def _to_unit(words: jax.Array) -> jax.Array:
    mantissa = (words >> (32 - _MANTISSA)).astype(jnp.float32)
    return (mantissa + 0.5) * (1.0 / (1 << _MANTISSA))


def normal(key: jax.Array, shape: tuple[int, ...]) -> jax.Array:
    return jax.scipy.special.ndtri(uniform(key, shape))


def logistic_at(key: jax.Array, size: int, rows: jax.Array | None) -> jax.Array:
    """Standard logistic draws at `rows` of a population of `size` (None: every row), as uniform_at."""
    u = uniform_at(key, size, rows)
    return jnp.log(u) - jnp.log1p(-u)


def randint(key: jax.Array, shape: tuple[int, ...], high: int) -> jax.Array:
    """int32 in [0, high) from the top 24 bits (exact in float32; bias below high / 2^24)."""
    top = (bits(key, shape) >> 8).astype(jnp.float32)
    return jnp.minimum((top * (high / float(1 << 24))).astype(jnp.int32), high - 1)


def categorical(key: jax.Array, probabilities: jax.Array) -> jax.Array:
    """Per row of `probabilities` [..., K] (summing to 1), a category drawn by inverse transform."""
    u = uniform(key, probabilities.shape[:-1])
    cumulative = jnp.cumsum(probabilities, axis=-1)
    return jnp.minimum((cumulative <= u[..., None] * cumulative[..., -1:]).sum(-1), probabilities.shape[-1] - 1)


def gamma(key: jax.Array, alpha: jax.Array) -> jax.Array:
    """Gamma(alpha, 1) draws, one per element of `alpha` (> 0), by Marsaglia and Tsang (2000).

    Shapes below 1 are boosted: Gamma(a) = Gamma(a + 1) * U^(1 / a). Every element proposes
    in each round of one loop over the whole array until all have accepted; an element's draw
    depends only on its own proposals, so not on the array it sits in.
    """
    alpha = alpha.astype(jnp.float32)
    shape = alpha.shape
    boosted = alpha < 1.0
    d = jnp.where(boosted, alpha + 1.0, alpha) - 1.0 / 3.0
    c = 1.0 / jnp.sqrt(9.0 * d)

    def propose(carry):
        round_, value, done = carry
        k_normal, k_accept = jax.random.split(jax.random.fold_in(key, round_))
        z = normal(k_normal, shape)
        v = (1.0 + c * z) ** 3
        log_u = jnp.log(uniform(k_accept, shape))
        accept = (v > 0) & (log_u < 0.5 * z * z + d - d * v + d * jnp.log(jnp.maximum(v, 1e-30)))
        take = accept & ~done
        return round_ + 1, jnp.where(take, d * v, value), done | accept

    _, value, _ = jax.lax.while_loop(
        lambda carry: ~jnp.all(carry[2]), propose, (jnp.int32(0), jnp.zeros(shape, jnp.float32), jnp.zeros(shape, bool))
    )
    boost = jnp.exp(jnp.log(uniform(jax.random.fold_in(key, _BOOST_ROUND), shape)) / alpha)
    return jnp.where(boosted, value * boost, value)


def beta(key: jax.Array, a: jax.Array, b: jax.Array) -> jax.Array:
    """Beta(a, b) draws as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b)."""
    a, b = jnp.broadcast_arrays(a, b)
    draws = gamma(key, jnp.stack([a, b]))
    x, y = draws[0], draws[1]
    return x / jnp.maximum(x + y, 1e-30)


def dirichlet(key: jax.Array, alpha: jax.Array) -> jax.Array:
    """Dirichlet draws, one per row of `alpha` [..., K]."""
    draws = gamma(key, alpha)
    return draws / jnp.maximum(draws.sum(-1, keepdims=True), 1e-30)
