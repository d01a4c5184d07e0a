"""Shared fixtures. Tests share a few shapes so the suite compiles the engine a handful of times."""

from __future__ import annotations

from pathlib import Path

import pytest

import talentwar

SCENARIOS = Path(__file__).parent / "scenarios"
MINI = SCENARIOS / "mini.yaml"


@pytest.fixture(autouse=True)
def _run_store(tmp_path, monkeypatch):
    """Every test that records runs writes into its own store, never into the working directory."""
    monkeypatch.setenv("TALENTWAR_STORE", str(tmp_path / "runs.duckdb"))


@pytest.fixture(autouse=True, scope="module")
def _release_compiled_programs():
    """Each test module starts without the compiled programs of the ones before.

    Every XLA CPU executable holds many memory maps; the whole suite's programs and eager operations
    in one process pass the kernel's limit (vm.max_map_count, 65,530 by default), and XLA then
    crashes in the middle of a compile (measured: 60,000 maps after two thirds of tests/engine).
    Programs come back from the on-disk cache when a later module needs them again.
    """
    yield
    import gc

    import jax

    from talentwar.engine import program

    program._PROGRAMS.clear()
    jax.clear_caches()
    gc.collect()


@pytest.fixture(scope="session")
def mini():
    return talentwar.load_scenario(MINI)


def with_mechanisms(scenario, **switches: bool):
    """A copy of `scenario` with mechanisms switched, e.g. with_mechanisms(s, M10=False)."""
    return scenario.model_copy(update={"mechanisms": {**scenario.mechanisms, **switches}})


def metric(result, name: str, firm: str, month: int | None = None):
    """The values of one firm metric, per replication (and month when `month` is None)."""
    frame = result.metrics
    frame = frame[(frame["metric"] == name) & (frame["firm"] == firm)]
    if month is not None:
        return frame[frame["month"] == month]["value"].to_numpy()
    return frame.pivot(index="replication", columns="month", values="value").to_numpy()


def with_firm(scenario, index: int, **sections):
    """A validated copy with firm `index` changed section by section, e.g. with_firm(s, 0, capital={"window_interval_months": 6})."""
    data = scenario.model_dump()
    for name, fields in sections.items():
        data["firms"][index][name].update(fields)
    return type(scenario).model_validate(data)


def first_offers(scenario):
    """The first month's offers of `scenario`, from the initial state: (params, state, view, unvested, offers)."""
    import jax
    import jax.numpy as jnp

    from talentwar.engine import firm_view
    from talentwar.engine.mechanisms import poaching, vesting
    from talentwar.engine.params import build
    from talentwar.engine.population import initial_state

    params, layout = build(scenario)
    params = jax.tree_util.tree_map(jnp.asarray, params)
    state = initial_state(jax.random.key(0), params, layout.dims)
    view = firm_view.observe(state, params)
    unvested = vesting.unvested_value(state, params)
    return params, state, view, unvested, poaching.make_offers(state, params, view, unvested, jax.random.key(1))
