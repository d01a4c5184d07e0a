"""Each mechanism of the market core, switched on and off: its effect appears, and only it.

All runs use the mini scenario with the same shapes, so they share one compiled program
(switches are data). Month-1 metrics that do not depend on a mechanism must be identical with
it on and off, because the initial population and every random draw depend only on the seed.
"""

from __future__ import annotations

import numpy as np
import pytest

import talentwar
from talentwar.engine.mechanisms import liquidity, vesting
from talentwar.engine.mechanisms.equity_value import certainty_equivalent
from talentwar.engine.mechanisms.vesting import vested_fraction
from talentwar.engine.params import build
from tests.conftest import first_offers, metric, with_mechanisms

FIRMS = ("lab", "poacher", "outside")


def run(scenario, **switches):
    return talentwar.simulate(with_mechanisms(scenario, **switches))


@pytest.fixture(scope="module")
def baseline(mini):
    return run(mini)


def same_month_one(a, b, names):
    for name in names:
        for firm in FIRMS:
            np.testing.assert_array_equal(metric(a, name, firm, 1), metric(b, name, firm, 1), err_msg=f"{name} at {firm}")


# ---------------------------------------------------------------- M1 vesting and equity value
def test_m1_vesting_schedule_and_switch(mini):
    params, _ = build(mini)
    age, months, cliff, every = np.array([3, 6, 18, 36, 48]), np.full(5, 36), np.full(5, 6), np.ones(5, int)
    np.testing.assert_allclose(vested_fraction(age, months, cliff, every, params), [0, 6 / 36, 0.5, 1, 1], rtol=1e-6)
    # A one-year cliff, then quarterly tranches over four years; then annual tranches over three.
    age = np.array([11, 12, 14, 15, 47, 48])
    quarterly = vested_fraction(age, np.full(6, 48), np.full(6, 12), np.full(6, 3), params)
    np.testing.assert_allclose(quarterly, [0, 12 / 48, 12 / 48, 15 / 48, 45 / 48, 1], rtol=1e-6)
    age = np.array([11, 12, 23, 24, 35, 36])
    annual = vested_fraction(age, np.full(6, 36), np.full(6, 12), np.full(6, 12), params)
    np.testing.assert_allclose(annual, [0, 1 / 3, 1 / 3, 2 / 3, 2 / 3, 1], rtol=1e-6)
    off, _ = build(with_mechanisms(mini, M1=False))
    np.testing.assert_array_equal(vested_fraction(age, np.full(6, 36), np.full(6, 12), np.full(6, 12), off), np.ones(6))


def test_m1_grants_take_the_slot_with_least_unvested_and_joining_forfeits_all(mini):
    import jax.numpy as jnp

    from talentwar.engine.state import GRANT_SLOTS, Grants

    params, _ = build(mini)
    shape = (2, GRANT_SLOTS)
    grants = Grants(
        shares=jnp.asarray([[100.0, 50.0, 0.0, 20.0], [100.0, 50.0, 30.0, 20.0]]),
        age=jnp.asarray([[40, 10, 0, 5], [40, 10, 5, 5]], jnp.int16),  # the first grant has fully vested
        months=jnp.full(shape, 36, jnp.int16),
        cliff=jnp.zeros(shape, jnp.int16),
        every=jnp.ones(shape, jnp.int16),
    )
    awarded = vesting.award(grants, params, jnp.asarray([True, False]), 70.0, 48, 12, 3)
    np.testing.assert_allclose(np.asarray(awarded.shares), [[70.0, 50.0, 0.0, 20.0], [100.0, 50.0, 30.0, 20.0]])
    assert np.asarray(awarded.age)[0, 0] == 0 and np.asarray(awarded.months)[0, 0] == 48 and np.asarray(awarded.every)[0, 0] == 3
    fresh = vesting.fresh(grants, jnp.asarray([False, True]), 9.0, 24, 6, 1)
    np.testing.assert_allclose(np.asarray(fresh.shares), [[100.0, 50.0, 0.0, 20.0], [9.0, 0.0, 0.0, 0.0]])


