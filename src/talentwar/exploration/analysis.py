"""Reading an exploration: its results as a frame, sensitivity indices, feature scores and PRIM boxes.

Every analysis reads a point's outcome as its mean over replications. The replications of all
points share random numbers (replication r draws the same numbers at every point), so the
differences between points are the factors' doing, not noise drawn afresh; what noise is left
widens the bootstrap intervals SALib reports. Sobol indices need a Sobol design and Morris
measures a Morris design (SALib reads the points in the order it sampled them); feature scores
(extra trees, EMA Workbench) and PRIM (EMA Workbench) read any design.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

ANALYSIS_SEED = 20261  # fixed: the same stored results always give the same intervals and scores


class AnalysisError(ValueError):
    """An analysis the exploration cannot support (wrong design, unknown outcome): one line."""


@dataclass
class Box:
    """A PRIM box: the ranges of the factors it restricts, and how well it captures the cases."""

    condition: str
    limits: pd.DataFrame  # one row per restricted factor: low, high, values (a list factor's values inside), qp (quasi p-value)
    coverage: float  # share of all cases of interest inside the box
    density: float  # share of the points inside the box that are cases of interest
    mass: float  # share of all points inside the box
    cases: int  # points of interest in all
    trajectory: pd.DataFrame  # coverage, density, mass and restricted dimensions of each peel

    def to_dict(self) -> dict:
        return {
            "condition": self.condition,
            "coverage": self.coverage,
            "density": self.density,
            "mass": self.mass,
            "cases": self.cases,
            "limits": [{"factor": name, **{k: _plain(v) for k, v in row.items()}} for name, row in self.limits.iterrows()],
        }


class Exploration:
    """A stored exploration (`talentwar explore`): `results` one row per (point, replication), one
    column per factor and per outcome; `points` the factors' values per point."""

    def __init__(self, record: dict, outcomes: pd.DataFrame):
        self.record = record
        self.run_id: str = record["info"]["id"]
        self.factors: list[dict] = record["factors"]
        self.outcome_names: list[str] = [o["name"] for o in record["outcomes"]]
        self.points: pd.DataFrame = record["values"]
        self.sampled: pd.DataFrame = record["sampled"]
        wide = outcomes.pivot_table(index=["point", "replication"], columns="outcome", values="value", aggfunc="first")
        wide = wide.reindex(columns=self.outcome_names)
        wide.columns.name = None
        self.results: pd.DataFrame = self.points.join(wide.reset_index().set_index("point"), how="inner").reset_index()
        self.results = self.results[["point", "replication", *self.points.columns, *self.outcome_names]]
        self.complete = bool(record["finished"])

    @classmethod
    def load(cls, run_id: str | None = None, store: str | Path | None = None) -> Exploration:
        from talentwar.results.store import RunStore

        with RunStore(store, create=False) as runs:
            return cls.from_store(runs, run_id)

    @classmethod
    def from_store(cls, runs, run_id: str | None) -> Exploration:
        """The exploration `run_id` (an id, a prefix or "latest") of an open RunStore."""
        full = runs.resolve(run_id)
        return cls(runs.exploration(full), runs.explore_outcomes(full))

    @property
    def method(self) -> str:
        return _design(self.record).get("method", "")

    def means(self) -> pd.DataFrame:
        """Each point's outcomes averaged over its replications, with the factors' values: one row per point."""
        mean = self.results.groupby("point")[self.outcome_names].mean()
        return self.points.join(mean, how="inner")

    def outcome(self, outcome: str | None) -> str:
        """`outcome` checked to be one of this exploration's (default the first)."""
        if outcome is None:
            return self.outcome_names[0]
        if outcome not in self.outcome_names:
            raise AnalysisError(f"outcome {outcome!r}: not an outcome of exploration {self.run_id}; its outcomes are {', '.join(self.outcome_names)}")
        return outcome

    def _complete_design(self, method: str) -> np.ndarray:
        if self.method != method:
            raise AnalysisError(f"exploration {self.run_id} has a {self.method} design; {method} indices need design.method: {method}")
        missing = len(self.points) - self.results["point"].nunique()
        if missing:
            raise AnalysisError(f"exploration {self.run_id} lacks the outcomes of {missing:,} points; finish it with `talentwar explore FILE --resume {self.run_id}`")
        return self.means()

    def _problem(self) -> dict:
        from talentwar.exploration.design import problem
        from talentwar.exploration.experiment import ResolvedFactor

        return problem([ResolvedFactor.from_dict(f) for f in self.factors])

    def sobol(self, outcome: str | None = None) -> pd.DataFrame:
        """Sobol indices of `outcome` (default the first): per factor the first-order (S1) and
        total (ST) index with their 95% bootstrap intervals; `.attrs["second_order"]` the S2 pairs."""
        from SALib.analyze import sobol

        name = self.outcome(outcome)
        means = self._complete_design("sobol")
        second = bool(_design(self.record).get("second_order", True))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = sobol.analyze(self._problem(), means[name].to_numpy(), calc_second_order=second, conf_level=0.95, seed=ANALYSIS_SEED)
        names = [f["name"] for f in self.factors]
        frame = pd.DataFrame(
            {
                "S1": found["S1"], "S1_low": found["S1"] - found["S1_conf"], "S1_high": found["S1"] + found["S1_conf"],
                "ST": found["ST"], "ST_low": found["ST"] - found["ST_conf"], "ST_high": found["ST"] + found["ST_conf"],
            },
            index=pd.Index(names, name="factor"),
        )
        if second:
            pairs = [
                {"factor": a, "with": b, "S2": found["S2"][i, j], "S2_low": found["S2"][i, j] - found["S2_conf"][i, j], "S2_high": found["S2"][i, j] + found["S2_conf"][i, j]}
                for i, a in enumerate(names) for j, b in enumerate(names) if j > i
            ]
            frame.attrs["second_order"] = pd.DataFrame(pairs)
        frame.attrs["outcome"] = name
        return frame

    def morris(self, outcome: str | None = None) -> pd.DataFrame:
        """Morris screening of `outcome`: per factor mu* (mean absolute elementary effect) with its
        95% bootstrap interval, mu and sigma (spread of the effects: interactions or nonlinearity)."""
        from SALib.analyze import morris

        name = self.outcome(outcome)
        means = self._complete_design("morris")
        x = self.sampled.loc[means.index].to_numpy(float)
        levels = int(_design(self.record).get("morris_levels", 4))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = morris.analyze(self._problem(), x, means[name].to_numpy(), conf_level=0.95, num_levels=levels, seed=ANALYSIS_SEED)
        frame = pd.DataFrame(
            {"mu_star": found["mu_star"], "mu_star_low": found["mu_star"] - found["mu_star_conf"], "mu_star_high": found["mu_star"] + found["mu_star_conf"],
             "mu": found["mu"], "sigma": found["sigma"]},
            index=pd.Index([f["name"] for f in self.factors], name="factor"),
        )
        frame.attrs["outcome"] = name
        return frame

    def feature_scores(self) -> pd.DataFrame:
        """How much each factor explains of each outcome (extra-trees importances, EMA Workbench;
        each column sums to 1). Reads any design."""
        means = self.means()
        if len(means) < 4:
            raise AnalysisError(f"exploration {self.run_id} has {len(means)} points with outcomes; feature scores need at least 4")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # EMA Workbench warns on import about parallel back-ends it does not need here
            from ema_workbench.analysis import feature_scoring

            scores = feature_scoring.get_feature_scores_all(
                means[self.points.columns].astype(float), {o: means[o].to_numpy() for o in self.outcome_names}, random_state=ANALYSIS_SEED
            )
        scores.index.name = "factor"
        return scores[self.outcome_names]

    def prim(self, condition: str, threshold: float = 0.8) -> Box:
        """Scenario discovery: the box of factor ranges where `condition` holds ("OUTCOME < VALUE" or
        "OUTCOME > VALUE", on each point's mean over replications), found by PRIM (EMA Workbench),
        peeling until the box's density reaches `threshold` or its mass its minimum."""
        name, above, value = parse_condition(condition, self.outcome_names)
        means = self.means()
        y = (means[name] > value if above else means[name] < value).to_numpy()
        if not y.any():
            raise AnalysisError(f"{condition}: holds at none of the {len(means):,} points (the outcome ranges over [{means[name].min():.4g}, {means[name].max():.4g}]); no box can be found")
        if y.all():
            raise AnalysisError(f"{condition}: holds at every one of the {len(means):,} points; every box is the whole space")
        listed = {f["name"]: f["values"] for f in self.factors if f["values"] is not None}
        return find_box(means[self.points.columns].astype(float), y, f"{name} {'>' if above else '<'} {value:g}", listed, threshold)


