"""Each claim's verdict rule on fixed synthetic effects, and the estimate and sweep arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from talentwar.claims import CLAIMS, ClaimResult, Estimate, SweepPoint
from talentwar.claims.base import NOT_SUPPORTED, REVERSED, SUPPORTED


def estimate(mean: float, half: float) -> Estimate:
    return Estimate(mean, mean - half, mean + half, 100)


@pytest.mark.parametrize("claim", CLAIMS.values(), ids=list(CLAIMS))
def test_rule_on_synthetic_effects(claim):
    size = max(claim.material, 0.01) * 3  # comfortably material
    toward = claim.threshold + claim.direction * size
    against = claim.threshold - claim.direction * size
    assert claim.judge(estimate(toward, size / 3)) == SUPPORTED
    assert claim.judge(estimate(against, size / 3)) == REVERSED
    assert claim.judge(estimate(toward, size * 2)) == NOT_SUPPORTED  # the interval reaches the other side
    assert claim.judge(estimate(claim.threshold, size / 3)) == NOT_SUPPORTED
    assert claim.judge(Estimate(math.nan, math.nan, math.nan, 0)) == NOT_SUPPORTED
    if claim.material > 0:  # significant but too small to matter
        tiny = claim.threshold + claim.direction * claim.material / 2
        assert claim.judge(estimate(tiny, claim.material / 10)) == NOT_SUPPORTED


def test_every_claim_is_described():
    assert list(CLAIMS) == [f"C{i}" for i in range(1, 15)]
    for claim in CLAIMS.values():
        assert claim.direction in (-1, 1) and claim.material >= 0
        assert set(claim.reading) == {SUPPORTED, NOT_SUPPORTED, REVERSED}
        assert claim.mechanism.startswith(claim.id + " ") and "Experiment." in claim.mechanism
        assert len(claim.values) >= 3 and list(claim.values) == sorted(claim.values)


def test_estimate_is_a_student_t_interval_over_finite_values():
    values = np.array([0.1, 0.3, np.nan, 0.2, 0.6, np.inf])
    e = Estimate.of(values)
    kept = np.array([0.1, 0.3, 0.2, 0.6])
    half = stats.t.ppf(0.975, 3) * kept.std(ddof=1) / 2
    assert e.n == 4 and e.mean == pytest.approx(kept.mean())
    assert (e.low, e.high) == pytest.approx((kept.mean() - half, kept.mean() + half))
    assert Estimate.of(np.array([np.nan])).n == 0


def test_flips_and_insensitivity():
    def result(*verdicts):
        sweep = [SweepPoint(float(i), estimate(0.0, 1.0), v) for i, v in enumerate(verdicts)]
        return ClaimResult("C0", "t", verdicts[0], sweep[0].effect, 0.0, "x", "u", "m", "c", sweep=sweep)

    flat = result(SUPPORTED, SUPPORTED, SUPPORTED)
    assert flat.insensitive and flat.flips == [] and "insensitive" in flat.flip_text()
    turning = result(NOT_SUPPORTED, SUPPORTED, SUPPORTED, REVERSED)
    assert not turning.insensitive
    assert turning.flips == [(0.0, 1.0, NOT_SUPPORTED, SUPPORTED), (2.0, 3.0, SUPPORTED, REVERSED)]
    assert turning.to_dict()["flips"][1] == {"between": [2.0, 3.0], "from": SUPPORTED, "to": REVERSED}
