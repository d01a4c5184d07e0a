"""Firm knowledge from its people: the best expert, then each next-best discounted for overlap.

For a firm f and stage s with codified stock C and overlap w (organisation.knowledge_overlap),
rank the people by their knowledge k_(1) >= k_(2) >= ... and combine the top RANKS of them:
    K[f, s] = 1 - (1 - C) * prod_{j = 1..RANKS} (1 - (1 - w)^(j - 1) * k_(j)).
The best expert counts in full; the j-th best adds only (1 - w)^(j - 1) of what they know,
because much of it the better ones know too (MODEL.md M8: redundancy is overlap). w = 0 is
noisy-OR over the top RANKS people, w = 1 is the best expert alone. Headcount beyond the top
ranks does not inflate knowledge (it enters capability, M8, with diminishing returns); a strong
bench keeps K when the best leave (000: redundancy), and a lab whose blueprint sits with two or
three people loses it when they go (002). Ranks come from repeated segment maxima, O(N) each;
people tied at a level take consecutive ranks.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

RANKS = 6  # people per firm and stage who count; the 7th best adds at most (1 - w)^6 of their knowledge
ALMOST_ONE = 1.0 - 1e-6


class Ranked(NamedTuple):
    """The distinct top knowledge levels of each firm and stage, best first, and how many hold each."""

    level: jax.Array  # float32 [D, F, S] (0 once nobody is left)
    count: jax.Array  # float32 [D, F, S]


class FirmKnowledge(NamedTuple):
    level: jax.Array  # float32 [F, S]: K
    ranked: Ranked


def rank(knowledge: jax.Array, firm: jax.Array, n_firms: int, depth: int = RANKS) -> Ranked:
    """The `depth` highest distinct knowledge levels per firm and stage, with their head counts."""
    remaining = knowledge
    levels, counts = [], []
    for _ in range(depth):
        top = jax.ops.segment_max(remaining, firm, n_firms)
        holding = (remaining >= top[firm]) & (remaining >= 0.0)
        levels.append(jnp.maximum(top, 0.0))
        counts.append(jax.ops.segment_sum(holding.astype(jnp.float32), firm, n_firms))
        remaining = jnp.where(holding, -1.0, remaining)
    return Ranked(level=jnp.stack(levels), count=jnp.stack(counts))


def combine(ranked: Ranked, codified: jax.Array, overlap: jax.Array, newcomer: jax.Array | None = None) -> jax.Array:
    """K from ranked levels [D, ..., S]; `overlap` broadcasts against [..., S] (e.g. [F, 1]).

    With `newcomer` [..., S], K as it would be with one more person of that knowledge, who ranks
    after everyone at least as knowledgeable.
    """
    discount = 1.0 - overlap
    log_kept = jnp.zeros_like(codified)
    ahead = jnp.zeros_like(codified)  # people ranked before the current level
    for level, count in zip(ranked.level, ranked.count, strict=True):
        shift = 0.0 if newcomer is None else (level < newcomer).astype(jnp.float32)
        for m in range(RANKS):
            j = ahead + shift + m  # 0-based rank of the m-th person at this level
            counted = (m < count) & (j < RANKS)
            log_kept += jnp.where(counted, jnp.log1p(-(discount**j) * jnp.minimum(level, ALMOST_ONE)), 0.0)
        ahead = ahead + count
    if newcomer is not None:
        j = (ranked.count * (ranked.level >= newcomer)).sum(0)
        log_kept += jnp.where(j < RANKS, jnp.log1p(-(discount**j) * jnp.minimum(newcomer, ALMOST_ONE)), 0.0)
    return 1.0 - (1.0 - codified) * jnp.exp(log_kept)


def aggregate(knowledge: jax.Array, firm: jax.Array, codified: jax.Array, overlap: jax.Array) -> FirmKnowledge:
    """K per firm and stage [F, S] from researchers' knowledge [N, S], firm index [N] and overlap [F]."""
    ranked = rank(knowledge, firm, codified.shape[0])
    return FirmKnowledge(level=combine(ranked, codified, overlap[:, None]), ranked=ranked)


def gain(arriving: jax.Array, firm: jax.Array, known: FirmKnowledge, codified: jax.Array, overlap: jax.Array) -> jax.Array:
    """The rise in K [N, S] if each researcher, with knowledge `arriving` [N, S], joined `firm` [N] alone."""
    ranked = Ranked(level=known.ranked.level[:, firm], count=known.ranked.count[:, firm])
    after = combine(ranked, codified[firm], overlap[firm][:, None], newcomer=arriving)
    return jnp.maximum(after - known.level[firm], 0.0)


def without_top(knowledge: jax.Array, firm: jax.Array, codified: jax.Array, overlap: jax.Array, departures: int):
    """K after the top 1, 2, ... levels of each firm and stage leave: (levels, people gone), each [departures, F, S]."""
    ranked = rank(knowledge, firm, codified.shape[0], depth=departures + RANKS)
    levels = [
        combine(Ranked(ranked.level[d : d + RANKS], ranked.count[d : d + RANKS]), codified, overlap[:, None])
        for d in range(1, departures + 1)
    ]
    return jnp.stack(levels), jnp.cumsum(ranked.count[:departures], axis=0)
