"""The state of one replication: NamedTuples of arrays.

dtypes are chosen on purpose: float32 for money, knowledge and morale; int32 for firm
indices (the gather and segment-sum index type); int8 for role, stage and region; int16 for
month counters (vesting ages, tenure), which never exceed a 1,200-month horizon.
"""

from __future__ import annotations

from typing import NamedTuple

import jax

from talentwar.engine.knowledge import Ranked


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
    salary: jax.Array  # float32 [N]: annual, k$
    grant_shares: jax.Array  # float32 [N]: shares of the current firm in the current grant (M1)
    grant_age: jax.Array  # int16 [N]: months since the grant started
    grant_months: jax.Array  # int16 [N]: vesting period of the grant
    grant_cliff: jax.Array  # int16 [N]
    retention_shares: jax.Array  # float32 [N]: shares in a special retention grant (M11)
    retention_age: jax.Array  # int16 [N]
    retention_months: jax.Array  # int16 [N]
    retention_cliff: jax.Array  # int16 [N]
    protected: jax.Array  # bool [N]: in the protected class that received a special grant (M11, M13)
    tenure: jax.Array  # int16 [N]: months at the current firm
    morale: jax.Array  # float32 [N], in [0, 1]
    reference_pay: jax.Array  # float32 [N]: annual k$ they believe they are worth (M13)
    on_product: jax.Array  # bool [N]: a research hire put on product work (M6)
    wants_ai_role: jax.Array  # bool [N]: infra, data or product staff who want an AI research role (M16)
    resting: jax.Array  # bool [N]: stayed only for unvested equity, resting until it vests (M14)


class Firms(NamedTuple):
    share_price: jax.Array  # float32 [F]: share price index, 1.0 at month 0 (M1)
    codified: jax.Array  # float32 [F, S]: documented share of each stage's knowledge (M8)
    capability: jax.Array  # float32 [F]: at the end of the last month (M8)
    capability_start: jax.Array  # float32 [F]: at month 0; performance units track capability / this (M3)
    information_quality: jax.Array  # float32 [F, F]: what poacher p knows of who knows what at firm g (M10, M15)
    ranked: Ranked  # [knowledge.DEPTH, F, S]: each firm's best people per stage at the end of the last month


class State(NamedTuple):
    researchers: Researchers
    firms: Firms
