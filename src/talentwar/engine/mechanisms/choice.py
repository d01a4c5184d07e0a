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

Start dates. A mover may ask to start k = 1..within_months months later (market.start_dates),
keeping what vests by then; the poacher's buyout shrinks with what is left to forfeit (in
proportion to its face value), and each month of waiting the offer lapses with probability
lapse_rate. With gain(k) the utility above, forfeiting what is unvested k months from now and
with the same draw of taste, the researcher takes the offer iff
    max(gain(0), max_k (1 - lapse_rate)^k gain(k)) > 0,
starting at the k that attains it (k = 0: this month). A later start is held open (the offer
lapses with probability 1 - (1 - lapse_rate)^k, drawn now); the researcher gets no other offer
meanwhile and moves in the month it falls due (start_dates, hold_taken). Nothing here knows what
a vesting date is: a date is worth waiting for when much vests just before it, so quits bunch
after vesting dates. within_months = 0 (the default) starts every move at once.
Also returned: who declined but would have moved without the unvested equity they keep, the
researchers M14 calls resting. A resting researcher weighs every offer with the stronger of two
draws of taste, the month's and the one they had when they began to rest (r.unrest, M14): what
made them want to leave has not gone away, only the forfeit held them.
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from talentwar.engine import compact, rng
from talentwar.engine.mechanisms import blue_sky, hierarchy, misalignment, vesting
from talentwar.engine.mechanisms.equity_value import certainty_equivalent
from talentwar.engine.params import Params
from talentwar.engine.records import FirmView, Offers, from_rival
from talentwar.engine.state import Researchers, State
from talentwar.engine.switches import switch


class Decision(NamedTuple):
    accepted: jax.Array  # bool [N]: takes the offer and moves this month
    starts_in: jax.Array  # int16 [N]: > 0: takes the offer for a start that many months ahead (held open)
    sign_on: jax.Array  # float32 [N]: the buyout at the chosen start date
    held: jax.Array  # bool [N]: declined, but would have moved without the unvested equity they keep (M14)


def decide(
    state: State,
    params: Params,
    view: FirmView,
    offers: Offers,
    ahead: jax.Array,
    key: jax.Array,
    staying_salary: jax.Array | None = None,
) -> Decision:
    """Each offer holder's answer: move now, move at a later start date, or stay.

    `ahead` is what leaving forfeits now and at each later start date (forfeits). `staying_salary` is the pay for staying when it differs from the current salary (a counter-offer,
    M11); the same key gives the same draws of taste and lapse.
    """
    r = state.researchers
    staying = r.salary if staying_salary is None else staying_salary
    n = offers.made.shape[0]

    def holders(numbers, rows):  # the draws of row i are the i-th of N, whoever else holds an offer
        return _decide(params, view, *rows, *draws(key, n, numbers))

    fill = Decision(False, jnp.int16(0), 0.0, False)
    rows = (r, offers, ahead, staying)
    return Decision(*compact.where_selected(holders, offers.made, rows, fill=tuple(fill), numbered=True))


def forfeits(state: State, params: Params, unvested: jax.Array) -> jax.Array:
    """float32 [N, within_months + 1]: k$ that leaving 0, 1, ..., within_months months from now
    forfeits; column 0 is `unvested`. The number of dates is a compiled shape (params.start_months)."""
    if params.start_months.shape[0] == 0:
        return unvested[:, None]
    return vesting.unvested_ahead(state, params, params.start_months.shape[0]).at[:, 0].set(unvested)


def draws(key: jax.Array, n: int, rows: jax.Array | None) -> tuple[jax.Array, jax.Array]:
    """The taste draw (logistic) and the lapse draw (uniform) of `rows` of N (all N for None)."""
    return rng.logistic_at(key, n, rows), rng.uniform_at(jax.random.fold_in(key, 1), n, rows)


