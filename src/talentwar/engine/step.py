"""One month: the ordered list of phases.

The order matters and is part of the model (docs/ODD.md, "Process overview and scheduling"):
prices and vesting move first; firms then make offers on what they see; researchers choose;
movers carry knowledge; life events send some to the outside pool; vacancies refill from it;
the month's learning and documentation accrue; knowledge in the pool goes stale.
This order (offers, choice, separations, hiring) gives the job ladder's kappa = lambda1 (1 - delta) / delta.
"""

from __future__ import annotations

import jax

from talentwar.engine import firm_view, metrics
from talentwar.engine.mechanisms import capability, choice, hiring, knowledge_transfer, learning, poaching, vesting
from talentwar.engine.params import Params
from talentwar.engine.state import State

PHASES = ("vesting", "poaching", "choice", "separation", "hiring")


def step(state: State, key: jax.Array, params: Params, move_capacity: int) -> tuple[State, metrics.Observation]:
    keys = {phase: jax.random.fold_in(key, i) for i, phase in enumerate(PHASES)}
    state = vesting.advance(state, params, keys["vesting"])  # M1
    start = state.researchers
    view = firm_view.observe(state, params)  # M4 and firm knowledge
    unvested = vesting.unvested_value(state, params)
    offers = poaching.make_offers(state, params, view, unvested, keys["poaching"])  # M10
    accepted = choice.decide(state, params, view, offers, unvested, keys["choice"])  # M9, M2
    state, transfer = knowledge_transfer.move(state, params, view, offers, accepted)  # M12
    after_poaching = state.researchers
    state, separated = hiring.separate(state, params, keys["separation"])  # M16
    after_separation = state.researchers
    state, hired = hiring.hire(state, params, keys["hiring"], separated)  # M16
    state = learning.learn(state, params, view)  # M7
    state = capability.document(state, params)  # M8
    state = hiring.age_pool(state, params)
    trace = metrics.MonthTrace(
        start=start,
        after_poaching=after_poaching,
        after_separation=after_separation,
        end=state,
        view=view,
        offers=offers,
        accepted=accepted,
        transfer=transfer,
        separated=separated,
        hired=hired,
    )
    return state, metrics.observe(trace, params, move_capacity)
