"""The job-ladder special case: the engine reproduces Burdett and Mortensen (1998) exactly.

With the engine's order of events (offers, choice, separations with immediate rehiring),
the steady-state distribution of employed salaries is G(w) = F(w) / (1 + kappa (1 - F(w))),
kappa = lambda1 (1 - delta) / delta (docs/ODD.md derives it).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import talentwar

LAMBDA1, DELTA = 0.2, 0.05
KAPPA = LAMBDA1 * (1 - DELTA) / DELTA


def ks_distance(salaries: np.ndarray, offer_cdf) -> float:
    closed_form = lambda w: offer_cdf(w) / (1 + KAPPA * (1 - offer_cdf(w)))  # noqa: E731
    return stats.kstest(salaries, closed_form).statistic


def employed_salaries(final: pd.DataFrame) -> np.ndarray:
    return final.loc[final["firm"] != "outside", "salary"].to_numpy(np.float64)


def test_uniform_offers_match_closed_form_via_cli(tmp_path):
    """`talentwar run job-ladder --out DIR` writes a final.parquet that follows G."""
    out = tmp_path / "ladder"
    done = subprocess.run(
        [sys.executable, "-m", "talentwar", "run", "job-ladder", "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    salaries = employed_salaries(pd.read_parquet(out / "final.parquet"))
    assert len(salaries) >= 100_000
    uniform_cdf = lambda w: np.clip((w - 100.0) / 200.0, 0.0, 1.0)  # noqa: E731
    distance = ks_distance(salaries, uniform_cdf)
    assert distance < 0.01, distance
    # The test can fail: the continuous-time kappa = lambda1 / delta is measurably wrong here.
    wrong = stats.kstest(salaries, lambda w: uniform_cdf(w) / (1 + LAMBDA1 / DELTA * (1 - uniform_cdf(w)))).statistic
    assert wrong > 0.01


def test_lognormal_offers_match_closed_form():
    F = "{dist: lognormal, median: 200, sigma: 0.4}"
    overrides = [f"firms[{i}].poaching.salary_distribution={F}" for i in (0, 1)]
    overrides += [f"firms[{i}].population[0].salary={F}" for i in (0, 1)]
    scenario = talentwar.load_scenario("job-ladder", overrides=overrides)
    result = talentwar.simulate(scenario, seed=7)
    salaries = employed_salaries(result.final)
    lognormal_cdf = lambda w: stats.norm.cdf(np.log(np.maximum(w, 1e-9) / 200.0) / 0.4)  # noqa: E731
    distance = ks_distance(salaries, lognormal_cdf)
    assert distance < 0.01, distance
    # and not simply F itself: the ladder pushes employed salaries up
    assert stats.kstest(salaries, lognormal_cdf).statistic > 0.1


@pytest.mark.parametrize("field", ["firms[0].poaching.offer_rate", "firms[0].separation_rate"])
def test_ladder_parameters_are_ordinary_fields(field):
    scenario = talentwar.load_scenario("job-ladder", overrides=[f"{field}=0.1"])
    assert scenario is not None
