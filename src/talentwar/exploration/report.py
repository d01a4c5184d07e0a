"""An exploration's report page: what was varied, the sensitivity indices with their intervals,
the feature scores, and the PRIM trade-off and box, in one offline HTML file like the run report."""

from __future__ import annotations

from html import escape
from pathlib import Path

import plotly.graph_objects as go

from talentwar.report.charts import HEIGHT, Section, styled
from talentwar.report.page import STYLE, figure_html, table_html, write_atomically

S1_COLOUR, ST_COLOUR = "#2166ac", "#b2182b"


def sensitivity_section(method: str, outcome: str, frame, index: int) -> Section:
    """Sobol S1 and ST (or Morris mu*) per factor, with their 95% intervals as error bars."""
    factors = list(frame.index)
    fig = go.Figure()
    if method == "sobol":
        for key, name, colour in (("S1", "first order (S1: the factor alone)", S1_COLOUR), ("ST", "total (ST: with its interactions)", ST_COLOUR)):
            fig.add_bar(
                x=factors, y=frame[key], name=name, marker_color=colour,
                error_y={"type": "data", "symmetric": False, "array": frame[f"{key}_high"] - frame[key], "arrayminus": frame[key] - frame[f"{key}_low"]},
            )
        title, y_title = f"Sobol indices of {outcome}", "share of the outcome's variance"
        caption = "Bars: the Sobol indices; whiskers: SALib's 95% bootstrap intervals. An interval that reaches below 0 says the design is too small to tell."
    else:
        fig.add_bar(
            x=factors, y=frame["mu_star"], name="mu* (mean absolute elementary effect)", marker_color=S1_COLOUR,
            error_y={"type": "data", "symmetric": False, "array": frame["mu_star_high"] - frame["mu_star"], "arrayminus": frame["mu_star"] - frame["mu_star_low"]},
        )
        fig.add_scatter(x=factors, y=frame["sigma"], mode="markers", name="sigma (spread of the effects)", marker={"color": ST_COLOUR, "size": 10})
        title, y_title = f"Morris screening of {outcome}", "effect on the outcome"
        caption = "Bars: mu* with its 95% bootstrap interval; dots: sigma, large where a factor interacts with others or acts nonlinearly."
    fig.update_layout(barmode="group")
    styled(fig, title, "each point's outcome is its mean over replications (common random numbers)", "factor", y_title)
    return Section(f"{method}-{index}", title, fig, caption)


def scores_section(scores) -> Section:
    fig = go.Figure(go.Heatmap(z=scores.to_numpy(), x=list(scores.columns), y=list(scores.index), colorscale="Blues", zmin=0, texttemplate="%{z:.2f}", colorbar={"title": {"text": "score"}}))
    styled(fig, "Feature scores", "extra-trees importances (EMA Workbench): each column sums to 1", "outcome", "factor")
    fig.update_layout(height=max(HEIGHT, 40 * len(scores.index) + 160))
    return Section("feature-scores", "Which factors explain each outcome", fig, "The share of each outcome's variation across points that each factor explains, read from any design.")


def tradeoff_section(box) -> Section:
    """PRIM's peeling trajectory: coverage against density, each peel coloured by how many factors it restricts."""
    t = box.trajectory
    fig = go.Figure(go.Scatter(
        x=t["coverage"], y=t["density"], mode="markers+lines", marker={"color": t["res_dim"], "colorscale": "Viridis", "size": 9, "colorbar": {"title": {"text": "factors restricted"}}},
        line={"color": "#bbbbbb"}, name="peels", hovertemplate="coverage %{x:.2f}<br>density %{y:.2f}<extra></extra>",
    ))
    fig.add_scatter(x=[box.coverage], y=[box.density], mode="markers", marker={"symbol": "star", "size": 18, "color": "#d62728"}, name="the box chosen")
    fig.update_layout(legend={"orientation": "h", "y": -0.25})
    styled(fig, f"PRIM trade-off where {box.condition}", "each peel narrows the box: more of it is such points (density), fewer such points are in it (coverage)", "coverage", "density")
    return Section("prim-tradeoff", "Scenario discovery: the trade-off", fig, f"{box.cases} points satisfy {box.condition}. The star marks the box EMA Workbench settles on: coverage {box.coverage:.2f}, density {box.density:.2f}, mass {box.mass:.2f}.")


