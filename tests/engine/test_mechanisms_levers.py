"""M3, M5, M6 and M14 on and off. A mechanism switched off must give exactly the run in which
its levers are neutral (no windows, no blue-sky share, no monetization pressure), and switched on
it must move what it is about."""

from __future__ import annotations

import numpy as np
import pytest

import talentwar
from talentwar.engine import firm_view
from talentwar.engine.mechanisms import blue_sky, liquidity, poaching, vesting
from talentwar.engine.params import build
from tests.conftest import metric, with_firm, with_mechanisms

FIRMS = ("lab", "poacher", "outside")


def run(scenario, **switches):
    return talentwar.simulate(with_mechanisms(scenario, **switches))


def identical(a, b):
    np.testing.assert_array_equal(a.metrics["value"].to_numpy(), b.metrics["value"].to_numpy())
    assert a.final.equals(b.final)


# ---------------------------------------------------------------- M3 liquidity windows and synthetic equity
def test_m3_windows_shorten_the_wait_for_liquidity(mini):
    windows = with_firm(mini, 0, capital={"window_interval_months": 6, "window_fraction": 0.25})
    params, _ = build(windows)
    np.testing.assert_allclose(np.asarray(liquidity.years_to_liquidity(params))[0], 2.0)  # 0.5 years / 0.25
    off, _ = build(with_mechanisms(windows, M3=False))
    np.testing.assert_allclose(np.asarray(liquidity.years_to_liquidity(off))[0], 6.0)


def test_m3_windows_strengthen_the_handcuffs_and_off_removes_them(mini):
    neutral = run(mini)
    windows = with_firm(mini, 0, capital={"window_interval_months": 6, "window_fraction": 0.5})
    on, off = run(windows), run(windows, M3=False)
    identical(off, neutral)
    # Month 1 starts from the same state: more valuable equity can only turn acceptances into refusals.
    first_on, first_off = metric(on, "offers_accepted", "poacher", 1), metric(off, "offers_accepted", "poacher", 1)
    assert (first_on <= first_off).all() and first_on.sum() < first_off.sum()


def test_m3_performance_units_track_capability(mini):
    synthetic = with_firm(mini, 0, capital={"synthetic_share": 1.0})
    on, off = run(synthetic), run(synthetic, M3=False)
    identical(off, run(mini))
    assert not np.array_equal(metric(on, "mean_unvested_value", "lab"), metric(off, "mean_unvested_value", "lab"))


# ---------------------------------------------------------------- M5 blue-sky compute
def test_m5_blue_sky_takes_compute_from_assigned_work_and_gives_autonomy(mini):
    sky = with_firm(mini, 0, compute={"blue_sky_share": 0.2})
    on, off = run(sky), run(sky, M5=False)
    identical(off, run(mini))
    np.testing.assert_allclose(
        metric(on, "verification_speed", "lab", 1), 0.8 * metric(off, "verification_speed", "lab", 1), rtol=1e-5
    )
    params, _ = build(sky)
    assert float(blue_sky.share(params)[0]) == pytest.approx(0.2)
    assert float(blue_sky.share(build(with_mechanisms(sky, M5=False))[0])[0]) == 0.0


def test_m5_skill_tokens_favour_the_skilled(mini):
    import jax

    from talentwar.engine.population import initial_state

    sky = with_firm(mini, 0, compute={"blue_sky_share": 0.2, "blue_sky_tokens": "skill"})
    params, layout = build(sky)
    state = initial_state(jax.random.key(0), params, layout.dims)
    r, mean_skill = state.researchers, firm_view.observe(state, params).mean_research_skill
    autonomy = np.asarray(blue_sky.autonomy(r, params, mean_skill, r.firm)[0])
    lab = np.asarray(r.firm) == 0
    skill = np.asarray(r.skill)
    assert np.corrcoef(skill[lab], autonomy[lab])[0, 1] > 0.99
    equal = build(with_firm(mini, 0, compute={"blue_sky_share": 0.2}))[0]
    np.testing.assert_allclose(np.asarray(blue_sky.autonomy(r, equal, mean_skill, r.firm)[0])[lab], 0.7 + 2.0 * 0.2, rtol=1e-6)


