"""The check runs' comparison (benchmarks/check_runs.py): equal frames pass in any row order, and
every changed value is reported by frame, column and metric, with its count and size."""

from __future__ import annotations

import numpy as np
import pandas as pd

from benchmarks.check_runs import _sorted, differences


def _metrics() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "replication": [0, 0, 1, 1],
            "month": [1, 1, 1, 1],
            "firm": ["lab", "lab", "lab", "lab"],
            "metric": ["headcount", "hires", "headcount", "hires"],
            "value": [10.0, np.nan, 11.0, 2.0],
        }
    )


def test_equal_frames_in_another_order_are_bit_identical():
    frame = _metrics()
    assert differences("metrics", _sorted("metrics", frame), _sorted("metrics", frame.iloc[::-1])) == []


def test_each_changed_metric_is_named_with_its_count_and_size():
    old, new = _metrics(), _metrics()
    new.loc[2, "value"] = 11.5  # headcount of replication 1
    new.loc[1, "value"] = 0.0  # NaN became a number
    lines = differences("metrics", _sorted("metrics", old), _sorted("metrics", new))
    assert lines == [
        "metrics.value [headcount]: 1 of 4 values differ, at most by 0.5",
        "metrics.value [hires]: 1 of 4 values differ, at most by nan",
    ]
    assert differences("metrics", old, new.drop(columns="firm")) == [
        "metrics: columns ['replication', 'month', 'firm', 'metric', 'value'] became ['replication', 'month', 'metric', 'value']"
    ]
