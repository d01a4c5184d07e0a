"""M16 Internal mobility (000: "The Blinding of Internal Mobility").

Infra, data and product staff who want an AI research role ask for one every month. Their firm
grants it with probability internal_mobility, times (1 - blinding) once it has a protected class
(M11), since "management is obsessed with protecting the designated chosen ones". Granted: they
become research engineers in their stage and stop asking. Denied: they lose denial_morale_loss
of morale that month. Part of M16: switched off with it.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine import rng, segments
from talentwar.engine.params import RESEARCH_ENGINEER, Params
from talentwar.engine.state import Researchers
from talentwar.engine.switches import switch


def move_internally(r: Researchers, params: Params, key: jax.Array) -> tuple[Researchers, jax.Array]:
    """Returns the researchers and who was granted an AI role this month.

    Only the initial population can want an AI role (nobody starts wanting one later), so where
    no population group does, as in the job ladder, nobody ever asks and the month's work is
    skipped (params are shared by every replication: a real branch)."""
    return jax.lax.cond(
        jnp.any(params.group_wants_ai_role > 0),
        lambda: _move_internally(r, params, key),
        lambda: (r, jnp.zeros(r.firm.shape, bool)),
    )


def _move_internally(r: Researchers, params: Params, key: jax.Array) -> tuple[Researchers, jax.Array]:
    on = switch(params, "M16") > 0
    n_firms = params.is_employer.shape[0]
    employed = params.is_employer[r.firm] > 0
    has_class = segments.segment_sum((r.protected & employed).astype(jnp.float32), r.firm, n_firms) > 0
    grant_rate = params.internal_mobility[r.firm] * (1.0 - params.mobility_blinding * has_class[r.firm])
    asking = on & employed & r.wants_ai_role & ~r.protected
    granted = asking & (rng.uniform(key, r.firm.shape) < grant_rate)
    denied = asking & ~granted
    researchers = r._replace(
        role=jnp.where(granted, RESEARCH_ENGINEER, r.role).astype(r.role.dtype),
        wants_ai_role=r.wants_ai_role & ~granted,
        morale=jnp.clip(r.morale - params.denial_morale_loss * denied, 0.0, 1.0),
    )
    return researchers, granted
