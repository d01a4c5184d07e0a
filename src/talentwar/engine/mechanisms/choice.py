"""M9 Choice by random utility (000, 001, 002: cash, liquidity, compute, autonomy, mission).

A researcher holding an offer (from a rival, M10, or from the outside market, M16) compares
moving with staying: every departure but a life event is this decision. With money measured relative to
the pay they would earn by staying over the planning horizon, M = horizon_years * salary,
the pulls of the offer over staying are
    cash     = log((horizon * offer_salary + sign_on) / M)
    equity   = log(1 + CE(offered grant) / M) - log(1 + CE(unvested kept) / M)      (M1, M2)
    compute  = log(1 + verification_speed(offer)) - log(1 + verification_speed(stay))  (M4)
    autonomy = autonomy[p] - autonomy[g]      (blue-sky tokens included, M5)
    mission  = (mission + data_moat)[p] - (mission + data_moat)[g]
               - expected product work at p + product work now (M6)
and the researcher moves iff
    sum_k w_k pull_k - switching_cost - cross_region_cost * [a rival in another region]
        + morale_weight * (1 - morale) + T * eps > 0,                              (morale: M13)
eps the difference of two standard Gumbel draws (logistic), T the temperature. T = 0 is
deterministic; ties stay. Leaving forfeits unvested equity: it appears only on the stay side.
Switched off, the decision is the simplest one: move iff the offer pays more cash over the
horizon (salary and sign-on), with no noise.
Also returned: who declined but would have moved without the unvested equity they keep, the
researchers M14 calls resting.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import compact, rng
from talentwar.engine.firm_view import FirmView
from talentwar.engine.mechanisms import blue_sky, hierarchy, misalignment
from talentwar.engine.mechanisms.equity_value import certainty_equivalent
from talentwar.engine.mechanisms.poaching import Offers, from_rival
from talentwar.engine.params import Params
from talentwar.engine.state import Researchers, State
from talentwar.engine.switches import switch


def decide(
    state: State,
    params: Params,
    view: FirmView,
    offers: Offers,
    unvested: jax.Array,
    key: jax.Array,
    staying_salary: jax.Array | None = None,
) -> tuple[jax.Array, jax.Array]:
    """bool [N] who accepts the offer they hold, and bool [N] who stays only for their unvested equity.

    `staying_salary` is the pay for staying when it differs from the current salary (a counter-offer,
    M11); the same key gives the same draw of taste.
    """
    r = state.researchers
    staying = r.salary if staying_salary is None else staying_salary
    n = offers.made.shape[0]

    def holders(numbers, rows):  # the taste draw of row i is the i-th of N, whoever else holds an offer
        return _decide(params, view, *rows, rng.logistic_at(key, n, numbers))

    return compact.where_selected(holders, offers.made, (r, offers, unvested, staying), fill=(False, False), numbered=True)


def _decide(
    params: Params, view: FirmView, r: Researchers, offers: Offers, unvested: jax.Array, staying_salary: jax.Array, noise: jax.Array
) -> tuple[jax.Array, jax.Array]:
    """decide() for researchers who each hold an offer (rows of the same length, independent)."""
    here, there = r.firm, offers.poacher
    kept_pay = params.horizon_years * r.salary  # the money scale of the equity pull
    staying_pay = params.horizon_years * staying_salary
    offered_pay = params.horizon_years * offers.salary + offers.sign_on

    cash = jnp.log(offered_pay / staying_pay)
    kept_equity = jnp.log1p(certainty_equivalent(unvested, r.wealth, r.risk_aversion, here, params) / kept_pay)
    offered_equity = certainty_equivalent(offers.equity_value, r.wealth, r.risk_aversion, there, params)
    equity = jnp.log1p(offered_equity / kept_pay) - kept_equity
    compute = jnp.log1p(view.offer_verification_speed[there]) - jnp.log1p(view.verification_speed[here])
    autonomy_there, autonomy_here = blue_sky.autonomy(r, params, view.mean_research_skill, there, here)
    autonomy = autonomy_there - autonomy_here
    appeal = params.mission + params.data_moat
    penalty_staying, penalty_moving = misalignment.mission_penalty(r, there, params)
    mission = appeal[there] - penalty_moving - appeal[here] + penalty_staying
    # The weighted sum written out, in the order a sum over the last axis adds: as a reduction,
    # XLA's CPU code computed every pull inside it one element at a time (no vector loop).
    weights = r.preferences
    gain = (
        weights[:, 0] * cash + weights[:, 1] * equity + weights[:, 2] * compute + weights[:, 3] * autonomy + weights[:, 4] * mission
    )
    # A job in the outside market is taken where the researcher lives: only a rival abroad costs the move across regions.
    abroad = (params.region[there] != r.region) & from_rival(offers, params)
    gain = gain - params.switching_cost - params.cross_region_cost * abroad
    gain = gain + hierarchy.choice_term(r, params)  # low morale makes leaving attractive (M13)
    gain = gain + params.temperature * noise
    by_utility = gain > 0
    by_cash = offered_pay > staying_pay
    use_utility = switch(params, "M9") > 0
    accepted = offers.made & jnp.where(use_utility, by_utility, by_cash)
    without_unvested = jnp.where(use_utility, gain + r.preferences[:, 1] * kept_equity > 0, by_cash)
    return accepted, offers.made & ~accepted & without_unvested
