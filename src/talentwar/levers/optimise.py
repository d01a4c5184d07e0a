"""The best mix of a firm's levers within a budget: `talentwar levers optimise`.

A point is an amount for each of the firm's levers (levers/catalog.py; 0 is the scenario as it
is), reached through a plan: the share of the budget to spend and how to split it among the levers
(`Search.amounts`). Optuna's NSGA-II searches the plans for two objectives at once, the effect on
the objective (up) and the cost of the levers over the run (down), with the budget as a constraint:

    effect  = objective with the levers moved - without, per replication against the same
              replication (common random numbers): mean and 95% t-interval
    cost    = the firm's `lever_cost` over the run with the levers moved - without, k$ (docs/ODD.md 7.21)
    budget  : a point is feasible when its mean cost is at most the budget

The answer is the Pareto front: the feasible points no other feasible point beats on both. The
chosen point is the front's surest gain, the largest lower end of a 95% interval of the effect;
since the search picks it for being high, its effect is optimistic, so it is run again on four
times as many fresh replications (the next seed) and that measurement is what is reported for it.

Robust mode: with worlds (an experiment file's uncertainties, or draws from a calibration's
posterior) every point runs in every world against that world without the levers, and the search
maximises the `quantile` of the per-world mean effects (0.1: the effect in the worst tenth of the
worlds) and minimises the 1 - `quantile` of the per-world mean costs; their intervals are
percentile bootstraps over the worlds.

Determinism and resuming: the search runs generation by generation. Each generation's points are
drawn by a sampler seeded with (seed, generation) from the points before it, evaluated, and stored
in the run store in one transaction. A stopped search resumes from its last stored generation
(`--resume ID`) and draws exactly the points an unstopped one would, so the front does not depend
on when it was stopped.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import dataclass, field, replace
from typing import Callable

import numpy as np
import pandas as pd

from talentwar.claims.base import Estimate
from talentwar.levers.catalog import BY_NAME, take_all
from talentwar.levers.ranking import Question
from talentwar.scenario import Scenario

Progress = Callable[[int, int, str], None]  # (simulations done, in all, what is running or was stored)
BUDGET_CONSTRAINT = "budget"
ORIGIN = -1  # the generation of the scenario's own point, known without a run


@dataclass(frozen=True)
class Worlds:
    """Where each point is evaluated: the question's scenario alone, or several worlds."""

    scenarios: list[Scenario]
    values: pd.DataFrame  # one row per world, one column per uncertainty (no columns: the scenario)
    source: str  # in words: where the worlds come from
    quantile: float | None = None  # None: one world, effects are means over its replications

    @property
    def robust(self) -> bool:
        return self.quantile is not None


def one_world(scenario: Scenario) -> Worlds:
    return Worlds([scenario], pd.DataFrame(index=pd.RangeIndex(1, name="world")), "the scenario")


SPEND = "spend"  # the share of the budget a point plans to spend
LEAST_WEIGHT = 1e-3  # weights run from this to 1, uniform in the logarithm: a plan leans on a few levers
LEAST_SHARE = 0.01  # a lever given less than this share of the spend, or moved less than this share of its range, is left as it is


def share_of(name: str) -> str:
    """The search coordinate of a lever: its weight in the split of the spend."""
    return f"share:{name}"


