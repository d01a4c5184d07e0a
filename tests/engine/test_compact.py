"""Work on selected rows only (engine/compact.py) gives the full pass's numbers, whatever the block."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from talentwar.engine import compact


def _row_function(rows):
    x, firm = rows
    return jnp.log1p(x * (1.0 + firm[:, None])).sum(-1), x[:, 0] > 0.5


def _full_pass(mask, x, firm):
    value, flag = _row_function((x, firm))
    return jnp.where(mask, value, -1.0), jnp.where(mask, flag, False)


@pytest.mark.parametrize("share", [0.0, 0.01, 0.3, 1.0])
@pytest.mark.parametrize("block", [1, 7, 64, 1000])
def test_selected_rows_equal_the_full_pass_bit_for_bit(share, block):
    rng = np.random.default_rng(0)
    n = 1000
    x = jnp.asarray(rng.random((n, 3), dtype=np.float32))
    firm = jnp.asarray(rng.integers(0, 5, n), jnp.int32)
    mask = jnp.asarray(rng.random(n) < share)
    run = jax.jit(lambda m, x, f: compact.where_selected(_row_function, m, (x, f), fill=(-1.0, False), block=block))
    got = run(mask, x, firm)
    want = jax.jit(_full_pass)(mask, x, firm)
    np.testing.assert_array_equal(np.asarray(got[0]), np.asarray(want[0]))
    np.testing.assert_array_equal(np.asarray(got[1]), np.asarray(want[1]))


def test_a_vmapped_batch_gives_each_replication_its_own_result():
    """Replications with few and many selected rows in one batch: the busy one takes more blocks."""
    rng = np.random.default_rng(1)
    n = 500
    x = jnp.asarray(rng.random((3, n, 2), dtype=np.float32))
    firm = jnp.asarray(rng.integers(0, 4, (3, n)), jnp.int32)
    mask = jnp.asarray(rng.random((3, n)) < np.array([[0.0], [0.05], [0.9]]))
    batched = jax.jit(jax.vmap(lambda m, x, f: compact.where_selected(_row_function, m, (x, f), fill=(-1.0, False), block=16)))
    got = batched(mask, x, firm)
    for r in range(3):
        want = _full_pass(mask[r], x[r], firm[r])
        np.testing.assert_array_equal(np.asarray(got[0][r]), np.asarray(want[0]))
        np.testing.assert_array_equal(np.asarray(got[1][r]), np.asarray(want[1]))


def test_running_count_is_the_cumulative_sum():
    mask = jnp.asarray(np.random.default_rng(2).random(10_001) < 0.3)
    np.testing.assert_array_equal(np.asarray(compact.running_count(mask)), np.cumsum(np.asarray(mask)))


def test_block_size_is_a_sixteenth_with_a_floor():
    assert compact.block_size(100) == 100
    assert compact.block_size(5_000) == compact.MIN_BLOCK
    assert compact.block_size(1_000_000) == 31_250


def test_choice_and_knowledge_gain_on_offer_holders_equal_the_pass_over_everyone(mini, monkeypatch):
    """The engine's two users: M9's choice (offer holders) and M12's gain (movers), checked against
    the same functions run on every researcher and masked, with a block small enough to need several."""
    from talentwar.engine import knowledge, rng
    from talentwar.engine.mechanisms import choice
    from tests.conftest import first_offers, with_firm

    params, state, view, unvested, offers = first_offers(with_firm(mini, 0, poaching={"offer_rate": 0.5}))
    assert int(offers.made.sum()) > 8  # several blocks of 4
    r, key = state.researchers, jax.random.key(2)

    monkeypatch.setattr(compact, "block_size", lambda n: 4)
    accepted, held = choice.decide(state, params, view, offers, unvested, key)
    every = choice._decide(params, view, r, offers, unvested, r.salary, rng.logistic(key, offers.made.shape))
    np.testing.assert_array_equal(np.asarray(accepted), np.asarray(every[0] & offers.made))
    np.testing.assert_array_equal(np.asarray(held), np.asarray(every[1] & offers.made))

    arrived = jnp.where(offers.made[:, None], r.knowledge, 0.0)
    gain = lambda rows: knowledge.gain(*rows, view.known, state.firms.codified, params.knowledge_overlap)  # noqa: E731
    got = compact.where_selected(gain, offers.made, (arrived, offers.poacher), fill=0.0)
    want = jnp.where(offers.made[:, None], gain((arrived, offers.poacher)), 0.0)
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))
    assert float(got.max()) > 0.0
