"""The Mesa reference (benchmarks/mesa_reference) computes the same job ladder as talentwar.

Both must follow the closed form G(w) = F(w) / (1 + kappa (1 - F(w))), kappa = lambda1 (1 - delta) / delta,
or the side-by-side benchmark would compare different models.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from benchmarks import bench, ladder_kernel
from benchmarks.mesa_reference import JobLadderModel, ladder_parameters
from talentwar.scenario import load_scenario, scale_market


def uniform_cdf(w):
    return np.clip((np.asarray(w) - 100.0) / 200.0, 0.0, 1.0)


def test_mesa_reference_reads_the_job_ladder_scenario():
    p = ladder_parameters(load_scenario("job-ladder"))
    assert (p.offer_rate, p.separation_rate, p.low, p.high) == (0.2, 0.05, 100.0, 300.0)
    assert p.employers == (50_000, 50_000) and p.pool == 20_000
    scaled = ladder_parameters(scale_market(load_scenario("job-ladder"), 12_000, 3))
    assert scaled.researchers == 12_000 and scaled.employers == (5_000, 5_000)


def test_mesa_reference_follows_the_closed_form():
    p = ladder_parameters(scale_market(load_scenario("job-ladder"), 24_000, 3))
    model = JobLadderModel(p, seed=3)
    for _ in range(150):
        model.step()
    salaries = np.asarray(model.employed_salaries())
    assert len(salaries) == sum(p.employers)  # every vacancy refilled within the month
    kappa = p.offer_rate * (1 - p.separation_rate) / p.separation_rate
    ladder = stats.kstest(salaries, lambda w: uniform_cdf(w) / (1 + kappa * (1 - uniform_cdf(w))))
    assert ladder.pvalue > 0.001, ladder
    # The test can fail: employed salaries are not simply F, the ladder pushes them up.
    assert stats.kstest(salaries, uniform_cdf).statistic > 0.1
    data = model.datacollector.get_model_vars_dataframe()
    assert len(data) == 150 and data["employed"].iloc[-1] == sum(p.employers)


def test_hand_written_kernel_follows_the_closed_form():
    """The floor that bench.py times beside Mesa and the engine computes the same ladder."""
    p = ladder_parameters(scale_market(load_scenario("job-ladder"), 24_000, 3))
    final, series = ladder_kernel.simulate(p, replications=2, months=150, seed=3)
    employer, salary = np.asarray(final.employer), np.asarray(final.salary)
    kappa = p.offer_rate * (1 - p.separation_rate) / p.separation_rate
    for lane in range(2):
        salaries = salary[lane][employer[lane] >= 0]
        assert len(salaries) == sum(p.employers)  # every vacancy refilled within the month
        assert np.bincount(employer[lane][employer[lane] >= 0]).tolist() == list(p.employers)
        ladder = stats.kstest(salaries, lambda w: uniform_cdf(w) / (1 + kappa * (1 - uniform_cdf(w))))
        assert ladder.pvalue > 0.001, ladder
        assert stats.kstest(salaries, uniform_cdf).statistic > 0.1
        assert series[lane, -1, 0] == sum(p.employers) and np.isclose(series[lane, -1, 1], salaries.mean(), rtol=1e-4)
    assert series.shape == (2, 150, 2)
    assert not np.array_equal(salary[0], salary[1])  # the replications are independent draws


def test_mesa_reference_rejects_a_scenario_it_cannot_run():
    scenario = load_scenario("job-ladder", overrides=["firms[0].poaching.offer_rate=0.3"])
    with pytest.raises(ValueError, match="share one offer rate"):
        ladder_parameters(scenario)


def test_benchmark_children_measure_both_sides():
    """The plumbing of benchmarks/bench.py, at a size that runs in seconds (timings are not asserted)."""
    mesa = bench._child("mesa", researchers=1_000, months=3)
    ours = bench._child("talentwar", scenario="job-ladder", researchers=1_000, firms=3, months=3, replications=2)
    kernel = bench._child("kernel", researchers=1_000, months=3, replications=2)
    for m in (mesa, ours, kernel):
        assert m["seconds"] > 0 and m["peak_gb"] > 0 and m["throughput"] == m["researcher_months"] / m["seconds"]
    assert ours["researcher_months"] == kernel["researcher_months"] == 1_000 * 3 * 2
    verdict = bench.verdicts({"ladder": [{"researchers": 10_000, "ratio": 150.0}], "full": [], "default_run": {"warm_s": 12.0, "cold_s": 20.0}})
    assert verdict["ladder_ratio_at_10000"]["met"] and not verdict["default_warm_s"]["met"] and verdict["default_cold_s"]["met"]


def test_benchmark_refuses_an_unwritable_json_path_before_measuring(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(bench, "ladder", lambda *a, **k: pytest.fail("measured before checking --json"))
    with pytest.raises(SystemExit) as exited:
        bench.main(["--quick", "--json", str(tmp_path / "missing" / "bench.json")])
    assert exited.value.code == 2
    assert f"--json {tmp_path / 'missing' / 'bench.json'}: cannot write (No such file or directory)" in capsys.readouterr().err