@dataclass(frozen=True)
class Search:
    """Everything that defines a search; stored with it, and checked again when it resumes.

    The search does not look at amounts directly: a box of amounts in which a mix within the budget
    is a vanishing corner (nine levers, each able to cost the whole budget alone: one random mix in
    9! = 362,880 fits) would leave NSGA-II nothing within the budget to breed from. A point is a
    plan instead: `spend`, the share of the budget it plans to spend, and a weight per lever that
    splits the spend among them (`amounts`), from the levers' costs measured once at the start
    (`measure_costs`). Every point's cost is then measured, so a plan that costs more than it
    planned (people react) is seen as over the budget."""

    question: Question
    spans: dict[str, float]  # lever -> the most its amount may be (its amounts: [0, span])
    budget_k: float
    population: int
    generations: int
    worlds: Worlds
    costs: dict[str, list[float]] | None = None  # k$ over the run: a number's at its span; a ladder's at each rung (measure_costs)

    def spec(self) -> dict:
        """What must match for a stored search to be resumed by this one (generations may grow)."""
        from talentwar.results.store import scenario_hash

        q = self.question
        return {
            "scenario": q.base.name, "scenario_hash": scenario_hash(q.base), "firm": q.firm, "objective": q.objective,
            "replications": q.replications, "seed": q.seed, "quick": q.quick, "spans": self.spans, "budget_k": self.budget_k,
            "population": self.population, "worlds": self.worlds.source, "quantile": self.worlds.quantile,
            "world_values": json.loads(self.worlds.values.to_json(orient="records")),
            "world_hashes": [scenario_hash(s) for s in self.worlds.scenarios],
        }

    def record(self) -> dict:
        """What is stored: the spec and the measured costs, which a resumed search reuses."""
        return {**self.spec(), "costs": self.costs}

    def distributions(self) -> dict:
        from optuna.distributions import FloatDistribution

        weight = FloatDistribution(LEAST_WEIGHT, 1.0, log=True)
        return {SPEND: FloatDistribution(0.0, 1.0), **{share_of(name): weight for name in self.spans}}

    def amounts(self, plan: dict[str, float]) -> dict[str, float]:
        """The amount of each lever that a plan gives. A lever's part of the spend is its weight's
        share of the weights of the levers that cost money; below LEAST_SHARE it is left as it is. A number's amount is its part
        over its cost per unit (its cost at its span over the span), at most its span (and none if under LEAST_SHARE of it); a ladder
        climbs to the highest rung whose cost its part covers. A lever that costs nothing (or saves
        money) at its span takes its weight times its span (a ladder: rounded), since money does not
        hold it back."""
        spend = plan[SPEND] * self.budget_k
        weights = {name: plan[share_of(name)] for name in self.spans}
        total = sum(w for name, w in weights.items() if self.costs[name][-1] > 0)  # free levers take no part of the spend
        amounts: dict[str, float] = {}
        for name, span in self.spans.items():
            costs, levels = self.costs[name], BY_NAME[name].levels
            share = weights[name] / total if total > 0 else 0.0
            if costs[-1] <= 0:  # free: the weight alone says how far
                amount = weights[name] * span if weights[name] >= LEAST_SHARE else 0.0
                amounts[name] = round(amount) if levels else amount
            elif share < LEAST_SHARE:
                amounts[name] = 0 if levels else 0.0
            elif levels:
                amounts[name] = max((rung for rung, cost in enumerate(costs, 1) if cost <= spend * share), default=0)
            else:
                amount = min(span, spend * share / (costs[-1] / span))
                amounts[name] = amount if amount >= LEAST_SHARE * span else 0.0  # a crumb of a lever is no move
        return amounts


def measure_costs(search: Search, tick: Callable[[str], None]) -> tuple[dict[str, list[float]], tuple[np.ndarray, np.ndarray]]:
    """What each lever costs alone on the question's scenario, k$ over the run (the change in the
    firm's lever cost, mean over replications): a number at its span, a ladder at each rung; and the
    scenario's own measure."""
    q = search.question
    base = q.measure(q.base)
    tick("the scenario as it is")
    costs = {}
    for name, span in search.spans.items():
        amounts = range(1, int(span) + 1) if BY_NAME[name].levels else [span]
        costs[name] = []
        for amount in amounts:
            moved, _ = BY_NAME[name].take(q.base, q.firm, amount)
            costs[name].append(float(np.mean(q.measure(moved)[1] - base[1])))
            tick(f"the cost of {name}")
    return costs, base


def cost_measurements(spans: dict[str, float]) -> int:
    """The simulations `measure_costs` runs."""
    return 1 + sum(int(span) if BY_NAME[name].levels else 1 for name, span in spans.items())


@dataclass
class Point:
    """One evaluated mix of amounts."""

    trial: int
    generation: int
    amounts: dict[str, float]
    effect: Estimate  # robust: the quantile across worlds, with a bootstrap interval
    cost: Estimate  # k$ over the run
    feasible: bool
    moves: list[str]  # each lever's move, in words
    per_world: list[list[float]] = field(default_factory=list)  # robust: each world's [mean effect, mean cost]
    plan: dict[str, float] = field(default_factory=dict)  # the search's coordinates (Search.amounts)

    def to_dict(self) -> dict:
        return {"trial": self.trial, "generation": self.generation, "amounts": self.amounts, "effect": self.effect.to_dict(),
                "cost_k": self.cost.to_dict(), "feasible": self.feasible, "moves": self.moves, "per_world": self.per_world or None, "plan": self.plan}

    @classmethod
    def from_dict(cls, d: dict) -> Point:
        return cls(d["trial"], d["generation"], d["amounts"], Estimate.from_dict(d["effect"]), Estimate.from_dict(d["cost_k"]), d["feasible"],
                   d["moves"], d["per_world"] or [], d["plan"])