def box_section(box, points) -> Section:
    """The box's limits on each restricted factor, as a share of the factor's range over the points."""
    fig = go.Figure()
    names = list(box.limits.index)
    for i, (name, row) in enumerate(box.limits.iterrows()):
        low, high = float(points[name].min()), float(points[name].max())
        span = high - low or 1.0
        fig.add_scatter(x=[0, 1], y=[name, name], mode="lines", line={"color": "#dddddd", "width": 14}, showlegend=i == 0, name="the factor's range")
        label = row["values"] or f"[{row['low']:.3g}, {row['high']:.3g}]"
        fig.add_scatter(
            x=[(row["low"] - low) / span, (row["high"] - low) / span], y=[name, name], mode="lines+text", line={"color": "#d62728", "width": 14},
            text=["", label], textposition="top left", showlegend=i == 0, name="the box", hovertemplate=f"{escape(name)}: {escape(label)}<extra></extra>",
        )
    styled(fig, f"The PRIM box where {box.condition}", "restricted factors only; quasi p-values in the table below", "position in the factor's range (0: lowest sampled, 1: highest)", "")
    fig.update_layout(height=max(300, 70 * len(names) + 160), xaxis={"range": [-0.05, 1.05]})
    return Section("prim-box", "Scenario discovery: the box", fig, "Grey: each restricted factor's range over the points; red: the part the box keeps.")


def write_exploration_report(exploration, path: Path, sensitivity: dict, scores, box=None) -> Path:
    """The page for `exploration` with its analyses (`sensitivity`: method -> {outcome: frame})."""
    sections = []
    for method, frames in sensitivity.items():
        sections += [sensitivity_section(method, outcome, frame, i) for i, (outcome, frame) in enumerate(frames.items())]
    if scores is not None:
        sections.append(scores_section(scores))
    if box is not None:
        sections += [tradeoff_section(box), box_section(box, exploration.points)]
    info = exploration.record["info"]
    factors = [
        {"factor": f["name"], "role": f["role"], "field": f["field"], "varied over": ", ".join(f"{v:g}" for v in f["values"]) if f["values"] is not None else f"[{f['low']:g}, {f['high']:g}]"}
        for f in exploration.factors
    ]
    title = f"talentwar exploration: {exploration.record['name']}"
    box_table = ""
    if box is not None and len(box.limits):
        rows = [{"factor": str(n), "low": f"{r['low']:.4g}", "high": f"{r['high']:.4g}", "values inside": r["values"], "quasi p-value": f"{r['qp']:.2g}"} for n, r in box.limits.iterrows()]
        box_table = f'<section id="box-limits"><h2>The box, factor by factor</h2>{table_html(rows)}</section>'
    body = "\n".join(figure_html(s, with_plotlyjs=i == 0) for i, s in enumerate(sections))
    means = exploration.means()
    spread = [{"outcome": o, "min": f"{means[o].min():.4g}", "median": f"{means[o].median():.4g}", "max": f"{means[o].max():.4g}"} for o in exploration.outcome_names]
    html = (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f'<link rel=icon href="data:,"><title>{escape(title)}</title><style>{STYLE}</style></head><body>'
        f"<h1>{escape(title)}</h1>"
        f"<p>Exploration {escape(info['id'])} of scenario <strong>{escape(info['scenario'])}</strong>: a {escape(exploration.method)} design of "
        f"{len(exploration.points):,} points, {info['replications']} replications each over {info['months']} months, seed {info['seed']}"
        f"{'' if exploration.complete else ' (not finished)'}. Every number on this page comes from its stored outcomes; a point's outcome is "
        "its mean over replications.</p>"
        f'<section id="factors"><h2>What was varied</h2>{table_html(factors)}</section>'
        f'<section id="outcomes"><h2>The outcomes across points</h2>{table_html(spread)}</section>'
        f"{body}\n{box_table}\n</body></html>\n"
    )
    return write_atomically(html, path)
