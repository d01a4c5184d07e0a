"""Which lever buys the most retention per dollar: `talentwar levers`.

For one firm, each lever takes one step from the scenario's value (or from none), defined here
and shown with every result. The scenario and each stepped copy run with the same seed and
replications (common random numbers), so a replication's difference is the lever's, not noise:

    effect   = objective with the step - objective without it, per replication (mean, 95% t-interval)
    cost     = the firm's `lever_cost` over the run with the step - without it, k$ (docs/ODD.md 7.21)
    per M$   = mean effect / mean cost x 1000 (a ratio of means; 95% bootstrap interval over replications)

Levers are ranked by effect per million dollars. A lever that costs nothing (or saves money) and
helps ranks first; one that costs nothing and does nothing ranks last, and so does one whose
effect per dollar cannot be told (cost 0, effect 0).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from talentwar.claims.base import Estimate, NotApplicable, core_equity, edit, per_replication, protect, scaled, scenario_firm
from talentwar.engine.metrics import is_flow
from talentwar.scenario import Scenario


@dataclass(frozen=True)
class Lever:
    name: str
    step: str  # the step, in words, for every starting point
    mechanism: str
    take: Callable[[Scenario, str], tuple[Scenario, str]]  # (scenario, firm) -> the scenario with the step taken, and that step in words


def _firm_edit(changes: Callable[[object], tuple[dict, str]]) -> Callable[[Scenario, str], tuple[Scenario, str]]:
    """A lever that edits fields of the firm, given the firm as the scenario has it."""

    def take(scenario: Scenario, firm: str) -> tuple[Scenario, str]:
        edits, words = changes(scenario_firm(scenario, firm))
        return edit(scenario, firms={firm: edits}), words

    return take


def _special_grant(scenario: Scenario, firm: str) -> tuple[Scenario, str]:
    words = "a special grant to every core researcher in month 1, worth the core's hiring grant and vesting as it does"
    return edit(scenario, firms={firm: protect(["core"], core_equity(scenario, firm))}), words


def _refresh_grants(scenario: Scenario, firm: str) -> tuple[Scenario, str]:
    data = scenario.model_dump(mode="python")
    groups = [g for g in next(f for f in data["firms"] if f["name"] == firm)["population"] if g["equity"] is not None]
    if not groups:
        raise NotApplicable(f"{firm} grants no equity to refresh")
    had = any(g["equity"]["refresh"] is not None for g in groups)
    for g in groups:
        equity = g["equity"]
        if equity["refresh"] is not None:
            equity["refresh"]["value"] = scaled(equity["refresh"]["value"], 1.5)
        else:
            equity["refresh"] = {"interval_months": 12, "value": scaled(equity["value"], 0.25), "months": equity["months"], "cliff_months": 0}
    words = "refresh grants 50% larger" if had else "a yearly refresh grant worth a quarter of the hiring grant"
    return type(scenario).model_validate(data), words


def _counter_offers(f) -> tuple[dict, str]:
    if not f.retention.counter_offers:
        return {"retention.counter_offers": True, "retention.counter_roles": None}, "counter-offers to everyone about to leave"
    if f.retention.counter_when == "leaving":
        return {"retention.counter_when": "any_offer"}, "counter every offer received, not only those about to leave"
    raise NotApplicable(f"{f.name} already matches every offer")


def _pay_review(f) -> tuple[dict, str]:
    review = f.retention.pay_review
    if review.interval_months == 0:
        return {"retention.pay_review.interval_months": 12}, f"a yearly pay review closing {review.toward:.0%} of the gap to the market"
    position = min(1.0, review.position + 0.1)
    return {"retention.pay_review.position": position}, f"pay reviews targeting {position:+.0%} against the market (from {review.position:+.0%})"


def _windows(f) -> tuple[dict, str]:
    interval = f.capital.window_interval_months
    if interval == 0:
        return {"capital.window_interval_months": 6}, f"secondary windows every 6 months, {f.capital.window_fraction:.0%} of vested holdings each"
    return {"capital.window_interval_months": max(1, interval // 2)}, f"secondary windows every {max(1, interval // 2)} months (from {interval})"


def _points(field: str, section: str, step: float, what: str):
    """A lever that adds `step` to a share of the firm (at most 1)."""

    def changes(f) -> tuple[dict, str]:
        now = getattr(getattr(f, section), field)
        after = min(1.0, now + step)
        return {f"{section}.{field}": after}, f"{what}: {now:.0%} -> {after:.0%}"

    return _firm_edit(changes)


LEVERS = (
    Lever("special_grant", "a special grant to every core researcher in month 1, worth the core's hiring grant and vesting as it does", "M11", _special_grant),
    Lever("refresh_grants", "refresh grants 50% larger (none: a yearly refresh worth a quarter of the hiring grant)", "M1", _refresh_grants),
    Lever("counter_offers", "counter-offers to everyone about to leave (already: to every offer received)", "M11", _firm_edit(_counter_offers)),
    Lever("pay_review", "a yearly pay review (already: targeting 10 points more against the market)", "M11", _firm_edit(_pay_review)),
    Lever("gpus", "25% more GPUs", "M4", _firm_edit(lambda f: ({"compute.gpus": f.compute.gpus * 1.25}, f"25% more GPUs: {f.compute.gpus:,.0f} -> {f.compute.gpus * 1.25:,.0f}"))),
    Lever("blue_sky", "10 points more of the cluster for self-chosen research", "M5", _points("blue_sky_share", "compute", 0.1, "blue-sky share of the cluster")),
    Lever("windows", "secondary windows every 6 months (already: twice as often)", "M3", _firm_edit(_windows)),
    Lever("documentation", "2 points more of the undocumented gap written down each month", "M8", _points("documentation_rate", "organisation", 0.02, "monthly documentation rate")),
    Lever("compartmentalisation", "20 points more compartmentalisation", "M7, M12", _points("compartmentalisation", "organisation", 0.2, "compartmentalisation")),
)
BY_NAME = {lever.name: lever for lever in LEVERS}


@dataclass
class LeverResult:
    name: str
    step: str
    mechanism: str
    effect: Estimate | None = None  # on the objective
    cost: Estimate | None = None  # k$ over the run
    per_million: Estimate | None = None  # effect per million dollars
    note: str = ""

    def to_dict(self) -> dict:
        def est(e):
            return e.to_dict() if e is not None else None

        return {"name": self.name, "step": self.step, "mechanism": self.mechanism, "effect": est(self.effect), "cost_k": est(self.cost),
                "effect_per_million": est(self.per_million), "note": self.note or None}


@dataclass
class Ranking:
    scenario: str
    firm: str
    objective: str
    replications: int
    months: int
    seed: int
    quick: bool
    seconds: float
    base: Estimate  # the objective without any step
    levers: list[LeverResult] = field(default_factory=list)  # ranked, best first

    def to_dict(self) -> dict:
        return {"scenario": self.scenario, "firm": self.firm, "objective": self.objective, "replications": self.replications, "months": self.months,
                "seed": self.seed, "quick": self.quick, "seconds": round(self.seconds, 1), "base": self.base.to_dict(),
                "levers": [r.to_dict() for r in self.levers]}


def rank_levers(
    scenario: Scenario | str = "talent-war-2026",
    firm: str = "lean_lab",
    levers: list[str] | None = None,
    objective: str = "core_retention",
    replications: int | None = None,
    seed: int | None = None,
    quick: bool = False,
    progress: Callable[[int, int, str], None] | None = None,
) -> Ranking:
    """Step each of `firm`'s levers (default all of LEVERS) and rank them by effect on `objective`
    per million dollars. ValueError for an unknown firm, lever or objective."""
    from talentwar.claims.experiment import resolve
    from talentwar.engine.metrics import metric_names
    from talentwar.simulation import simulate
    from talentwar.validation.base import ratio_of_sums

    base, replications, seed = resolve(scenario, replications, seed, quick)
    employers = [f.name for f in base.firms if f.kind != "outside"]
    if firm not in employers:
        raise ValueError(f"--firm {firm}: no such firm in scenario {base.name}; firms are {', '.join(employers)}")
    names = levers or [lever.name for lever in LEVERS]
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise ValueError(f"--levers: unknown lever {', '.join(unknown)}; levers are {', '.join(BY_NAME)}")
    metrics = metric_names(list(base.simulation.stages), [f.name for f in base.firms])
    if objective not in metrics:
        raise ValueError(f"--objective {objective}: not a metric; try core_retention, capability, headcount_core or any of `talentwar run`'s metrics")
    total = is_flow(objective)
    started = time.perf_counter()
    plans: list[tuple[LeverResult, Scenario | None]] = []
    for name in names:
        lever = BY_NAME[name]
        result = LeverResult(lever.name, lever.step, lever.mechanism)
        try:
            stepped, result.step = lever.take(base, firm)
            plans.append((result, stepped))
        except NotApplicable as why:
            result.note = str(why)
            plans.append((result, None))
    runs = 1 + sum(stepped is not None for _, stepped in plans)

    def run(s: Scenario, label: str, done: int):
        out = simulate(s, replications=replications, seed=seed)
        if progress:
            progress(done, runs, label)
        return per_replication(out, firm, objective, total=total).astype(np.float64), per_replication(out, firm, "lever_cost", total=True).astype(np.float64)

    base_objective, base_cost = run(base, "the scenario", 1)
    done = 1
    for result, stepped in plans:
        if stepped is None:
            continue
        done += 1
        value, cost = run(stepped, result.name, done)
        effect, spent = value - base_objective, cost - base_cost
        result.effect, result.cost = Estimate.of(effect), Estimate.of(spent)

        def per_million(index, effect=effect, spent=spent):
            return _per_million(effect[index].mean(), spent[index].mean())

        result.per_million = ratio_of_sums(per_million, replications)
    ranked = sorted((r for r, _ in plans), key=_rank_key)
    return Ranking(base.name, firm, objective, replications, base.simulation.months, seed, quick, time.perf_counter() - started, Estimate.of(base_objective), ranked)


def _per_million(effect: float, cost_k: float) -> float:
    """Effect per million dollars; for a lever that costs nothing (or saves money): +inf if it
    helps, -inf if it hurts, NaN if it does nothing."""
    if cost_k > 0:
        return effect / (cost_k / 1000.0)
    return math.inf if effect > 0 else -math.inf if effect < 0 else math.nan


def _rank_key(result: LeverResult) -> tuple:
    """Best first: the highest effect per M$ (a free win is +inf); NaN (nothing to tell) and levers
    that could not be taken last."""
    if result.per_million is None or math.isnan(result.per_million.mean):
        return (1, 0.0)
    return (0, -result.per_million.mean)


# ---------------------------------------------------------------- levers.md, levers.json and the figure (`--out DIR`)
def estimate_text(e: Estimate | None) -> str:
    if e is None or e.n == 0 or math.isnan(e.mean):
        return "n/a"

    def number(x: float) -> str:
        if not math.isfinite(x):
            return "+inf" if x > 0 else "-inf"
        return f"{x:+,.0f}" if abs(x) >= 1000 else f"{x:+.3g}"

    return f"{number(e.mean)} [{number(e.low)}, {number(e.high)}]"


def write(ranking: Ranking, out_dir, context: dict):
    """levers.md, levers.json and levers.png, moved into `out_dir` only when all are written."""
    import json
    from pathlib import Path

    from talentwar.results.staging import staged

    with staged(out_dir, prefix=".talentwar-levers-") as staging:
        plot(ranking, staging / "levers.png")
        (staging / "levers.json").write_text(json.dumps({**context, **ranking.to_dict()}, indent=2) + "\n", encoding="utf-8")
        (staging / "levers.md").write_text(markdown(ranking, context), encoding="utf-8")
    return Path(out_dir) / "levers.md"


def markdown(r: Ranking, context: dict) -> str:
    lines = [
        f"# Which lever buys the most {r.objective.replace('_', ' ')} per dollar at {r.firm}",
        "",
        "<!-- generated by talentwar; do not edit by hand -->",
        f"Generated by `{context['command']}` (talentwar {context['version']}): scenario `{r.scenario}`, {r.replications} replications "
        f"of {r.months} months per run, seed {r.seed}, in {r.seconds:.0f} s on {context['machine']}. Run the same command to regenerate "
        "this page, `levers.png` and `levers.json`.",
        "",
        f"Without any step, {r.firm}'s {r.objective} is {r.base.mean:.3g} [{r.base.low:.3g}, {r.base.high:.3g}] (mean and 95% interval "
        f"over replications{', summed over the run' if is_flow(r.objective) else ', at the last month'}).",
        "",
        "Each lever takes the step shown, alone, from the scenario's value. Effect: the change in the objective, per replication "
        "against the same replication without the step (common random numbers), mean and 95% t-interval. Cost: the change in the "
        "firm's `lever_cost` over the run (docs/ODD.md 7.21), k$. Per M$: mean effect over mean cost, per million dollars, with a "
        "95% bootstrap interval over replications; a lever that costs nothing and helps ranks first (+inf), one that costs "
        "nothing and does nothing last (n/a).",
        "",
        "![effect and cost of each lever](levers.png)",
        "",
        "| rank | lever | step | effect [95%] | cost, k$ [95%] | effect per M$ [95%] |",
        "|---|---|---|---|---|---|",
    ]
    for i, lever in enumerate(r.levers, 1):
        if lever.effect is None:
            lines.append(f"| - | {lever.name} ({lever.mechanism}) | {lever.step} | not taken: {lever.note} | | |")
            continue
        lines.append(
            f"| {i} | {lever.name} ({lever.mechanism}) | {lever.step} | {estimate_text(lever.effect)} | {estimate_text(lever.cost)} | {estimate_text(lever.per_million)} |"
        )
    return "\n".join(lines) + "\n"


def plot(r: Ranking, path) -> None:
    """Each lever's effect and cost with their 95% intervals, in ranking order (best at the top)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    taken = [lever for lever in r.levers if lever.effect is not None]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.0, 0.45 * len(taken) + 1.4), dpi=110, sharey=True)
    y = np.arange(len(taken))[::-1]
    for ax, pick, scale, label in (
        (left, lambda lever: lever.effect, 1.0, f"effect on {r.objective}"),
        (right, lambda lever: lever.cost, 1e-3, "cost over the run, M$"),
    ):
        values = [pick(lever) for lever in taken]
        means = np.array([v.mean for v in values]) * scale
        errors = np.array([[v.mean - v.low, v.high - v.mean] for v in values]).T * scale
        ax.barh(y, means, color="#4393c3", height=0.6)
        ax.errorbar(means, y, xerr=np.nan_to_num(errors, posinf=0.0), fmt="none", color="#222222", capsize=3, lw=1)
        ax.axvline(0, color="#888888", lw=0.8)
        ax.set_xlabel(label, fontsize=8)
        ax.tick_params(labelsize=8)
    left.set_yticks(y, [lever.name for lever in taken])
    fig.suptitle(f"{r.firm}: each lever's step, ranked by effect per M$ (top: best); 95% intervals", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)
    plt.close(fig)
