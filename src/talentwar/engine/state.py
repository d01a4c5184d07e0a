"""The state of one replication: NamedTuples of arrays.

dtypes are chosen on purpose: float32 for money, knowledge and morale; int32 for firm
indices (the gather and segment-sum index type); int8 for role, stage and region; int16 for
month counters (vesting ages, tenure), which never exceed a 1,200-month horizon.
"""

from __future__ import annotations

from typing import NamedTuple

import jax

from talentwar.engine.knowledge import Ranked


GRANT_SLOTS = 4  # equity grants one researcher can hold at once (a hiring grant, refreshes, a retention grant)


class Grants(NamedTuple):
    """Each researcher's equity grants at the current firm [N, GRANT_SLOTS] (M1); an empty slot has 0 shares."""

    shares: jax.Array  # float32: shares (units of the firm's equity price, 1.0 at month 0)
    age: jax.Array  # int16: months since the grant started
    months: jax.Array  # int16: months until all of it has vested
    cliff: jax.Array  # int16: months before anything vests
    every: jax.Array  # int16: months between tranches after the cliff


class Pending(NamedTuple):
    """An offer taken with a later start date (M9) [N]: the move happens in the month `starts_in` counts down to 0."""

    starts_in: jax.Array  # int16: months until the move; 0 = none pending
    poacher: jax.Array  # int32: the new employer (a rival, or the outside market's pool)
    salary: jax.Array  # float32: annual k$ agreed
    sign_on: jax.Array  # float32: k$, the buyout of what is still unvested at the start date
    equity_value: jax.Array  # float32: k$ of the new grant
    cost: jax.Array  # float32: k$ charged to the new employer's budget when the move happens


class Researchers(NamedTuple):
    firm: jax.Array  # int32 [N]: current firm; the outside pool is a firm of kind "outside"
    role: jax.Array  # int8 [N]
    stage: jax.Array  # int8 [N]: primary pipeline stage
    region: jax.Array  # int8 [N]: home region (switching cost across regions, M9)
    initial_core_firm: jax.Array  # int32 [N]: firm at month 0 if a core researcher then, else -1
    skill: jax.Array  # float32 [N]
    knowledge: jax.Array  # float32 [N, S]: tacit knowledge per stage, in [0, 1]
    preferences: jax.Array  # float32 [N, 5]: weights over cash, equity, compute, autonomy, mission
    risk_aversion: jax.Array  # float32 [N]: relative risk aversion (M2)
    wealth: jax.Array  # float32 [N]: k$ of wealth outside the current firm's equity (M2)
    salary: jax.Array  # float32 [N]: annual, k$
    grants: Grants  # [N, GRANT_SLOTS]: equity grants of the current firm (M1), special retention grants included (M11)
    protected: jax.Array  # bool [N]: in the protected class that received a special grant (M11, M13)
    tenure: jax.Array  # int16 [N]: months at the current firm
    morale: jax.Array  # float32 [N], in [0, 1]
    reference_pay: jax.Array  # float32 [N]: annual k$ they believe they are worth (M13)
    on_product: jax.Array  # bool [N]: a research hire put on product work (M6)
    wants_ai_role: jax.Array  # bool [N]: infra, data or product staff who want an AI research role (M16)
    resting: jax.Array  # bool [N]: stayed only for unvested equity, resting until it vests (M14)
    unrest: jax.Array  # float32 [N]: a resting researcher's taste for leaving, kept from the offer they declined (M14)
    pending: Pending  # [N]: an offer taken for a later start date (M9)


class Firms(NamedTuple):
    share_price: jax.Array  # float32 [F]: share price index, 1.0 at month 0 (M1)
    codified: jax.Array  # float32 [F, S]: documented share of each stage's knowledge (M8)
    capability: jax.Array  # float32 [F]: at the end of the last month (M8)
    capability_start: jax.Array  # float32 [F]: at month 0; performance units track capability / this (M3)
    core_start: jax.Array  # float32 [F]: core researchers employed at month 0 (the base of core retention)
    information_quality: jax.Array  # float32 [F, F]: what poacher p knows of who knows what at firm g (M10, M15)
    ranked: Ranked  # [knowledge.DEPTH, F, S]: each firm's best people per stage at the end of the last month


class State(NamedTuple):
    researchers: Researchers
    firms: Firms