def test_m1_refresh_grants_overlap_and_arrive_on_schedule(mini):
    import jax
    import jax.numpy as jnp

    from talentwar.engine.population import initial_state

    refreshed = mini.model_dump()
    refreshed["firms"][0]["population"][0]["equity"]["refresh"] = {"value": 120.0, "interval_months": 12, "months": 48}
    refreshed["firms"][0]["population"][0]["tenure_months"] = 30.0
    scenario = type(mini).model_validate(refreshed)
    params, layout = build(scenario)
    params = jax.tree_util.tree_map(jnp.asarray, params)
    state = initial_state(jax.random.key(0), params, layout.dims)
    core = (np.asarray(state.researchers.role) == 0) & (np.asarray(state.researchers.firm) == 0)  # the lab's core group
    shares, age = np.asarray(state.researchers.grants.shares)[core], np.asarray(state.researchers.grants.age)[core]
    # 30 months in: the hiring grant (age 30) and, latest first, refreshes made at 24 and 12 months (ages 6 and 18).
    np.testing.assert_array_equal(age[:, :3], np.tile([30, 6, 18], (core.sum(), 1)))
    np.testing.assert_allclose(shares[:, 1:3], 120.0)
    assert (shares[:, 3] == 0).all()
    # Six months later (tenure 36) the next refresh arrives, in a slot holding nothing unvested (the
    # first, whose 36-month grant has just vested), and both earlier refreshes keep vesting beside it.
    for month in range(6):
        state, value = vesting.refresh(vesting.advance(state, params, jax.random.key(month)), params, jax.random.key(100 + month))
        # what the grant costs the firm, k$ at the day's price: 120 in the month it is made, else nothing
        np.testing.assert_allclose(np.asarray(value)[core], 120.0 if month == 5 else 0.0, rtol=1e-6)
    grants = state.researchers.grants
    price = np.asarray(liquidity.equity_price(state.firms, params))[0]
    np.testing.assert_allclose(np.asarray(grants.shares)[core], np.tile([120.0 / price, 120.0, 120.0, 0.0], (core.sum(), 1)), rtol=1e-6)
    np.testing.assert_array_equal(np.asarray(grants.age)[core][:, :3], np.tile([0, 12, 24], (core.sum(), 1)))


def test_m1_off_removes_prices_and_handcuffs_only(mini, baseline):
    off = run(mini, M1=False)
    assert np.all(metric(off, "share_price", "lab") == 1.0)
    assert np.all(metric(off, "mean_unvested_value", "lab") == 0.0)
    assert np.std(metric(baseline, "share_price", "lab")) > 0
    assert metric(baseline, "mean_unvested_value", "lab").mean() > 100
    # Equity only acts through choice: without poaching, M1 changes nothing else.
    quiet_on, quiet_off = run(mini, M10=False), run(mini, M10=False, M1=False)
    for name in ("headcount", "hires", "departures_separated", "mean_salary", "knowledge:architecture"):
        for firm in FIRMS:
            np.testing.assert_array_equal(metric(quiet_on, name, firm), metric(quiet_off, name, firm), err_msg=name)
    # With poaching: nothing unvested, so nothing to buy out.
    assert (off.moves.loc[off.moves["kind"] == "poached", "sign_on"] == 0).all()
    assert (baseline.moves.loc[baseline.moves["kind"] == "poached", "sign_on"] > 0).any()


# ---------------------------------------------------------------- M2 certainty equivalent
def _ce(params, face, wealth, rho, firm):
    return np.asarray(certainty_equivalent(*(np.asarray(x, np.float32) for x in (face, wealth, rho)), np.asarray(firm), params))


