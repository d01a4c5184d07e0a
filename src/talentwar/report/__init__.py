"""The HTML report of a simulation: one self-contained page of plotly figures that works offline.

    import talentwar
    from talentwar.report import write_report
    result = talentwar.simulate("talent-war-2026", replications=20)
    write_report(result, "report.html")

Every number shown comes from the Result; bands are 90% intervals across replications.
"""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go

from talentwar.report.charts import sections
from talentwar.report.page import (
    page_html,
    require_kaleido,
    write_atomically,
    write_pngs,
)

__all__ = ["figures", "write_report"]


def figures(result) -> dict[str, go.Figure]:
    """The report's figures in page order, keyed by short section name."""
    return {s.key: s.figure for s in sections(result) if s.figure is not None}


def write_report(result, path: str | Path, png_dir: str | Path | None = None) -> Path:
    """Write the report of `result` as one HTML file at `path`; with `png_dir`, each figure as a PNG there too.

    PNGs need kaleido; without it this raises RuntimeError before writing anything.
    """
    if png_dir is not None:
        require_kaleido()
    parts = sections(result)
    out = write_atomically(page_html(result, parts), Path(path))
    if png_dir is not None:
        write_pngs(parts, Path(png_dir))
    return out
