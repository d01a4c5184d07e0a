"""M1 Vesting and equity value (000: three-year vesting, paper handcuffs).

Share prices follow geometric Brownian motion, monthly:
    price' = price * exp((drift - volatility^2 / 2) / 12 + volatility * sqrt(1/12) * Z).
Grants vest as real grants do: nothing before the cliff, then tranches every `every` months
(monthly, quarterly or annual) until all has vested after `months`:
    vested_fraction = 0                                         if age < cliff
                    = min(1, max(cliff, every * floor(age / every)) / months)   otherwise,
and a researcher holds up to GRANT_SLOTS grants at once: the grant they joined with, refresh
grants every `interval_months` of tenure (each group's `equity.refresh`), and special retention
grants (M11). A new grant takes the slot with the fewest unvested shares (an empty or fully
vested one while there is one). Across all grants
    unvested_value = sum over grants of shares * (1 - vested_fraction) * price[firm],
price being the share price, blended with performance units under M3's synthetic equity.
Leaving forfeits every unvested grant (engine/moves.py); nothing else treats a vesting date
specially: quits bunch after vesting dates only because leaving then forfeits less (M9).
Switched off, prices stay at 1, every grant counts as vested and no refresh grant is made.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import compact
from talentwar.engine.mechanisms import liquidity
from talentwar.engine.params import N_ROLES, Params
from talentwar.engine.sampling import draw_money_at
from talentwar.engine.state import GRANT_SLOTS, Grants, State
from talentwar.engine.switches import switch


def advance(state: State, params: Params, key: jax.Array) -> State:
    on = switch(params, "M1")
    z = jax.random.normal(key, params.drift.shape)
    log_return = (params.drift - 0.5 * params.volatility**2) / 12.0 + params.volatility * jnp.sqrt(1.0 / 12.0) * z
    price = state.firms.share_price * jnp.exp(on * log_return)
    r = state.researchers
    researchers = r._replace(
        grants=r.grants._replace(age=jnp.minimum(r.grants.age + 1, 1200).astype(jnp.int16)),
        tenure=jnp.minimum(r.tenure + 1, 1200).astype(jnp.int16),
    )
    return State(researchers=researchers, firms=state.firms._replace(share_price=price))


def vested_fraction(age: jax.Array, months: jax.Array, cliff: jax.Array, every: jax.Array, params: Params) -> jax.Array:
    every = jnp.maximum(every, 1)
    tranches = jnp.maximum(cliff, every * (age // every))  # months served by the last tranche that has vested
    fraction = jnp.where(age < cliff, 0.0, jnp.minimum(1.0, tranches / jnp.maximum(months, 1)))
    return jnp.where(switch(params, "M1") > 0, fraction, 1.0)


def unvested_shares(grants: Grants, params: Params) -> jax.Array:
    """float32 [N, GRANT_SLOTS]: the shares of each grant that have not vested."""
    return grants.shares * (1.0 - vested_fraction(grants.age, grants.months, grants.cliff, grants.every, params))


def unvested_value(state: State, params: Params) -> jax.Array:
    """k$ of every grant (special retention grants included, M11) forfeited by leaving today (0 without M1)."""
    r = state.researchers
    # params are shared by every replication: a real branch; without M1 every grant counts as vested
    return jax.lax.cond(switch(params, "M1") > 0, lambda: _unvested_value(state, params), lambda: jnp.zeros(r.firm.shape, jnp.float32))


def _unvested_value(state: State, params: Params) -> jax.Array:
    r = state.researchers
    return unvested_shares(r.grants, params).sum(-1) * liquidity.equity_price(state.firms, params)[r.firm]


def unvested_ahead(state: State, params: Params, months: int) -> jax.Array:
    """float32 [N, months + 1]: k$ that leaving k = 0..months months from now would forfeit, at today's price.

    Column 0 is unvested_value; a later column is what is left once the tranches due by then have
    vested (grants made in the meantime, such as refreshes, are not foreseen)."""
    r = state.researchers
    price = liquidity.equity_price(state.firms, params)[r.firm]
    aged = [r.grants._replace(age=r.grants.age + k) for k in range(months + 1)]
    return jnp.stack([unvested_shares(g, params).sum(-1) * price for g in aged], axis=-1)


def award(grants: Grants, params: Params, who: jax.Array, shares, months, cliff, every) -> Grants:
    """Where `who` [N] holds, a new grant in the slot with the fewest unvested shares; other slots keep."""
    slot = jnp.argmin(unvested_shares(grants, params), axis=-1)
    target = who[:, None] & (jnp.arange(GRANT_SLOTS)[None, :] == slot[:, None])
    return _write(grants, target, shares, 0, months, cliff, every)


def fresh(grants: Grants, who: jax.Array, shares, months, cliff, every) -> Grants:
    """Where `who` [N] holds, the new grant in the first slot and every other grant gone (forfeited)."""
    first = jnp.arange(GRANT_SLOTS)[None, :] == 0
    cleared = grants._replace(shares=jnp.where(who[:, None] & ~first, 0.0, grants.shares))
    return _write(cleared, who[:, None] & first, shares, 0, months, cliff, every)


def _write(grants: Grants, target: jax.Array, *values) -> Grants:
    """`grants` with each field set to the matching value (scalars or [N]) where `target` [N, G] holds."""

    def put(new, old):
        new = jnp.asarray(new).astype(old.dtype)
        return jnp.where(target, new[:, None] if new.ndim == 1 else new, old)

    return Grants(*(put(new, old) for new, old in zip(values, grants)))


def refresh(state: State, params: Params, key: jax.Array) -> tuple[State, jax.Array]:
    """Refresh grants due this month: every `interval` months of tenure, a draw from the cell's refresh grant.

    The cell (firm, role, stage) is the researcher's now; a cell without refreshes grants nothing.
    Also returns each researcher's grant in k$ at today's price [N] (0 for none): its cost to the firm.
    """
    r = state.researchers
    S = r.knowledge.shape[1]
    cell = (r.firm * N_ROLES + r.role.astype(jnp.int32)) * S + r.stage.astype(jnp.int32)
    interval = params.cell_refresh_interval[cell]
    due = (params.is_employer[r.firm] > 0) & (interval > 0) & (r.tenure > 0) & (r.tenure % jnp.maximum(interval, 1) == 0)
    due = due & (switch(params, "M1") > 0)
    price = liquidity.equity_price(state.firms, params)
    n = r.firm.shape[0]

    def terms(row, rows):  # row i takes the i-th of N draws, whoever else is due
        c, firm = rows
        return draw_money_at(key, n, row, params.cell_refresh, c) / price[firm]

    def grant() -> tuple[State, jax.Array]:
        shares = compact.where_selected(terms, due, (cell, r.firm), fill=0.0, numbered=True)
        grants = award(
            r.grants, params, due & (shares > 0), shares,
            params.cell_refresh_months[cell], params.cell_refresh_cliff[cell], params.cell_refresh_every[cell],
        )
        return state._replace(researchers=r._replace(grants=grants)), jnp.where(due, shares, 0.0) * price[r.firm]

    # Scenarios without refresh grants skip the work over researchers (scenario data, the same in every replication).
    return jax.lax.cond(
        jnp.any(params.cell_refresh_interval > 0) & (switch(params, "M1") > 0), grant, lambda: (state, jnp.zeros(n, jnp.float32))
    )


def initial_grants(
    tenure: jax.Array, hiring_shares: jax.Array, refresh_shares: jax.Array, hiring: tuple, refresh_schedule: tuple, interval: jax.Array
) -> Grants:
    """The grants a researcher holds at month 0, with `tenure` months at the firm (share price 1.0).

    Slot 0 is the grant they joined with, started `tenure` months ago; slots 1.. hold the most recent
    refresh grants, made every `interval` months of tenure (none where interval is 0), of
    `refresh_shares` [N, GRANT_SLOTS - 1] each. `hiring` and `refresh_schedule` are (months, cliff,
    every) [N] each.
    """
    tenure = tenure.astype(jnp.int32)
    made = jnp.where(interval > 0, tenure // jnp.maximum(interval, 1), 0)  # refresh grants made so far
    k = jnp.arange(GRANT_SLOTS - 1)[None, :]  # 0: the latest refresh, 1: the one before, ...
    exists = k < made[:, None]
    refresh_age = (tenure[:, None] - (made[:, None] - k) * interval[:, None]).astype(jnp.int32)

    def column(first, rest):
        return jnp.concatenate([jnp.asarray(first)[:, None], jnp.broadcast_to(jnp.asarray(rest)[:, None], refresh_age.shape)], axis=1)

    shares = jnp.concatenate([hiring_shares[:, None], jnp.where(exists, refresh_shares, 0.0)], axis=1)
    age = jnp.concatenate([tenure[:, None], jnp.where(exists, refresh_age, 0)], axis=1)
    return Grants(
        shares=shares.astype(jnp.float32),
        age=jnp.minimum(age, 1200).astype(jnp.int16),
        months=column(hiring[0], refresh_schedule[0]).astype(jnp.int16),
        cliff=column(hiring[1], refresh_schedule[1]).astype(jnp.int16),
        every=column(hiring[2], refresh_schedule[2]).astype(jnp.int16),
    )

