"""Moving researchers between firms: the one place that rewrites who works where.

Joining a firm starts a new tenure and a new grant; whatever was unvested at the old firm is
forfeited (M1). Every researcher is in exactly one firm (the outside pool is one) at all
times, so moves can neither lose nor duplicate anyone.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.mechanisms import vesting
from talentwar.engine.state import Researchers


def join(
    r: Researchers,
    who: jax.Array,
    firm: jax.Array,
    salary: jax.Array,
    grant: tuple,
    knowledge: jax.Array,
    role: jax.Array | None = None,
    stage: jax.Array | None = None,
) -> Researchers:
    """Researchers where `who` is true join `firm` on the given terms; the rest are unchanged.

    `grant` is the new equity grant (shares, months, cliff, every), each a scalar or [N]: it takes
    the first slot and every other grant is forfeited (M1).

    A joiner starts at full morale with the new salary as reference pay (M13), leaves the protected class (M11), starts off
    research work (M6 assigns product work afterwards), is not resting (M14) and has no move pending (M9):
    a start date agreed with another employer lapses when they join any firm.
    """

    def pick(new, old):
        new = jnp.asarray(new).astype(old.dtype)
        mask = who if old.ndim == 1 else who[:, None]
        return jnp.where(mask, new, old)

    return r._replace(
        firm=pick(firm, r.firm),
        salary=pick(salary, r.salary),
        reference_pay=pick(salary, r.reference_pay),
        morale=pick(1.0, r.morale),
        grants=vesting.fresh(r.grants, who, *grant),
        tenure=pick(0, r.tenure),
        knowledge=pick(knowledge, r.knowledge),
        protected=pick(False, r.protected),
        on_product=pick(False, r.on_product),
        resting=pick(False, r.resting),
        unrest=pick(0.0, r.unrest),
        pending=r.pending._replace(starts_in=pick(0, r.pending.starts_in)),
        role=r.role if role is None else pick(role, r.role),
        stage=r.stage if stage is None else pick(stage, r.stage),
    )
