"""Scenario -> arrays. The ONLY module of the engine that reads the pydantic scenario.

Everything numeric becomes data in `Params` (a NamedTuple of arrays), so a changed lever or
a mechanism switched off runs through the same compiled step. Only the shapes in `Dims`
(researchers, firms, stages, groups, archetypes, months, move-log capacity) and the number of
later start dates (the length of `start_months`, M9) are static.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from talentwar.scenario.schema import (
    MECHANISMS,
    Investor,
    PULLS,
    ROLES,
    Beta,
    Fixed,
    LogNormal,
    Scenario,
    Uniform,
)

N_ROLES = len(ROLES)
N_PULLS = len(PULLS)
MECHANISM_INDEX = {key: i for i, key in enumerate(MECHANISMS)}
INFERENCE_STAGE = "inference_efficiency"
ROLE_INDEX = {role: i for i, role in enumerate(ROLES)}
DEPARTURE_SLOTS = 4  # scheduled departures a scenario holds without changing shapes
CORE, RESEARCH_ENGINEER, PRODUCT = ROLE_INDEX["core"], ROLE_INDEX["research_engineer"], ROLE_INDEX["product"]
# infra, data and product come after the two research roles: role > RESEARCH_ENGINEER selects them

# Distribution codes (see engine/sampling.py).
FIXED, UNIFORM, LOGNORMAL, BETA, NO_DISTRIBUTION = 0, 1, 2, 3, -1


class Dims(NamedTuple):
    """Static shapes: changing one of these compiles a new step; nothing else does."""

    researchers: int
    firms: int
    stages: int
    groups: int
    archetypes: int
    move_capacity: int
    burn_in: int = 0  # months run before month 0, unreported (simulation.burn_in_months)


class Distributions(NamedTuple):
    """A batch of distributions: code (FIXED, UNIFORM, ...) and two parameters each."""

    kind: np.ndarray
    a: np.ndarray
    b: np.ndarray


class Params(NamedTuple):
    # switches, one per mechanism in MECHANISMS order: 1.0 on, 0.0 off
    on: np.ndarray
    # market (scalars)
    temperature: np.ndarray
    horizon_years: np.ndarray
    switching_cost: np.ndarray
    start_months: np.ndarray  # [within_months]: 1, 2, ..., the later start dates a mover can ask for (M9); a compiled shape
    start_lapse: np.ndarray  # monthly probability that an offer held open lapses (M9)
    cross_region_cost: np.ndarray
    illiquidity_discount: np.ndarray
    holding_years: np.ndarray
    outside_knowledge_decay: np.ndarray
    outside_compute_share: np.ndarray  # an outside job's verification speed over the employers' mean (M4, M16)
    own_rd_rate: np.ndarray
    learning_rate: np.ndarray
    cross_learning_rate: np.ndarray
    documentation_uptake: np.ndarray
    verification_half_speed: np.ndarray
    frontier_drift: np.ndarray
    weakest_link: np.ndarray
    compute_elasticity: np.ndarray
    headcount_elasticity: np.ndarray
    compute_reference: np.ndarray
    inference_stage: np.ndarray
    blue_sky_autonomy_gain: np.ndarray
    breakthrough_rate: np.ndarray
    breakthrough_size: np.ndarray
    misaligned_productivity_loss: np.ndarray
    misaligned_mission_penalty: np.ndarray
    misaligned_morale_loss: np.ndarray
    misaligned_search_rate: np.ndarray
    resting_productivity_loss: np.ndarray
    resting_search_rate: np.ndarray
    toxicity: np.ndarray
    reference_drift: np.ndarray
    pay_gap_sensitivity: np.ndarray
    morale_recovery: np.ndarray
    morale_search_rate: np.ndarray
    morale_weight: np.ndarray
    denial_morale_loss: np.ndarray
    mobility_blinding: np.ndarray
    gpu_month: np.ndarray  # k$ per GPU-month (costs of levers)
    documentation_effort: np.ndarray
    compartmentalisation_loss: np.ndarray
    # firms [F]
    is_employer: np.ndarray
    outside_index: np.ndarray
    region: np.ndarray
    separation_rate: np.ndarray
    internal_mobility: np.ndarray
    drift: np.ndarray
    volatility: np.ndarray
    years_to_liquidity: np.ndarray
    window_interval: np.ndarray
    window_fraction: np.ndarray
    synthetic_share: np.ndarray
    blue_sky_share: np.ndarray
    blue_sky_by_skill: np.ndarray
    monetization_pressure: np.ndarray
    effective_gpus: np.ndarray
    gpus: np.ndarray
    friction_days: np.ndarray
    data_moat: np.ndarray
    bureaucracy: np.ndarray
    compartmentalisation: np.ndarray
    autonomy: np.ndarray
    mission: np.ndarray
    codified_knowledge: np.ndarray
    documentation_rate: np.ndarray
    knowledge_overlap: np.ndarray
    user_base: np.ndarray
    # poaching (M10): per poacher [F], or poacher x origin [F, F], poacher x role/stage
    offer_rate: np.ndarray
    value_targeting: np.ndarray
    targeting_sharpness: np.ndarray
    information_quality: np.ndarray
    hunts_firm: np.ndarray
    hunts_role: np.ndarray
    hunts_stage: np.ndarray
    hunts_by_pulls: np.ndarray  # [F]: 1 where the poacher hunts only firms its pulls beat
    stage_value: np.ndarray
    salary_premium: np.ndarray
    offer_salary: Distributions
    offer_salary_relative: np.ndarray  # 1 where offer_salary is a multiple of the current salary (the outside market)
    buyout_fraction: np.ndarray
    offer_equity: Distributions
    offer_grant_months: np.ndarray
    offer_grant_cliff: np.ndarray
    offer_grant_every: np.ndarray
    compute_promise: np.ndarray
    monthly_budget: np.ndarray
    # investors (V, at least 1: a scenario without investors gets one with no stakes and no pact)
    valuation: np.ndarray
    stakes: np.ndarray
    pact_portfolio: np.ndarray
    pact_protects: np.ndarray
    pact_compliance: np.ndarray
    pact_leakage: np.ndarray
    talent_map_quality: np.ndarray
    # retention (M11): per firm, and firm x role
    protected_role: np.ndarray
    special_grant: Distributions
    special_grant_months: np.ndarray
    special_grant_cliff: np.ndarray
    special_grant_every: np.ndarray
    grant_month: np.ndarray
    counter_role: np.ndarray
    counter_max_multiple: np.ndarray
    counter_any_offer: np.ndarray  # 1: match every offer received (sequential auctions); 0: counter only leavers
    counter_margin: np.ndarray
    review_interval: np.ndarray  # int32 months between pay reviews, 0 = none
    review_toward: np.ndarray
    review_position: np.ndarray
    match_raises: np.ndarray
    # cells (firm, role, stage) flattened [F * R * S]: replacement hiring (M16)
    cell_target: np.ndarray
    cell_salary: Distributions
    cell_equity: Distributions
    cell_grant_months: np.ndarray
    cell_grant_cliff: np.ndarray
    cell_grant_every: np.ndarray
    cell_refresh_interval: np.ndarray  # months of tenure between refresh grants, 0 = none (M1)
    cell_refresh: Distributions
    cell_refresh_months: np.ndarray
    cell_refresh_cliff: np.ndarray
    cell_refresh_every: np.ndarray
    # initial population: researcher -> group, and per-group distributions
    group_of: np.ndarray
    group_firm: np.ndarray
    group_role: np.ndarray
    group_stage: np.ndarray
    group_skill: Distributions
    group_own_knowledge: Distributions
    group_other_knowledge: Distributions
    group_salary: Distributions
    group_equity: Distributions
    group_grant_months: np.ndarray
    group_grant_cliff: np.ndarray
    group_grant_every: np.ndarray
    group_tenure: Distributions
    group_risk_aversion: Distributions
    group_wealth_years: Distributions
    group_wants_ai_role: np.ndarray
    group_archetype_share: np.ndarray
    archetype_weights: np.ndarray
    archetype_concentration: np.ndarray
    # scheduled departures (shocks), DEPARTURE_SLOTS or more; month 0 marks an empty slot
    departure_month: np.ndarray
    departure_firm: np.ndarray
    departure_count: np.ndarray
    departure_role: np.ndarray
    departure_stage: np.ndarray
    departure_top: np.ndarray
    departure_to: np.ndarray


class Layout(NamedTuple):
    """Names behind the indices, for turning arrays back into tidy frames."""

    firms: list[str]
    stages: list[str]
    archetypes: list[str]
    investors: list[str]
    dims: Dims


def _encode(dists: list) -> Distributions:
    kind, a, b = [], [], []
    for d in dists:
        if d is None:
            kind.append(NO_DISTRIBUTION), a.append(0.0), b.append(0.0)
        elif isinstance(d, Fixed):
            kind.append(FIXED), a.append(d.value), b.append(0.0)
        elif isinstance(d, Uniform):
            kind.append(UNIFORM), a.append(d.low), b.append(d.high)
        elif isinstance(d, LogNormal):
            kind.append(LOGNORMAL), a.append(d.median), b.append(d.sigma)
        elif isinstance(d, Beta):
            kind.append(BETA), a.append(d.mean), b.append(d.concentration)
        else:  # pragma: no cover - the schema admits nothing else
            raise TypeError(f"unknown distribution {d!r}")
    return Distributions(np.asarray(kind, np.int32), np.asarray(a, np.float32), np.asarray(b, np.float32))


def default_move_capacity(researchers: int) -> int:
    """Moves logged per month and replication: a quarter of the population, at least 64."""
    return int(min(2 * researchers, max(64, researchers // 4)))


def build(scenario: Scenario, move_capacity: int | None = None) -> tuple[Params, Layout]:
    firms = scenario.firms
    stages = list(scenario.simulation.stages)
    archetypes = list(scenario.archetypes)
    F, S, R = len(firms), len(stages), N_ROLES
    stage_index = {s: i for i, s in enumerate(stages)}
    firm_index = {f.name: i for i, f in enumerate(firms)}
    regions = {name: i for i, name in enumerate(sorted({f.region for f in firms}))}
    market = scenario.market
    f32 = lambda values: np.asarray(values, np.float32)  # noqa: E731

    # ---- population groups, researchers laid out firm by firm, group by group
    groups = [(fi, g) for fi, firm in enumerate(firms) for g in firm.population]
    counts = np.asarray([g.count for _, g in groups], np.int64)
    n_researchers = int(counts.sum())
    group_of = np.repeat(np.arange(len(groups), dtype=np.int32), counts)
    share = np.zeros((len(groups), len(archetypes)), np.float32)
    for gi, (_, g) in enumerate(groups):
        for name, p in g.archetypes.items():
            share[gi, archetypes.index(name)] = p
    weights = np.asarray([[getattr(scenario.archetypes[a], p) for p in PULLS] for a in archetypes], np.float32)
    weights = weights / weights.sum(axis=1, keepdims=True)
    concentration = f32([scenario.archetypes[a].concentration or 0.0 for a in archetypes])

    # ---- cells: (firm, role, stage), the unit of replacement hiring
    cell_target = np.zeros((F, R, S), np.int32)
    cell_salary: list = [None] * (F * R * S)
    cell_equity: list = [None] * (F * R * S)
    cell_months = np.full(F * R * S, 36, np.int32)
    cell_cliff = np.zeros(F * R * S, np.int32)
    cell_every = np.ones(F * R * S, np.int32)
    cell_refresh: list = [Fixed(value=0.0)] * (F * R * S)
    cell_refresh_schedule = np.tile(np.asarray([0, 36, 0, 1], np.int32), (F * R * S, 1))  # interval, months, cliff, every
    for fi, g in groups:
        ri, si = ROLE_INDEX[g.role], stage_index[g.stage]
        cell = (fi * R + ri) * S + si
        if firms[fi].kind != "outside":
            cell_target[fi, ri, si] = g.count
        cell_salary[cell], cell_equity[cell] = g.salary, g.equity.value
        cell_months[cell], cell_cliff[cell], cell_every[cell] = g.equity.months, g.equity.cliff_months, g.equity.every_months
        if g.equity.refresh is not None:
            fresh = g.equity.refresh
            cell_refresh[cell] = fresh.value
            cell_refresh_schedule[cell] = (fresh.interval_months, fresh.months, fresh.cliff_months, fresh.every_months)
    cell_salary = [d if d is not None else Fixed(value=1.0) for d in cell_salary]
    cell_equity = [d if d is not None else Fixed(value=0.0) for d in cell_equity]

    # ---- poaching
    employer = np.asarray([f.kind != "outside" for f in firms])
    hunts_firm = np.zeros((F, F), np.float32)
    hunts_role = np.zeros((F, R), np.float32)
    hunts_stage = np.zeros((F, S), np.float32)
    for p, firm in enumerate(firms):
        h = firm.poaching.hunts
        targets = [firm_index[n] for n in h.firms] if h.firms is not None else range(F)
        for g in targets:
            hunts_firm[p, g] = float(g != p and employer[g])
        for r in h.roles if h.roles is not None else ROLES:
            hunts_role[p, ROLE_INDEX[r]] = 1.0
        for s in h.stages if h.stages is not None else stages:
            hunts_stage[p, stage_index[s]] = 1.0
    # The outside market (M16, M9): the outside pool offers every employed researcher a job elsewhere
    # at random, at a multiple of their salary, without equity or buyout, and without a budget.
    outside_index = int(np.flatnonzero(~employer)[0])
    outside_market = market.outside_market
    hunts_firm[outside_index] = employer.astype(np.float32)
    hunts_role[outside_index] = 1.0
    hunts_stage[outside_index] = 1.0
    # Value of a unit of stage knowledge to a poacher: 1, and for inference-efficiency
    # knowledge 1 + user_base / (mean employer user base): 001's "1% efficiency = tens of
    # millions a year" makes inference know-how worth more to a firm with more users.
    stage_value = np.ones((F, S), np.float32)
    if INFERENCE_STAGE in stage_index:
        user_base = np.asarray([f.product.user_base for f in firms], np.float32)
        reference = user_base[employer].mean() if user_base[employer].mean() > 0 else 1.0
        stage_value[:, stage_index[INFERENCE_STAGE]] += user_base / reference
    poach = [f.poaching for f in firms]

    # ---- investors and their no-poach pacts (M15)
    investors = list(scenario.investors) or [Investor(name="none")]
    stakes = f32([[v.stakes.get(f.name, 0.0) for f in firms] for v in investors])
    pact_protects = f32([[bool(v.pact) and f.name in v.pact.protects for f in firms] for v in investors])
    # a pact binds the investor's portfolio: the firms it holds a stake in, other than those it protects
    pact_portfolio = f32((stakes > 0) & (pact_protects == 0) & np.asarray([[v.pact is not None] for v in investors]))

    # ---- scheduled departures: a fixed number of slots, so that adding a shock to a scenario
    # (as the claims do) changes data, not shapes, and needs no new compilation
    events = list(scenario.departures)
    slots = max(DEPARTURE_SLOTS, len(events))
    padding = [None] * (slots - len(events))
    is_outside = np.arange(F) == outside_index

    params = Params(
        on=f32([float(scenario.mechanism_on(k)) for k in MECHANISMS]),
        temperature=f32(market.temperature),
        horizon_years=f32(market.planning_horizon_years),
        switching_cost=f32(market.switching_cost),
        start_months=np.arange(1, market.start_dates.within_months + 1, dtype=np.int32),
        start_lapse=f32(market.start_dates.lapse_rate),
        cross_region_cost=f32(market.cross_region_cost),
        illiquidity_discount=f32(market.illiquidity_discount),
        holding_years=f32(market.holding_years),
        outside_knowledge_decay=f32(market.outside_knowledge_decay),
        outside_compute_share=f32(market.outside_market.compute_share),
        own_rd_rate=f32(market.own_rd_rate),
        learning_rate=f32(market.learning.own_stage_rate),
        cross_learning_rate=f32(market.learning.cross_stage_rate),
        documentation_uptake=f32(market.learning.documentation_uptake),
        verification_half_speed=f32(market.learning.verification_half_speed),
        frontier_drift=f32(market.learning.frontier_drift),
        weakest_link=f32(market.capability.weakest_link),
        compute_elasticity=f32(market.capability.compute_elasticity),
        headcount_elasticity=f32(market.capability.headcount_elasticity),
        compute_reference=f32(market.capability.compute_reference),
        # one-hot of the inference-efficiency stage (all zero if the scenario has none): money saved (M8)
        inference_stage=f32([s == INFERENCE_STAGE for s in stages]),
        blue_sky_autonomy_gain=f32(market.blue_sky.autonomy_gain),
        breakthrough_rate=f32(market.blue_sky.breakthrough_rate),
        breakthrough_size=f32(market.blue_sky.breakthrough_size),
        misaligned_productivity_loss=f32(market.misalignment.productivity_loss),
        misaligned_mission_penalty=f32(market.misalignment.mission_penalty),
        misaligned_morale_loss=f32(market.misalignment.morale_loss),
        misaligned_search_rate=f32(market.misalignment.search_rate),
        resting_productivity_loss=f32(market.rest_and_vest.productivity_loss),
        resting_search_rate=f32(market.rest_and_vest.search_rate),
        toxicity=f32(market.morale.toxicity),
        reference_drift=f32(market.morale.reference_drift),
        pay_gap_sensitivity=f32(market.morale.pay_gap_sensitivity),
        morale_recovery=f32(market.morale.recovery),
        morale_search_rate=f32(market.morale.search_rate),
        morale_weight=f32(market.morale.weight),
        denial_morale_loss=f32(market.mobility.denial_morale_loss),
        mobility_blinding=f32(market.mobility.blinding),
        gpu_month=f32(market.costs.gpu_month),
        documentation_effort=f32(market.costs.documentation_effort),
        compartmentalisation_loss=f32(market.costs.compartmentalisation_loss),
        is_employer=employer.astype(np.float32),
        outside_index=np.asarray(outside_index, np.int32),
        region=np.asarray([regions[f.region] for f in firms], np.int32),
        separation_rate=f32([f.separation_rate for f in firms]),
        internal_mobility=f32([f.internal_mobility for f in firms]),
        drift=f32([f.capital.drift for f in firms]),
        volatility=f32([f.capital.volatility for f in firms]),
        years_to_liquidity=f32([f.capital.years_to_liquidity for f in firms]),
        window_interval=f32([f.capital.window_interval_months for f in firms]),
        window_fraction=f32([f.capital.window_fraction for f in firms]),
        synthetic_share=f32([f.capital.synthetic_share for f in firms]),
        blue_sky_share=f32([f.compute.blue_sky_share for f in firms]),
        blue_sky_by_skill=f32([f.compute.blue_sky_tokens == "skill" for f in firms]),
        monetization_pressure=f32([f.product.monetization_pressure for f in firms]),
        effective_gpus=f32([f.compute.gpus * f.compute.hardware_efficiency for f in firms]),
        gpus=f32([f.compute.gpus for f in firms]),
        friction_days=f32([f.compute.friction_days for f in firms]),
        data_moat=f32([f.product.data_moat for f in firms]),
        bureaucracy=f32([f.organisation.bureaucracy for f in firms]),
        compartmentalisation=f32([f.organisation.compartmentalisation for f in firms]),
        autonomy=f32([f.organisation.autonomy for f in firms]),
        mission=f32([f.organisation.mission for f in firms]),
        codified_knowledge=f32([f.organisation.codified_knowledge for f in firms]),
        documentation_rate=f32([f.organisation.documentation_rate for f in firms]),
        knowledge_overlap=f32([f.organisation.knowledge_overlap for f in firms]),
        user_base=f32([f.product.user_base for f in firms]),
        offer_rate=f32([outside_market.offer_rate if out else p.offer_rate for p, out in zip(poach, is_outside)]),
        value_targeting=f32([p.targeting == "value" and not out for p, out in zip(poach, is_outside)]),
        targeting_sharpness=f32([p.targeting_sharpness for p in poach]),
        information_quality=np.repeat(f32([p.information_quality for p in poach])[:, None], F, axis=1),
        hunts_firm=hunts_firm,
        hunts_role=hunts_role,
        hunts_stage=hunts_stage,
        hunts_by_pulls=f32([f.poaching.hunts.where_pulls_beat for f in firms]),
        stage_value=stage_value,
        salary_premium=f32([p.salary_premium for p in poach]),
        offer_salary=_encode([outside_market.pay_ratio if out else p.salary_distribution for p, out in zip(poach, is_outside)]),
        offer_salary_relative=f32(is_outside),
        buyout_fraction=f32([p.buyout_fraction for p in poach]),
        offer_equity=_encode([p.equity_grant.value for p in poach]),
        offer_grant_months=np.asarray([p.equity_grant.months for p in poach], np.int32),
        offer_grant_cliff=np.asarray([p.equity_grant.cliff_months for p in poach], np.int32),
        offer_grant_every=np.asarray([p.equity_grant.every_months for p in poach], np.int32),
        compute_promise=f32([p.compute_promise for p in poach]),
        monthly_budget=f32([np.inf if p.monthly_budget is None else p.monthly_budget for p in poach]),
        valuation=f32([f.capital.valuation for f in firms]),
        stakes=stakes,
        pact_portfolio=pact_portfolio,
        pact_protects=pact_protects,
        pact_compliance=f32([v.pact.compliance if v.pact else 0.0 for v in investors]),
        pact_leakage=f32([v.pact.proxy_leakage if v.pact else 0.0 for v in investors]),
        talent_map_quality=f32([v.pact.talent_map_quality if v.pact else 0.0 for v in investors]),
        protected_role=f32([[role in f.retention.protected_roles for role in ROLES] for f in firms]),
        special_grant=_encode([f.retention.special_grant.value for f in firms]),
        special_grant_months=np.asarray([f.retention.special_grant.months for f in firms], np.int32),
        special_grant_cliff=np.asarray([f.retention.special_grant.cliff_months for f in firms], np.int32),
        special_grant_every=np.asarray([f.retention.special_grant.every_months for f in firms], np.int32),
        grant_month=np.asarray([f.retention.grant_month for f in firms], np.int32),
        counter_role=f32(
            [[f.retention.counter_offers and (f.retention.counter_roles is None or role in f.retention.counter_roles) for role in ROLES] for f in firms]
        ),
        counter_max_multiple=f32([f.retention.counter_max_multiple for f in firms]),
        counter_any_offer=f32([f.retention.counter_when == "any_offer" for f in firms]),
        counter_margin=f32([f.retention.counter_margin for f in firms]),
        review_interval=np.asarray([f.retention.pay_review.interval_months for f in firms], np.int32),
        review_toward=f32([f.retention.pay_review.toward for f in firms]),
        review_position=f32([f.retention.pay_review.position for f in firms]),
        match_raises=f32([f.retention.match_raises for f in firms]),
        cell_target=cell_target.reshape(-1),
        cell_salary=_encode(cell_salary),
        cell_equity=_encode(cell_equity),
        cell_grant_months=cell_months,
        cell_grant_cliff=cell_cliff,
        cell_grant_every=cell_every,
        cell_refresh_interval=cell_refresh_schedule[:, 0].copy(),
        cell_refresh=_encode(cell_refresh),
        cell_refresh_months=cell_refresh_schedule[:, 1].copy(),
        cell_refresh_cliff=cell_refresh_schedule[:, 2].copy(),
        cell_refresh_every=cell_refresh_schedule[:, 3].copy(),
        group_of=group_of,
        group_firm=np.asarray([fi for fi, _ in groups], np.int32),
        group_role=np.asarray([ROLE_INDEX[g.role] for _, g in groups], np.int32),
        group_stage=np.asarray([stage_index[g.stage] for _, g in groups], np.int32),
        group_skill=_encode([g.skill for _, g in groups]),
        group_own_knowledge=_encode([g.knowledge.own_stage for _, g in groups]),
        group_other_knowledge=_encode([g.knowledge.other_stages for _, g in groups]),
        group_salary=_encode([g.salary for _, g in groups]),
        group_equity=_encode([g.equity.value for _, g in groups]),
        group_grant_months=np.asarray([g.equity.months for _, g in groups], np.int32),
        group_grant_cliff=np.asarray([g.equity.cliff_months for _, g in groups], np.int32),
        group_grant_every=np.asarray([g.equity.every_months for _, g in groups], np.int32),
        group_tenure=_encode([g.tenure_months for _, g in groups]),
        group_risk_aversion=_encode([g.risk_aversion for _, g in groups]),
        group_wealth_years=_encode([g.wealth_years for _, g in groups]),
        group_wants_ai_role=f32([g.wants_ai_role for _, g in groups]),
        group_archetype_share=share,
        archetype_weights=weights,
        archetype_concentration=concentration,
        departure_month=np.asarray([e.month if e else 0 for e in events + padding], np.int32),
        departure_firm=np.asarray([firm_index[e.firm] if e else 0 for e in events + padding], np.int32),
        departure_count=np.asarray([e.count if e else 0 for e in events + padding], np.int32),
        departure_role=f32([[e is not None and (e.roles is None or role in e.roles) for role in ROLES] for e in events + padding]),
        departure_stage=np.asarray([stage_index[e.stage] if e and e.stage else -1 for e in events + padding], np.int32),
        departure_top=f32([e is not None and e.who == "top" for e in events + padding]),
        departure_to=np.asarray([firm_index[e.to] if e and e.to else outside_index for e in events + padding], np.int32),
    )
    dims = Dims(
        researchers=n_researchers,
        firms=F,
        stages=S,
        groups=len(groups),
        archetypes=len(archetypes),
        move_capacity=default_move_capacity(n_researchers) if move_capacity is None else int(move_capacity),
        burn_in=scenario.simulation.burn_in_months,
    )
    layout = Layout(firms=[f.name for f in firms], stages=stages, archetypes=archetypes, investors=[v.name for v in investors], dims=dims)
    return params, layout
