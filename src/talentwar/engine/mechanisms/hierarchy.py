"""M13 Toxic hierarchy and compensation-floor escalation (000).

Reference pay: what a researcher believes they are worth drifts toward the best pay they see,
the mean salary of their role at their firm or an offer they hold,
    reference += reference_drift * (max(peer mean, offer salary) - reference).
Morale, each month:
    morale += recovery * (1 - morale)
              - pay_gap_sensitivity * max(0, reference - salary) / reference
              - toxicity  [infra, data or product staff outside the protected class, at a firm with one]
(000: "you alienate the infrastructure teams, the product managers, and the data pipelines").
Low morale makes people look and leave: it adds outside job offers, search_rate * (1 - morale)
a month (M16's outside market), and makes every offer more attractive: leaving gains
weight * (1 - morale) in choice (M9), which decides.
The spiral: a firm that matches raises (retention.match_raises) lifts everyone paid below their
reference pay up to it each month; with references chasing peers' pay and counter-offers (M11),
the floor escalates ("your entire engineering workforce expects another specialized grant").
Switched off: morale and reference pay stay where they are, nothing of this applies.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import segments
from talentwar.engine.params import N_ROLES, RESEARCH_ENGINEER, Params
from talentwar.engine.records import Offers
from talentwar.engine.state import Researchers
from talentwar.engine.switches import switch


def choice_term(r: Researchers, params: Params) -> jax.Array:
    """Utility of leaving that low morale adds [N] (M9)."""
    return switch(params, "M13") * params.morale_weight * (1.0 - r.morale)


def search_rate(r: Researchers, params: Params) -> jax.Array:
    """Extra monthly probability of an outside job offer [N] that low morale brings (M16's outside market)."""
    return switch(params, "M13") * params.morale_search_rate * (1.0 - r.morale)


def update(r: Researchers, offers: Offers, params: Params) -> Researchers:
    """The month's drift of reference pay, the matching spiral and morale."""
    # params are shared by every replication: a real branch, so a market without M13 skips the work
    return jax.lax.cond(switch(params, "M13") > 0, lambda: _update(r, offers, params), lambda: r)


def _update(r: Researchers, offers: Offers, params: Params) -> Researchers:
    n_firms = params.is_employer.shape[0]
    employed = params.is_employer[r.firm] > 0
    cell = r.firm * N_ROLES + r.role.astype(jnp.int32)
    pay_sum = segments.ordered_sum(jnp.where(employed, r.salary, 0.0), cell, n_firms * N_ROLES)
    peers = segments.segment_sum(employed.astype(jnp.float32), cell, n_firms * N_ROLES)
    peer_pay = pay_sum[cell] / jnp.maximum(peers[cell], 1.0)
    best_seen = jnp.maximum(peer_pay, jnp.where(offers.made, offers.salary, 0.0))
    reference = r.reference_pay + employed * params.reference_drift * (best_seen - r.reference_pay)

    matched = employed & (params.match_raises[r.firm] > 0) & (r.salary < reference)
    salary = jnp.where(matched, reference, r.salary)

    shortfall = jnp.maximum(reference - salary, 0.0) / jnp.maximum(reference, 1e-6)
    has_class = segments.segment_sum((r.protected & employed).astype(jnp.float32), r.firm, n_firms) > 0
    alienated = employed & ~r.protected & (r.role > RESEARCH_ENGINEER) & has_class[r.firm]  # infra, data, product
    morale = r.morale + params.morale_recovery * (1.0 - r.morale) - params.pay_gap_sensitivity * shortfall
    morale = morale - params.toxicity * alienated
    morale = jnp.where(employed, jnp.clip(morale, 0.0, 1.0), r.morale)
    return r._replace(reference_pay=reference, salary=salary, morale=morale)
