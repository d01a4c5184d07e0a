"""The report's figures: one plotly figure per section, each with its caption."""

from __future__ import annotations

from dataclasses import dataclass

import plotly.graph_objects as go
from plotly.colors import hex_to_rgb, qualitative

from talentwar.engine.knowledge import BUS_FACTOR_CAP
from talentwar.report import frames

FIRM_COLOURS = qualitative.Plotly
STAGE_COLOURS = qualitative.Dark2
KIND_COLOURS = {"poached": "#b2182b", "quit": "#ef8a62", "separated": "#8c8c8c", "hired": "#1b7837"}
HEIGHT = 460


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    figure: go.Figure | None  # None: folded away, the caption says why
    caption: str


def firm_colours(result) -> dict[str, str]:
    # By position in the scenario, so a firm keeps its colour in every figure.
    return {f.name: FIRM_COLOURS[i % len(FIRM_COLOURS)] for i, f in enumerate(result.scenario.firms)}


def translucent(colour: str, alpha: float) -> str:
    r, g, b = hex_to_rgb(colour)
    return f"rgba({r},{g},{b},{alpha})"


def band_note(result) -> str:
    return f"lines: mean; shaded: 90% interval (5%-95%) across {result.replications} replications"


def styled(fig: go.Figure, title: str, subtitle: str, x_title: str, y_title: str) -> go.Figure:
    fig.update_layout(
        title={"text": title, "subtitle": {"text": subtitle}},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=HEIGHT,
        template="plotly_white",
        hovermode="closest",
        legend={"title": {"text": ""}},
        margin={"t": 90},
    )
    return fig


def add_band(fig: go.Figure, rows, colour: str, name: str, alpha: float = 0.18, dash: str | None = None) -> None:
    """One series' 90% band (shaded) and mean line on `fig`; `rows` has month, mean, low and high, in month order."""
    months = rows["month"].tolist()
    fig.add_trace(
        go.Scatter(
            x=months + months[::-1],
            y=rows["high"].tolist() + rows["low"].tolist()[::-1],
            mode="lines",
            fill="toself",
            fillcolor=translucent(colour, alpha),
            line={"width": 0},
            hoverinfo="skip",
            legendgroup=name,
            showlegend=False,
            name=f"{name} 90% interval",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=months,
            y=rows["mean"],
            customdata=rows[["low", "high"]].to_numpy(),
            mode="lines",
            line={"color": colour, "width": 2, **({"dash": dash} if dash else {})},
            legendgroup=name,
            name=name,
            hovertemplate=f"{name}<br>month %{{x}}<br>mean %{{y:.4g}}<br>90%: %{{customdata[0]:.4g}} to %{{customdata[1]:.4g}}<extra></extra>",
        )
    )


def band_chart(result, metric: str, title: str, y_title: str, cumulative: bool = False) -> go.Figure:
    """Mean line and 90% band per employer, month by month."""
    colours = firm_colours(result)
    summary = frames.band(result, metric, frames.employers(result), cumulative)
    fig = go.Figure()
    for firm in frames.employers(result):
        add_band(fig, summary[summary["firm"] == firm].sort_values("month"), colours[firm], firm)
    return styled(fig, title, band_note(result), "month", y_title)


def capability(result) -> Section:
    fig = band_chart(result, "capability", "Capability per firm", "capability (M8 index)")
    return Section(
        "capability",
        "Capability",
        fig,
        "Capability (M8): the weakest link across stages, times compute, times research headcount to a power "
        "below one. " + band_note(result).capitalize() + ".",
    )


def headcount(result) -> Section:
    fig = band_chart(result, "headcount", "Headcount per firm", "researchers at the end of the month")
    return Section("headcount", "Headcount", fig, "Researchers employed at the end of each month. " + band_note(result).capitalize() + ".")


def core_retention(result) -> Section:
    fig = band_chart(result, "core_retention", "Core-team retention per firm", "share of the month-0 core team still there")
    fig.update_yaxes(tickformat=".0%")
    return Section(
        "core_retention",
        "Core-team retention",
        fig,
        "Share of each firm's month-0 core team still at the firm. " + band_note(result).capitalize() + ".",
    )