def test_m2_values_equity_as_an_undiversified_holder(mini):
    params, _ = build(mini)
    lab, poacher = 0, 1  # lab: drift 0, sigma 0.8, 6 years to liquidity; poacher: public, drift 0.05, sigma 0.3
    face = np.full(2, 500.0)
    # Risk neutral: the expected value, drift credited, less the illiquidity discount.
    neutral = _ce(params, face, [1000.0, 1000.0], [0.0, 0.0], [lab, poacher])
    np.testing.assert_allclose(neutral, [500.0 * np.exp(-0.15 * 6), 500.0 * np.exp(0.05 * 1)], rtol=1e-4)
    # Log utility, no other wealth (a grant so large that the 1 k$ floor on wealth is negligible): the geometric mean of the payoff.
    log_holder = _ce(params, [1e6, 1e6], [0.0, 0.0], [1.0, 1.0], [lab, poacher]) / 1e6
    np.testing.assert_allclose(log_holder, [np.exp(-0.5 * 0.64 * 7 - 0.15 * 6), np.exp(0.05 - 0.5 * 0.09)], rtol=2e-3)
    # The more of their wealth rides on the grant, the less it is worth to them; public stock stays near face.
    by_wealth = [_ce(params, face, [w, w], [2.0, 2.0], [lab, poacher]) / face for w in (0.0, 500.0, 2000.0, 1e6)]
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in zip(by_wealth, by_wealth[1:]))
    assert 0.9 < by_wealth[2][1] < 1.1 and by_wealth[2][0] < 0.5
    # A holder whose wealth dwarfs the grant values it almost as a risk-neutral one does (the lab's,
    # sigma^2 T = 4.5, still carries a premium of about rho/2 Var/W = 3%).
    np.testing.assert_allclose(by_wealth[-1][0], neutral[0] / face[0], rtol=0.05)
    np.testing.assert_allclose(by_wealth[-1][1], neutral[1] / face[1], rtol=2e-3)
    np.testing.assert_array_equal(_ce(params, [0.0, 0.0], [100.0, 0.0], [2.0, 2.0], [lab, poacher]), [0.0, 0.0])
    off, _ = build(with_mechanisms(mini, M2=False))
    np.testing.assert_array_equal(_ce(off, face, [0.0, 0.0], [2.0, 2.0], [lab, poacher]), face)


def test_m2_default_scenario_values_public_stock_near_face_and_the_lab_at_a_fraction():
    """Meulbroek (2001): undiversified managers value their equity at about 70% of its cost at NYSE firms
    and 53% at volatile internet firms; pre-IPO and restricted-stock discounts run 25-50% (docs/ODD.md, M2)."""
    from talentwar.engine.sampling import mean

    scenario = talentwar.load_scenario("talent-war-2026")
    params, layout = build(scenario)
    firms = {name: i for i, name in enumerate(layout.firms)}
    group = 0  # the lab's core architects: salary median 400 k$
    salary = float(np.asarray(params.group_salary.a)[group])
    wealth = float(np.asarray(mean(params.group_wealth_years))[group]) * salary
    ratios = {name: _ce(params, [600.0], [wealth], [2.0], [firms[name]])[0] / 600.0 for name in ("lean_lab", "optimiser_incumbent", "ecosystem_incumbent")}
    assert 0.85 < ratios["optimiser_incumbent"] < 1.15 and 0.85 < ratios["ecosystem_incumbent"] < 1.15
    assert 0.2 < ratios["lean_lab"] < 0.6


def test_m2_off_changes_choices_not_offers(mini, baseline):
    off = run(mini, M2=False)
    same_month_one(baseline, off, ["offers_made", "offers_received"])
    # Valued at face, the lab's large unvested grants hold people back: fewer accept.
    assert metric(off, "offers_accepted", "poacher").sum() < metric(baseline, "offers_accepted", "poacher").sum()


