"""What is observed each month: firm metrics [F, M] and the log of moves.

Firm metrics are computed by a few segment sums over researchers, grouped by the firm that
each quantity belongs to (current employer, origin of a move, or poacher).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from talentwar.engine import compact, segments
from talentwar.engine.costs import COSTS, lever_costs
from talentwar.engine.knowledge import BUS_FACTOR_CAP, Ranked, combine, without_top
from talentwar.engine.mechanisms import liquidity
from talentwar.engine.mechanisms.capability import money_saved
from talentwar.engine.mechanisms.no_poach import portfolio_value
from talentwar.engine.mechanisms.vesting import unvested_value
from talentwar.engine.params import CORE, N_ROLES, PRODUCT, Params
from talentwar.engine.records import FirmView, Offers, Transfer, from_rival
from talentwar.engine.state import Researchers, State
from talentwar.scenario.schema import ROLES

FIRM_METRICS = (
    "headcount",  # researchers at the end of the month (for the outside pool: its size)
    "headcount_core",
    "core_retention",  # share of the month-0 core team still at the firm
    "hires",  # from the outside pool (M16)
    "departures_poached",  # accepted a rival's offer (M10, M9)
    "departures_quit",  # took a job in the outside market (M16, M9): a decision
    "departures_separated",  # life events, and scheduled departures to the outside pool (M16)
    "departures_burnout",  # quits and separations of researchers on product work (M6)
    "offers_received",  # rivals' offers its staff held this month
    "outside_offers",  # outside-market job offers its staff held this month (M16)
    "offers_made",  # as poacher
    "offers_accepted",  # as poacher
    "offers_over_budget",  # as poacher: drawn, withdrawn for lack of budget
    "poaching_spend",  # as poacher, k$: sign-on + grant + first-year raise of accepted offers
    "payroll",  # k$ per month
    "mean_salary",  # k$ per year: the pay index
    "mean_reference_pay",  # k$ per year they believe they are worth (M13)
    "top_salary",
    "mean_unvested_value",  # k$ per employed researcher (M1)
    "share_price",  # index, 1.0 at month 0 (M1)
    "verification_speed",  # M4
    "knowledge_gained",  # as acquirer: sum over stages of the rise in K movers bring (M12)
    "knowledge_leaked",  # as origin: what its leavers delivered to rivals (M12)
    "replication_months_gained",  # as acquirer: own R&D months the gains replace (M12)
    "capability",  # M8: weakest link across stages x compute x research headcount^beta
    "money_saved",  # M8: k$ a month saved by inference-efficiency knowledge
    "retention_spend",  # k$: special grants at their value when granted, plus annual counter-offer and pay-review raises (M11)
    "counters_won",  # researchers who stayed for a counter-offer (M11)
    "share_protected",  # share of employed in the protected class (M11)
    "productivity",  # mean research productivity of research staff (M6, M14)
    "share_on_product",  # share of research staff on product work (M6)
    "share_resting",  # share of employed staying only for unvested equity (M14)
    "morale",  # mean morale of employed
    "resting_at_start",  # employed staying only for unvested equity at the start of the month (M14): they look (M16)
    "departures_resting",  # of those, took a rival's offer or an outside job this month (M9)
    "internal_moves",  # infra, data and product staff granted an AI role (M16)
    "share_wanting_ai_role",  # share of employed who want an AI role and do not have one (M16)
    *COSTS,  # k$: what the firm's levers cost this month (engine/costs.py)
)

# Flows are summed over the horizon in summaries; every other metric is read at the horizon.
FLOW_METRICS = frozenset(
    {
        "hires",
        "departures_poached",
        "departures_quit",
        "departures_separated",
        "departures_burnout",
        "offers_received",
        "outside_offers",
        "offers_made",
        "offers_accepted",
        "offers_over_budget",
        "poaching_spend",
        "payroll",
        "knowledge_gained",
        "knowledge_leaked",
        "replication_months_gained",
        "money_saved",
        "retention_spend",
        "counters_won",
        "internal_moves",
        "resting_at_start",
        "departures_resting",
        *COSTS,
        "departures_to",
        "knowledge_leaked_to",
        "replication_months_to",
    }
)

MOVE_KINDS = ("poached", "separated", "hired", "quit")  # quit: took a job in the outside market
QUIT = MOVE_KINDS.index("quit")


# Per rival q, from the origin firm's side: its staff poached by q, the knowledge they gave q,
# and the months of q's own R&D that knowledge replaces (M10, M12).
PER_RIVAL = ("departures_to", "knowledge_leaked_to", "replication_months_to")


def metric_names(stages: list[str], firms: list[str]) -> list[str]:
    """Names of the metric columns, in order: firm metrics, then per role, stage and rival."""
    return (
        list(FIRM_METRICS)
        + [f"headcount:{role}" for role in ROLES]
        + [f"knowledge:{s}" for s in stages]
        + [f"bus_factor:{s}" for s in stages]
        + [f"{name}:{q}" for name in PER_RIVAL for q in firms]
    )


def is_flow(name: str) -> bool:
    """Whether a metric counts what happened in a month (summed over a run) rather than a level."""
    return name.split(":", 1)[0] in FLOW_METRICS


class MoveLog(NamedTuple):
    researcher: jax.Array  # int32 [K], -1 for an empty slot
    kind: jax.Array  # int8 [K]: index into MOVE_KINDS
    from_firm: jax.Array  # int32 [K]
    to_firm: jax.Array  # int32 [K]
    role: jax.Array  # int8 [K]
    stage: jax.Array  # int8 [K]
    salary_before: jax.Array  # float32 [K]
    salary_after: jax.Array  # float32 [K]
    sign_on: jax.Array  # float32 [K]
    knowledge_carried: jax.Array  # float32 [K]: sum over stages
    events: jax.Array  # int32 scalar: moves this month, logged or not


class Observation(NamedTuple):
    firm_metrics: jax.Array  # float32 [F, M]
    moves: MoveLog
    portfolio_value: jax.Array  # float32 [V]: each investor's stake-weighted portfolio, k$ (M15)


class MonthTrace(NamedTuple):
    """Researchers at each point of the month, and what happened in between."""

    start: Researchers
    after_poaching: Researchers
    after_separation: Researchers
    end: State
    view: FirmView
    offers: Offers
    accepted: jax.Array
    transfer: Transfer
    separated: jax.Array
    hired: jax.Array
    productivity: jax.Array  # float32 [N]: this month's research productivity (M6, M14)
    granted: jax.Array  # float32 [N]: k$ of special retention grants made this month (M11)
    countered: jax.Array  # bool [N]: stayed for a counter-offer (M11)
    started: jax.Array  # bool [N]: holds again an offer taken earlier, whose start date is this month (M9)
    counter_raise: jax.Array  # float32 [N]: annual raise paid to those who stayed with a counter-offer
    reviewed: jax.Array  # float32 [N]: annual raise from this month's pay review (M11)
    promoted: jax.Array  # bool [N]: granted an AI role (M16)
    refreshed: jax.Array  # float32 [N]: k$ of refresh grants made this month (M1)
    month: jax.Array  # int32 scalar: the month (0 for the first)


def observe(trace: MonthTrace, params: Params, move_capacity: int) -> Observation:
    return Observation(
        firm_metrics=_firm_metrics(trace, params),
        moves=_move_log(trace, params, move_capacity),
        portfolio_value=portfolio_value(trace.end, params),
    )


def _by(firm: jax.Array, columns: list[jax.Array], n_firms: int) -> list[jax.Array]:
    stacked = jnp.stack([c.astype(jnp.float32) for c in columns], axis=-1)
    summed = segments.segment_sum(stacked, firm, n_firms)
    return [summed[:, i] for i in range(len(columns))]


def _firm_metrics(t: MonthTrace, params: Params) -> jax.Array:
    F = params.is_employer.shape[0]
    end = t.end.researchers
    employer = params.is_employer > 0  # [F]: "employed" is a property of the firm, applied to its sums
    unvested = unvested_value(t.end, params)
    research_role = end.role != PRODUCT
    # Head counts per firm and role from one count; the other columns in one segment sum per
    # firm index (at the end, at the start, of the poacher, after poaching): each is a serial pass
    # over N, and the columns' sums do not depend on what they are stacked with.
    by_role = segments.segment_sum(jnp.ones(end.firm.shape, jnp.float32), end.firm * N_ROLES + end.role, F * N_ROLES).reshape(F, N_ROLES)
    headcount = by_role.sum(1)  # everyone at the firm: for the outside pool, its size
    by_role = jnp.where(employer[:, None], by_role, 0.0)
    headcount_core, research_staff = by_role[:, CORE], by_role.sum(1) - by_role[:, PRODUCT]
    (
        salary_sum, reference_sum, unvested_sum, core_kept, hires,
        productivity_sum, on_product, resting, morale, protected, internal_moves, wanting, research_pay, vested,
    ) = _by(
        end.firm,
        [
            end.salary,
            end.reference_pay,
            unvested,
            end.initial_core_firm == end.firm,
            t.hired,
            t.productivity * research_role,
            end.on_product & research_role,
            end.resting,
            end.morale,
            end.protected,
            t.promoted,
            end.wants_ai_role,
            end.salary * research_role,
            end.grants.shares.sum(-1) * liquidity.equity_price(t.end.firms, params)[end.firm] - unvested,
        ],
        F,
    )
    salary_sum, reference_sum, unvested_sum, productivity_sum, on_product, resting, morale, protected, wanting, research_pay, vested = (
        jnp.where(employer, x, 0.0)
        for x in (salary_sum, reference_sum, unvested_sum, productivity_sum, on_product, resting, morale, protected, wanting, research_pay, vested)
    )
    rival = from_rival(t.offers, params)  # [N]: not the outside market's
    quit = t.accepted & ~rival
    made = t.offers.made & ~t.started  # an offer taken for a later start was counted in the month it was made
    burnt_out = (quit | t.separated) & t.start.on_product
    (
        offers_received, outside_offers, departures_poached, departures_quit, burnout, leaked, retention_spend, counters_won, grants, raises,
        resting_at_start, departures_resting,
    ) = _by(
        t.start.firm,
        [
            made & rival,
            made & ~rival,
            t.accepted & rival,
            quit,
            burnt_out,
            t.transfer.gained.sum(-1),
            t.granted + t.counter_raise + t.reviewed,
            t.countered,
            t.granted + t.refreshed,
            t.counter_raise + t.reviewed,
            t.start.resting,
            t.accepted & t.start.resting,
        ],
        F,
    )
    offers_made, offers_accepted, over_budget, spend, gained, months = _by(
        t.offers.poacher,
        [
            made,
            t.accepted,
            t.offers.over_budget,
            t.offers.cost * t.accepted,
            t.transfer.gained.sum(-1),
            t.transfer.replication_months,
        ],
        F,
    )
    (separated,) = _by(t.after_poaching.firm, [t.separated], F)
    pair = t.start.firm * F + t.offers.poacher  # origin x acquirer
    per_rival = segments.segment_sum(
        jnp.stack([t.accepted.astype(jnp.float32), t.transfer.gained.sum(-1), t.transfer.replication_months], axis=-1),
        jnp.where(t.accepted, pair, -1),  # -1: not a move, dropped
        F * F,
    ).reshape(F, F, 3)
    top_salary = jnp.where(employer, segments.segment_max(end.salary, end.firm, F), 0.0)
    per_head = 1.0 / jnp.maximum(headcount, 1.0)
    columns = [
        headcount,
        headcount_core,
        core_kept / jnp.maximum(t.end.firms.core_start, 1.0),
        hires,
        departures_poached,
        departures_quit,
        separated,
        burnout,
        offers_received,
        outside_offers,
        offers_made,
        offers_accepted,
        over_budget,
        spend,
        salary_sum / 12.0,
        salary_sum * per_head,
        reference_sum * per_head,
        jnp.maximum(top_salary, 0.0),
        unvested_sum * per_head,
        t.end.firms.share_price,
        t.view.verification_speed,
        gained,
        leaked,
        months,
    ]
    knowledge = combine(t.end.firms.ranked, t.end.firms.codified, params.knowledge_overlap[:, None])
    per_researcher = 1.0 / jnp.maximum(research_staff, 1.0)
    columns_after = [internal_moves, wanting * per_head, *lever_costs(grants, raises, research_pay / 12.0, vested, spend, t.month, params)]
    columns += [
        t.end.firms.capability,
        money_saved(knowledge, params),
        retention_spend,
        counters_won,
        protected * per_head,
        jnp.where(research_staff > 0, productivity_sum * per_researcher, 0.0),
        on_product * per_researcher,
        resting * per_head,
        morale * per_head,
        resting_at_start,
        departures_resting,
    ]
    per_stage = [knowledge, bus_factor(t.end.firms.ranked, t.end.firms.codified, knowledge, params.knowledge_overlap)]
    rivals = [per_rival[:, :, i] for i in range(len(PER_RIVAL))]
    firm_columns = jnp.stack(columns + columns_after, axis=-1)
    return jnp.concatenate([firm_columns, by_role, *per_stage, *rivals], axis=-1).astype(jnp.float32)


def bus_factor(ranked: Ranked, codified: jax.Array, knowledge: jax.Array, overlap: jax.Array) -> jax.Array:
    """Per firm and stage [F, S]: the fewest people whose departure drops the stage below half its knowledge.

    The most knowledgeable leave first (people tied at the top leave together and all count).
    0 where the firm has no knowledge of the stage; BUS_FACTOR_CAP + 1 where more than
    BUS_FACTOR_CAP would have to leave, or where the codified stock alone keeps half (000: redundancy).
    """
    levels, gone = without_top(ranked, codified, overlap, BUS_FACTOR_CAP)
    halved = (levels < 0.5 * knowledge[None]) & (gone <= BUS_FACTOR_CAP)
    first = jnp.min(jnp.where(halved, gone, BUS_FACTOR_CAP + 1.0), axis=0)
    return jnp.where(knowledge > 0, first, 0.0)


def _move_log(t: MonthTrace, params: Params, capacity: int) -> MoveLog:
    r0, r1, r2, r3 = t.start, t.after_poaching, t.after_separation, t.end.researchers
    N = r0.firm.shape[0]
    valid = jnp.concatenate([t.accepted, t.separated, t.hired])  # event e = kind * N + researcher
    position = compact.running_count(valid) - 1
    slot = jnp.where(valid & (position < capacity), position, capacity)
    # One scatter of event numbers into the log's slots, then per column a gather from each kind's
    # array: scattering every column's 3N values cost ten serial passes over 3N elements (4 ms a
    # month at N = 1e5), and stacking the three kinds' arrays first still copied 3N per column.
    event = jnp.full((capacity,), 3 * N, jnp.int32).at[slot].set(jnp.arange(3 * N, dtype=jnp.int32), mode="drop")
    logged = event < 3 * N
    kind, who = jnp.minimum(event // N, 2), event % N
    kind = jnp.where((kind == 0) & ~from_rival(t.offers, params)[who], QUIT, kind)  # an outside-market job

    def column(by_kind: tuple[jax.Array, jax.Array, jax.Array], fill) -> jax.Array:
        """Each kind of move's values [N, ...] (poached, separated, hired) at each logged event; `fill` in empty slots."""
        poached, separated, hired = (values[who] for values in by_kind)
        rows = lambda x: x.reshape(x.shape + (1,) * (poached.ndim - 1))  # noqa: E731  [K] against [K, ...]
        value = jnp.where(rows((kind == 0) | (kind == QUIT)), poached, jnp.where(rows(kind == 1), separated, hired))
        return jnp.where(rows(logged), value, jnp.asarray(fill, value.dtype))

    def across(field: str, start: Researchers, middle: Researchers, end: Researchers) -> tuple[jax.Array, jax.Array, jax.Array]:
        return getattr(start, field), getattr(middle, field), getattr(end, field)

    zeros = jnp.zeros(N, jnp.float32)
    carried = (t.transfer.arrived, r1.knowledge, r3.knowledge)  # [N, S]: summed over stages once gathered
    return MoveLog(
        researcher=jnp.where(logged, who, -1),
        kind=jnp.where(logged, kind, 0).astype(jnp.int8),
        from_firm=column(across("firm", r0, r1, r2), -1),
        to_firm=column(across("firm", r1, r2, r3), -1),
        role=column(across("role", r0, r1, r3), 0),
        stage=column(across("stage", r0, r1, r3), 0),
        salary_before=column(across("salary", r0, r1, r2), 0.0),
        salary_after=column(across("salary", r1, r2, r3), 0.0),
        sign_on=column((t.offers.sign_on, zeros, zeros), 0.0),  # poached events are accepted offers
        knowledge_carried=column(carried, 0.0).sum(-1),
        events=position[-1] + 1,  # moves this month, logged or not
    )
