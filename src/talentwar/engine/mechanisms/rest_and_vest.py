"""M14 Rest-and-vest stagnation (000: "Engineers who stay only for the payout become risk-averse").

A researcher who declines an offer they would have accepted without their unvested equity
(the same draw of taste, with the equity kept on the staying side removed) stays only for the
equity: they rest, working at (1 - productivity_loss) research productivity, until their grant
has fully vested or they move. Switched off, nobody rests.
"""

from __future__ import annotations

import jax

from talentwar.engine.params import Params
from talentwar.engine.state import Researchers
from talentwar.engine.switches import switch


def update(r: Researchers, held_by_equity: jax.Array, unvested: jax.Array, params: Params) -> Researchers:
    resting = (r.resting | (held_by_equity & (switch(params, "M14") > 0))) & (unvested > 0)
    return r._replace(resting=resting)


def productivity(r: Researchers, params: Params) -> jax.Array:
    return 1.0 - switch(params, "M14") * params.resting_productivity_loss * r.resting