def test_m5_skill_tokens_are_shared_over_the_whole_firm_when_offer_holders_are_taken_in_blocks(mini):
    """Above compact.MIN_BLOCK researchers, choice sees only a block of offer holders; the mean skill behind
    skill tokens must still be the firm's (it was the block's: a bug found in the evidence audit)."""
    import jax
    import jax.numpy as jnp

    from talentwar.engine import compact
    from talentwar.engine.mechanisms import choice
    from talentwar.engine.population import initial_state
    from talentwar.scenario import scale_market

    sky = with_firm(mini, 0, compute={"blue_sky_share": 0.5, "blue_sky_tokens": "skill"})
    sky = sky.model_copy(update={"market": sky.market.model_copy(update={"blue_sky": sky.market.blue_sky.model_copy(update={"autonomy_gain": 10.0})})})
    big = scale_market(sky, 4 * compact.MIN_BLOCK, 3)
    params, layout = build(big)
    params = jax.tree_util.tree_map(jnp.asarray, params)
    state = initial_state(jax.random.key(0), params, layout.dims)
    view = firm_view.observe(state, params)
    # Tokens of a few researchers are their skill over the whole firm's mean, not over the rows given.
    r = state.researchers
    lab = np.flatnonzero(np.asarray(r.firm) == 0)[:50]
    few = jax.tree_util.tree_map(lambda a: a[lab], r)
    whole = np.asarray(blue_sky.autonomy(r, params, view.mean_research_skill, r.firm)[0])[lab]
    np.testing.assert_allclose(np.asarray(blue_sky.autonomy(few, params, view.mean_research_skill, few.firm)[0]), whole, rtol=1e-6)
    unvested = vesting.unvested_value(state, params)
    offers = poaching.make_offers(state, params, view, unvested, jax.random.key(1))
    assert 0 < int(offers.made.sum()) < compact.block_size(layout.dims.researchers)  # one block of holders
    ahead = choice.forfeits(state, params, unvested)
    blocked = choice.decide(state, params, view, offers, ahead, jax.random.key(2))
    whole = jax.tree_util.tree_map(
        lambda v: jnp.where(offers.made, v, jnp.zeros_like(v)),
        choice._decide(params, view, state.researchers, offers, ahead, state.researchers.salary,
                       *choice.draws(jax.random.key(2), layout.dims.researchers, None)),
    )
    for got, want in zip(blocked, whole):
        np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_m5_breakthroughs_add_codified_knowledge(mini):
    lucky = with_firm(mini, 0, compute={"blue_sky_share": 1.0})
    lucky = lucky.model_copy(
        update={"market": lucky.market.model_copy(update={"blue_sky": lucky.market.blue_sky.model_copy(update={"breakthrough_rate": 1.0})})}
    )
    quiet = dict(M7=False, M10=False, M16=False)  # knowledge changes only by breakthroughs
    on, off = run(lucky, **quiet), run(lucky, M5=False, **quiet)
    gained = metric(on, "knowledge:architecture", "lab")[:, -1] + metric(on, "knowledge:inference_efficiency", "lab")[:, -1]
    kept = metric(off, "knowledge:architecture", "lab")[:, -1] + metric(off, "knowledge:inference_efficiency", "lab")[:, -1]
    assert (gained > kept).all()