@dataclass
class Optimisation:
    run_id: str
    search: Search
    points: list[Point]  # every evaluated point, in trial order
    front: list[Point]  # the Pareto front, by cost
    chosen: Point | None  # the front's surest gain, measured again on fresh replications (None: no feasible point)
    chosen_seed: int
    seconds: float
    resumed_from: int = 0  # generations found stored

    def to_dict(self) -> dict:
        q = self.search.question
        return {
            "run_id": self.run_id, "scenario": q.base.name, "firm": q.firm, "objective": q.objective, "budget_m": self.search.budget_k / 1000,
            "replications": q.replications, "months": q.base.simulation.months, "seed": q.seed, "quick": q.quick,
            "population": self.search.population, "generations": self.search.generations, "spans": self.search.spans,
            "worlds": {"source": self.search.worlds.source, "count": len(self.search.worlds.scenarios), "quantile": self.search.worlds.quantile,
                       "values": json.loads(self.search.worlds.values.to_json(orient="records"))},
            "seconds": round(self.seconds, 1), "evaluated": len(self.points),
            "front": [p.to_dict() for p in self.front],
            "chosen": self.chosen.to_dict() if self.chosen else None, "chosen_seed": self.chosen_seed,
        }


CONFIRMING = 4  # the chosen point is measured again on this many times the search's replications, on a fresh seed
DEFAULT_REPLICATIONS = 32  # per point and world, unless the scenario asks for fewer: a search runs hundreds of points
DEFAULT_WORLDS = 8  # drawn from a posterior, when no experiment file says how many
DEFAULT_QUANTILE = 0.1  # robust mode: the effect in the worst tenth of the worlds


def plan_search(
    scenario: Scenario | str, firm: str, levers: list[str] | None, objective: str, budget_m: float, population: int, generations: int,
    replications: int | None = None, seed: int | None = None, quick: bool = False, across: str | None = None, posterior: dict | None = None,
    worlds: int | None = None, quantile: float | None = None,
) -> tuple[Search, dict[str, str]]:
    """The search `talentwar levers optimise` runs, checked, and the levers left out with why.

    Worlds: with `across` (an experiment file) its uncertainties sampled by its design (or `worlds`
    of them by Latin hypercube), drawn from `posterior` where it is given, the scenario the file's;
    with `posterior` alone, `worlds` draws from it set into `scenario`. ValueError or
    ExperimentError (one line each) for what cannot be searched."""
    from talentwar.exploration.design import sample_worlds
    from talentwar.exploration.experiment import load_experiment, posterior_draws
    from talentwar.levers.ranking import question

    if budget_m <= 0:
        raise ValueError(f"--budget {budget_m:g}: give the most the levers may cost over the run, in millions of dollars (> 0)")
    robust = across is not None or posterior is not None
    if quantile is not None and not robust:
        raise ValueError("--quantile: the quantile across worlds needs worlds; give --across FILE or --posterior ID (or leave out --quantile)")
    if worlds is not None and not robust:
        raise ValueError("--worlds: samples worlds for --across FILE or --posterior ID; give one of them")
    if across is not None:
        plan = load_experiment(across, quick=quick)
        if posterior is not None:
            plan = plan.with_posterior(posterior)
        worlds_plan, values, scenarios = sample_worlds(plan, worlds, "robust searches of levers")
        asked, names = question(plan.base, firm, levers, objective, replications or plan.replications, plan.seed if seed is None else seed, False)
        source = f"{plan.source}: {len(scenarios)} worlds of its uncertainties" + (f", drawn from calibration {posterior['info']['id']}" if posterior else "")
    else:
        asked, names = question(scenario, firm, levers, objective, replications, seed, quick)
        if replications is None:
            asked = replace(asked, replications=min(asked.replications, DEFAULT_REPLICATIONS))
        if posterior is not None:
            drawn, draws = posterior_draws(asked.base, posterior, worlds or DEFAULT_WORLDS, asked.seed)
            scenarios, values = [drawn[k] for k in draws["particle"]], draws.drop(columns="draw")
            source = f"{len(scenarios)} worlds drawn from calibration {posterior['info']['id']}'s posterior"
    asked = replace(asked, quick=quick)
    found, skipped = spans(asked, names)
    if not found:
        raise ValueError(f"--firm {firm}: none of its levers can move ({not_taken_text(skipped)})")
    if robust:
        quantile = DEFAULT_QUANTILE if quantile is None else quantile
        world_set = Worlds(scenarios, values.reset_index(drop=True).rename_axis("world"), source, quantile)
    else:
        world_set = one_world(asked.base)
    return Search(asked, found, budget_m * 1000.0, population, generations, world_set), skipped


