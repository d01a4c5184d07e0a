"""M10 Poaching and buyouts (000: paper handcuffs, 20,000 GPUs; 002: offers of 2-3x pay).

Poachers keep no-poach promises (M15) by not hunting the protected firm that month, and see
through information quality that leaked talent maps can raise (M15).
Targeting without N x F work. Employed researchers fall into strata c = (firm, stage, role,
tier), the tier being their own-stage knowledge in quarters. Poacher p values a stratum by
its mean member's knowledge where it lacks it (a poacher's rough view; the realised gain, M12,
is exact),
    value[c, p] = sum_s kbar[c, s] * (1 - K[p, s]) * stage_value[p, s],
so it wants the stages where it lags (and inference know-how more, the larger its user
base). Its information quality q about the origin firm blends this with the average over
tiers: with q = 0 it sees a researcher's firm, stage and role, not who is the star.
Offers per hunted researcher in stratum c:
    rate[c, p] = offer_rate[p] * W[c, p] * H[p] / sum_c' W[c', p] n[c'],
with W = perceived value ** sharpness ("value" targeting) or 1 ("random") on the hunted
strata, H[p] the hunted headcount: the poacher's expected offers stay offer_rate[p] * H[p].
Whom it hunts is its policy: the firms, roles and stages it names, and, with where_pulls_beat,
only those of the named firms whose typical researcher would take its typical offer this month
(pulls_beat, below): any firm can hunt any other, and where it hunts follows from the pulls.
A researcher receives at most one offer a month, with probability min(1, sum_p rate[c, p]),
from poacher p with probability proportional to rate[c, p].

The outside market (M16) is the outside pool's column: it offers every employed researcher a
job elsewhere at rate outside_market.offer_rate, plus `search` [N], the extra offers the unhappy
find (M6 burnout, M13 low morale, M14 resting for the equity), at random, with no budget; M9 decides like any offer.

Terms: salary = current * (1 + premium), a draw from the poacher's salary distribution, or for
the outside market current * a draw of its pay ratio; sign-on = the buyout (below); an equity
grant; the compute promise (M4).
Buyout (000: "writes a sign-on bonus to neutralize the loss"; priced as recruiters price it): the
poacher replaces buyout_fraction of what the target would forfeit, valued as the target values it
(the certainty equivalent of M2), with the forfeited face value seen through its information
quality q about the origin firm:
    estimate = CE(q * unvested + (1 - q) * stratum mean unvested),
    sign_on = buyout_fraction * min(estimate, CE(unvested)),
so it never pays more than the target's own valuation makes necessary.

Budget: rates are first scaled so the expected cost fits the monthly budget (buyouts counted at
face value there, an upper bound); then offers are taken in random priority order (32 buckets)
while the cumulative cost of offers made stays within it, so the budget is never exceeded.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import compact, rng, segments
from talentwar.engine.mechanisms import blue_sky
from talentwar.engine.mechanisms.equity_value import certainty_equivalent
from talentwar.engine.params import N_ROLES, Params
from talentwar.engine.records import FirmView, Offers
from talentwar.engine.sampling import draw_money_at, mean
from talentwar.engine.state import State
from talentwar.engine.switches import switch

TIERS = 4
BUDGET_BUCKETS = 32


def make_offers(
    state: State,
    params: Params,
    view: FirmView,
    unvested: jax.Array,
    key: jax.Array,
    restraint: jax.Array | float = 0.0,
    search: jax.Array | float = 0.0,
) -> Offers:
    """Offers for this month; `restraint` [F, F] is 1 where poacher p keeps a no-poach promise to firm g (M15);
    `search` [N] adds outside-market offers for the researchers who look harder (M6, M13, M14)."""
    r = state.researchers
    F, S, R, T = params.offer_rate.shape[0], r.knowledge.shape[1], N_ROLES, TIERS
    C = F * S * R * T
    weight = view.employed.astype(jnp.float32)

    own = jnp.take_along_axis(r.knowledge, r.stage[:, None].astype(jnp.int32), axis=1)[:, 0]
    tier = jnp.clip((own * T).astype(jnp.int32), 0, T - 1)
    stratum = ((r.firm * S + r.stage.astype(jnp.int32)) * R + r.role.astype(jnp.int32)) * T + tier
    # One pass over researchers: headcount, salary, unvested value and knowledge per stratum.
    columns = jnp.concatenate([jnp.stack([weight, r.salary, unvested], axis=1), r.knowledge], axis=1)
    totals = segments.ordered_sum(columns * weight[:, None], stratum, C)
    count = totals[:, 0]
    means = totals[:, 1:] / jnp.maximum(count, 1.0)[:, None]
    mean_salary, mean_unvested, mean_knowledge = means[:, 0], means[:, 1], means[:, 2:]

    lack = (1.0 - view.knowledge) * params.stage_value  # [F, S]
    value = (mean_knowledge @ lack.T).reshape(F, S, R, T, F)
    count5 = count.reshape(F, S, R, T)[..., None]
    tier_average = (value * count5).sum(3, keepdims=True) / jnp.maximum(count5.sum(3, keepdims=True), 1.0)
    quality = state.firms.information_quality.T[:, None, None, None, :]  # [origin, ..., poacher]
    perceived = quality * value + (1.0 - quality) * tier_average

    firm_salary = totals[:, 1].reshape(F, -1).sum(1) / jnp.maximum(view.headcount, 1.0)
    beaten = jax.lax.cond(  # most scenarios name whom they hunt: skip the pass over researchers
        jnp.any(params.hunts_by_pulls > 0),
        lambda: jnp.where(params.hunts_by_pulls[:, None] > 0, pulls_beat(r, params, view, firm_salary), 1.0),
        lambda: jnp.ones((F, F), jnp.float32),
    )
    hunted = (
        (params.hunts_firm * beaten * (1.0 - restraint)).T[:, None, None, None, :]
        * params.hunts_stage.T[None, :, None, None, :]
        * params.hunts_role.T[None, None, :, None, :]
    )
    by_value = jax.lax.cond(  # x ** 1 is x exactly; the power is most of the arithmetic over strata x poachers
        jnp.all(params.targeting_sharpness == 1.0),
        lambda x: x,
        lambda x: jnp.power(x, params.targeting_sharpness),
        jnp.maximum(perceived, 0.0),
    )
    target_weight = (jnp.where(params.value_targeting > 0, by_value, 1.0) * hunted).reshape(C, F)
    # Sums over strata as products with the head counts: XLA's CPU reductions over the leading
    # axis of [C, F] took about 1.5 ms each at C = 5,000, F = 50; a matrix product takes a tenth.
    hunted_headcount = count @ jnp.broadcast_to(hunted, (F, S, R, T, F)).reshape(C, F)
    weighted_headcount = count @ target_weight
    rate = params.offer_rate * target_weight * hunted_headcount / jnp.maximum(weighted_headcount, 1e-30)

    # Fit the expected cost of offers into each poacher's monthly budget.
    drawn_salary = params.offer_salary.kind >= 0
    relative = params.offer_salary_relative > 0
    expected_raise = jnp.where(
        drawn_salary,
        jnp.maximum(jnp.where(relative, mean_salary[:, None] * mean(params.offer_salary), mean(params.offer_salary)) - mean_salary[:, None], 0.0),
        mean_salary[:, None] * jnp.maximum(params.salary_premium, 0.0),
    )
    expected_cost = params.buyout_fraction * mean_unvested[:, None] + mean(params.offer_equity) + expected_raise
    expected_spend = count @ (rate * expected_cost)
    rate = rate * jnp.minimum(1.0, params.monthly_budget / jnp.maximum(expected_spend, 1e-30))
    outside = jnp.arange(F) == params.outside_index
    rate = rate * jnp.where(outside, switch(params, "M16"), switch(params, "M10"))  # the outside market is M16's

    # Who receives an offer; then, for them only, from whom and on what terms.
    k_receive, k_poacher, k_salary, k_equity, k_priority = jax.random.split(key, 5)
    n = stratum.shape[0]
    # Running sums over poachers as a product with a triangular matrix of ones: jnp.cumsum lowers
    # to a reduce_window whose work grows with F^2 (0.39 against 0.11 ms at C = 5,000, F = 50).
    # The rates are non-negative, so each row still rises with p.
    cumulative = jnp.dot(rate, jnp.triu(jnp.ones((F, F), rate.dtype)), precision=jax.lax.Precision.HIGHEST)
    total = cumulative[:, -1]
    search = jnp.broadcast_to(jnp.asarray(search, jnp.float32), (n,)) * switch(params, "M16")  # the outside market is M16's
    made = (rng.uniform(k_receive, (n,)) < jnp.minimum(total[stratum] + search, 1.0)) & view.employed

    def terms(row, rows):  # row i takes the i-th of N draws of each kind, whoever else receives an offer
        c, current, held, looking, wealth, risk_aversion, origin = rows
        draw = rng.uniform_at(k_poacher, n, row) * (total[c] + looking)
        poacher = jnp.where(draw < total[c], _first_above(cumulative.reshape(-1), c, draw, F), params.outside_index)
        offered = draw_money_at(k_salary, n, row, params.offer_salary, poacher)
        salary = jnp.where(
            drawn_salary[poacher],
            jnp.where(relative[poacher], current * offered, offered),
            current * (1.0 + params.salary_premium[poacher]),
        )
        quality = state.firms.information_quality[poacher, origin]
        sign_on = buyout(params, poacher, quality, held, mean_unvested[c], wealth, risk_aversion, origin)
        equity_value = draw_money_at(k_equity, n, row, params.offer_equity, poacher)
        cost = sign_on + equity_value + jnp.maximum(salary - current, 0.0)
        bucket = jnp.minimum((rng.uniform_at(k_priority, n, row) * BUDGET_BUCKETS).astype(jnp.int32), BUDGET_BUCKETS - 1)
        return poacher, salary, sign_on, equity_value, cost, poacher * BUDGET_BUCKETS + bucket

    slots = F * BUDGET_BUCKETS  # a slot this large (no offer) is dropped from the sums
    poacher, salary, sign_on, equity_value, cost, slot = compact.where_selected(
        terms, made, (stratum, r.salary, unvested, search, r.wealth, r.risk_aversion, r.firm), fill=(0, 0.0, 0.0, 0.0, 0.0, slots), numbered=True
    )

    # Strict budget: offers in random priority order while the cumulative cost fits.
    spent = segments.ordered_sum(cost, slot, slots).reshape(F, BUDGET_BUCKETS)
    within = jnp.cumsum(spent, axis=1).reshape(-1)[jnp.minimum(slot, slots - 1)] <= params.monthly_budget[poacher]
    return Offers(
        made=made & within,
        poacher=poacher,
        salary=salary,
        sign_on=sign_on,
        equity_value=equity_value,
        cost=cost,
        over_budget=made & ~within,
    )


def pulls_beat(r, params: Params, view: FirmView, firm_salary: jax.Array) -> jax.Array:
    """[F poacher, F target] 1.0 where the target's typical researcher would take the poacher's typical offer.

    The typical researcher has the target's mean preference weights and mean salary; the pulls are
    M9's at the level of firms (cash at the offer's expected salary, compute with the poacher's
    promise, autonomy with equal blue-sky tokens, mission and data), net of the switching cost and
    the cross-region cost, with no noise. Equity is left out: the buyout replaces what a mover forfeits.
    """
    n_firms = params.is_employer.shape[0]
    employed = view.employed.astype(jnp.float32)[:, None]
    weights = segments.segment_sum(r.preferences * employed, r.firm, n_firms) / jnp.maximum(view.headcount, 1.0)[:, None]
    offered = mean(params.offer_salary)[:, None]
    ratio = jnp.where(
        params.offer_salary.kind[:, None] >= 0,
        jnp.where(params.offer_salary_relative[:, None] > 0, offered, offered / jnp.maximum(firm_salary, 1e-6)[None, :]),
        1.0 + params.salary_premium[:, None],
    )
    autonomy = params.autonomy + params.blue_sky_autonomy_gain * blue_sky.share(params)
    appeal = params.mission + params.data_moat
    pulls = (
        weights[None, :, 0] * jnp.log(jnp.maximum(ratio, 1e-6))
        + weights[None, :, 2] * (jnp.log1p(view.offer_verification_speed)[:, None] - jnp.log1p(view.verification_speed)[None, :])
        + weights[None, :, 3] * (autonomy[:, None] - autonomy[None, :])
        + weights[None, :, 4] * (appeal[:, None] - appeal[None, :])
    )
    costs = params.switching_cost + params.cross_region_cost * (params.region[:, None] != params.region[None, :])
    return (pulls - costs > 0).astype(jnp.float32)


def buyout(
    params: Params,
    poacher: jax.Array,
    quality: jax.Array,
    held: jax.Array,
    typical: jax.Array,
    wealth: jax.Array,
    risk_aversion: jax.Array,
    origin: jax.Array,
) -> jax.Array:
    """The sign-on bonus that buys out unvested equity [rows]: buyout_fraction of the poacher's estimate of
    what the holder would forfeit, valued as the holder values it (M2), never more than that valuation.

    `held` is the face value the holder forfeits, `typical` the face value the poacher expects of the
    holder's stratum, `quality` its information quality about the holder's firm `origin` (M10, M15).
    """
    own = certainty_equivalent(held, wealth, risk_aversion, origin, params)
    seen = quality * held + (1.0 - quality) * typical
    estimate = certainty_equivalent(seen, wealth, risk_aversion, origin, params)
    return params.buyout_fraction[poacher] * jnp.minimum(estimate, own)


def _first_above(cumulative_flat: jax.Array, row: jax.Array, value: jax.Array, width: int) -> jax.Array:
    """Per element, the first column p of its row with cumulative[row, p] > value (binary search)."""
    low = jnp.zeros_like(row)
    high = jnp.full_like(row, width - 1)
    for _ in range(max(1, (width - 1).bit_length())):
        middle = (low + high) // 2
        go_right = cumulative_flat[row * width + middle] <= value
        low = jnp.where(go_right, middle + 1, low)
        high = jnp.where(go_right, high, middle)
    return jnp.minimum(low, width - 1)
