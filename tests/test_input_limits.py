"""Input a user can type is bounded (issue 20): command-line options obey the scenario schema's
limits, NaN and infinity are refused in every field, and a run whose outputs are not finite is
refused with one line naming where that first happened."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from talentwar.cli import app


@pytest.mark.parametrize(
    ("command", "option"),
    [
        pytest.param(["run"], ["--months", "1201"], id="run-months"),
        pytest.param(["run"], ["--seed", "2147483648"], id="run-seed-2^31"),
        pytest.param(["run"], ["--seed", "4294967296"], id="run-seed-2^32"),
        pytest.param(["run"], ["--replications", "1000001"], id="run-replications"),
        pytest.param(["claims"], ["--seed", "-1"], id="claims-seed"),
        pytest.param(["validate"], ["--replications", "1"], id="validate-replications"),
    ],
)
def test_options_beyond_the_schema_limits_are_refused_before_any_work(command, option):
    result = CliRunner().invoke(app, [*command, *option])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"Invalid value for '{option[0]}'" in result.output


def test_simulate_checks_the_same_limits():
    from talentwar import simulate

    with pytest.raises(ValueError, match=r"months must be between 1 and 1,200 .* got 1201"):
        simulate("market-core", months=1201)
    with pytest.raises(ValueError, match=r"seed must be between 0 and 2,147,483,647"):
        simulate("market-core", seed=2**32)


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        pytest.param("market.temperature=.nan", "market.temperature: expected a finite number (not .nan or .inf) (got nan)", id="nan"),
        pytest.param("archetypes.scholar.cash=.inf", "archetypes.scholar.cash: expected a finite number (not .nan or .inf) (got inf)", id="inf"),
        pytest.param("firms[0].population[0].salary.sigma=100", "salary.sigma: must be <= 3.0 (got 100)", id="huge-sigma"),
        pytest.param("archetypes.scholar.concentration=1000000", "archetypes.scholar.concentration: must be <= 10000.0", id="huge-concentration"),
        pytest.param("firms[0].population[0].salary=1.0e+308", "salary.value: 1e+308 is beyond what the model computes with", id="overflowing-salary"),
        pytest.param("archetypes={1: {cash: 1}}", "archetypes: the key 1 is not a name; keys here are text", id="number-as-key"),
    ],
)
def test_values_the_model_cannot_compute_with_are_refused(setting, expected):
    result = CliRunner().invoke(app, ["scenario", "check", "market-core", "--set", setting])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert expected in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_non_finite_output_is_named_where_it_first_appeared():
    from talentwar.engine.metrics import Observation, metric_names
    from talentwar.engine.params import Dims, Layout
    from talentwar.simulation import NonFiniteError, check_finite

    layout = Layout(firms=["lab", "rival"], stages=["architecture"], archetypes=["a"], investors=["fund"], dims=Dims(1, 2, 1, 1, 1, 1))
    names = metric_names(layout.stages, layout.firms)
    metrics = np.zeros((3, 5, 2, len(names)), np.float32)  # [R, T, F, M]
    portfolio = np.zeros((3, 5, 1), np.float32)
    check_finite(Observation(metrics, None, portfolio), layout)  # all finite: nothing to say
    metrics[2, 4, 0, 0] = np.inf
    metrics[1, 3, 1, names.index("payroll")] = np.nan  # the earliest month wins, whatever the replication
    portfolio[0, 4, 0] = np.nan
    with pytest.raises(NonFiniteError, match=r"^the run produced nan in payroll of rival at month 3 \(replication 1\) first, and 3 non-finite values in all; nothing was stored"):
        check_finite(Observation(metrics, None, portfolio), layout)


def test_a_run_that_would_not_fit_in_memory_is_refused_before_it_starts(monkeypatch):
    import talentwar.simulation as simulation

    monkeypatch.setattr(simulation, "available_memory", lambda: 50_000_000)  # 50 MB free
    with pytest.raises(simulation.MemoryEstimateError, match=r"^1,000 replications x 36 months of this scenario would need about [0-9.]+ GB, more than the 0.1 GB free; about [0-9,]+ replications fit"):
        simulation.prepare("market-core", replications=1000)
    result = CliRunner().invoke(app, ["run", "market-core", "--replications", "1000"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1 and "would need about" in result.stderr
