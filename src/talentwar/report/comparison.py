"""Two runs side by side (`talentwar report A B`): their differences with intervals, then each chart
with both runs drawn over each other (A dashed, B solid), in one offline HTML file."""

from __future__ import annotations

from html import escape
from pathlib import Path

import plotly.graph_objects as go

from talentwar.report import frames
from talentwar.report.charts import Section, add_band, firm_colours, styled
from talentwar.report.page import HEADLINE, document_html, figure_html, number_text, table_html, write_atomically, write_pngs

# The charts drawn for both runs: (metric, heading, y-axis title, cumulative)
PAIRED = (
    ("core_retention", "Core-team retention", "share of the month-0 core team still there", False),
    ("capability", "Capability", "capability (M8 index)", False),
    ("headcount", "Headcount", "researchers at the end of the month", False),
    ("departures_poached", "Departures to rivals, cumulative", "researchers poached to date", True),
    ("mean_salary", "Pay index", "mean salary (k$ per year)", False),
    ("lever_cost", "Cost of levers, cumulative", "cost of levers to date (k$)", True),
)


def pair_chart(a, b, labels: tuple[str, str], metric: str, heading: str, y_title: str, cumulative: bool) -> Section:
    """Per employer of both runs: each run's mean line and 90% band, A dashed and B solid."""
    colours = firm_colours(a)
    firms = [f for f in frames.employers(a) if f in set(frames.employers(b))]
    fig = go.Figure()
    for run, label, dash in ((a, labels[0], "dash"), (b, labels[1], "solid")):
        band = frames.band(run, metric, firms, cumulative)
        for firm in firms:
            add_band(fig, band[band["firm"] == firm].sort_values("month"), colours[firm], f"{firm}, {label}", alpha=0.10, dash=dash)
    subtitle = f"{labels[0]} dashed, {labels[1]} solid; shaded: 90% of replications"
    styled(fig, heading + (" per firm" if not cumulative else ""), subtitle, "month", y_title)
    if metric == "core_retention":
        fig.update_yaxes(tickformat=".0%")
    caption = (
        f"{heading}: each run's mean over its replications (lines) and the range that holds 90% of them (shaded), month by month"
        + (", summed from month 1 within each replication." if cumulative else ".")
    )
    return Section(f"pair-{metric}", heading, fig, caption)


def differences_html(a, b, labels: tuple[str, str]) -> str:
    """Per employer and headline metric: both means and B - A with its 95% interval (results/compare.py)."""
    from talentwar.results.compare import compare

    frame = compare(a, b, tuple(metric for metric, _, _ in HEADLINE))
    paired = frame.attrs["paired"]
    names = {metric: column for metric, column, _ in HEADLINE}
    scales = {metric: scale for metric, _, scale in HEADLINE}
    order = {metric: i for i, (metric, _, _) in enumerate(HEADLINE)}
    employers = set(frames.employers(a))
    frame = frame[frame["firm"].astype(str).isin(employers)].sort_values(["firm", "metric"], key=lambda c: c.map(order) if c.name == "metric" else c)
    rows = []
    for r in frame.itertuples():
        scale = scales[r.metric]
        rows.append({
            "firm": str(r.firm), "metric": names[r.metric], labels[0]: number_text(r.mean_a * scale), labels[1]: number_text(r.mean_b * scale),
            "B - A [95% interval]": f"{number_text(r.difference * scale)} [{number_text(r.low * scale)}, {number_text(r.high * scale)}]",
            "beyond noise": "yes" if r.exceeds_noise else "no",
        })
    how = "paired by replication (same seed, replications and firms: common random numbers)" if paired else "independent samples (Welch)"
    return (
        '<section id="differences"><h2>Differences</h2>'
        f"<p>B - A per firm, {how}. Flows are totals over the run, the rest at the last month; costs of levers in M$. "
        "A difference is beyond the noise when its 95% interval excludes 0.</p>"
        f"{table_html(rows, {labels[0], labels[1], 'B - A [95% interval]'})}</section>"
    )


def comparison_html(a, b, labels: tuple[str, str], sections: list[Section]) -> str:
    title = f"talentwar report: {labels[0]} vs {labels[1]}"
    runs = "".join(
        f"<li><strong>{escape(label)}</strong>: scenario {escape(run.scenario.name)}, {run.replications} replications x {run.months} months, seed {run.seed}</li>"
        for label, run in zip(("A " + labels[0], "B " + labels[1]), (a, b))
    )
    body = "\n".join(figure_html(s, with_plotlyjs=i == 0) for i, s in enumerate(sections))
    return document_html(title, f"<p>Every number on this page comes from the two stored runs.</p><ul>{runs}</ul>{differences_html(a, b, labels)}\n{body}")


def write_comparison(a, b, path: str | Path, labels: tuple[str, str], png_dir: str | Path | None = None) -> Path:
    """Write the page comparing run `a` with run `b` at `path`; with `png_dir`, each chart as a PNG too (kaleido)."""
    from talentwar.report.page import require_kaleido

    if png_dir is not None:
        require_kaleido()
    sections = [pair_chart(a, b, labels, *spec) for spec in PAIRED]
    out = write_atomically(comparison_html(a, b, labels, sections), Path(path))
    if png_dir is not None:
        write_pngs(sections, Path(png_dir))
    return out