# ---------------------------------------------------------------- M6 monetization pressure and misalignment
def test_m6_pressure_puts_hires_on_product_work_and_burns_them_out(mini):
    pressure = with_firm(mini, 1, product={"monetization_pressure": 1.0})
    on, off = run(pressure), run(pressure, M6=False)
    identical(off, run(mini))
    assert metric(on, "share_on_product", "poacher").max() > 0
    assert metric(on, "departures_burnout", "poacher").sum() > 0
    assert metric(on, "productivity", "poacher").min() < 1.0
    assert metric(off, "share_on_product", "poacher").max() == 0
    # The poacher's expected product work can only cost it acceptances in month 1 ...
    first_on, first_off = metric(on, "offers_accepted", "poacher", 1), metric(off, "offers_accepted", "poacher", 1)
    assert (first_on <= first_off).all()
    # ... and with a heavy mission penalty it does.
    misalignment = pressure.market.misalignment.model_copy(update={"mission_penalty": 20.0})
    heavy = pressure.model_copy(update={"market": pressure.market.model_copy(update={"misalignment": misalignment})})
    assert metric(run(heavy), "offers_accepted", "poacher", 1).sum() < first_off.sum()


# ---------------------------------------------------------------- M14 rest-and-vest
def test_m14_those_held_by_equity_rest_and_off_removes_it(mini):
    # Equity valued at face (M2 off): the lab's large grants hold some people who would leave.
    on, off = run(mini, M2=False), run(mini, M2=False, M14=False)
    assert metric(on, "share_resting", "lab").max() > 0
    assert metric(on, "productivity", "lab").min() < 1.0
    assert metric(off, "share_resting", "lab").max() == 0
    assert (metric(off, "productivity", "lab") == 1.0).all()  # no product pressure in mini either
    # Resting changes only productivity (and so learning): who moves in month 1 is the same.
    for name in ("offers_made", "offers_accepted", "departures_separated", "hires"):
        np.testing.assert_array_equal(metric(on, name, "lab", 1), metric(off, name, "lab", 1))


def test_m14_those_resting_look_for_work_and_leave_sooner(mini):
    rest = mini.market.rest_and_vest.model_copy(update={"search_rate": 0.5})
    looking = mini.model_copy(update={"market": mini.market.model_copy(update={"rest_and_vest": rest})})
    on, still = run(looking, M2=False), run(mini, M2=False)
    # Those resting at a month's start are those resting at the last month's end.
    at_end = metric(on, "share_resting", "lab") * metric(on, "headcount", "lab")
    np.testing.assert_allclose(metric(on, "resting_at_start", "lab")[:, 1:], at_end[:, :-1], rtol=1e-5)
    assert (metric(on, "departures_resting", "lab") <= metric(on, "resting_at_start", "lab")).all()
    # Nobody rests before month 1's choices, so month 1 is the same; then those resting find more offers and leave sooner.
    for name in ("outside_offers", "offers_accepted", "departures_quit"):
        np.testing.assert_array_equal(metric(on, name, "lab", 1), metric(still, name, "lab", 1))
    share = lambda r: metric(r, "departures_resting", "lab").sum() / metric(r, "resting_at_start", "lab").sum()  # noqa: E731
    assert share(on) > 1.5 * share(still)
    assert metric(on, "outside_offers", "lab").sum() > metric(still, "outside_offers", "lab").sum()
    off = run(looking, M2=False, M14=False)  # with M14 off nobody rests, so nobody looks
    identical(off, run(mini, M2=False, M14=False))


# ---------------------------------------------------------------- M11 counter-offers and retention grants
def test_m11_special_grants_go_to_the_protected_class_in_their_month(mini):
    policy = with_firm(mini, 0, retention={"protected_roles": ["core"], "special_grant": {"value": 500}, "grant_month": 2})
    on, off = run(policy), run(policy, M11=False)
    identical(off, run(mini))
    spend = metric(on, "retention_spend", "lab")
    assert (spend[:, 0] == 0).all() and (spend[:, 1] > 0).all()
    np.testing.assert_allclose(spend[:, 1], 500 * 12)  # 500 k$ to each of the 12 core researchers at the lab
    assert (metric(on, "share_protected", "lab", 1) == 0).all() and (metric(on, "share_protected", "lab", 2) > 0).all()
    assert (metric(on, "mean_unvested_value", "lab", 2) > metric(off, "mean_unvested_value", "lab", 2)).all()


