"""Fuzzing as a test (issue 20): hostile scenario files, `--set` options and command-line flags
never crash, hang or lie. Each example runs one case of each kind (tests/fuzzing.py); accepted
scenarios are simulated and must give finite outputs. benchmarks/fuzz.py runs 10,000 cases."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzzing import BASE, run_case


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_no_input_crashes_hangs_or_lies(seed):
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as folder:
        for kind in ("file", "set", "flags"):
            outcome, tried = run_case(kind, random.Random(f"{seed}-{kind}"), base, Path(folder))
            assert outcome in ("accepted", "refused"), f"{outcome}: {tried}"
