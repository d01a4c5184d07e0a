"""What each firm looks like this month, aggregated from its researchers.

Firm knowledge per stage combines people and codified stock by noisy-OR (MODEL.md M8; the
union of independently held pieces: overlap between people is redundancy):
    K[f, s] = 1 - (1 - codified[f]) * prod_{i at f} (1 - k[i, s]).
"""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import compute
from talentwar.engine.params import Params
from talentwar.engine.state import Researchers

PRODUCT_ROLE = 4


class FirmView(NamedTuple):
    employed: jax.Array  # bool [N]: at an employer, not in the outside pool
    headcount: jax.Array  # float32 [F]
    knowledge: jax.Array  # float32 [F, S]
    verification_speed: jax.Array  # float32 [F] (M4)
    offer_verification_speed: jax.Array  # float32 [F]: with the firm's compute promise (M4)


def firm_knowledge(r: Researchers, params: Params, n_firms: int) -> jax.Array:
    log_missing = jnp.log1p(-jnp.minimum(r.knowledge, 1.0 - 1e-6))
    log_missing_by_firm = jax.ops.segment_sum(log_missing, r.firm, n_firms)
    return 1.0 - (1.0 - params.codified_knowledge[:, None]) * jnp.exp(log_missing_by_firm)


def observe(r: Researchers, params: Params) -> FirmView:
    n_firms = params.is_employer.shape[0]
    employed = params.is_employer[r.firm] > 0
    headcount = jax.ops.segment_sum(employed.astype(jnp.float32), r.firm, n_firms)
    research = employed & (r.role != PRODUCT_ROLE)
    research_staff = jax.ops.segment_sum(research.astype(jnp.float32), r.firm, n_firms)
    return FirmView(
        employed=employed,
        headcount=headcount,
        knowledge=firm_knowledge(r, params, n_firms),
        verification_speed=compute.verification_speed(params, research_staff),
        offer_verification_speed=compute.verification_speed(params, research_staff, params.compute_promise),
    )