# ---------------------------------------------------------------- M4 compute and verification speed
def test_m4_off_equalises_compute(mini, baseline):
    off = run(mini, M4=False)
    assert np.all(metric(off, "verification_speed", "lab") == 1.0)
    assert np.all(metric(off, "verification_speed", "poacher") == 1.0)
    # lab: 1000 GPUs over 24 research staff, friction 5 days
    assert (metric(baseline, "verification_speed", "lab", 1) > 10).all()
    same_month_one(baseline, off, ["offers_made", "offers_received"])
    # The poacher's cluster and promise pull compute-weighted researchers: without them fewer move.
    assert metric(off, "offers_accepted", "poacher").sum() < metric(baseline, "offers_accepted", "poacher").sum()


def _with_outside_jobs(scenario, compute_share: float):
    market = scenario.market.model_dump()
    market["outside_market"].update(offer_rate=0.3, compute_share=compute_share)
    return type(scenario).model_validate({**scenario.model_dump(), "market": market})


def test_m4_an_outside_job_has_a_share_of_the_employers_mean_compute(mini):
    for share in (0.0, 0.5):
        params, _, view, _, _ = first_offers(_with_outside_jobs(mini, share))
        staff, speed = np.asarray(view.research_staff), np.asarray(view.verification_speed)
        employer = np.asarray(params.is_employer) > 0
        mean = (speed * staff)[employer].sum() / staff[employer].sum()
        np.testing.assert_allclose(view.offer_verification_speed[int(params.outside_index)], share * mean, rtol=1e-6)
        assert mean > speed[0] > 10  # the poacher's large cluster lifts the mean above the lab's own speed
    params, _, view, _, _ = first_offers(with_mechanisms(_with_outside_jobs(mini, 0.5), M4=False))
    assert view.offer_verification_speed[int(params.outside_index)] == 1.0  # compute pulls nobody


def test_m4_outside_jobs_with_compute_draw_the_compute_starved_away(mini):
    none, some = (run(_with_outside_jobs(mini, share)) for share in (0.0, 1.0))
    same_month_one(none, some, ["offers_made", "outside_offers"])
    # The lab's speed is far under the employers' mean, so an outside job with that mean's compute
    # pulls its compute-weighted scholars out; with no compute, it pulls them only on pay.
    assert metric(some, "departures_to:outside", "lab").sum() > 1.5 * metric(none, "departures_to:outside", "lab").sum()


# ---------------------------------------------------------------- M9 choice
def test_m9_off_is_the_cash_rule(mini):
    # A poacher paying 20% less salary but offering a big cluster: random utility moves some
    # compute-lovers; the cash rule (M9 off) moves nobody, since the sign-on buyout is off.
    cheap = mini.model_copy(deep=True)
    poacher = cheap.firms[1]
    cheaper = poacher.poaching.model_copy(update={"salary_premium": -0.2, "buyout_fraction": 0.0, "compute_promise": 20000})
    firms = [cheap.firms[0], poacher.model_copy(update={"poaching": cheaper}), cheap.firms[2]]
    cheap = cheap.model_copy(update={"firms": firms})
    on, off = run(cheap), run(cheap, M9=False)
    assert metric(on, "offers_accepted", "poacher").sum() > 0
    assert metric(off, "offers_accepted", "poacher").sum() == 0
    same_month_one(on, off, ["offers_made", "offers_received"])


def test_m9_temperature_zero_is_deterministic_in_utility(mini):
    cold = mini.model_copy(update={"market": mini.market.model_copy(update={"temperature": 0.0})})
    a, b = talentwar.simulate(cold, seed=1), talentwar.simulate(cold, seed=1)
    np.testing.assert_array_equal(a.metrics["value"].to_numpy(), b.metrics["value"].to_numpy())


# ---------------------------------------------------------------- M10 poaching
def test_m10_off_stops_offers_and_nothing_else(mini, baseline):
    off = run(mini, M10=False)
    assert metric(off, "offers_made", "poacher").sum() == 0
    assert (off.moves["kind"] == "poached").sum() == 0
    assert metric(baseline, "offers_made", "poacher").sum() > 0
    assert (baseline.moves["kind"] == "poached").sum() > 0
    # Separations and hiring still run.
    assert metric(off, "departures_separated", "lab").sum() > 0
    assert metric(off, "hires", "lab").sum() > 0