def optimise_levers(
    scenario: Scenario | str = "talent-war-2026", firm: str = "lean_lab", budget_m: float = 10.0, levers: list[str] | None = None,
    objective: str = "core_retention", population: int = 16, generations: int = 8, replications: int | None = None, seed: int | None = None,
    quick: bool = False, across: str | None = None, posterior: str | None = None, worlds: int | None = None, quantile: float | None = None,
    store=None, resume: str | None = None, progress: Progress | None = None,
) -> Optimisation:
    """`talentwar levers optimise` from Python: plan the search, run it into the run store at
    `store` (default as `talentwar run`'s) and return the front and the chosen point.

        result = talentwar.optimise_levers("talent-war-2026", "lean_lab", budget_m=10)
        result.chosen.moves, result.chosen.effect, [p.to_dict() for p in result.front]
    """
    from talentwar.results.store import RunStore

    with RunStore(store) as runs:
        drawn = runs.posterior(runs.resolve(posterior)) if posterior is not None else None
        search, _ = plan_search(scenario, firm, levers, objective, budget_m, population, generations, replications, seed, quick, across, drawn, worlds, quantile)
        return optimise(search, runs, resume, progress)


def spans(question: Question, names: list[str]) -> tuple[dict[str, float], dict[str, str]]:
    """(lever -> its span at the firm, for the levers that can move; lever -> why not, for the others)."""
    found, skipped = {}, {}
    for name in names:
        lever = BY_NAME[name]
        span = lever.span(question.base, question.firm)
        if span > 0:
            found[name] = float(span)
        else:
            skipped[name] = lever.why_not(question.base, question.firm)
    return found, skipped


class Evaluator:
    """Runs points: each world without the levers once, then each point in every world."""

    def __init__(self, search: Search, seed: int | None = None, bases: list[tuple[np.ndarray, np.ndarray]] | None = None, replications: int | None = None):
        self.search = search
        self.question = replace(search.question, seed=search.question.seed if seed is None else seed,
                                replications=search.question.replications if replications is None else replications)
        self.bases = bases  # each world's measure without the levers, once run

    def simulations(self, points: int) -> int:
        return len(self.search.worlds.scenarios) * (points + (self.bases is None))

    def __call__(self, amounts: dict[str, float], trial: int = -1, generation: int = -1, tick: Callable[[str], None] = lambda what: None) -> Point:
        q, worlds = self.question, self.search.worlds
        if self.bases is None:
            self.bases = []
            for w, world in enumerate(worlds.scenarios):
                self.bases.append(q.measure(world))
                tick(f"world {w} as it is" if worlds.robust else "the scenario as it is")
        effects, costs, moves = [], [], []
        for w, world in enumerate(worlds.scenarios):
            moved, moves = take_all(world, q.firm, amounts)
            value, cost = q.measure(moved)
            effects.append(value - self.bases[w][0])
            costs.append(cost - self.bases[w][1])
            tick(f"point {trial}" + (f", world {w}" if worlds.robust else ""))
        if not worlds.robust:
            effect, cost = Estimate.of(effects[0]), Estimate.of(costs[0])
            per_world = []
        else:
            effect, cost, per_world = _across_worlds(effects, costs, worlds.quantile)
        if not math.isfinite(effect.mean) or not math.isfinite(cost.mean):
            raise ValueError(f"--objective {q.objective}: undefined at point {trial} ({', '.join(moves) or 'no lever moved'}); choose an objective every replication defines")
        return Point(trial, generation, amounts, effect, cost, cost.mean <= self.search.budget_k, moves, per_world)


