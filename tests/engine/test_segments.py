"""Segment reductions spread over hash lanes (engine/segments.py) equal jax.ops' own."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from talentwar.engine import segments


def _grouped(rows: int, n_segments: int, seed: int = 0, columns: tuple[int, ...] = (3,)):
    """Rows laid out segment by segment, as the population is by firm, plus a few out of range."""
    rng = np.random.default_rng(seed)
    segment = np.sort(rng.integers(0, n_segments, rows)).astype(np.int32)
    segment[rng.random(rows) < 0.02] = -1
    segment[rng.random(rows) < 0.02] = n_segments  # dropped, as jax.ops drops them
    data = rng.normal(size=(rows,) + columns).astype(np.float32)
    return jnp.asarray(data), jnp.asarray(segment)


@pytest.mark.parametrize("rows, n_segments", [(10, 3), (1_000, 3), (5_000, 7), (20_000, 50), (3_000, 400)])
def test_maximum_equals_jax_bit_for_bit(rows, n_segments):
    data, segment = _grouped(rows, n_segments)
    got = jax.jit(segments.segment_max, static_argnums=2)(data, segment, n_segments)
    want = jax.ops.segment_max(data, segment, n_segments)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


@pytest.mark.parametrize("dtype", [jnp.float32, jnp.int32])
@pytest.mark.parametrize("rows, n_segments", [(1_000, 3), (20_000, 50), (3_000, 400)])
def test_counts_equal_jax_exactly(rows, n_segments, dtype):
    data, segment = _grouped(rows, n_segments, seed=1, columns=(2,))
    counts = (data > 0).astype(dtype)
    got = segments.segment_sum(counts, segment, n_segments)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(jax.ops.segment_sum(counts, segment, n_segments)))


def test_float_sums_agree_to_rounding():
    data, segment = _grouped(50_000, 20, seed=2, columns=())
    got = np.asarray(segments.segment_sum(data, segment, 20), np.float64)
    exact = np.zeros(20)
    kept = (np.asarray(segment) >= 0) & (np.asarray(segment) < 20)
    np.add.at(exact, np.asarray(segment)[kept], np.asarray(data, np.float64)[kept])
    np.testing.assert_allclose(got, exact, rtol=1e-5, atol=1e-3)


def test_empty_segments_get_the_reductions_identity():
    data = jnp.asarray([[1.0], [2.0]])
    segment = jnp.asarray([0, 0], jnp.int32)
    assert float(segments.segment_max(data, segment, 3)[2, 0]) == -np.inf
    assert float(segments.segment_sum(data, segment, 3)[2, 0]) == 0.0


def test_lanes_are_powers_of_two_with_enough_rows_each():
    assert segments.lanes(10, 3) == 1
    assert segments.lanes(100_000, 50) == segments.MAX_LANES
    for rows, n_segments in [(1_000, 3), (20_000, 50), (3_000, 400), (10**6, 5_000)]:
        width = segments.lanes(rows, n_segments)
        assert width & (width - 1) == 0 and 1 <= width <= segments.MAX_LANES
        assert width == 1 or rows >= width * segments.ROWS_PER_LANE * n_segments


def test_a_vmapped_batch_gives_each_replication_the_single_result():
    """A row's lane depends on its row number alone: maxima and counts are the same batched or not."""
    data, segment = _grouped(4_000, 9, seed=3)
    batch = jnp.stack([data, data * 2.0, -data]), jnp.stack([segment, segment[::-1], segment])
    reduce = lambda d, s: (segments.segment_max(d, s, 9), segments.segment_sum((d > 0).astype(jnp.float32), s, 9))  # noqa: E731
    got = jax.vmap(reduce)(*batch)
    for i in range(3):
        alone = reduce(batch[0][i], batch[1][i])
        np.testing.assert_array_equal(np.asarray(got[0][i]), np.asarray(alone[0]))
        np.testing.assert_array_equal(np.asarray(got[1][i]), np.asarray(alone[1]))


@pytest.mark.parametrize("rows, n_segments", [(1_000, 3), (20_000, 50), (3_000, 400)])
def test_ordered_sum_is_jax_segment_sum_bit_for_bit(rows, n_segments):
    data, segment = _grouped(rows, n_segments, seed=4)
    want = np.asarray(jax.ops.segment_sum(data, segment, n_segments))
    np.testing.assert_array_equal(np.asarray(segments.ordered_sum(data, segment, n_segments)), want)
    batched = jax.vmap(lambda d, s: segments.ordered_sum(d, s, n_segments))(jnp.stack([data, data]), jnp.stack([segment, segment]))
    np.testing.assert_array_equal(np.asarray(batched[1]), want)


@pytest.mark.parametrize("reduce", [segments.segment_sum, segments.segment_max, segments.ordered_sum])
def test_vmapped_reductions_are_the_same_bits_as_each_replication_alone(reduce):
    """Vmapped, a reduction runs as one scatter over replication x segment: float sums keep each
    row's lane and order, so every replication's result is bit for bit its result alone, also for
    data shared by the batch, batches inside batches, and segments out of range."""
    n_segments = 50
    pieces = [_grouped(20_000, n_segments, seed=s) for s in (5, 6, 7, 8)]
    data = jnp.stack([d for d, _ in pieces]).reshape(2, 2, 20_000, 3)
    segment = jnp.stack([s for _, s in pieces]).reshape(2, 2, 20_000)
    alone = lambda d, s: reduce(d, s, n_segments)  # noqa: E731
    nested = jax.jit(jax.vmap(jax.vmap(alone)))(data, segment)
    shared = jax.jit(jax.vmap(alone, in_axes=(None, 0)))(data[0, 0], segment[0])
    for i in range(2):
        np.testing.assert_array_equal(np.asarray(shared[i]), np.asarray(alone(data[0, 0], segment[0, i])))
        for j in range(2):
            np.testing.assert_array_equal(np.asarray(nested[i, j]), np.asarray(alone(data[i, j], segment[i, j])))
