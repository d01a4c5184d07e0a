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