def _decide(
    params: Params, view: FirmView, r: Researchers, offers: Offers, ahead: jax.Array, staying_salary: jax.Array,
    noise: jax.Array, lapse_draw: jax.Array,
) -> tuple:
    """decide() for researchers who each hold an offer (rows of the same length, independent)."""
    here, there = r.firm, offers.poacher
    kept_pay = params.horizon_years * r.salary  # the money scale of the equity pull
    staying_pay = params.horizon_years * staying_salary
    offered_pay = params.horizon_years * offers.salary + offers.sign_on

    def kept_equity(face):  # the equity pull of staying: what leaving forfeits, valued as the holder values it (M2)
        return jnp.log1p(certainty_equivalent(face, r.wealth, r.risk_aversion, here, params) / kept_pay)

    weights = r.preferences
    cash = jnp.log(offered_pay / staying_pay)
    offered_equity = jnp.log1p(certainty_equivalent(offers.equity_value, r.wealth, r.risk_aversion, there, params) / kept_pay)
    kept_now = kept_equity(ahead[:, 0])
    equity = offered_equity - kept_now
    compute = jnp.log1p(view.offer_verification_speed[there]) - jnp.log1p(view.verification_speed[here])
    autonomy_there, autonomy_here = blue_sky.autonomy(r, params, view.mean_research_skill, there, here)
    autonomy = autonomy_there - autonomy_here
    appeal = params.mission + params.data_moat
    penalty_staying, penalty_moving = misalignment.mission_penalty(r, there, params)
    mission = appeal[there] - penalty_moving - appeal[here] + penalty_staying
    # The weighted sum written out, in the order a sum over the last axis adds: as a reduction,
    # XLA's CPU code computed every pull inside it one element at a time (no vector loop).
    gain = (
        weights[:, 0] * cash + weights[:, 1] * equity + weights[:, 2] * compute + weights[:, 3] * autonomy + weights[:, 4] * mission
    )
    # A job in the outside market is taken where the researcher lives: only a rival abroad costs the move across regions.
    abroad = (params.region[there] != r.region) & from_rival(offers, params)
    gain = gain - params.switching_cost - params.cross_region_cost * abroad
    gain = gain + hierarchy.choice_term(r, params)  # low morale makes leaving attractive (M13)
    noise = jnp.where(r.resting, jnp.maximum(r.unrest, noise), noise)  # M14: the resting keep what made them want to leave
    gain = gain + params.temperature * noise
    use_utility = switch(params, "M9") > 0

    def later():  # the best later start: its months, its buyout, and whether it beats starting now
        months = params.start_months
        left = jnp.where(ahead[:, :1] > 0, ahead[:, 1:] / jnp.maximum(ahead[:, :1], 1e-30), 0.0)  # share of the face still forfeited
        sign_on = offers.sign_on[:, None] * left
        cash_later = jnp.log((params.horizon_years * offers.salary[:, None] + sign_on) / staying_pay[:, None])
        kept_later = jax.vmap(kept_equity, in_axes=1, out_axes=1)(ahead[:, 1:])
        gain_later = gain[:, None] + weights[:, :1] * (cash_later - cash[:, None]) + weights[:, 1:2] * (kept_now[:, None] - kept_later)
        survive = (1.0 - params.start_lapse) ** months
        value = survive * gain_later
        best = jnp.argmax(value, axis=-1)
        wait = use_utility & (jnp.max(value, axis=-1) > jnp.maximum(gain, 0.0))
        held_open = lapse_draw < survive[best]
        chosen = jnp.take_along_axis(sign_on, best[:, None], axis=-1)[:, 0]
        return wait, jnp.where(wait & held_open, best + 1, 0).astype(jnp.int16), jnp.where(wait, chosen, offers.sign_on)

    now = (jnp.zeros_like(gain, bool), jnp.zeros(gain.shape, jnp.int16), offers.sign_on)
    wait, starts_in, sign_on = later() if params.start_months.shape[0] > 0 else now
    by_utility = (gain > 0) & ~wait
    by_cash = offered_pay > staying_pay
    accepted = offers.made & jnp.where(use_utility, by_utility, by_cash)
    without_unvested = jnp.where(use_utility, gain + weights[:, 1] * kept_now > 0, by_cash)
    return accepted, jnp.where(offers.made, starts_in, 0), sign_on, offers.made & ~accepted & ~wait & without_unvested


def start_dates(state: State) -> tuple[State, jax.Array]:
    """A month passes for the moves agreed for a later start; bool [N]: whose move starts this month."""
    r = state.researchers
    due = r.pending.starts_in == 1
    pending = r.pending._replace(starts_in=jnp.maximum(r.pending.starts_in - 1, 0).astype(jnp.int16))
    return state._replace(researchers=r._replace(pending=pending)), due


def hold_taken(offers: Offers, r: Researchers, due: jax.Array) -> Offers:
    """Offers with the taken ones in place: whose start is due holds the offer they took (and takes it,
    step), whoever is still waiting for a start date holds no other."""
    p = r.pending
    waiting = p.starts_in > 0

    def taken(new, old):
        return jnp.where(due, new, old)

    return Offers(
        made=taken(True, offers.made & ~waiting),
        poacher=taken(p.poacher, offers.poacher),
        salary=taken(p.salary, offers.salary),
        sign_on=taken(p.sign_on, offers.sign_on),
        equity_value=taken(p.equity_value, offers.equity_value),
        cost=taken(p.cost, offers.cost),
        over_budget=offers.over_budget & ~waiting & ~due,
    )


def take_later(r: Researchers, offers: Offers, decision: Decision, forced: jax.Array) -> Researchers:
    """Researchers with the offers taken for a later start held open until their start date."""
    later = (decision.starts_in > 0) & ~forced

    def held(new, old):
        return jnp.where(later, new, old).astype(old.dtype)

    p = r.pending
    return r._replace(
        pending=p._replace(
            starts_in=held(decision.starts_in, p.starts_in),
            poacher=held(offers.poacher, p.poacher),
            salary=held(offers.salary, p.salary),
            sign_on=held(decision.sign_on, p.sign_on),
            equity_value=held(offers.equity_value, p.equity_value),
            cost=held(offers.cost - offers.sign_on + decision.sign_on, p.cost),
        )
    )