def test_m10_buyout_pays_unvested_value(mini, baseline):
    poached = baseline.moves[baseline.moves["kind"] == "poached"]
    assert len(poached) > 0
    assert (poached["sign_on"] > 0).any()  # 0.3 of the lab's unvested grants
    np.testing.assert_allclose(poached["salary_after"], poached["salary_before"] * 1.1, rtol=1e-5)


def test_m10_budget_is_never_exceeded(mini):
    poacher = mini.firms[1]
    tight = poacher.poaching.model_copy(update={"monthly_budget": 1500.0})
    scenario = mini.model_copy(update={"firms": [mini.firms[0], poacher.model_copy(update={"poaching": tight}), mini.firms[2]]})
    result = talentwar.simulate(scenario)
    # Spend on accepted offers is at most the committed cost of offers made, which the budget caps.
    assert (metric(result, "poaching_spend", "poacher") <= 1500.0 + 1e-3).all()
    assert metric(result, "offers_over_budget", "poacher").sum() > 0  # the budget binds


def hunting_each_other(mini, lab_premium=0.3, where_pulls_beat=False):
    """mini, with the lab hunting the poacher as the poacher hunts the lab."""
    from tests.conftest import with_firm

    hunts = {"firms": ["poacher"], "where_pulls_beat": where_pulls_beat}
    return with_firm(mini, 0, poaching={"offer_rate": 0.3, "salary_premium": lab_premium, "hunts": hunts})


def test_m10_flows_run_both_ways_between_two_firms_that_hunt_each_other(mini, baseline):
    both = talentwar.simulate(hunting_each_other(mini))
    lab_to_poacher = metric(both, "departures_to:poacher", "lab").sum()
    poacher_to_lab = metric(both, "departures_to:lab", "poacher").sum()
    assert lab_to_poacher > 0 and poacher_to_lab > 0
    moves = both.moves[both.moves["kind"] == "poached"]
    assert ((moves["from_firm"] == "poacher") & (moves["to_firm"] == "lab")).sum() == poacher_to_lab
    assert metric(baseline, "departures_to:lab", "poacher").sum() == 0  # one way when only one hunts


def test_m10_a_firm_hunting_where_its_pulls_beat_skips_firms_it_cannot_win_from(mini):
    from tests.conftest import first_offers
    from talentwar.engine.mechanisms import poaching

    # The lab offering half pay wins nobody from the poacher, so it makes no offers; offering double, it hunts.
    for premium, hunts in ((-0.5, False), (1.0, True)):
        params, state, view, *_ = first_offers(hunting_each_other(mini, premium, where_pulls_beat=True))
        salary = np.asarray(state.researchers.salary)
        firm = np.asarray(state.researchers.firm)
        firm_salary = np.asarray([salary[firm == f].mean() for f in range(3)], np.float32)
        beaten = np.asarray(poaching.pulls_beat(state.researchers, params, view, firm_salary))
        assert beaten[0, 1] == float(hunts)
        result = talentwar.simulate(hunting_each_other(mini, premium, where_pulls_beat=True))
        assert (metric(result, "offers_made", "lab").sum() > 0) == hunts
    always = talentwar.simulate(hunting_each_other(mini, -0.5))
    assert metric(always, "offers_made", "lab").sum() > 0  # without the rule it hunts whom it names


# ---------------------------------------------------------------- M12 knowledge transfer
def test_m12_off_movers_carry_nothing(mini, baseline):
    off = run(mini, M12=False)
    same_month_one(baseline, off, ["offers_made", "offers_accepted", "departures_poached"])
    assert metric(off, "knowledge_gained", "poacher").sum() == 0
    assert metric(off, "replication_months_gained", "poacher").sum() == 0
    assert (off.moves.loc[off.moves["kind"] == "poached", "knowledge_carried"] == 0).all()
    assert metric(baseline, "knowledge_gained", "poacher").sum() > 0
    assert metric(baseline, "replication_months_gained", "poacher").sum() > 0


