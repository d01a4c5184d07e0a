"""What the report shows, as small tidy frames computed from a Result and nothing else."""

from __future__ import annotations

import numpy as np
import pandas as pd

from talentwar.engine.metrics import MOVE_KINDS

LEVEL = 0.9  # the bands: 5%-95% quantiles across replications


def employers(result) -> list[str]:
    return [f.name for f in result.scenario.employers]


def outside_pool(result) -> str:
    return next(f.name for f in result.scenario.firms if f.kind == "outside")


def per_replication(result, metric: str, firms: list[str], cumulative: bool = False) -> pd.DataFrame:
    """replication, month, firm, value of one metric; `cumulative` turns a monthly flow into its running total."""
    frame = result.metrics
    frame = frame[(frame["metric"] == metric) & frame["firm"].isin(firms)]
    # Plain strings: categorical firms would carry every firm of the run into each groupby.
    frame = frame[["replication", "month", "firm", "value"]].assign(firm=frame["firm"].astype(str))
    if cumulative:
        frame = frame.sort_values(["replication", "firm", "month"])
        frame = frame.assign(value=frame.groupby(["replication", "firm"])["value"].cumsum())
    return frame


def band(result, metric: str, firms: list[str], cumulative: bool = False, level: float = LEVEL) -> pd.DataFrame:
    """Per firm and month: mean, low and high (the `level` interval) of a metric across replications."""
    tail = (1.0 - level) / 2.0
    grouped = per_replication(result, metric, firms, cumulative).groupby(["firm", "month"])["value"]
    return pd.DataFrame(
        {"mean": grouped.mean(), "low": grouped.quantile(tail), "high": grouped.quantile(1.0 - tail)}
    ).reset_index()


def mean_per_month(result, metric: str, firm: str) -> pd.Series:
    """The mean of a metric across replications, indexed by month."""
    return per_replication(result, metric, [firm]).groupby("month")["value"].mean()


def flows(result) -> pd.DataFrame:
    """from_firm, to_firm, kind, per_replication: mean moves per replication over the whole run."""
    moves = result.moves
    counts = (
        moves.assign(from_firm=moves["from_firm"].astype(str), to_firm=moves["to_firm"].astype(str), kind=moves["kind"].astype(str))
        .groupby(["from_firm", "to_firm", "kind"])
        .size()
        .rename("moves")
        .reset_index()
    )
    # Replications without a single move count as zero, so divide by all of them, not by those present.
    counts["per_replication"] = counts["moves"] / result.replications
    kind_order = {k: i for i, k in enumerate(MOVE_KINDS)}
    return counts.sort_values("kind", key=lambda k: k.map(kind_order), kind="stable").reset_index(drop=True)


def knowledge_leaked(result) -> pd.DataFrame:
    """Stages x rivals: knowledge carried by poached researchers, mean per replication over the run.

    Rows are the movers' own stages in scenario order, columns the firms that poached them.
    """
    stages = list(result.scenario.simulation.stages)
    poached = result.moves[result.moves["kind"] == "poached"]
    rivals = [f for f in employers(result) if f in set(poached["to_firm"].astype(str))]
    totals = (
        poached.assign(stage=poached["stage"].astype(str), to_firm=poached["to_firm"].astype(str))
        .groupby(["stage", "to_firm"])["knowledge_carried"]
        .sum()
        .unstack("to_firm")
    )
    return totals.reindex(index=stages, columns=rivals).fillna(0.0) / result.replications


def most_pressed(result) -> str:
    """The employer whose staff received the most poaching offers (mean over replications); ties go to the first listed."""
    firms = employers(result)
    offers = per_replication(result, "offers_received", firms).groupby("firm")["value"].sum() / result.replications
    offers = offers.reindex(firms).fillna(0.0)
    return firms[int(np.argmax(offers.to_numpy()))]


def poaching_flows(result, level: float = LEVEL) -> pd.DataFrame:
    """origin, rival, mean, low, high: researchers each employer lost to each rival's offers over the run,
    per replication (from the per-rival metric `departures_to:<rival>`, every move counted, logged or not)."""
    firms = employers(result)
    tail = (1.0 - level) / 2.0
    rows = []
    for rival in firms:
        totals = per_replication(result, f"departures_to:{rival}", firms).groupby(["firm", "replication"])["value"].sum()
        for origin in firms:
            if origin == rival:
                continue
            values = totals.loc[origin].to_numpy() if origin in totals.index.get_level_values(0) else np.zeros(result.replications)
            rows.append({"origin": origin, "rival": rival, "mean": values.mean(), "low": np.quantile(values, tail), "high": np.quantile(values, 1 - tail)})
    return pd.DataFrame(rows, columns=["origin", "rival", "mean", "low", "high"])
