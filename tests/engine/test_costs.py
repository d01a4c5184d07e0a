"""Costs of levers (engine/costs.py, docs/ODD.md 7.21): each lever costs what its price says, in
the months it acts, nothing when its mechanism is off, and `lever_cost` adds them up."""

from __future__ import annotations

import numpy as np

import talentwar
from talentwar.engine.costs import COSTS
from tests.conftest import metric, with_mechanisms


def levers(mini):
    """The mini scenario with every priced lever of the lab in use."""
    data = mini.model_dump()
    lab = next(f for f in data["firms"] if f["name"] == "lab")
    lab["compute"]["blue_sky_share"] = 0.2
    lab["capital"].update(window_interval_months=3, window_fraction=0.25)
    lab["organisation"]["documentation_rate"] = 0.05  # compartmentalisation 0.5 is the scenario's
    return type(mini).model_validate(data)


def test_each_lever_costs_what_its_price_says(mini):
    scenario = levers(mini)
    result = talentwar.simulate(scenario)
    gpu_month = scenario.market.costs.gpu_month
    payroll = metric(result, "payroll", "lab")  # the lab has no product staff: all of it is research pay
    np.testing.assert_allclose(metric(result, "cost_compute", "lab"), 1000 * gpu_month)
    np.testing.assert_allclose(metric(result, "cost_blue_sky", "lab"), 0.2 * 1000 * gpu_month)
    np.testing.assert_allclose(metric(result, "cost_documentation", "lab"), 0.05 * scenario.market.costs.documentation_effort * payroll, rtol=1e-5)
    np.testing.assert_allclose(metric(result, "cost_compartmentalisation", "lab"), 0.5 * scenario.market.costs.compartmentalisation_loss * payroll, rtol=1e-5)
    windows = metric(result, "cost_windows", "lab")  # [replications, months]: months 3 and 6 only
    assert (windows[:, [2, 5]] > 0).all() and (windows[:, [0, 1, 3, 4]] == 0).all()
    assert (metric(result, "cost_grants", "poacher") == 0).all() and (metric(result, "poaching_spend", "poacher") > 0).any()
    for firm in ("lab", "poacher"):
        parts = sum(metric(result, name, firm) for name in COSTS[:-1]) + metric(result, "poaching_spend", firm)
        np.testing.assert_allclose(metric(result, "lever_cost", firm), parts, rtol=1e-5)

    off = talentwar.simulate(with_mechanisms(scenario, M3=False, M5=False, M7=False, M8=False))
    for name in ("cost_blue_sky", "cost_windows", "cost_documentation", "cost_compartmentalisation"):
        assert (metric(off, name, "lab") == 0).all(), name
    np.testing.assert_allclose(metric(off, "cost_compute", "lab"), 1000 * gpu_month)