def test_m12_leakage_equals_gains_and_months_follow(mini, baseline):
    # Leakage seen from the origin equals gains seen by the acquirers.
    leaked = metric(baseline, "knowledge_leaked", "lab").sum()
    gained = sum(metric(baseline, "knowledge_gained", f).sum() for f in FIRMS)
    np.testing.assert_allclose(leaked, gained, rtol=1e-4)
    # Months = gain / own_rd_rate (0.01 by default).
    np.testing.assert_allclose(
        metric(baseline, "replication_months_gained", "poacher"), metric(baseline, "knowledge_gained", "poacher") / 0.01, rtol=1e-4
    )


# ---------------------------------------------------------------- M16 separations and hiring
def test_m16_off_freezes_separations_and_hiring(mini):
    # Low morale (M13) also sends people to the pool; switch it off on both sides to see M16 alone.
    baseline, off = run(mini, M13=False), run(mini, M13=False, M16=False)
    for firm in ("lab", "poacher"):
        assert metric(off, "departures_separated", firm).sum() == 0
        assert metric(off, "hires", firm).sum() == 0
    assert set(off.moves["kind"].unique()) <= {"poached"}
    same_month_one(baseline, off, ["offers_made", "offers_accepted"])
    assert metric(off, "offers_accepted", "poacher").sum() > 0  # poaching still runs
    assert metric(baseline, "departures_separated", "lab").sum() > 0
    assert metric(baseline, "hires", "lab").sum() > 0


def test_m16_refills_every_vacancy_from_the_pool(mini, baseline):
    # Targets are refilled each month while the pool lasts: the lab ends a month below its target
    # only when everyone left in the pool just separated (and so cannot be rehired at once).
    lab = metric(baseline, "headcount", "lab")
    pool = metric(baseline, "headcount", "outside")
    just_left = metric(baseline, "departures_separated", "lab") + metric(baseline, "departures_separated", "poacher")
    assert np.all(lab[:, 0] == 24)
    assert np.all((lab == 24) | (pool <= just_left))
    assert np.all(metric(baseline, "headcount", "poacher") >= 12)


def test_m16_short_pool_does_not_favour_the_first_firm(mini):
    # Three people in the pool, many vacancies at both employers: both get hires over time.
    groups = mini.firms[2].population
    tiny_pool = mini.firms[2].model_copy(update={"population": [groups[0].model_copy(update={"count": 3})]})
    lab, poacher = (f.model_copy(update={"separation_rate": 0.3}) for f in mini.firms[:2])
    scenario = mini.model_copy(update={"firms": [lab, poacher, tiny_pool]})
    result = talentwar.simulate(with_mechanisms(scenario, M10=False), replications=8)
    assert metric(result, "hires", "lab").sum() > 0
    assert metric(result, "hires", "poacher").sum() > 0


# ---------------------------------------------------------------- M7 learning and compartmentalisation
def with_learning(scenario, **fields):
    learning = scenario.market.learning.model_copy(update=fields)
    return scenario.model_copy(update={"market": scenario.market.model_copy(update={"learning": learning})})


def test_m7_staff_learn_and_off_freezes_knowledge(mini, baseline):
    # Nobody moves and the frontier stands still: knowledge changes only by learning.
    quiet = with_learning(with_mechanisms(mini, M10=False, M16=False), frontier_drift=0.0)
    on, off = talentwar.simulate(quiet), talentwar.simulate(with_mechanisms(quiet, M7=False))
    for stage in ("architecture", "inference_efficiency"):
        learned = metric(on, f"knowledge:{stage}", "lab")
        assert (np.diff(learned, axis=1) >= -1e-6).all() and (learned[:, -1] > learned[:, 0]).all()
        frozen = metric(off, f"knowledge:{stage}", "lab")
        np.testing.assert_array_equal(frozen, np.repeat(frozen[:, :1], frozen.shape[1], axis=1))
    same_month_one(on, off, ["headcount", "mean_salary", "offers_made"])


