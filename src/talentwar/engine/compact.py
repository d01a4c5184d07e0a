"""Per-researcher work on the few who need it: offer holders, movers, hires.

In a month only a small share of researchers hold an offer (about 0.5% in talent-war-2026
scaled to 100,000 researchers) and fewer move or are hired, yet the offer's terms (M10), the
choice (M9), the knowledge a mover brings (M12) and a hire's terms (M16) were computed for all N
and then masked. `where_selected` gathers the selected rows into a block of static size, runs
the function on the block and scatters its results back. A month with more selected rows than
the block holds runs further blocks (a while loop, whose count a vmapped batch takes from its
busiest replication; the others' extra rounds change nothing), so no row is ever dropped.

The function must treat rows independently (no sums or ranks across rows) and draw its random
numbers by row number (`numbered=True` and `rng.uniform_at(key, N, rows)`: the row-th number
of the whole draw, whoever else is selected) or take them as inputs: then each selected row
gets the full pass's inputs and arithmetic. Its place in a block depends only on its own
replication's mask, so results do not depend on batching (docs/ODD.md 7.18).
tests/engine/test_compact.py checks the results against the full pass; they agree bit for bit
except that XLA's CPU code for transcendental functions (log, exp) can round the last bit
differently in a vector loop's tail, so a value at another position may differ by one unit in
the last place.
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import jax.numpy as jnp

MIN_BLOCK = 2048
COUNT_BLOCK = 64  # rows summed by one row of running_count's matrix product


def block_size(n: int) -> int:
    """Rows per block for a population of `n`: a 32nd of it, at least MIN_BLOCK (at most n).

    Offer holders are about 0.5% of researchers in talent-war-2026 and 17% in the job ladder at
    N = 10,000 (1,700 a month): one block holds either, and a block costs work on its rows
    whether or not they are filled."""
    return min(n, max(MIN_BLOCK, -(-n // 32)))


def running_count(mask: jax.Array) -> jax.Array:
    """int32 [N]: how many of mask[0..i] are true (an inclusive cumulative sum), exactly.

    Two matrix products with a triangular matrix of ones: running counts within blocks of
    COUNT_BLOCK rows, then of the block totals within groups of COUNT_BLOCK blocks (float32
    sums of at most 4,096 ones, exact, on any backend at the highest precision), then a
    cumulative sum over the groups. About twice as fast as an associative scan on the 2-core
    CPU for 8 lanes of 10,000 or one of 1,000,000, a third faster at 100,000 (docs/performance.md).
    """
    n, b = mask.shape[0], COUNT_BLOCK
    ones = jnp.triu(jnp.ones((b, b), jnp.float32))  # ones[i, j] = 1 where i <= j

    def within(x: jax.Array) -> jax.Array:  # [M * b] -> [M, b]: running sums within each block of b
        return jnp.dot(x.reshape(-1, b), ones, precision=jax.lax.Precision.HIGHEST)

    rows = within(jnp.pad(mask.astype(jnp.float32), (0, -n % (b * b))))  # [n / b, b]
    totals = rows[:, -1]
    blocks = within(totals)  # [n / b^2, b]: running block totals within each group of b blocks
    groups = blocks[:, -1].astype(jnp.int32)
    before_block = (blocks.astype(jnp.int32) + (jnp.cumsum(groups) - groups)[:, None]).reshape(-1) - totals.astype(jnp.int32)
    return (rows.astype(jnp.int32) + before_block[:, None]).reshape(-1)[:n]


def block_rows(mask: jax.Array, rank: jax.Array, block: int, first: jax.Array | int = 0) -> jax.Array:
    """int32 [block]: the numbers of the selected rows ranked first + 1 .. first + block (`rank`
    = running_count(mask)), in order; N in slots left empty. One scatter of row numbers into
    their places (the others dropped), cheaper than searching the ranks."""
    n = mask.shape[0]
    place = rank - 1 - first
    place = jnp.where(mask & (place >= 0) & (place < block), place, block)
    return jnp.full(block, n, jnp.int32).at[place].set(jnp.arange(n, dtype=jnp.int32), mode="drop")


def where_selected(
    fn: Callable[..., Any], mask: jax.Array, inputs: Any, fill: Any, block: int | None = None, numbered: bool = False
) -> Any:
    """`fn(inputs)` at the rows where `mask` [N] holds, `fill` elsewhere, computed `block` rows at a time.

    `inputs` is a pytree of arrays with N rows; `fn` maps such a pytree with B rows to a pytree
    of arrays with B rows, shaped like `fill` (scalars or arrays with N rows, broadcast). With
    `numbered`, fn is called as fn(rows, inputs): `rows` the int32 [B] numbers of the block's
    rows, for draws by row number (rng.uniform_at), or None when the block is every row in order.
    """
    n = mask.shape[0]
    block = block_size(n) if block is None else min(block, n)
    call = fn if numbered else (lambda numbers, x: fn(x))
    if block == n:  # a block as large as the population: the plain pass is cheaper
        values = call(None, inputs)
        return jax.tree_util.tree_map(lambda v, f: jnp.where(mask.reshape((n,) + (1,) * (v.ndim - 1)), v, jnp.asarray(f, v.dtype)), values, fill)
    rank = running_count(mask)  # selected row i is the rank[i]-th selected
    count = rank[-1]
    sample = jax.tree_util.tree_map(lambda a: jax.ShapeDtypeStruct((block,) + a.shape[1:], a.dtype), inputs)
    returned = jax.eval_shape(call, jax.ShapeDtypeStruct((block,), jnp.int32), sample)
    out = jax.tree_util.tree_map(lambda f, r: jnp.broadcast_to(jnp.asarray(f, r.dtype), (n,) + r.shape[1:]), fill, returned)

    def run_block(carry):
        j, out = carry
        row = block_rows(mask, rank, block, j * block)  # n: an empty slot
        rows = jax.tree_util.tree_map(lambda a: a[jnp.minimum(row, n - 1)], inputs)
        values = call(jnp.minimum(row, n - 1), rows)
        return j + 1, jax.tree_util.tree_map(lambda o, v: o.at[row].set(v.astype(o.dtype), mode="drop"), out, values)

    # The first block outside the loop: vmapped, a loop selects every carried array per lane in
    # every round, which cost more than the block's work (docs/performance.md).
    j, out = run_block((jnp.int32(0), out))
    _, out = jax.lax.while_loop(lambda carry: carry[0] * block < count, run_block, (j, out))
    return out
