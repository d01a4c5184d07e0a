"""One figure per claim: the effect along the sweep of its key condition, with its 95% band."""

from __future__ import annotations

import math
from pathlib import Path

from talentwar.claims.base import REVERSED, SUPPORTED, ClaimResult

COLOURS = {SUPPORTED: "#1b7837", REVERSED: "#b2182b"}
NEUTRAL = "#6b6b6b"


def plot_claim(result: ClaimResult, claim, path: Path) -> Path:
    """Write `result`'s sweep as a PNG at `path`: effect and band, zero (or the threshold), verdicts."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    points = [p for p in result.sweep if math.isfinite(p.effect.mean)]
    xs = [p.value for p in points]
    fig, ax = plt.subplots(figsize=(6.4, 3.8), dpi=110)
    if points:
        low = [p.effect.low if math.isfinite(p.effect.low) else p.effect.mean for p in points]
        high = [p.effect.high if math.isfinite(p.effect.high) else p.effect.mean for p in points]
        ax.fill_between(xs, low, high, color="#9ecae1", alpha=0.6, linewidth=0, label="95% interval")
        ax.plot(xs, [p.effect.mean for p in points], color="#08519c", linewidth=1.5, label="effect")
        for p in points:
            ax.scatter([p.value], [p.effect.mean], color=COLOURS.get(p.verdict, NEUTRAL), zorder=3, s=28)
    reference = claim.threshold
    ax.axhline(reference, color="black", linewidth=0.8, linestyle="--", label="threshold" if reference else "no effect")
    if result.headline is not None:
        ax.axvline(result.headline, color="#999999", linewidth=0.8, linestyle=":", label="headline")
    ax.set_xlabel(result.condition)
    ax.set_ylabel(f"effect ({result.unit})")
    ax.set_title(f"{result.id}: {result.title}\nverdict at the headline: {result.verdict}", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.legend(fontsize=7, loc="best", frameon=False)
    ax.text(
        0.99,
        0.01,
        "points: green supported, grey not supported, red reversed",
        transform=ax.transAxes,
        fontsize=6.5,
        ha="right",
        va="bottom",
        color=NEUTRAL,
    )
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
    return path
