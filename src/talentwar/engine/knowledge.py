"""Firm knowledge from its people: the best expert, then each next-best discounted for overlap.

For a firm f and stage s with codified stock C and overlap w (organisation.knowledge_overlap),
rank the people by their knowledge k_(1) >= k_(2) >= ... and combine the top RANKS of them:
    K[f, s] = 1 - (1 - C) * prod_{j = 1..RANKS} (1 - (1 - w)^(j - 1) * k_(j)).
The best expert counts in full; the j-th best adds only (1 - w)^(j - 1) of what they know,
because much of it the better ones know too (MODEL.md M8: redundancy is overlap). w = 0 is
noisy-OR over the top RANKS people, w = 1 is the best expert alone. Headcount beyond the top
ranks does not inflate knowledge (it enters capability, M8, with diminishing returns); a strong
bench keeps K when the best leave (000: redundancy), and a lab whose blueprint sits with two or
three people loses it when they go (002). Ranks come from repeated segment maxima and one
segment sum for the head counts, over candidates only in a large population (rank());
people tied at a level take consecutive ranks. The
step ranks once a month, at its end, DEPTH levels deep (enough for the bus factor, metrics.py),
and carries the ranking in the state: the next month's firms see it, since nothing between
the end of one month and the start of the next changes anyone's knowledge or firm.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from talentwar.engine import compact, segments

RANKS = 6  # people per firm and stage who count; the 7th best adds at most (1 - w)^6 of their knowledge
BUS_FACTOR_CAP = 8  # bus factors above this are reported as BUS_FACTOR_CAP + 1 (metrics.py)
DEPTH = BUS_FACTOR_CAP + RANKS  # levels ranked each month: up to BUS_FACTOR_CAP leave, RANKS remain
ALMOST_ONE = 1.0 - 1e-6
TIE_MARGIN = 6  # people per firm and stage the ranking's candidates keep beyond `depth`, for ties
BUCKETS = 64  # per level of the candidates' two-level histogram: 4,096 buckets over [0, 1]
MIN_CANDIDATES = 2048  # rows of the candidates' block, at least


class Ranked(NamedTuple):
    """The distinct top knowledge levels of each firm and stage, best first, and how many hold each."""

    level: jax.Array  # float32 [D, F, S] (0 once nobody is left)
    count: jax.Array  # float32 [D, F, S]


class FirmKnowledge(NamedTuple):
    level: jax.Array  # float32 [F, S]: K
    ranked: Ranked


def rank(knowledge: jax.Array, firm: jax.Array, n_firms: int, depth: int = DEPTH) -> Ranked:
    """The `depth` highest distinct knowledge levels per firm and stage [depth, F, S], with their head counts.

    Only each firm's best matter, so in a large population the ranking looks at candidates: per
    firm and stage, a two-level histogram (BUCKETS x BUCKETS buckets over [0, 1]) finds the lowest
    bucket that keeps at least depth + TIE_MARGIN people at or above it, and the rows with some
    stage at or above their firm's bucket (about 2 F S (depth + TIE_MARGIN) of them, whatever N)
    are ranked as a block. The result is exact whenever the block provably holds everyone at or
    above each firm's depth-th level: it found `depth` distinct levels at or above the bucket, or
    the bucket is the lowest (everyone is a candidate: those who know something of the stage are
    ranked, the others counted at level 0). Otherwise (ties, or more candidates than the block
    holds) the whole population is ranked, so the result never depends on the pruning.
    """
    n, n_stages = knowledge.shape
    block = max(MIN_CANDIDATES, 2 * n_firms * n_stages * (depth + TIE_MARGIN))
    if 2 * block > n:  # a small population: ranking everyone is cheaper
        return rank_all(knowledge, firm, n_firms, depth)
    qualifies, everyone, people = _at_or_above_threshold(knowledge, firm, n_firms, depth + TIE_MARGIN)
    # Where everyone qualifies, those who know nothing of the stage are counted, not ranked: a firm
    # of thousands that does not work on a stage would not fit the block.
    qualifies = qualifies & ((knowledge > 0.0) | ~everyone[firm])
    selected = qualifies.any(1)
    position = compact.running_count(selected)
    row = compact.block_rows(selected, position, block)
    filled, row = row < n, jnp.minimum(row, n - 1)
    candidates = jnp.where(filled[:, None] & qualifies[row], knowledge[row], -1.0)
    ranked = rank_all(candidates, jnp.where(filled, firm[row], n_firms), n_firms, depth)
    # Level 0, held by the rest of the firm, comes right after the levels above 0 (if within depth).
    above_zero = ranked.level > 0.0
    nobody_else = people - jnp.where(above_zero, ranked.count, 0.0).sum(0)
    at_zero = (jnp.arange(depth)[:, None, None] == above_zero.sum(0)[None]) & everyone[None]
    ranked = ranked._replace(count=jnp.where(at_zero, nobody_else[None], ranked.count))
    exact = (position[-1] <= block) & jnp.all(everyone | (ranked.count[-1] > 0))

    # Otherwise the whole ranking, in a loop that runs once or never (vmapped, a cond would run both
    # branches). It reads the loop's own flag: without it XLA hoisted the ranking out of the loop as
    # loop-invariant code and ran it every month (docs/performance.md).
    def whole(carry):
        todo, _ = carry
        return jnp.zeros_like(todo), rank_all(jnp.where(todo, knowledge, -1.0), firm, n_firms, depth)

    return jax.lax.while_loop(lambda carry: carry[0], whole, (~exact, ranked))[1]


def _at_or_above_threshold(knowledge: jax.Array, firm: jax.Array, n_firms: int, keep: int) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Which researcher-stages [N, S] are at or above their firm's threshold for the stage, the
    lowest histogram bucket with at least `keep` people at or above it; where [F, S] that
    threshold is the lowest bucket of all (everyone qualifies); and the people per firm [F, S]."""
    n_stages = knowledge.shape[1]
    cell = firm[:, None] * n_stages + jnp.arange(n_stages)[None, :]  # [N, S]: firm x stage
    coarse = jnp.clip((knowledge * BUCKETS).astype(jnp.int32), 0, BUCKETS - 1)
    fine = jnp.clip(((knowledge * BUCKETS - coarse) * BUCKETS).astype(jnp.int32), 0, BUCKETS - 1)

    def lowest_bucket(bucket: jax.Array, counted: jax.Array, above: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
        """Per firm and stage [F, S]: the highest bucket with at least `keep` people in it or above
        it (`above`: people above every bucket), the people above that bucket, and all people counted."""
        index = jnp.where(counted, cell * BUCKETS + bucket, -1).reshape(-1)  # -1: not counted, left out of the scatter
        counts = segments.segment_sum(jnp.ones(index.shape, jnp.float32), index, n_firms * n_stages * BUCKETS)
        at_or_above = jnp.cumsum(counts.reshape(n_firms, n_stages, BUCKETS)[..., ::-1], axis=-1)[..., ::-1] + above[..., None]
        chosen = jnp.maximum((at_or_above >= keep).sum(-1) - 1, 0)
        beyond = jnp.concatenate([at_or_above[..., 1:], above[..., None]], axis=-1)  # people above each bucket
        return chosen, jnp.take_along_axis(beyond, chosen[..., None], axis=-1)[..., 0], at_or_above[..., 0]

    ones = jnp.ones(knowledge.shape, bool)
    top_coarse, above, people = lowest_bucket(coarse, ones, jnp.zeros((n_firms, n_stages), jnp.float32))
    in_top_coarse = coarse == top_coarse[firm]
    top_fine, _, _ = lowest_bucket(fine, in_top_coarse, above)
    qualifies = (coarse > top_coarse[firm]) | (in_top_coarse & (fine >= top_fine[firm]))
    return qualifies, (top_coarse == 0) & (top_fine == 0), people


def rank_all(knowledge: jax.Array, firm: jax.Array, n_firms: int, depth: int = DEPTH) -> Ranked:
    """rank() by looking at every researcher and stage `depth` times (rows with knowledge -1 or a firm
    out of range count for nobody)."""
    n_stages = knowledge.shape[1]

    def next_level(d, carry):
        remaining, at_level, levels = carry
        top = segments.segment_max(remaining, firm, n_firms)
        holding = (remaining >= top[firm]) & (remaining >= 0.0)
        return jnp.where(holding, -1.0, remaining), jnp.where(holding, d, at_level), levels.at[d].set(jnp.maximum(top, 0.0))

    # A loop, not a Python for: unrolled, XLA recomputed every earlier level inside each later one
    # (each level's `remaining` feeds a scatter and an elementwise fusion, and both got a copy of
    # the whole chain); the loop carry is materialised once per level: 26 ms -> 6 ms at N = 1e5, F = 50.
    start = (knowledge, jnp.full(knowledge.shape, depth, jnp.int32), jnp.zeros((depth, n_firms, n_stages), knowledge.dtype))
    _, at_level, levels = jax.lax.fori_loop(0, depth, next_level, start)  # at_level: depth = below every ranked level
    cell = (at_level * n_firms + firm[:, None]) * n_stages + jnp.arange(n_stages)[None, :]
    counts = segments.segment_sum(jnp.ones(knowledge.shape, jnp.float32).reshape(-1), cell.reshape(-1), (depth + 1) * n_firms * n_stages)
    return Ranked(level=levels, count=counts.reshape(depth + 1, n_firms, n_stages)[:depth])


def nobody_knows(firm: jax.Array, n_firms: int, n_stages: int, depth: int = DEPTH) -> Ranked:
    """rank() when every knowledge level is 0: one level, 0, held by everyone in the firm."""
    headcount = segments.segment_sum(jnp.ones(firm.shape, jnp.float32), firm, n_firms)
    count = jnp.zeros((depth, n_firms, n_stages), jnp.float32).at[0].set(jnp.broadcast_to(headcount[:, None], (n_firms, n_stages)))
    return Ranked(level=jnp.zeros((depth, n_firms, n_stages), jnp.float32), count=count)


def slots(ranked: Ranked) -> jax.Array:
    """The knowledge of the 1st, 2nd, ... RANKS-th best person [RANKS, ...] (0 where nobody is)."""
    ahead = jnp.cumsum(ranked.count, axis=0) - ranked.count  # people ranked before each level [D, ...]
    j = jnp.arange(RANKS, dtype=jnp.float32).reshape((RANKS, 1) + (1,) * (ranked.level.ndim - 1))
    holds = (ahead[None] <= j) & (j < (ahead + ranked.count)[None])  # [RANKS, D, ...]: level d fills rank j
    return jnp.where(holds, ranked.level[None], 0.0).max(axis=1)


def _contributions(slot: jax.Array, discount: jax.Array, shift: int = 0) -> jax.Array:
    """log(1 - (1 - w)^(j + shift) * k_(j)) for each rank j [RANKS, ...]."""
    rank_of = jnp.arange(RANKS, dtype=jnp.float32).reshape((RANKS,) + (1,) * (slot.ndim - 1)) + shift
    return jnp.log1p(-(discount[None] ** rank_of) * jnp.minimum(slot, ALMOST_ONE))


def combine(ranked: Ranked, codified: jax.Array, overlap: jax.Array) -> jax.Array:
    """K from ranked levels [D, ..., S]; `overlap` broadcasts against [..., S] (e.g. [F, 1])."""
    kept = _contributions(slots(ranked), 1.0 - overlap).sum(0)
    return 1.0 - (1.0 - codified) * jnp.exp(kept)


def aggregate(knowledge: jax.Array, firm: jax.Array, codified: jax.Array, overlap: jax.Array) -> FirmKnowledge:
    """K per firm and stage [F, S] from researchers' knowledge [N, S], firm index [N] and overlap [F]."""
    return known(rank(knowledge, firm, codified.shape[0], RANKS), codified, overlap)


def known(ranked: Ranked, codified: jax.Array, overlap: jax.Array) -> FirmKnowledge:
    """K per firm and stage [F, S] from a ranking, the codified stock [F, S] and overlap [F]."""
    return FirmKnowledge(level=combine(ranked, codified, overlap[:, None]), ranked=ranked)


def gain(arriving: jax.Array, firm: jax.Array, known: FirmKnowledge, codified: jax.Array, overlap: jax.Array) -> jax.Array:
    """The rise in K [N, S] if each researcher, with knowledge `arriving` [N, S], joined `firm` [N] alone.

    A newcomer ranks after everyone at least as knowledgeable; everyone below moves one rank down
    (and the RANKS-th best drops out). Per firm, the sums over ranks above and below every possible
    place are tabulated once, so each researcher costs a rank count, one power and one log.
    """
    n_firms, n_stages = codified.shape
    discount = (1.0 - overlap)[:, None]  # [F, 1]
    slot = slots(known.ranked)  # [R, F, S]
    zero = jnp.zeros((1, n_firms, n_stages))
    above = jnp.concatenate([zero, jnp.cumsum(_contributions(slot, discount), axis=0)])  # [R + 1]: ranks < r
    pushed_down = _contributions(slot, discount, shift=1)[: RANKS - 1]  # ranks r..R-2 move to r+1..R-1
    below = jnp.concatenate([jnp.cumsum(pushed_down[::-1], axis=0)[::-1], zero, zero])  # [R + 1]: ranks >= r
    place = (slot[:, firm] >= arriving[None]).sum(0)  # [N, S]: people at least as knowledgeable
    stage = jnp.arange(n_stages)[None, :]
    table = lambda t: t.reshape(-1)[(place * n_firms + firm[:, None]) * n_stages + stage]  # noqa: E731
    own = jnp.where(place < RANKS, jnp.log1p(-(discount[firm] ** place) * jnp.minimum(arriving, ALMOST_ONE)), 0.0)
    after = 1.0 - (1.0 - codified[firm]) * jnp.exp(table(above) + own + table(below))
    return jnp.maximum(after - known.level[firm], 0.0)


def without_top(ranked: Ranked, codified: jax.Array, overlap: jax.Array, departures: int):
    """K after the top 1, 2, ... levels of each firm and stage leave: (levels, people gone), each [departures, F, S].

    `ranked` must be at least departures + RANKS levels deep.
    """
    window = jnp.arange(1, departures + 1)[:, None] + jnp.arange(RANKS)[None, :]  # [departures, RANKS] levels left
    remaining = Ranked(level=jnp.moveaxis(ranked.level[window], 1, 0), count=jnp.moveaxis(ranked.count[window], 1, 0))
    levels = combine(remaining, codified[None], overlap[None, :, None])  # remaining levels first: [RANKS, departures, F, S]
    return levels, jnp.cumsum(ranked.count[:departures], axis=0)