def _across_worlds(effects: list[np.ndarray], costs: list[np.ndarray], quantile: float) -> tuple[Estimate, Estimate, list[list[float]]]:
    """The `quantile` of the worlds' mean effects and the 1 - `quantile` of their mean costs, each
    with a percentile bootstrap interval over the worlds."""
    from talentwar.validation.base import ratio_of_sums

    means = np.array([[np.nanmean(e), np.nanmean(c)] for e, c in zip(effects, costs)])

    def at(column: int, q: float) -> Estimate:
        return ratio_of_sums(lambda index: float(np.quantile(means[index, column], q)), len(means))

    return at(0, quantile), at(1, 1 - quantile), means.round(12).tolist()


def pareto_front(points: list[Point]) -> list[Point]:
    """The feasible points that no other feasible point dominates (at least the effect for at most
    the cost, better in one), one per distinct pair of values, by cost."""
    feasible = [p for p in points if p.feasible]
    front: dict[tuple[float, float], Point] = {}
    for p in feasible:
        if not any(_dominates(o, p) for o in feasible):
            front.setdefault((p.effect.mean, p.cost.mean), p)
    return sorted(front.values(), key=lambda p: (p.cost.mean, -p.effect.mean))


def _dominates(a: Point, b: Point) -> bool:
    return a.effect.mean >= b.effect.mean and a.cost.mean <= b.cost.mean and (a.effect.mean > b.effect.mean or a.cost.mean < b.cost.mean)


def confirming_seed(seed: int) -> int:
    """The seed on which a search's chosen point is measured again: the next one, fresh replications."""
    return seed + 1


def generation_seed(seed: int, generation: int) -> int:
    return int(np.random.SeedSequence([seed, generation]).generate_state(1)[0])