def find_box(x: pd.DataFrame, y: np.ndarray, condition: str, listed: dict, threshold: float = 0.8) -> Box:
    """PRIM (EMA Workbench) on points `x` (one column per factor) and cases `y` (booleans, some
    true and some not): the box EMA Workbench settles on, its restricted factors (`listed`: the
    values of list factors, to say which fall inside) and its coverage, density and mass."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # EMA Workbench warns on import about parallel back-ends it does not need here
        from ema_workbench.analysis import prim

        box = prim.Prim(x, y, threshold=threshold).find_box()
    index = box._cur_box
    limits, initial = box.box_lims[index], box.box_lims[0]
    restricted = [c for c in x.columns if (limits[c] != initial[c]).any()]
    qp = box.qp[index] if index < len(box.qp) else {}
    rows = {
        c: {
            "low": float(limits[c][0]),
            "high": float(limits[c][1]),
            "values": ", ".join(f"{v:g}" for v in listed[c] if limits[c][0] <= float(v) <= limits[c][1]) if c in listed else "",
            "qp": float(np.max(qp.get(c, [np.nan]))),
        }
        for c in restricted
    }
    trajectory = box.peeling_trajectory[["coverage", "density", "mass", "res_dim"]].copy()
    point = trajectory.iloc[index]
    return Box(
        condition=condition,
        limits=pd.DataFrame.from_dict(rows, orient="index", columns=["low", "high", "values", "qp"]).rename_axis("factor"),
        coverage=float(point["coverage"]),
        density=float(point["density"]),
        mass=float(point["mass"]),
        cases=int(np.sum(y)),
        trajectory=trajectory,
    )


def parse_condition(text: str, outcomes: list[str]) -> tuple[str, bool, float]:
    """"OUTCOME < VALUE" or "OUTCOME > VALUE" -> (outcome, above, value); AnalysisError if malformed."""
    match = re.fullmatch(r"\s*(.+?)\s*([<>])\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*", text or "")
    if not match:
        raise AnalysisError(f"{text!r}: expected OUTCOME < VALUE or OUTCOME > VALUE, e.g. '{outcomes[0]} < 0.8'")
    name = match.group(1)
    if name not in outcomes:
        raise AnalysisError(f"{text!r}: {name!r} is not an outcome of this exploration; its outcomes are {', '.join(outcomes)}")
    return name, match.group(2) == ">", float(match.group(3))


def _design(record: dict) -> dict:
    import yaml

    return (yaml.safe_load(record["experiment_yaml"]) or {}).get("design", {})


def _plain(value):
    return value.item() if hasattr(value, "item") else value
