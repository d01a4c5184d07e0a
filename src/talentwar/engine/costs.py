"""What each firm's levers cost, k$ a month (docs/ODD.md, "Costs of levers").

Every lever a firm holds is put in money so that "retention per dollar" can be read off a run:

    cost_grants              special retention grants (M11) and refresh grants (M1), at their value
                             when granted (what the firm gives up, at the day's share price)
    cost_raises              counter-offer and pay-review raises (M11), a year of the raise booked
                             in the month it is granted (the later payroll is the same money)
    cost_compute             GPUs x the price of a GPU-month (market.costs.gpu_month), owned or rented
    cost_blue_sky            the assigned work the blue-sky share displaces (M5), priced at the
                             compute it takes: blue_sky_share x cost_compute
    cost_windows             the cash put up in a secondary window (M3): in a window month, the
                             window's fraction of the vested equity its researchers hold, at the day's price
    cost_documentation       research staff's time spent writing (M8): documentation_rate x
                             documentation_effort of their monthly pay
    cost_compartmentalisation  the learning walls slow (M7), priced at research staff's pay:
                             compartmentalisation x compartmentalisation_loss of their monthly pay
    lever_cost               all of the above and the poaching spend (M10, `poaching_spend`)

A lever whose mechanism is switched off costs nothing: it does nothing. The prices are in the
scenario (`market.costs`), each with its source or the word assumption.
"""

from __future__ import annotations

import jax
import jax.numpy as jnp

from talentwar.engine.params import Params
from talentwar.engine.switches import switch

COSTS = (
    "cost_grants",
    "cost_raises",
    "cost_compute",
    "cost_blue_sky",
    "cost_windows",
    "cost_documentation",
    "cost_compartmentalisation",
    "lever_cost",
)


def lever_costs(
    grants: jax.Array, raises: jax.Array, research_payroll: jax.Array, vested: jax.Array, poaching_spend: jax.Array, month: jax.Array, params: Params
) -> list[jax.Array]:
    """The COSTS columns [F] each, in order, from per-firm sums: k$ of grants and of annual raises
    made this month, research staff's monthly pay, the k$ of vested equity its researchers hold,
    and the month's poaching spend."""
    employer = params.is_employer
    compute = params.gpus * params.gpu_month * employer
    blue_sky = params.blue_sky_share * compute * switch(params, "M5")
    interval = params.window_interval.astype(jnp.int32)
    window_month = (interval > 0) & (month >= 0) & ((month + 1) % jnp.maximum(interval, 1) == 0)
    windows = jnp.where(window_month, params.window_fraction * vested, 0.0) * switch(params, "M3")
    documentation = params.documentation_rate * params.documentation_effort * research_payroll * switch(params, "M8")
    walls = params.compartmentalisation * params.compartmentalisation_loss * research_payroll * switch(params, "M7")
    columns = [grants, raises, compute, blue_sky, windows, documentation, walls]
    return columns + [sum(columns) + poaching_spend]
