"""The records the phases of a month share (engine/step.py): what each firm looks like at the start
of the month (FirmView, made by engine/firm_view.py), the offers held (Offers, made by M10's
poaching and M16's outside market, answered by M9, countered by M11), and the knowledge that moved
(Transfer, M12). No mechanism owns them: each phase reads the ones it needs."""

from typing import NamedTuple

import jax

from talentwar.engine import knowledge
from talentwar.engine.params import Params


class FirmView(NamedTuple):
    employed: jax.Array  # bool [N]: at an employer, not in the outside pool
    headcount: jax.Array  # float32 [F]
    research_staff: jax.Array  # float32 [F]: employed in every role but product
    mean_research_skill: jax.Array  # float32 [F]: mean skill of the research staff (1 where there are none; M5 tokens)
    knowledge: jax.Array  # float32 [F, S]: K
    known: knowledge.FirmKnowledge  # K with the ranked levels behind it (for gains, M12)
    verification_speed: jax.Array  # float32 [F] (M4)
    offer_verification_speed: jax.Array  # float32 [F]: with the firm's compute promise; the outside market's own (M4)


class Offers(NamedTuple):
    made: jax.Array  # bool [N]: the researcher holds an offer this month
    poacher: jax.Array  # int32 [N]
    salary: jax.Array  # float32 [N]: annual k$
    sign_on: jax.Array  # float32 [N]: k$, the buyout of unvested equity
    equity_value: jax.Array  # float32 [N]: k$ of new grant at the poacher's current price
    cost: jax.Array  # float32 [N]: sign-on + grant + first-year raise, charged to the budget
    over_budget: jax.Array  # bool [N]: drawn, then withdrawn because the budget ran out


def from_rival(offers: Offers, params: Params) -> jax.Array:
    """bool [rows]: the offer held is a rival's (an employer's), not a job in the outside market (M16)."""
    return params.is_employer[offers.poacher] > 0


class Transfer(NamedTuple):
    arrived: jax.Array  # float32 [N, S]: knowledge that landed at the acquirer (0 for non-movers)
    gained: jax.Array  # float32 [N, S]: the acquirer's knowledge gain from each mover
    replication_months: jax.Array  # float32 [N]: acquirer R&D months the mover's knowledge replaces