def moves(result) -> Section:
    """Origins on the left, destinations on the right: one node per firm and side keeps the diagram acyclic."""
    flows = frames.flows(result)
    origins = [f.name for f in result.scenario.firms if f.name in set(flows["from_firm"])]
    destinations = [f.name for f in result.scenario.firms if f.name in set(flows["to_firm"])]
    node = {("from", f): i for i, f in enumerate(origins)} | {("to", f): len(origins) + i for i, f in enumerate(destinations)}
    colours = firm_colours(result)
    sankey = go.Sankey(
        arrangement="snap",
        valueformat=".2f",
        node={
            "label": origins + destinations,
            "color": [colours[f] for f in origins + destinations],
            "customdata": [f"{f} (origin)" for f in origins] + [f"{f} (destination)" for f in destinations],
            "hovertemplate": "%{customdata}<br>%{value:.2f} moves per replication<extra></extra>",
            "pad": 18,
        },
        link={
            "source": [node[("from", f)] for f in flows["from_firm"]],
            "target": [node[("to", f)] for f in flows["to_firm"]],
            "value": flows["per_replication"].tolist(),
            "color": [translucent(KIND_COLOURS[k], 0.45) for k in flows["kind"]],
            "customdata": flows["kind"].tolist(),
            "hovertemplate": "%{source.customdata} to %{target.customdata}<br>%{customdata}: %{value:.2f} per replication<extra></extra>",
        },
    )
    # plotly.js throws on a Sankey without nodes, so a run without moves gets an empty canvas instead.
    fig = go.Figure(sankey) if not flows.empty else go.Figure()
    fig.update_layout(
        title={
            "text": "Moves between firms",
            "subtitle": {"text": f"mean moves per replication over months 1-{result.months}; links: red poached, grey separated, green hired"},
        },
        height=HEIGHT + 60,
        template="plotly_white",
        margin={"t": 90},
    )
    if flows.empty:
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        nothing(fig, "no researcher moved in this run")
    caption = (
        "Origins on the left, destinations on the right. Link width: mean moves per replication over the run "
        f"(all {result.replications} replications, "
        "including those without moves). Poached: accepted a rival's offer; separated: left for the outside pool; "
        "hired: joined from the outside pool." + unlogged_note(result)
    )
    return Section("moves", "Moves between firms", fig, caption)


