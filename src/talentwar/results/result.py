"""Result: tidy frames of a simulation, summaries with intervals, and writing them to disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from talentwar.engine.metrics import MOVE_KINDS, Observation, is_flow, metric_names
from talentwar.engine.params import Layout, Params
from talentwar.engine.run import FinalSnapshot
from talentwar.results.staging import staged
from talentwar.scenario import Scenario, to_yaml
from talentwar.scenario.schema import PULLS, ROLES


@dataclass
class Result:
    """What `talentwar.simulate` returns.

    metrics: replication, month, firm, metric, value (month 1 is the end of the first month)
    moves:   replication, month, researcher, kind, role, stage, from_firm, to_firm,
             salary_before, salary_after, sign_on, knowledge_carried
    final:   replication, researcher, initial_firm, firm, role, stage, salary, unvested_value,
             knowledge_<stage>..., weight_<pull>... (preference weights over cash, equity, compute,
             autonomy, mission; a researcher keeps them for life)
    investors: replication, month, investor, portfolio_value (k$, stake-weighted)
    """

    scenario: Scenario
    seed: int
    replications: int
    months: int
    metrics: pd.DataFrame
    moves: pd.DataFrame
    final: pd.DataFrame
    investors: pd.DataFrame
    moves_unlogged: int = 0
    wall_seconds: float = 0.0
    info: dict = field(default_factory=dict)

    @classmethod
    def from_arrays(
        cls,
        scenario: Scenario,
        layout: Layout,
        params: Params,
        seed: int,
        snapshot: FinalSnapshot,
        observations: Observation,
        **info,
    ) -> Result:
        firm_metrics = observations.firm_metrics  # [R, T, F, M]
        n_reps, n_months = firm_metrics.shape[:2]
        moves, unlogged = _moves_frame(observations, layout)
        return cls(
            scenario=scenario,
            seed=seed,
            replications=n_reps,
            months=n_months,
            metrics=_metrics_frame(firm_metrics, layout),
            moves=moves,
            final=_final_frame(snapshot, layout),
            investors=_investors_frame(observations.portfolio_value, layout),
            moves_unlogged=unlogged,
            wall_seconds=info.pop("wall_seconds", 0.0),
            info=info,
        )

    def summary(self, level: float = 0.9, include_outside: bool = False) -> pd.DataFrame:
        """Per firm and metric: mean and a `level` interval across replications.

        Stocks (headcount, knowledge, ...) are read at the horizon; flows (hires, departures,
        offers, knowledge leaked, ...) are totals over the whole run. Column `over` says which.
        """
        per_rep = self.per_replication(include_outside)
        tail = (1.0 - level) / 2.0
        grouped = per_rep.groupby(["firm", "metric"], observed=True, sort=False)["value"]
        out = pd.DataFrame(
            {
                "mean": grouped.mean(),
                "low": grouped.quantile(tail),
                "high": grouped.quantile(1.0 - tail),
            }
        ).reset_index()
        out["over"] = np.where(out["metric"].map(is_flow).astype(bool), f"months 1-{self.months}", f"month {self.months}")
        order = {f.name: i for i, f in enumerate(self.scenario.firms)}
        metric_order = {name: i for i, name in enumerate(metric_names(list(self.scenario.simulation.stages), list(order)))}
        out = out.sort_values(by=["firm", "metric"], key=lambda col: col.map(order if col.name == "firm" else metric_order))
        return out.reset_index(drop=True)[["firm", "metric", "over", "mean", "low", "high"]]

    def per_replication(self, include_outside: bool = False) -> pd.DataFrame:
        """replication, firm, metric, value: flows summed over the run, stocks read at the horizon."""
        frame = self.metrics
        if not include_outside:
            outside = {f.name for f in self.scenario.firms if f.kind == "outside"}
            frame = frame[~frame["firm"].isin(outside)]
        flow = frame["metric"].map(is_flow).astype(bool)
        totals = frame[flow].groupby(["replication", "firm", "metric"], observed=True)["value"].sum()
        horizon = frame[~flow & (frame["month"] == self.months)].set_index(["replication", "firm", "metric"])["value"]
        return pd.concat([totals, horizon]).rename("value").reset_index()

    def write(self, out_dir: str | Path, file_format: str = "parquet") -> Path:
        """Write metrics, moves, final and investors (.parquet, or .csv) and scenario.yaml into `out_dir`.

        Files are written to a temporary folder beside it and moved in one by one only when all
        are complete, so an interrupted write leaves no half-written file behind.
        """
        with staged(out_dir) as staging:
            for name in ("metrics", "moves", "final", "investors"):
                frame = getattr(self, name)
                if file_format == "csv":
                    frame.to_csv(staging / f"{name}.csv", index=False)
                else:
                    frame.to_parquet(staging / f"{name}.parquet", index=False)
            (staging / "scenario.yaml").write_text(to_yaml(self.scenario), encoding="utf-8")
        return Path(out_dir)


def _categorical(codes: np.ndarray, names: list[str]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=names)


def _along(shape: tuple[int, ...], axis: int, dtype=np.int32, start: int = 0) -> np.ndarray:
    """Each element's index along `axis` of an array of `shape`, flattened in C order, as `dtype`.

    np.indices would build every axis's int64 index over the whole array first: 0.8 s of the
    1.0 s it took to build the results of 16 replications at N = 100,000 (docs/performance.md).
    """
    before, after = int(np.prod(shape[:axis])), int(np.prod(shape[axis + 1 :]))
    return np.tile(np.repeat(np.arange(start, start + shape[axis], dtype=dtype), after), before)


def _metrics_frame(values: np.ndarray, layout: Layout) -> pd.DataFrame:
    names = metric_names(layout.stages, layout.firms)
    return pd.DataFrame(
        {
            "replication": _along(values.shape, 0),
            "month": _along(values.shape, 1, np.int16, start=1),
            "firm": _categorical(_along(values.shape, 2), layout.firms),
            "metric": _categorical(_along(values.shape, 3), names),
            "value": values.reshape(-1).astype(np.float64),
        },
        copy=False,  # the columns are new arrays: no need to copy them into blocks (0.3 s at 16 x 100,000)
    )


def _moves_frame(observations: Observation, layout: Layout) -> tuple[pd.DataFrame, int]:
    log = observations.moves
    n_reps, n_months, capacity = log.researcher.shape
    keep = log.researcher.reshape(-1) >= 0
    slot = np.flatnonzero(keep)  # only the logged moves' places, not an index of every slot

    def col(values: np.ndarray) -> np.ndarray:
        return values.reshape(-1)[keep]

    frame = pd.DataFrame(
        {
            "replication": (slot // (n_months * capacity)).astype(np.int32),
            "month": (slot // capacity % n_months + 1).astype(np.int16),
            "researcher": col(log.researcher),
            "kind": _categorical(col(log.kind), list(MOVE_KINDS)),
            "role": _categorical(col(log.role), list(ROLES)),
            "stage": _categorical(col(log.stage), layout.stages),
            "from_firm": _categorical(col(log.from_firm), layout.firms),
            "to_firm": _categorical(col(log.to_firm), layout.firms),
            "salary_before": col(log.salary_before),
            "salary_after": col(log.salary_after),
            "sign_on": col(log.sign_on),
            "knowledge_carried": col(log.knowledge_carried),
        },
        copy=False,
    )
    unlogged = int(np.maximum(log.events - capacity, 0).sum())
    return frame, unlogged


def _investors_frame(values: np.ndarray, layout: Layout) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "replication": _along(values.shape, 0),
            "month": _along(values.shape, 1, np.int16, start=1),
            "investor": _categorical(_along(values.shape, 2), layout.investors),
            "portfolio_value": values.reshape(-1).astype(np.float64),
        },
        copy=False,
    )


def _final_frame(snapshot: FinalSnapshot, layout: Layout) -> pd.DataFrame:
    n_reps, n = snapshot.firm.shape
    columns = {
        "replication": _along(snapshot.firm.shape, 0),
        "researcher": _along(snapshot.firm.shape, 1),
        "initial_firm": _categorical(snapshot.initial_firm.reshape(-1), layout.firms),  # at month 0, after any burn-in
        "firm": _categorical(snapshot.firm.reshape(-1), layout.firms),
        "role": _categorical(snapshot.role.reshape(-1), list(ROLES)),
        "stage": _categorical(snapshot.stage.reshape(-1), layout.stages),
        "salary": snapshot.salary.reshape(-1),
        "unvested_value": snapshot.unvested_value.reshape(-1),
    }
    for s, stage in enumerate(layout.stages):
        columns[f"knowledge_{stage}"] = snapshot.knowledge[:, :, s].reshape(-1)
    for p, pull in enumerate(PULLS):
        columns[f"weight_{pull}"] = snapshot.preferences[:, :, p].reshape(-1)
    return pd.DataFrame(columns, copy=False)