def test_m11_counter_offers_keep_people_and_cost_raises(mini):
    policy = with_firm(mini, 0, retention={"counter_offers": True, "counter_max_multiple": 3.0})
    on, off = run(policy), run(policy, M11=False)
    identical(off, run(mini))
    assert metric(on, "counters_won", "lab").sum() > 0
    assert metric(on, "retention_spend", "lab").sum() > 0
    first_on, first_off = metric(on, "departures_poached", "lab", 1), metric(off, "departures_poached", "lab", 1)
    assert (first_on <= first_off).all() and first_on.sum() < first_off.sum()
    np.testing.assert_array_equal(metric(on, "offers_received", "lab", 1), metric(off, "offers_received", "lab", 1))


def test_m11_a_firm_that_matches_every_offer_raises_the_pay_of_those_who_got_offers(mini):
    from talentwar.engine.mechanisms import retention
    from tests.conftest import first_offers

    counters = {"counter_offers": True, "counter_max_multiple": 3.0}
    matching = with_firm(mini, 0, retention={**counters, "counter_when": "any_offer"})
    params, state, _, _, offers = first_offers(matching)
    r = state.researchers
    nobody_accepts = np.zeros(r.salary.shape, bool)
    at_lab = np.asarray(r.firm) == 0
    holders = np.asarray(offers.made) & at_lab
    assert holders.sum() > 0
    staying = np.asarray(retention.counter_salary(state, params, offers, nobody_accepts))
    # Each offer at the lab is matched (cash over the horizon, capped), whether or not its holder would have left.
    cash = np.asarray(offers.salary) + np.asarray(offers.sign_on) / float(params.horizon_years)
    np.testing.assert_allclose(staying[holders], np.minimum(3.0 * np.asarray(r.salary), np.maximum(cash, np.asarray(r.salary)))[holders], rtol=1e-6)
    assert (staying[holders] > np.asarray(r.salary)[holders]).all()
    np.testing.assert_array_equal(staying[~holders], np.asarray(r.salary)[~holders])
    # A reactive counter raises nobody who was going to stay.
    reactive_params, *_ = first_offers(with_firm(mini, 0, retention=counters))
    np.testing.assert_array_equal(retention.counter_salary(state, reactive_params, offers, nobody_accepts), r.salary)

    # In a run where nobody moves (a switching cost nobody overcomes), pay still rises with the offers received.
    stuck = mini.model_copy(update={"market": mini.market.model_copy(update={"switching_cost": 10.0})})
    auction = run(with_firm(stuck, 0, retention={**counters, "counter_when": "any_offer"}))
    reactive = run(with_firm(stuck, 0, retention=counters))
    assert metric(auction, "departures_poached", "lab").sum() == 0 == metric(reactive, "departures_poached", "lab").sum()
    assert metric(reactive, "retention_spend", "lab").sum() == 0 and metric(auction, "retention_spend", "lab").sum() > 0
    assert (metric(auction, "mean_salary", "lab")[:, -1] > metric(reactive, "mean_salary", "lab")[:, -1]).all()


