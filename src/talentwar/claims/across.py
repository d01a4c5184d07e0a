"""Claims across worlds: each claim's verdict in every world an experiment file samples.

`talentwar claims --across FILE` samples the file's uncertainties with its design (levers are left
at the scenario's values: a world is what nobody controls), and in each world runs every claim at
its headline value, as `talentwar claims` does, with the design's replications and seed (common
random numbers within a world). A claim's answer across worlds is the share of worlds in which it
is supported, not supported or reversed, and the PRIM box (EMA Workbench) of the conditions under
which it is supported, when it is supported in some worlds and not in others.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from talentwar.claims.base import NOT_APPLICABLE, SUPPORTED, VERDICTS

Progress = Callable[[int, int, str], None]
MIN_WORLDS_FOR_A_BOX = 8


@dataclass
class AcrossResult:
    """One claim over the worlds: its verdict and effect in each, the shares, and the box where it holds."""

    id: str
    title: str
    verdicts: list[str]  # per world, in the design's order
    effects: list[float | None]
    shares: dict[str, float]  # verdict -> share of the worlds where the claim applies
    box: object | None = None  # exploration.analysis.Box, where it is supported
    box_note: str = ""  # why there is no box
    seconds: float = 0.0

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "shares": self.shares, "verdicts": self.verdicts,
            "effects": [None if e is None or not np.isfinite(e) else float(e) for e in self.effects],
            "box": self.box.to_dict() if self.box is not None else None, "box_note": self.box_note,
        }

    def box_text(self) -> str:
        return box_text(self.to_dict())


def box_text(result: dict) -> str:
    """Where a claim is supported, from its dict form (`AcrossResult.to_dict`, as stored)."""
    box = result["box"]
    if box is None:
        return result["box_note"]
    if not box["limits"]:
        return f"no box: PRIM restricts no factor (supported in {result['shares'].get(SUPPORTED, 0):.2g} of the worlds, with no region where it is more often)"
    limits = "; ".join(
        f"{row['factor']} in {row['values']}" if row["values"] else f"{row['factor']} in [{row['low']:.3g}, {row['high']:.3g}]" for row in box["limits"]
    )
    return f"{limits} (coverage {box['coverage']:.2f}, density {box['density']:.2f})"


@dataclass
class Across:
    worlds: pd.DataFrame  # one row per world, one column per uncertainty
    results: list[AcrossResult]
    replications: int
    seed: int
    seconds: float
    factors: list = field(default_factory=list)


def run_claims_across(claims, plan, worlds: int | None = None, replications: int | None = None, seed: int | None = None, progress: Progress | None = None) -> Across:
    """Every claim in `claims` (ids) at its headline value in each world of `plan` (an experiment
    loaded for exploring; its levers are left out). `worlds` samples that many worlds by Latin
    hypercube instead of the file's design; `replications` and `seed` override the design's."""
    from talentwar.claims import CLAIMS
    from talentwar.claims.base import cast_of
    from talentwar.claims.experiment import _judge, _not_applicable, _plan
    from talentwar.exploration.design import sample_worlds
    from talentwar.simulation import simulate

    worlds_plan, points, scenarios = sample_worlds(plan, worlds, "claims across worlds")
    replications = max(2, plan.replications if replications is None else replications)
    seed = plan.seed if seed is None else seed
    cast = cast_of(plan.base)
    per_world = [[_plan(CLAIMS[c], s, cast, plan.quick, headline_only=True) for c in claims] for s in scenarios]
    total = sum(len(p.unique) for plans in per_world for p in plans)
    done, started = 0, time.perf_counter()
    verdicts: dict[str, list] = {c: [] for c in claims}
    effects: dict[str, list] = {c: [] for c in claims}
    seconds = dict.fromkeys(claims, 0.0)
    for plans in per_world:
        for claim_plan in plans:
            clock = time.perf_counter()
            if claim_plan.reason:
                result = _not_applicable(claim_plan.claim, claim_plan.reason)
            else:
                cache = {}
                for key, variant in claim_plan.unique.items():
                    cache[key] = simulate(variant.scenario, replications=replications, months=variant.months, seed=seed)
                    done += 1
                    if progress:
                        progress(done, total, claim_plan.claim.id)
                result = _judge(claim_plan, cast, cache, 0.0)
            verdicts[result.id].append(result.verdict)
            effects[result.id].append(result.effect.mean if result.effect is not None else None)
            seconds[result.id] += time.perf_counter() - clock
    listed = {f.label: list(f.values) for f in worlds_plan.factors if f.values is not None}
    results = [_summarise(CLAIMS[c], verdicts[c], effects[c], points, listed, seconds[c]) for c in claims]
    return Across(points, results, replications, seed, time.perf_counter() - started, worlds_plan.factors)


def _summarise(claim, verdicts: list[str], effects: list, worlds: pd.DataFrame, listed: dict, seconds: float = 0.0) -> AcrossResult:
    from talentwar.exploration.analysis import find_box

    applies = [v for v in verdicts if v != NOT_APPLICABLE]
    shares = {v: (applies.count(v) / len(applies) if applies else 0.0) for v in VERDICTS}
    if len(applies) < len(verdicts):
        shares[NOT_APPLICABLE] = (len(verdicts) - len(applies)) / len(verdicts)
    y = np.array([v == SUPPORTED for v in verdicts])
    box, note = None, ""
    if not applies:
        note = "not applicable in any world"
    elif not y.any():
        note = "supported in no world"
    elif y.all():
        note = "supported in every world"
    elif len(y) < MIN_WORLDS_FOR_A_BOX:
        note = f"too few worlds for a box ({len(y)}; at least {MIN_WORLDS_FOR_A_BOX})"
    else:
        box = find_box(worlds.astype(float), y, f"{claim.id} supported", listed)
    return AcrossResult(claim.id, claim.title, verdicts, effects, shares, box, note, seconds)