def test_m7_frontier_drift_makes_knowledge_obsolete(mini):
    # With no learning at all, only the moving frontier acts: every stage's knowledge falls.
    idle = with_learning(with_mechanisms(mini, M10=False, M16=False), own_stage_rate=0.0, cross_stage_rate=0.0, documentation_uptake=0.0)
    result = talentwar.simulate(idle)
    for stage in ("architecture", "inference_efficiency"):
        assert (np.diff(metric(result, f"knowledge:{stage}", "lab"), axis=1) < 0).all()


def test_m7_compartmentalisation_slows_cross_stage_learning(mini):
    def with_walls(level: float):
        lab = mini.firms[0]
        walled = lab.model_copy(update={"organisation": lab.organisation.model_copy(update={"compartmentalisation": level})})
        scenario = mini.model_copy(update={"firms": [walled, *mini.firms[1:]]})
        return talentwar.simulate(with_mechanisms(scenario, M10=False, M16=False))

    open_lab, walled_lab = with_walls(0.0), with_walls(1.0)
    # Core staff work on architecture: with full walls their inference knowledge cannot grow from colleagues.
    core_open = open_lab.final[(open_lab.final["firm"] == "lab") & (open_lab.final["role"] == "core")]
    core_walled = walled_lab.final[(walled_lab.final["firm"] == "lab") & (walled_lab.final["role"] == "core")]
    assert core_open["knowledge_inference_efficiency"].mean() > core_walled["knowledge_inference_efficiency"].mean()


# ---------------------------------------------------------------- M8 codified knowledge, capability, money saved
def test_m8_capability_weakest_link_compute_and_diminishing_returns(mini):
    from talentwar.engine.mechanisms.capability import capability

    params, _ = build(mini)
    staff = np.array([10.0, 10.0, 0.0])
    balanced = np.asarray(capability(np.array([[0.6, 0.6], [0.6, 0.6], [0.6, 0.6]]), staff, params))
    lopsided = np.asarray(capability(np.array([[0.95, 0.25], [0.95, 0.25], [0.6, 0.6]]), staff, params))
    assert lopsided[0] < balanced[0]  # the same mean knowledge, but a weak stage caps it
    nine, ten = (np.asarray(capability(np.full((3, 2), 0.6), np.array([n, n, 0.0]), params))[0] for n in (9.0, 10.0))
    assert 0 < ten / nine - 1 < 0.1  # the tenth researcher adds less than 10% (001)
    # the poacher has 40x the lab's GPUs: more capability for the same knowledge and staff
    assert balanced[1] > balanced[0]
    assert balanced[2] == 0.0  # the outside pool has no capability
    off, _ = build(with_mechanisms(mini, M8=False))
    assert np.all(np.asarray(capability(np.full((3, 2), 0.6), staff, off)) == 0.0)


def test_m8_documentation_grows_codified_stock_and_off_removes_outputs(mini):
    lab = mini.firms[0]
    documented = lab.model_copy(update={"organisation": lab.organisation.model_copy(update={"documentation_rate": 0.5})})
    scenario = mini.model_copy(update={"firms": [documented, *mini.firms[1:]]})
    on, off = talentwar.simulate(scenario), talentwar.simulate(with_mechanisms(scenario, M8=False))
    assert (metric(on, "capability", "lab") > 0).all()
    assert (metric(off, "capability", "lab") == 0).all() and (metric(off, "money_saved", "poacher") == 0).all()
    assert metric(on, "money_saved", "poacher").sum() > 0  # user base 1000 k$/yr per unit of inference knowledge
    # Codified knowledge keeps the stage when people leave: knowledge stays higher with documentation.
    assert metric(on, "knowledge:architecture", "lab")[:, -1].mean() > metric(off, "knowledge:architecture", "lab")[:, -1].mean()
    same_month_one(on, off, ["offers_made", "offers_accepted", "headcount"])


