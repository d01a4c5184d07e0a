"""M14 Rest-and-vest stagnation (000: "Engineers who stay only for the payout become risk-averse").

A researcher who declines an offer they would have accepted without their unvested equity
(the same draw of taste, with the equity kept on the staying side removed) stays only for the
equity: they rest, working at (1 - productivity_loss) research productivity, until their grant
has fully vested or they move.

A resting researcher still wants to leave: they keep the draw of taste that made them want to
move (`unrest`) and weigh every later offer with the stronger of it and the month's own draw (M9),
so as their grants vest and the forfeit shrinks, the next offer that would have tempted them
then takes them. And they look for work: outside job offers reach them at `search_rate` a month
more (M16's outside market; fitted to validation fact (h), Carrillo-Tudela et al. 2015: about a
tenth of employed job seekers switch employers each month).
Grants delay such departures rather than prevent them (Aldatmaz, Ouimet and Van Wesep 2018: "long-
vesting BBSO plans delay, instead of prevent, turnover"; Gong, Zhang and Zhou 2026: quits bunch
after vesting dates, 3-5 months of delayed turnover). Switched off, nobody rests or looks.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.state import Researchers
from talentwar.engine.switches import switch


def update(r: Researchers, held_by_equity: jax.Array, unvested: jax.Array, params: Params, taste: jax.Array) -> Researchers:
    """Who rests after this month's choices; `taste` [N] is each researcher's draw of taste in them (M9)."""
    starts = held_by_equity & ~r.resting & (switch(params, "M14") > 0)
    resting = (r.resting | starts) & (unvested > 0)
    return r._replace(resting=resting, unrest=jnp.where(starts, taste, r.unrest))


def search_rate(r: Researchers, params: Params) -> jax.Array:
    """Extra monthly probability of an outside job offer [N] for those resting: they want to leave, so they look (M16)."""
    return switch(params, "M14") * params.resting_search_rate * r.resting


def productivity(r: Researchers, params: Params) -> jax.Array:
    return 1.0 - switch(params, "M14") * params.resting_productivity_loss * r.resting