def test_m11_pay_reviews_raise_cells_paid_below_the_market_in_their_month(mini):
    import jax.numpy as jnp

    from talentwar.engine.mechanisms import retention
    from tests.conftest import first_offers

    reviewing = with_firm(mini, 0, retention={"pay_review": {"interval_months": 3, "toward": 0.5, "position": 0.1}})
    params, state, *_ = first_offers(reviewing)
    r = state.researchers
    firm, role, salary = (np.asarray(x) for x in (r.firm, r.role, r.salary))
    for month in (0, 1, 3):
        _, raised = retention.review(state, params, jnp.int32(month))
        assert (np.asarray(raised) == 0).all()  # reviews fall in months 3, 6, ...: month index 2, 5, ...
    after, raised = retention.review(state, params, jnp.int32(2))
    # The lab's core architects (median 300) against the market's core architects (the lab's and the poacher's, 400 each):
    core = (firm == 0) & (role == 0)
    market_core = salary[(firm < 2) & (role == 0)].mean()
    factor = 1 + 0.5 * max(market_core * 1.1 / salary[core].mean() - 1, 0)
    np.testing.assert_allclose(np.asarray(after.researchers.salary)[core], salary[core] * factor, rtol=1e-5)
    # Its infra staff are the market for their cell, 10% below their target: half the gap closed.
    infra = (firm == 0) & (role != 0)
    np.testing.assert_allclose(np.asarray(after.researchers.salary)[infra], salary[infra] * 1.05, rtol=1e-5)
    np.testing.assert_array_equal(np.asarray(after.researchers.salary)[firm != 0], salary[firm != 0])  # nobody else reviews
    np.testing.assert_allclose(np.asarray(raised), np.asarray(after.researchers.salary) - salary, rtol=1e-5, atol=1e-4)
    on, off = run(reviewing), run(reviewing, M11=False)
    identical(off, run(mini))
    spend = metric(on, "retention_spend", "lab")
    assert (spend[:, [0, 1, 3, 4]] == 0).all() and (spend[:, 2] > 0).all() and (spend[:, 5] > 0).all()


# ---------------------------------------------------------------- M13 toxic hierarchy and the pay spiral
def test_m13_a_protected_class_alienates_infra(mini):
    policy = with_firm(mini, 0, retention={"protected_roles": ["core"], "special_grant": {"value": 500}})
    with_class, without_class = run(policy), run(mini)
    # The lab's infra staff (half its staff) lose morale once the core is protected.
    assert metric(with_class, "morale", "lab")[:, -1].mean() < metric(without_class, "morale", "lab")[:, -1].mean()
    off = run(policy, M13=False)
    assert (metric(off, "morale", "lab") == 1.0).all()  # nothing else in mini touches morale


def test_m13_matching_raises_escalate_the_pay_index(mini):
    # Counters raise some; matching lifts everyone below their (rising) reference pay: the spiral.
    counters = {"counter_offers": True, "counter_max_multiple": 3.0}
    spiral = with_firm(mini, 0, retention={**counters, "match_raises": True})
    plain = with_firm(mini, 0, retention=counters)
    growth = lambda result: metric(result, "mean_salary", "lab")[:, -1] / metric(result, "mean_salary", "lab")[:, 0]  # noqa: E731
    assert growth(run(spiral)).mean() > growth(run(plain)).mean()
    identical(run(spiral, M13=False), run(plain, M13=False))


def test_m13_reference_pay_morale_and_matching_step_by_step(mini):
    import jax.numpy as jnp

    from talentwar.engine.mechanisms import hierarchy
    from talentwar.engine.records import Offers
    from talentwar.engine.state import Researchers

    # Two lab core researchers paid 100 and 200 (reference = salary, full morale); the second holds an offer of 300.
    r = Researchers(*([None] * len(Researchers._fields)))._replace(
        firm=jnp.array([0, 0]),
        role=jnp.array([0, 0], jnp.int8),
        salary=jnp.array([100.0, 200.0]),
        reference_pay=jnp.array([100.0, 200.0]),
        morale=jnp.ones(2),
        protected=jnp.zeros(2, bool),
    )
    offers = Offers(*([None] * len(Offers._fields)))._replace(made=jnp.array([False, True]), salary=jnp.array([0.0, 300.0]))
    params, _ = build(mini)
    after = hierarchy.update(r, offers, params)
    # references move 10% of the way to the best pay seen: the peer mean 150, or the offer 300
    np.testing.assert_allclose(after.reference_pay, [105.0, 210.0], rtol=1e-6)
    # paid below reference: morale falls by 0.05 x the relative shortfall (recovery adds nothing at full morale)
    np.testing.assert_allclose(after.morale, [1 - 0.05 * 5 / 105, 1 - 0.05 * 10 / 210], rtol=1e-6)
    matching, _ = build(with_firm(mini, 0, retention={"match_raises": True}))
    np.testing.assert_allclose(hierarchy.update(r, offers, matching).salary, [105.0, 210.0], rtol=1e-6)
    frozen = hierarchy.update(r, offers, build(with_mechanisms(mini, M13=False))[0])
    np.testing.assert_array_equal(frozen.reference_pay, r.reference_pay)
    np.testing.assert_array_equal(frozen.morale, r.morale)


