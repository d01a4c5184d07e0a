"""The report page: the scenario in brief, then each figure with its caption, in one offline HTML file."""

from __future__ import annotations

import os
import tempfile
from html import escape
from pathlib import Path

from talentwar.report.charts import Section

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px;
       padding: 1.5rem; color: #222; }
h1 { margin-bottom: 0.2rem; }
section { margin: 2rem 0; }
.description { white-space: pre-line; }
table { border-collapse: collapse; font-size: 0.9rem; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.7rem; text-align: left; }
td.number { text-align: right; }
figcaption { color: #555; font-size: 0.9rem; margin-top: 0.3rem; }
figure { margin: 0; }
"""
CONFIG = {"displaylogo": False, "responsive": True}
NUMERIC = {"headcount at month 0", "GPUs", "poaching offer rate"}
# The headline table: per firm, the outcomes a people lead asks about first (metric, column, scale).
HEADLINE = (
    ("core_retention", "core team kept", 1.0),
    ("departures_poached", "left for rivals", 1.0),
    ("departures_quit", "left for jobs elsewhere", 1.0),
    ("departures_separated", "left for life events", 1.0),
    ("capability", "capability", 1.0),
    ("lever_cost", "cost of levers, M$", 1e-3),
)


def firm_rows(result) -> list[dict[str, str]]:
    """The scenario's firms as the brief shows them; the outside pool has no cluster, capital or offers."""
    rows = []
    for firm in result.scenario.firms:
        outside = firm.kind == "outside"
        rows.append(
            {
                "firm": firm.name,
                "kind": firm.kind,
                "inspired by": firm.inspired_by or "",
                "headcount at month 0": f"{sum(g.count for g in firm.population):,}",
                "GPUs": "" if outside else f"{firm.compute.gpus:,.0f}",
                "capital": "" if outside else ("public" if firm.capital.public else "private"),
                "poaching offer rate": "" if outside else f"{firm.poaching.offer_rate:g}",
            }
        )
    return rows


def table_html(rows: list[dict[str, str]], numeric: set[str] = NUMERIC) -> str:
    head = "".join(f"<th>{escape(name)}</th>" for name in rows[0])
    body = "".join(
        "<tr>" + "".join(f'<td{" class=number" if k in numeric else ""}>{escape(v)}</td>' for k, v in row.items()) + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def brief_html(result) -> str:
    scenario = result.scenario
    off = sorted(k for k, on in scenario.mechanisms.items() if not on)
    facts = [
        f"{result.months} months",
        f"{result.replications} replications",
        f"seed {result.seed}",
        f"{len(scenario.investors)} investors",
        f"{len(scenario.departures)} scheduled departures",
        "mechanisms switched off: " + (", ".join(off) if off else "none"),
    ]
    return (
        '<section id="scenario"><h2>Scenario</h2>'
        f"<p><strong>{escape(scenario.name)}</strong>: {escape('; '.join(facts))}.</p>"
        f'<p class="description">{escape(scenario.description.strip())}</p>'
        f"{table_html(firm_rows(result))}</section>"
    )


def number_text(x: float) -> str:
    """A number in a table cell: whole with thousands separators from 100 up, else 3 significant digits."""
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


def document_html(title: str, body: str) -> str:
    """A whole offline page: the title as heading, then `body`."""
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        # An empty icon stops the browser asking for a favicon that is not there.
        f'<link rel=icon href="data:,"><title>{escape(title)}</title><style>{STYLE}</style></head><body>'
        f"<h1>{escape(title)}</h1>{body}\n</body></html>\n"
    )


def headline_html(result) -> str:
    """Per firm: the headline outcomes, each its mean and [90% range] over replications, and one
    sentence in plain words."""
    summary = result.summary().set_index(["firm", "metric"])
    firms = [f.name for f in result.scenario.firms if f.kind != "outside"]

    def value(firm: str, metric: str, scale: float = 1.0) -> tuple[float, float, float]:
        row = summary.loc[(firm, metric)]
        return row["mean"] * scale, row["low"] * scale, row["high"] * scale

    rows, sentences = [], []
    for firm in firms:
        row = {"firm": firm}
        for metric, column, scale in HEADLINE:
            mean, low, high = value(firm, metric, scale)
            row[column] = f"{number_text(mean)} [{number_text(low)}, {number_text(high)}]"
        rows.append(row)
        kept, low, high = value(firm, "core_retention")
        poached, quit, separated = (value(firm, m)[0] for m in ("departures_poached", "departures_quit", "departures_separated"))
        cost, compute = value(firm, "lever_cost", 1e-3)[0], value(firm, "cost_compute", 1e-3)[0]
        spent = f"its levers cost {cost:,.0f} M$ over the run" + (f", {compute / cost:.0%} of it compute" if cost > 0 else "")
        sentences.append(
            f"{firm} kept {kept:.0%} of its month-0 core team at month {result.months} (90% of replications between {low:.0%} and "
            f"{high:.0%}); on average {poached:,.0f} people left for rivals, {quit:,.0f} for jobs elsewhere and {separated:,.0f} "
            f"for life events; {spent}."
        )
    numeric = {column for _, column, _ in HEADLINE}
    items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return (
        '<section id="headline"><h2>Headline</h2>'
        f"<p>Each cell: the mean over the {result.replications} replications and [the range that holds 90% of them]; flows are "
        f"totals over the {result.months} months, the rest at the last month. Costs of levers: docs/ODD.md 7.21.</p>"
        f"{table_html(rows, numeric)}<ul>{items}</ul></section>"
    )


def figure_html(section: Section, with_plotlyjs: bool) -> str:
    if section.figure is None:  # folded away: a chart that would say nothing
        return f'<section id="{section.key}"><h2>{escape(section.heading)}</h2><p class="folded">{escape(section.caption)}</p></section>'
    # plotly.js goes inline with the first figure only: one copy, and no CDN, so the page works offline.
    div = section.figure.to_html(
        full_html=False, include_plotlyjs=with_plotlyjs, config=CONFIG, div_id=f"figure-{section.key}"
    )
    return (
        f'<section id="{section.key}"><h2>{escape(section.heading)}</h2><figure>{div}'
        f"<figcaption>{escape(section.caption)}</figcaption></figure></section>"
    )


def page_html(result, sections: list[Section]) -> str:
    title = f"talentwar report: {result.scenario.name}"
    first = next((i for i, s in enumerate(sections) if s.figure is not None), None)
    body = "\n".join(figure_html(s, with_plotlyjs=i == first) for i, s in enumerate(sections))
    return document_html(
        title,
        "<p>Every number on this page comes from the simulation result. Bands are 90% intervals "
        f"(5%-95% quantiles) across the {result.replications} replications, month by month.</p>"
        f"{headline_html(result)}\n{brief_html(result)}\n{body}",
    )


def write_atomically(text: str, path: Path) -> Path:
    """Write beside `path` and rename, so an interrupted write never leaves a half-written report."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(staging, 0o644)  # mkstemp's 0600 would leave a report only its writer can open
        os.replace(staging, path)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise
    return path


def require_kaleido() -> None:
    try:
        import kaleido  # noqa: F401
    except ImportError:
        raise RuntimeError("writing PNG figures needs kaleido: pip install kaleido") from None


def write_pngs(sections: list[Section], png_dir: Path) -> list[Path]:
    png_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for section in (s for s in sections if s.figure is not None):
        path = png_dir / f"{section.key}.png"
        section.figure.write_image(path, width=1100, height=section.figure.layout.height)
        paths.append(path)
    return paths