def optimise(search: Search, store, resume: str | None = None, progress: Progress | None = None, started: Callable[[str], None] | None = None) -> Optimisation:
    """Run (or, with `resume`, finish) `search`, storing each generation in `store` (a RunStore) as it
    ends. `started(run_id)` is called once the search is stored, before its points run."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    clock = time.perf_counter()
    done, total = 0, 0

    def tick(what: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, what)

    study = optuna.create_study(directions=["maximize", "minimize"])
    distributions = search.distributions()
    points: list[Point] = []
    if resume is None:
        total = cost_measurements(search.spans)
        costs, base = measure_costs(search, tick)
        search = replace(search, costs=costs)
        evaluate = Evaluator(search, bases=None if search.worlds.robust else [base])
        run_id = store.start_optimisation(search)
        # the scenario itself, the front's free end: no lever moved, so no effect and no cost, exactly
        origin = Point(0, ORIGIN, {name: 0 if BY_NAME[name].levels else 0.0 for name in search.spans}, Estimate(0.0, 0.0, 0.0, search.question.replications),
                       Estimate(0.0, 0.0, 0.0, search.question.replications), True, [], [[0.0, 0.0] for _ in search.worlds.scenarios] if search.worlds.robust else [],
                       {name: distributions[name].low for name in distributions})
        study.add_trial(optuna.trial.create_trial(params=origin.plan, distributions=distributions, values=[0.0, 0.0], constraints={BUDGET_CONSTRAINT: -search.budget_k}))
        store.add_generation(run_id, [(origin, dict(study.get_trials(deepcopy=False)[0].system_attrs))], time.perf_counter() - clock)
        clock = time.perf_counter()
        points.append(origin)
    else:
        run_id, costs, stored = _resumable(search, store, resume)
        search = replace(search, costs=costs)
        evaluate = Evaluator(search)
        for point, sampler_attrs in stored:
            study.add_trial(optuna.trial.create_trial(
                params=point.plan, distributions=distributions, values=[point.effect.mean, point.cost.mean],
                system_attrs=sampler_attrs,  # NSGA-II's generation and the budget constraint, as Optuna set them
            ))
            points.append(point)
    if started:
        started(run_id)
    done_generations = len({p.generation for p in points if p.generation != ORIGIN})
    total = done + evaluate.simulations((search.generations - done_generations) * search.population)
    known = {_key(p.amounts): p for p in points}
    for generation in range(done_generations, search.generations):
        study.sampler = optuna.samplers.NSGAIISampler(population_size=search.population, seed=generation_seed(search.question.seed, generation))
        trials = [study.ask(distributions) for _ in range(search.population)]
        fresh = []
        for trial in trials:
            plan = {name: trial.params[name] for name in distributions}
            amounts = search.amounts(plan)
            seen = known.get(_key(amounts))
            if seen is not None:
                for _ in search.worlds.scenarios:
                    tick(f"point {trial.number}: evaluated before")
                point = replace(seen, trial=trial.number, generation=generation, plan=plan)
            else:
                point = replace(evaluate(amounts, trial.number, generation, tick), plan=plan)
                known[_key(amounts)] = point
            trial.set_constraint(BUDGET_CONSTRAINT, point.cost.mean - search.budget_k)
            study.tell(trial, [point.effect.mean, point.cost.mean])
            fresh.append(point)
        frozen = {t.number: t for t in study.get_trials(deepcopy=False)}
        store.add_generation(run_id, [(p, dict(frozen[p.trial].system_attrs)) for p in fresh], time.perf_counter() - clock)
        clock = time.perf_counter()
        points.extend(fresh)
        if progress:
            progress(done, total, f"generation {generation + 1} of {search.generations} stored")
    front = pareto_front(points)
    _check_front(front, study)
    chosen_seed = confirming_seed(search.question.seed)
    chosen = best = max(front, key=lambda p: (p.effect.low, p.effect.mean, -p.cost.mean)) if front else None
    if best is not None and best.generation != ORIGIN:
        again = Evaluator(search, seed=chosen_seed, replications=CONFIRMING * search.question.replications)
        total += again.simulations(1)
        chosen = replace(again(best.amounts, best.trial, best.generation, tick), plan=best.plan)
    seconds = store.finish_optimisation(run_id, chosen, time.perf_counter() - clock, search.generations)
    return Optimisation(run_id, search, points, front, chosen, chosen_seed, seconds, done_generations)


def _key(amounts: dict[str, float]) -> tuple:
    return tuple(sorted(amounts.items()))


def _check_front(front: list[Point], study) -> None:
    """Our front and Optuna's (`best_trials`, constrained) hold the same pairs of values."""
    ours = {(p.effect.mean, p.cost.mean) for p in front}
    theirs = {tuple(t.values) for t in study.best_trials}
    if ours != theirs:
        raise AssertionError(f"the Pareto front disagrees with Optuna's: {sorted(ours ^ theirs)}")


def _resumable(search: Search, store, resume: str) -> tuple[str, dict[str, list[float]], list[tuple[Point, dict]]]:
    """The stored search `resume` names, checked to be this one; its levers' measured costs and its stored
    points with their sampler attributes. ValueError (one line) if it is another search. A finished search resumes
    too: with no generation left to run, it gives its front and chosen point again (to write its
    page, say), and with more --generations it goes on."""
    record = store.optimisation(resume)
    run_id = record["info"]["id"]
    record["points"] = [(Point.from_dict(point), attrs) for point, attrs in record["points"]]
    spec, stored_spec = search.spec(), record["spec"]
    stored_generations = len({p.generation for p, _ in record["points"] if p.generation != ORIGIN})
    if stored_generations > search.generations:
        raise ValueError(f"--resume {resume}: search {run_id} has {stored_generations} generations stored, more than --generations {search.generations}; give at least {stored_generations}")
    differs = sorted(k for k in spec if spec[k] != stored_spec.get(k))
    if differs:
        raise ValueError(f"--resume {resume}: search {run_id} was started with other {', '.join(differs)}; resume it with the scenario and options it had, or start a new search")
    return run_id, stored_spec["costs"], record["points"]


def stored_front(record: dict) -> tuple[list[dict], int]:
    """The Pareto front (points as dicts) of a stored search (`RunStore.optimisation`), and how
    many of its generations are stored."""
    points = [Point.from_dict(point) for point, _ in record["points"]]
    return [p.to_dict() for p in pareto_front(points)], len({p.generation for p in points if p.generation != ORIGIN})


def not_taken_text(skipped: dict[str, str]) -> str:
    return "; ".join(f"{name}: {why}" for name, why in skipped.items())