# ---------------------------------------------------------------- M15 no-poach pacts and proxies
def with_pact(scenario, **pact):
    data = scenario.model_dump()
    data["investors"] = [{"name": "syndicate", "stakes": {"lab": 0.2, "poacher": 0.1}, "pact": {"protects": ["lab"], **pact}}]
    return type(scenario).model_validate(data)


def test_m15_a_kept_pact_stops_the_portfolio_poaching_and_off_removes_it(mini):
    kept = with_pact(mini, compliance=1.0)
    on, off = run(kept), run(kept, M15=False)
    assert metric(on, "offers_made", "poacher").sum() == 0  # the poacher is in the syndicate's portfolio
    identical(off, run(mini))
    ignored = run(with_pact(mini, compliance=0.0))
    identical(ignored, run(mini))  # a pact nobody keeps changes nothing
    half = run(with_pact(mini, compliance=0.5))
    assert 0 < metric(half, "offers_made", "poacher").sum() < metric(off, "offers_made", "poacher").sum()


def test_m15_talent_maps_leak_to_a_firm_outside_the_pact(mini):
    import jax

    from talentwar.engine.mechanisms import no_poach
    from talentwar.engine.population import initial_state

    data = with_pact(mini, compliance=1.0, proxy_leakage=1.0, talent_map_quality=0.95).model_dump()
    rival = {**data["firms"][1], "name": "rival", "poaching": {**data["firms"][1]["poaching"], "information_quality": 0.2}}
    data["firms"].insert(2, rival)
    scenario = type(mini).model_validate(data)
    params, layout = build(scenario)
    state = initial_state(jax.random.key(0), params, layout.dims)
    after = np.asarray(no_poach.leak(state, params, jax.random.key(1)).firms.information_quality)
    lab, poacher, rival_index = 0, 1, 2
    assert after[rival_index, lab] == pytest.approx(0.95)  # the only firm outside the pact got the map
    assert after[poacher, lab] == pytest.approx(0.5)  # the portfolio firm is bound, not leaked to
    off = np.asarray(no_poach.leak(state, build(with_mechanisms(scenario, M15=False))[0], jax.random.key(1)).firms.information_quality)
    np.testing.assert_array_equal(off, np.asarray(state.firms.information_quality))


def test_portfolio_value_is_stake_weighted(mini):
    data = with_pact(mini).model_dump()
    data["firms"][0]["capital"]["valuation"] = 1000.0
    data["firms"][1]["capital"]["valuation"] = 5000.0
    result = talentwar.simulate(type(mini).model_validate(data))
    values = result.investors
    assert set(values["investor"].unique()) == {"syndicate"}
    prices = result.metrics[result.metrics["metric"] == "share_price"].pivot_table(index=["replication", "month"], columns="firm", values="value", observed=True)
    expected = 0.2 * 1000 * prices["lab"] + 0.1 * 5000 * prices["poacher"]
    np.testing.assert_allclose(values.set_index(["replication", "month"])["portfolio_value"].sort_index(), expected.sort_index(), rtol=1e-5)