def poaching(result) -> Section:
    """Per employer, the researchers each rival's offers took from it: its own chart, apart from the
    outside pool's much larger hiring and separation flows."""
    table = frames.poaching_flows(result)
    colours = firm_colours(result)
    fig = go.Figure()
    for rival in [f for f in frames.employers(result) if table.loc[table["rival"] == f, "mean"].sum() > 0]:  # rivals who poached anyone
        rows = table[table["rival"] == rival]
        fig.add_trace(
            go.Bar(
                x=rows["origin"].tolist(),
                y=rows["mean"].tolist(),
                error_y={"type": "data", "symmetric": False, "array": (rows["high"] - rows["mean"]).tolist(), "arrayminus": (rows["mean"] - rows["low"]).tolist()},
                name=f"to {rival}",
                marker_color=colours[rival],
                hovertemplate=f"%{{x}} to {rival}<br>%{{y:.3g}} per replication<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    styled(fig, "Poaching flows between firms", f"researchers who took a rival's offer over months 1-{result.months}, per replication", "the firm they left", "researchers poached")
    if not fig.data:
        nothing(fig, "no researcher took a rival's offer in this run")
    caption = (
        "Per employer and rival: the researchers who accepted that rival's offer over the run, per replication; bars are "
        f"means over the {result.replications} replications, whiskers their 90% range. Hiring from and separations to the "
        "outside pool, much larger, are in the moves diagram above."
    )
    return Section("poaching", "Poaching flows", fig, caption)


def knowledge_leaked(result) -> Section:
    table = frames.knowledge_leaked(result)
    colours = firm_colours(result)
    fig = go.Figure()
    for rival in table.columns:
        fig.add_trace(
            go.Bar(
                x=table.index.tolist(),
                y=table[rival].tolist(),
                name=f"to {rival}",
                marker_color=colours[rival],
                hovertemplate=f"stage %{{x}}<br>to {rival}: %{{y:.4g}} per replication<extra></extra>",
            )
        )
    fig.update_layout(barmode="group")
    styled(
        fig,
        "Knowledge leaked per stage and rival",
        f"knowledge carried by poached researchers, mean per replication over months 1-{result.months}",
        "the poached researcher's stage",
        "knowledge carried (sum over stages)",
    )
    if table.columns.empty:
        nothing(fig, "no researcher was poached in this run")
    caption = (
        "From moves of kind poached: the knowledge each mover delivered to the rival that poached them (summed over "
        f"stages), grouped by the mover's own stage and the rival, summed over the run and averaged over all "
        f"{result.replications} replications." + unlogged_note(result)
    )
    return Section("knowledge_leaked", "Knowledge leaked", fig, caption)


def pay(result) -> Section:
    fig = band_chart(result, "mean_salary", "Pay index per firm", "mean salary (k$ per year)")
    return Section(
        "pay", "Pay index", fig, "Mean annual salary of the firm's researchers, in k$. " + band_note(result).capitalize() + "."
    )


def retention_spend(result) -> Section:
    fig = band_chart(result, "retention_spend", "Retention spend per firm, cumulative", "retention spend to date (k$)", cumulative=True)
    return Section(
        "retention_spend",
        "Retention spend",
        fig,
        "Special retention grants at their value when granted plus annual counter-offer raises (M11), in k$, summed "
        "from month 1 within each replication. " + band_note(result).capitalize() + ".",
    )


def bus_factor(result) -> Section:
    """One set of stage lines per employer; a dropdown switches firms, starting with the one under most poaching pressure.
    Folded away, with a note, when every stage of every employer stays above the cap all run: a flat chart says nothing."""
    stages = list(result.scenario.simulation.stages)
    firms = frames.employers(result)
    pressed = frames.most_pressed(result)
    lowest = min(frames.mean_per_month(result, f"bus_factor:{stage}", firm).min() for firm in firms for stage in stages)
    if lowest > BUS_FACTOR_CAP:
        return Section(
            "bus_factor", "Bus factor", None,
            f"Not drawn: at every employer, every stage's bus factor stayed above {BUS_FACTOR_CAP} in every month (more than "
            f"{BUS_FACTOR_CAP} people would have to leave to halve what the firm knows of it, or its written record alone keeps half).",
        )
    fig = go.Figure()
    for firm in firms:
        for i, stage in enumerate(stages):
            series = frames.mean_per_month(result, f"bus_factor:{stage}", firm)
            fig.add_trace(
                go.Scatter(
                    x=series.index.tolist(),
                    y=series.tolist(),
                    mode="lines+markers",
                    marker={"size": 4},
                    line={"color": STAGE_COLOURS[i % len(STAGE_COLOURS)], "width": 2},
                    name=stage,
                    visible=firm == pressed,
                    hovertemplate=f"{firm}, {stage}<br>month %{{x}}<br>mean bus factor %{{y:.3g}}<extra></extra>",
                )
            )

    def title(firm: str) -> str:
        return f"Bus factor per stage at {firm}"

    buttons = [
        {
            "label": firm,
            "method": "update",
            "args": [{"visible": [f == firm for f in firms for _ in stages]}, {"title.text": title(firm)}],
        }
        for firm in firms
    ]
    styled(fig, title(pressed), f"mean across {result.replications} replications; choose the employer beside the plot", "month", "people")
    fig.update_layout(
        # Beside the plot, above the legend: the mode bar owns the top right corner.
        updatemenus=[{"buttons": buttons, "active": firms.index(pressed), "x": 1.02, "xanchor": "left", "y": 1.0, "yanchor": "top"}],
        legend={"y": 0.8, "yanchor": "top", "x": 1.02, "xanchor": "left"},
        # Fixed ranges, so switching employers moves the lines and not the axes.
        xaxis_range=[0.5, result.months + 0.5],
        yaxis_range=[0, BUS_FACTOR_CAP + 1.5],
    )
    fig.add_hline(
        y=BUS_FACTOR_CAP + 1,
        line={"dash": "dot", "color": "#6b6b6b", "width": 1},
        annotation_text=f"more than {BUS_FACTOR_CAP}",
        annotation_position="bottom left",
    )
    caption = (
        "Bus factor: the fewest people whose departure would drop the stage below half the firm's knowledge of it; "
        f"{BUS_FACTOR_CAP + 1} means more than {BUS_FACTOR_CAP}, or that the written record alone keeps half; 0 means "
        f"the firm has no knowledge of the stage. Shown first: {pressed}, whose staff received the most poaching "
        "offers (mean over replications). Lines are means across replications."
    )
    return Section("bus_factor", "Bus factor", fig, caption)


def nothing(fig: go.Figure, text: str) -> None:
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False, font={"size": 14, "color": "#6b6b6b"})


def unlogged_note(result) -> str:
    if not result.moves_unlogged:
        return ""
    return (
        f" {result.moves_unlogged} moves exceeded the move log's capacity and are missing here "
        "(raise max_moves_per_month to log them)."
    )


SECTIONS = (capability, headcount, core_retention, moves, poaching, knowledge_leaked, pay, retention_spend, bus_factor)


def sections(result) -> list[Section]:
    return [make(result) for make in SECTIONS]

