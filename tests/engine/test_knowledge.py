"""Firm knowledge with overlap, the gain from a newcomer, and the bus factor."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from talentwar.engine import knowledge
from talentwar.engine.knowledge import BUS_FACTOR_CAP, DEPTH, aggregate, gain, known, rank, rank_all
from talentwar.engine.metrics import bus_factor

# Firm 0: one star (0.9) and four at 0.1. Firm 1: six near 0.3. Firm 2: nobody.
KNOWLEDGE = jnp.array([[0.9], [0.1], [0.1], [0.1], [0.1]] + [[0.3 + 1e-4 * i] for i in range(6)])
FIRM = jnp.array([0] * 5 + [1] * 6)
NO_CODE = jnp.zeros((3, 1))


def level(overlap: float, codified=NO_CODE, knowledge=KNOWLEDGE, firm=FIRM):
    return np.asarray(aggregate(knowledge, firm, codified, jnp.full(3, overlap)).level)[:, 0]


def test_no_overlap_is_noisy_or_and_full_overlap_is_the_best_expert():
    noisy_or = [1 - 0.1 * 0.9**4, 1 - np.prod([0.7 - 1e-4 * i for i in range(6)]), 0.0]
    np.testing.assert_allclose(level(0.0), noisy_or, rtol=1e-5)
    np.testing.assert_allclose(level(1.0), [0.9, 0.3005, 0.0], rtol=1e-5)
    between = level(0.8)
    assert (between[:2] > level(1.0)[:2]).all() and (between[:2] < level(0.0)[:2]).all()


def test_headcount_beyond_the_top_ranks_adds_no_knowledge():
    from talentwar.engine.knowledge import RANKS

    def many(n):
        return level(0.0, jnp.zeros((1, 1)), jnp.full((n, 1), 0.1), jnp.zeros(n, jnp.int32))[0]

    assert many(400) == pytest.approx(many(RANKS)) == pytest.approx(1 - 0.9**RANKS)
    assert many(RANKS - 1) < many(RANKS)


@pytest.mark.parametrize("overlap", [0.0, 0.5, 0.8, 1.0])
@pytest.mark.parametrize("newcomer", [0.05, 0.2, 0.95])
def test_gain_is_exactly_the_rise_in_knowledge(overlap, newcomer):
    overlaps, codified = jnp.full(3, overlap), NO_CODE + 0.1
    before = aggregate(KNOWLEDGE, FIRM, codified, overlaps)
    joined = aggregate(jnp.concatenate([KNOWLEDGE, jnp.array([[newcomer]])]), jnp.concatenate([FIRM, jnp.array([0])]), codified, overlaps)
    predicted = np.asarray(gain(jnp.array([[newcomer]]), jnp.array([0]), before, codified, overlaps))
    np.testing.assert_allclose(predicted[0, 0], np.asarray(joined.level - before.level)[0, 0], atol=1e-5)


def bus(overlap: float, codified=NO_CODE):
    overlaps = jnp.full(3, overlap)
    k = aggregate(KNOWLEDGE, FIRM, codified, overlaps).level
    return np.asarray(bus_factor(rank(KNOWLEDGE, FIRM, 3), codified, k, overlaps))[:, 0]


@pytest.mark.parametrize("overlap", [0.0, 0.4, 1.0])
def test_the_monthly_deep_ranking_gives_the_same_knowledge(overlap):
    """The step ranks DEPTH levels once a month; K from it equals K from the top RANKS alone, with ties."""
    tied = jnp.concatenate([KNOWLEDGE, jnp.array([[0.9], [0.1], [0.0]])])
    firm = jnp.concatenate([FIRM, jnp.array([0, 0, 1])])
    overlaps = jnp.full(3, overlap)
    deep = rank(tied, firm, 3)
    assert deep.level.shape == (DEPTH, 3, 1)
    np.testing.assert_allclose(deep.count.sum(0)[:, 0], [7, 7, 0])  # everyone counted once, at their level
    np.testing.assert_allclose(known(deep, NO_CODE, overlaps).level, aggregate(tied, firm, NO_CODE, overlaps).level, atol=1e-7)


def test_bus_factor_counts_the_fewest_departures_that_halve_a_stage():
    # Noisy-OR: firm 0 without its star keeps 1 - 0.9^4 = 0.34 < half of 0.93: one departure.
    # Firm 1 keeps 1 - 0.7^(6 - m): it falls below half of 0.88 first at m = 5.
    np.testing.assert_allclose(bus(0.0), [1, 5, 0])
    # Full overlap: firm 1 is as good as its best, and the next best is as good: all six must go.
    np.testing.assert_allclose(bus(1.0), [1, 6, 0])


def test_codified_stock_above_half_makes_a_stage_safe():
    assert bus(0.0, jnp.array([[0.6], [0.6], [0.0]]))[0] == BUS_FACTOR_CAP + 1


def test_the_ranking_of_a_market_that_knows_nothing_is_known_without_looking():
    """knowledge.nobody_knows equals rank() of all-zero knowledge (an empty firm included), and the
    step takes it exactly when knowledge stays 0: the job ladder, not once M7 is on."""
    import jax

    import talentwar
    from talentwar.engine.knowledge import nobody_knows
    from talentwar.engine.mechanisms.capability import knowledge_stays_zero
    from talentwar.engine.params import build
    from tests.conftest import with_mechanisms

    firm = jnp.asarray([0, 2, 2, 0, 2], jnp.int32)  # firm 1 is empty
    want, got = rank(jnp.zeros((5, 3)), firm, 3), nobody_knows(firm, 3, 3)
    np.testing.assert_array_equal(np.asarray(got.level), np.asarray(want.level))
    np.testing.assert_array_equal(np.asarray(got.count), np.asarray(want.count))

    def stays_zero(scenario) -> bool:
        params, _ = build(scenario)
        return bool(knowledge_stays_zero(jax.tree_util.tree_map(jnp.asarray, params)))

    ladder = talentwar.load_scenario("job-ladder")
    assert stays_zero(ladder)
    assert not stays_zero(with_mechanisms(ladder, M7=True))
    assert not stays_zero(talentwar.load_scenario("talent-war-2026"))


def _market(kind: str, n: int = 20_000, firms: int = 4, stages: int = 3, seed: int = 0):
    """Knowledge [n, stages] and firms [n] large enough for rank() to rank candidates only."""
    rng = np.random.default_rng(seed)
    firm = np.sort(rng.integers(0, firms, n))  # stored firm by firm, as the engine's population
    values = {
        "spread": rng.beta(2.0, 5.0, (n, stages)),
        "ties": np.round(rng.beta(2.0, 5.0, (n, stages)), 1),  # 11 distinct levels: fewer than DEPTH
        "crowded": 0.5 + 1e-7 * rng.random((n, stages)),  # everyone in one histogram bucket: too many candidates
        "sparse": np.where(rng.random((n, stages)) < 0.002, rng.random((n, stages)), 0.0),  # few know anything
        "blank": rng.beta(2.0, 5.0, (n, stages)) * (np.arange(stages) > 0),  # nobody knows stage 0
    }[kind]
    return jnp.asarray(values, jnp.float32), jnp.asarray(firm, jnp.int32)


@pytest.mark.parametrize("kind", ["spread", "ties", "crowded", "sparse", "blank"])
def test_ranking_the_candidates_equals_ranking_everyone(kind):
    """rank() looks at candidates above a histogram threshold, counts those who know nothing of a
    stage where everyone qualifies (sparse, blank), and falls back to everyone when the candidates
    cannot prove the result (ties, a crowded bucket); either way it equals rank_all exactly,
    vmapped too (lanes where one needs the fallback and the other does not)."""
    k, firm = _market(kind)
    assert 2 * max(knowledge.MIN_CANDIDATES, 2 * 5 * 3 * (DEPTH + knowledge.TIE_MARGIN)) <= k.shape[0]  # the pruned path
    want = rank_all(k, firm, 5)  # firm 4 has nobody
    got = jax.jit(rank, static_argnums=2)(k, firm, 5)
    np.testing.assert_array_equal(np.asarray(got.level), np.asarray(want.level))
    np.testing.assert_array_equal(np.asarray(got.count), np.asarray(want.count))
    other, other_firm = _market("spread", seed=1)
    lanes = jax.jit(jax.vmap(rank, in_axes=(0, 0, None)), static_argnums=2)(jnp.stack([k, other]), jnp.stack([firm, other_firm]), 5)
    for lane, (kk, ff) in enumerate([(k, firm), (other, other_firm)]):
        np.testing.assert_array_equal(np.asarray(lanes.level[lane]), np.asarray(rank_all(kk, ff, 5).level))
        np.testing.assert_array_equal(np.asarray(lanes.count[lane]), np.asarray(rank_all(kk, ff, 5).count))


def test_the_candidates_are_a_few_per_firm_and_stage():
    """With knowledge spread out, each firm and stage keeps DEPTH + TIE_MARGIN people or a few more:
    the block ranked is about F x S x (DEPTH + TIE_MARGIN) rows, not N."""
    k, firm = _market("spread", n=100_000)
    qualifies, everyone, people = knowledge._at_or_above_threshold(k, firm, 5, DEPTH + knowledge.TIE_MARGIN)
    np.testing.assert_array_equal(np.asarray(people), np.bincount(np.asarray(firm), minlength=5)[:, None].repeat(3, 1))
    per_cell = np.stack([np.asarray(qualifies)[np.asarray(firm) == f].sum(0) for f in range(4)])  # [firms, stages]
    assert (per_cell >= DEPTH + knowledge.TIE_MARGIN).all() and (per_cell <= 2 * (DEPTH + knowledge.TIE_MARGIN)).all()
    assert not np.asarray(everyone)[:4].any() and np.asarray(everyone)[4].all()  # firm 4 is empty: everyone qualifies