# ---------------------------------------------------------------- M16 internal mobility
def wanting(scenario, mobility: float):
    data = scenario.model_dump()
    data["firms"][0]["population"][1]["wants_ai_role"] = 1.0  # the lab's infra staff all want an AI role
    data["firms"][0]["internal_mobility"] = mobility
    return type(scenario).model_validate(data)


def test_m16_internal_mobility_grants_ai_roles_and_denial_costs_morale(mini):
    granting, refusing = run(wanting(mini, 0.5)), run(wanting(mini, 0.0))
    assert metric(granting, "internal_moves", "lab").sum() > 0
    assert metric(refusing, "internal_moves", "lab").sum() == 0
    assert metric(granting, "headcount:research_engineer", "lab")[:, -1].mean() > 0
    assert metric(refusing, "morale", "lab")[:, -1].mean() < metric(granting, "morale", "lab")[:, -1].mean()
    off = run(wanting(mini, 0.5), M16=False)
    assert metric(off, "internal_moves", "lab").sum() == 0


def test_m16_internal_mobility_skips_its_work_only_where_nobody_can_want_an_ai_role(mini):
    """Only the initial population wants AI roles (a month can only end a wish), so where no group
    wants one the month's work is skipped; the skip gives what the work would have given."""
    import jax
    import jax.numpy as jnp

    from talentwar.engine.mechanisms import internal_mobility
    from talentwar.engine.population import initial_state
    from talentwar.engine.step import step

    def start(scenario):
        params, layout = build(scenario)
        params = jax.tree_util.tree_map(jnp.asarray, params)
        return params, layout.dims, initial_state(jax.random.key(0), params, layout.dims)

    params, dims, state = start(wanting(mini, 0.0))  # every request denied: wishes end only by leaving
    wished = np.asarray(state.researchers.wants_ai_role)
    for t in range(6):
        state, _ = step(state, jax.random.key(t), jnp.int32(t), params, dims.move_capacity)
    still = np.asarray(state.researchers.wants_ai_role)
    assert wished.any() and still.any() and not (still & ~wished).any()

    params, dims, state = start(mini)
    assert not bool(jnp.any(params.group_wants_ai_role > 0))
    skipped = internal_mobility.move_internally(state.researchers, params, jax.random.key(1))
    worked = internal_mobility._move_internally(state.researchers, params, jax.random.key(1))
    for a, b in zip(jax.tree_util.tree_leaves(skipped), jax.tree_util.tree_leaves(worked), strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_m16_a_protected_class_blinds_internal_mobility(mini):
    open_firm = wanting(mini, 0.3)
    blinded = with_firm(open_firm, 0, retention={"protected_roles": ["core"], "special_grant": {"value": 100}})
    assert metric(run(blinded), "internal_moves", "lab").sum() < metric(run(open_firm), "internal_moves", "lab").sum()


# ---------------------------------------------------------------- per-rival outputs
def test_per_rival_outputs_add_up(mini):
    result = run(mini)
    np.testing.assert_array_equal(metric(result, "departures_to:poacher", "lab"), metric(result, "departures_poached", "lab"))
    np.testing.assert_allclose(metric(result, "knowledge_leaked_to:poacher", "lab"), metric(result, "knowledge_leaked", "lab"), rtol=1e-5)
    np.testing.assert_allclose(
        metric(result, "replication_months_to:poacher", "lab"), metric(result, "replication_months_gained", "poacher"), rtol=1e-5
    )
    assert (metric(result, "departures_to:lab", "lab") == 0).all()
    by_role = sum(metric(result, f"headcount:{role}", "lab") for role in ("core", "research_engineer", "infra", "data", "product"))
    np.testing.assert_array_equal(by_role, metric(result, "headcount", "lab"))
    summary = result.summary()
    assert (summary.loc[summary["metric"] == "departures_to:poacher", "over"] == "months 1-6").all()
