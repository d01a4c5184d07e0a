"""Experiment files: what is uncertain, which levers a firm holds, what to measure, and the design.

An experiment names a base scenario and lists factors, each a numeric scenario field (the same
paths as `talentwar run --set`) with a range (`low`, `high`) or a list of `values`:
`uncertainties` are what nobody controls, `levers` what a firm decides. Outcomes are metrics of
firms, read at the horizon, summed or averaged over the run, or at a month. The design says how
points are sampled (SALib) and how many replications each gets. docs/explore.md teaches the
format with the committed example experiments/default.yaml. For `talentwar calibrate FILE` the same
file gives the uncertainties (each range a uniform prior), `targets` (observed moments) and `abc`.

A factor may change any number that the compiled model takes as data; it may not change a shape
(researchers, firms, stages, the number of start dates) or switch a mechanism on or off, since
every point of an exploration runs as a lane of one compiled program. Both are refused when the
file is read, naming the factor.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import numpy as np
import pandas as pd
import yaml
from pydantic import Field, ValidationError, model_validator

from talentwar.engine.metrics import is_flow, metric_names
from talentwar.engine.params import Dims, Params, build
from talentwar.scenario import Scenario, ScenarioError, load_scenario, to_yaml, validate
from talentwar.scenario.loader import format_errors, load_yaml, parse_field_path, read_file, set_path, value_at
from talentwar.scenario.schema import Strict, simulation_bounds

MAX_POINTS = 1_000_000  # a design larger than this is a mistake in `samples`, not a plan


class Factor(Strict):
    """One scenario field that varies across points: a range or a list of values."""

    field: str = Field(min_length=1, description="a scenario field path, as `talentwar run --set` takes it")
    name: str | None = Field(None, min_length=1, description="a short name for tables; default the field path")
    low: float | None = None
    high: float | None = None
    values: list[Union[bool, float]] | None = Field(None, min_length=1, max_length=1000)
    log: bool = Field(False, description="a range sampled (or, calibrating, a prior) uniform in the logarithm of the value")
    scale: bool = Field(False, description="the value multiplies the field's value in the base scenario (1: as the scenario has it)")

    @model_validator(mode="after")
    def _range_or_values(self):
        has_range = self.low is not None or self.high is not None
        if has_range == (self.values is not None):
            raise ValueError("give either low and high (a range) or values (a list), not both and not neither")
        if has_range and (self.low is None or self.high is None):
            raise ValueError("a range needs both low and high")
        if has_range and not self.low < self.high:
            raise ValueError(f"low ({self.low:g}) must be below high ({self.high:g})")
        if self.log and (not has_range or self.low <= 0):
            raise ValueError("log needs a range with low above 0")
        if self.values is not None and len(set(self.values)) != len(self.values):
            raise ValueError("values must be distinct")
        return self

    @property
    def label(self) -> str:
        return self.name or self.field


# When an outcome (or a metric target) is read from a replication's months.
At = Union[Literal["default", "horizon", "total", "mean"], Annotated[int, Field(ge=1)]]
AT_MEANING = "horizon: the last month; total: summed over months; mean: averaged; a number: that month; default: flows total, stocks horizon"


class Outcome(Strict):
    """A metric of one or more firms, reduced over the months of a replication to one number."""

    metric: str = Field(min_length=1)
    firm: Union[str, list[str]] = Field(description="a firm's name, or a list of them (one outcome each)")
    at: At = Field("default", description=AT_MEANING)


class Design(Strict):
    """How points are sampled (SALib) and run."""

    method: Literal["factorial", "latin", "sobol", "morris"]
    samples: int = Field(64, ge=1, le=MAX_POINTS, description="latin: points; sobol: base samples N (a power of 2); morris: trajectories; factorial: unused")
    levels: int = Field(3, ge=2, le=100, description="factorial: values per range factor")
    second_order: bool = Field(True, description="sobol: also sample for second-order indices")
    morris_levels: int = Field(4, ge=2, le=100, description="morris: grid levels")
    levers: Literal["joint", "crossed"] = Field(
        "joint", description="joint: levers sampled with the uncertainties; crossed: every lever combination at every sampled world (factorial, latin)"
    )
    replications: int = Field(8, ge=1, le=simulation_bounds("replications")[1])
    months: int | None = Field(None, ge=1, le=simulation_bounds("months")[1], description="default: the scenario's")
    seed: int | None = Field(None, ge=simulation_bounds("seed")[0], le=simulation_bounds("seed")[1], description="default: the scenario's")


class Quick(Strict):
    """`--quick`: the same design, small: a smaller market, few samples, replications and months."""

    samples: int = Field(8, ge=1, le=MAX_POINTS)
    levels: int = Field(2, ge=2, le=100)
    replications: int = Field(2, ge=1, le=1000)
    months: int = Field(12, ge=1, le=simulation_bounds("months")[1])


class Target(Strict):
    """An observed moment for `talentwar calibrate FILE`: either a metric of one firm, read as an
    outcome reads it, with its observed value and standard error; or a validation fact
    (`fact: b`, docs/validation.md), whose experiment runs at every particle and whose observed
    value and standard error default to the middle of the fact's band and half its width. `held_out`
    targets are not fitted, only checked."""

    metric: str | None = Field(None, min_length=1)
    firm: str | None = Field(None, min_length=1)
    at: At = Field("default", description=AT_MEANING)
    fact: str | None = Field(None, min_length=1, description="a validation fact's id (a to g): its statistic is the moment")
    observed: float | None = None
    se: float | None = Field(None, gt=0, description="the observed value's standard error: a residual of one se counts as one unit of distance")
    held_out: bool = False
    source: str = Field("", description="where the observed value comes from")

    @model_validator(mode="after")
    def _metric_or_fact(self):
        if (self.metric is None) == (self.fact is None):
            raise ValueError("give either metric and firm (a metric of a firm) or fact (a validation fact's id), not both and not neither")
        if self.metric is not None:
            if self.firm is None:
                raise ValueError(f"metric {self.metric}: give the firm whose metric it is")
            if self.observed is None or self.se is None:
                raise ValueError(f"metric {self.metric}: give its observed value and standard error (observed, se)")
        elif self.firm is not None or self.at != "default":
            raise ValueError(f"fact {self.fact}: a fact measures its own experiment; firm and at belong to metric targets")
        return self


class Abc(Strict):
    """ABC-SMC (pyabc) settings for `talentwar calibrate FILE`."""

    population: int = Field(100, ge=2, le=100_000, description="particles per generation")
    generations: int = Field(5, ge=1, le=100, description="generations at most")
    min_epsilon: float = Field(1.0, ge=0, description="stop once the acceptance distance falls below this (in standard errors)")
    replications: int = Field(4, ge=1, le=simulation_bounds("replications")[1], description="per particle; the moments are their means")
    months: int | None = Field(None, ge=1, le=simulation_bounds("months")[1])
    seed: int | None = Field(None, ge=simulation_bounds("seed")[0], le=simulation_bounds("seed")[1])


class AbcQuick(Strict):
    population: int = Field(8, ge=2, le=100_000)
    generations: int = Field(2, ge=1, le=100)
    replications: int = Field(2, ge=1, le=1000)
    months: int = Field(12, ge=1, le=simulation_bounds("months")[1])


class Experiment(Strict):
    """An experiment file: for `talentwar explore` the factors, outcomes and design; for
    `talentwar calibrate FILE` the uncertainties (ranges: uniform priors), targets and abc."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scenario: str = Field("talent-war-2026", min_length=1, description="a built-in name, or a scenario file (relative to this file)")
    uncertainties: list[Factor] = Field(default_factory=list, max_length=200)
    levers: list[Factor] = Field(default_factory=list, max_length=200)
    outcomes: list[Outcome] = Field(default_factory=list, max_length=1000)
    design: Design | None = None
    quick: Quick = Quick()
    targets: list[Target] = Field(default_factory=list, max_length=1000)
    abc: Abc | None = None
    abc_quick: AbcQuick = AbcQuick()

    @model_validator(mode="after")
    def _factors(self):
        factors = self.uncertainties + self.levers
        if not factors:
            raise ValueError("uncertainties: an experiment needs at least one uncertainty or lever to vary")
        labels = [f.label for f in factors]
        twice = sorted({label for label in labels if labels.count(label) > 1})
        if twice:
            raise ValueError(f"uncertainties: {', '.join(twice)} named twice; give each factor its own field or name")
        if self.design is None and self.abc is None:
            raise ValueError("design: give a design (and outcomes) for `talentwar explore`, or abc (and targets) for `talentwar calibrate FILE`")
        if self.design is not None and not self.outcomes:
            raise ValueError("outcomes: a design needs at least one outcome to measure")
        if self.abc is not None and not any(not t.held_out for t in self.targets):
            raise ValueError("targets: abc needs at least one target that is not held out")
        if self.design is not None and self.design.levers == "crossed" and self.design.method in ("sobol", "morris"):
            raise ValueError(f"design.levers: crossed levers need a factorial or latin design; {self.design.method}'s indices need every factor sampled jointly")
        if self.design is not None and self.design.levers == "crossed" and not self.levers:
            raise ValueError("design.levers: crossed needs levers to cross with the sampled worlds")
        return self


class ExperimentError(ValueError):
    """A problem with an experiment file: one line per problem, each naming the file and field."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class ResolvedFactor:
    label: str
    role: str  # "uncertainty", "lever", or "posterior" (drawn from a calibration's particles)
    field: str
    path: tuple
    low: float | None
    high: float | None
    values: tuple | None
    integer: bool  # the field holds whole numbers: sampled values are rounded
    log: bool = False  # a range sampled uniform in the logarithm
    scale: bool = False  # the value multiplies the base scenario's value of each field the path names

    @property
    def choices(self) -> int:
        return len(self.values) if self.values is not None else 0

    def to_dict(self) -> dict:
        return {"name": self.label, "role": self.role, "field": self.field, "low": self.low, "high": self.high,
                "values": list(self.values) if self.values is not None else None, "integer": self.integer, "log": self.log, "scale": self.scale}

    @classmethod
    def from_dict(cls, d: dict) -> ResolvedFactor:
        values = tuple(d["values"]) if d["values"] is not None else None
        path = tuple(parse_field_path(d["field"]))
        return cls(d["name"], d["role"], d["field"], path, d["low"], d["high"], values, d["integer"], d.get("log", False), d.get("scale", False))

    def set_in(self, data: dict, value: Any, raw: dict) -> str | None:
        """Set this factor to `value` in the scenario mapping `data` (a copy of `raw`): every field its
        path names, each to `value` or, for a scale factor, to `value` times its value in `raw`.
        What is wrong with the path in `raw`, or None."""
        paths, problem = expand(raw, list(self.path))
        for path in paths:
            problem = problem or set_path(data, path, _typed(value * value_at(raw, path)[0] if self.scale else value, self))
        return problem

    def default(self, raw: dict) -> Any:
        """The factor's value in the scenario mapping `raw`: 1 for a scale factor, else its (first) field's."""
        return 1.0 if self.scale else value_at(raw, expand(raw, list(self.path))[0][0])[0]


@dataclass(frozen=True)
class ResolvedOutcome:
    name: str
    metric: str
    firm: str
    at: str | int
    metric_index: int
    firm_index: int

    def to_dict(self) -> dict:
        return {"name": self.name, "metric": self.metric, "firm": self.firm, "at": self.at}


@dataclass(frozen=True)
class ResolvedTarget:
    name: str  # a metric target's outcome name, or "fact:b"
    observed: float
    se: float
    held_out: bool
    source: str
    outcome: ResolvedOutcome | None = None  # a metric target
    fact: str | None = None  # a validation fact's id

    def to_dict(self) -> dict:
        where = self.outcome.to_dict() if self.outcome else {"metric": None, "firm": None, "at": None}
        return {**where, "fact": self.fact, "name": self.name, "observed": self.observed, "se": self.se, "held_out": self.held_out, "source": self.source}


@dataclass
class Plan:
    """An experiment checked against its base scenario: everything a run of it needs."""

    experiment: Experiment
    source: str
    text: str  # the file as written
    base: Scenario  # with the months, replications and seed that run (small with quick)
    factors: list[ResolvedFactor]
    outcomes: list[ResolvedOutcome]
    quick: bool
    raw: dict  # the base scenario as a mapping, for setting fields point by point
    shapes: Any  # every parameter leaf's shape and dtype, and the switches: equal at every point
    purpose: str = "explore"  # or "calibrate": which sections set the months, replications and seed
    targets: list[ResolvedTarget] = field(default_factory=list)  # calibrate: the metric targets' outcomes are `outcomes`
    posterior: dict | None = None  # a stored calibration whose particles give the "posterior" factors' values

    def with_posterior(self, record: dict) -> Plan:
        """This plan with the calibration `record`'s uncertainties drawn from its posterior: each
        becomes a factor of role "posterior" (replacing a factor of the same field), whose values
        at each point come from one particle, drawn by weight, so their correlations are kept."""
        design = self.experiment.design
        if design is not None and design.method in ("sobol", "morris"):
            raise ExperimentError([f"{self.source}: design.method: draws from a posterior are not a {design.method} design; use latin or factorial with --posterior"])
        drawn = [ResolvedFactor.from_dict({**f, "role": "posterior"}) for f in record["factors"]]
        fields = {f.field for f in drawn}
        labels = {f.label for f in drawn}
        kept = [f for f in self.factors if f.field not in fields]
        clash = sorted(f.label for f in kept if f.label in labels)
        if clash:
            raise ExperimentError([f"{self.source}: {', '.join(clash)}: named like an uncertainty of calibration {record['info']['id']} but on another field; rename it"])
        for f in drawn:
            if expand(self.raw, list(f.path))[1] is not None:
                raise ExperimentError([f"{self.source}: --posterior {record['info']['id']}: its uncertainty {f.field} is not a field of this experiment's scenario"])
        return replace(self, factors=kept + drawn, posterior=record)

    @property
    def replications(self) -> int:
        return self.base.simulation.replications

    @property
    def months(self) -> int:
        return self.base.simulation.months

    @property
    def seed(self) -> int:
        return self.base.simulation.seed

    def scenario_at(self, values: dict[str, Any], where: str) -> Scenario:
        """The base scenario with each factor set to `values[label]`; ExperimentError if it is invalid."""
        data = copy.deepcopy(self.raw)
        for factor in self.factors:
            factor.set_in(data, values[factor.label], self.raw)
        try:
            return validate(data, where)
        except ScenarioError as exc:
            raise ExperimentError(exc.problems) from None

    def lanes(self) -> tuple[Dims, int]:
        """The compiled shape every point shares, and how many lanes a compiled call runs."""
        from talentwar.engine.run import lane_width

        _, layout = build(self.base, move_capacity=1)
        return layout.dims, lane_width(layout.dims, self.months, len(metric_names(layout.stages, layout.firms)))

    def params_at(self, values: dict[str, Any], where: str) -> Params:
        """The engine's parameters at a point, checked to share the base's shapes and switches."""
        params, _ = build(self.scenario_at(values, where), move_capacity=1)
        if _shapes(params) != self.shapes:
            changed = [f.label for f in self.factors if f.default(self.raw) != values[f.label]]
            raise ExperimentError([f"{where}: changes a shape of the model or switches a mechanism ({', '.join(changed)}); only numbers the model takes as data can vary across points"])
        return params


def load_experiment(path: str | Path, quick: bool = False, purpose: str = "explore") -> Plan:
    """Read and check an experiment file for `purpose` ("explore": its design and outcomes;
    "calibrate": its abc section and targets); ExperimentError (one line per problem) if anything is wrong."""
    try:
        text, source = read_file(path, "an experiment YAML file", "an experiment lists a few factors and outcomes and takes a few kB")
        data, node = load_yaml(text, source)
    except ScenarioError as exc:
        raise ExperimentError(exc.problems) from None
    return parse_experiment(data, node, text, source, Path(path).parent, quick, purpose)


def parse_experiment(data: Any, node: Any, text: str, source: str, folder: Path, quick: bool = False, purpose: str = "explore") -> Plan:
    if not isinstance(data, dict):
        raise ExperimentError([f"{source}: expected a mapping of experiment fields (name, scenario, uncertainties, levers, outcomes, design)"])
    marks: dict = {}
    if node is not None:
        from talentwar.scenario.loader import _collect_marks

        _collect_marks(node, (), marks)
    try:
        experiment = Experiment.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError(format_errors(exc, source, marks, Experiment)) from None
    if purpose == "explore" and experiment.design is None:
        raise ExperimentError([f"{source}: design: `talentwar explore` needs a design section (method, samples, replications) and outcomes"])
    if purpose == "calibrate" and experiment.abc is None:
        raise ExperimentError([f"{source}: abc: `talentwar calibrate FILE` needs an abc section (population, generations, replications) and targets"])
    base = _base_scenario(experiment, source, folder, quick, purpose)
    raw = yaml.safe_load(to_yaml(base))
    factors, problems = [], []
    for role, group in (("uncertainty", experiment.uncertainties), ("lever", experiment.levers)):
        key = "uncertainties" if role == "uncertainty" else "levers"
        for i, factor in enumerate(group):
            where = f"{source}: {key}[{i}] ({factor.label})"
            resolved = _resolve_factor(factor, role, raw, where, problems)
            if resolved is not None:
                factors.append(resolved)
    if purpose == "calibrate":
        for i, factor in enumerate(factors):
            if factor.values is not None:
                problems.append(f"{source}: {factor.label}: a calibrated uncertainty needs a range (low, high) for its uniform prior, not a list of values")
        targets = _resolve_targets(experiment.targets, base, source, problems)
        outcomes = [t.outcome for t in targets if t.outcome is not None]
        if any(t.fact for t in targets) and base.simulation.replications < 2:
            problems.append(f"{source}: abc.replications: a fact target needs at least 2 replications per particle for its statistic, got {base.simulation.replications}")
    else:
        targets, outcomes = [], _resolve_outcomes(experiment.outcomes, "outcomes", base, source, problems)
    if problems:
        raise ExperimentError(problems)
    params, _ = build(base, move_capacity=1)
    plan = Plan(experiment, source, text, base, factors, outcomes, quick, raw, _shapes(params), purpose, targets)
    # Each factor alone at each end of its range (or each value), the others as in the base: a
    # factor that changes a shape or a switch, or gives an invalid scenario, is named now.
    defaults = {f.label: f.default(raw) for f in factors}
    for i, factor in enumerate(factors):
        for value in factor.values if factor.values is not None else (factor.low, factor.high):
            where = f"{source}: {factor.label} = {_typed(value, factor)!r}"
            try:
                plan.params_at({**defaults, factor.label: value}, where)
            except ExperimentError as exc:
                problems.extend(exc.problems)
    if problems:
        raise ExperimentError(problems)
    return plan


def posterior_draws(scenario: Scenario, record: dict, count: int, seed: int) -> tuple[dict[int, Scenario], pd.DataFrame]:
    """`count` worlds drawn from a stored calibration's posterior: draw r takes particle k, drawn by
    weight from numpy's generator seeded with (seed, r), so it depends only on (seed, r), whatever
    the count. Returns each drawn particle's scenario (`scenario` with the calibration's
    uncertainties set to the particle's values) and the draws (draw, particle, the values)."""
    particles = record["particles"]
    factors = [ResolvedFactor.from_dict(f) for f in record["factors"]]
    weights = particles["weight"].to_numpy(float)
    weights = weights / weights.sum()
    chosen = [int(np.random.default_rng([seed, r]).choice(len(particles), p=weights)) for r in range(count)]
    raw = yaml.safe_load(to_yaml(scenario))
    scenarios: dict[int, Scenario] = {}
    for k in sorted(set(chosen)):
        data = copy.deepcopy(raw)
        for f in factors:
            if f.set_in(data, particles[f.label].iloc[k], raw):
                raise ExperimentError([f"posterior {record['info']['id']}: its uncertainty {f.field} is not a field of scenario {scenario.name}"])
        try:
            scenarios[k] = validate(data, f"posterior {record['info']['id']}, particle {k}")
        except ScenarioError as exc:
            raise ExperimentError(exc.problems) from None
    draws = pd.DataFrame({"draw": range(count), "particle": chosen, **{f.label: particles[f.label].to_numpy()[chosen] for f in factors}})
    return scenarios, draws


def posterior_params(scenario: Scenario, record: dict, replications: int, seed: int, move_capacity: int | None) -> tuple[Params, pd.DataFrame]:
    """Each replication's parameters with a world drawn from a stored calibration's posterior
    (`posterior_draws`, replication r the r-th draw). Returns the parameters (each leaf with a
    leading axis of `replications`) and the draws (replication, particle, the values)."""
    scenarios, draws = posterior_draws(scenario, record, replications, seed)
    base_shapes = _shapes(build(scenario, move_capacity)[0])
    built: dict[int, Params] = {}
    for k, world in scenarios.items():
        try:
            params, _ = build(world, move_capacity)
        except ScenarioError as exc:
            raise ExperimentError(exc.problems) from None
        if _shapes(params) != base_shapes:
            raise ExperimentError([f"posterior {record['info']['id']}: its uncertainties change a shape of scenario {scenario.name}"])
        built[k] = params
    import jax

    stacked = jax.tree_util.tree_map(lambda *leaves: np.stack(leaves), *[built[k] for k in draws["particle"]])
    return stacked, draws.rename(columns={"draw": "replication"})


def _base_scenario(experiment: Experiment, source: str, folder: Path, quick: bool, purpose: str) -> Scenario:
    name = Path(experiment.scenario)
    target = folder / name if not name.is_absolute() and (folder / name).is_file() else experiment.scenario  # else a built-in, or an error that names it
    try:
        base = load_scenario(target)
    except ScenarioError as exc:
        raise ExperimentError([f"{source}: scenario: {problem}" for problem in exc.problems]) from None
    settings, small = (experiment.design, experiment.quick) if purpose == "explore" else (experiment.abc, experiment.abc_quick)
    sim = base.simulation
    months = settings.months or sim.months
    replications, seed = settings.replications, sim.seed if settings.seed is None else settings.seed
    if quick:
        from talentwar.claims.experiment import quick_scenario

        base = quick_scenario(base)
        months, replications = min(small.months, months), small.replications
    departures = [d for d in base.departures if d.month <= months]
    simulation = base.simulation.model_copy(update={"months": months, "replications": replications, "seed": seed})
    return base.model_copy(update={"simulation": simulation, "departures": departures})


def _resolve_factor(factor: Factor, role: str, raw: dict, where: str, problems: list[str]) -> ResolvedFactor | None:
    path = parse_field_path(factor.field)
    if path and path[0] == "mechanisms":
        problems.append(f"{where}: field {factor.field} switches a mechanism; every point runs the same switches (one compiled program), so run one exploration per setting of the switch")
        return None
    paths, problem = expand(raw, path) if path else ([], "empty field path")
    if problem:
        problems.append(f"{where}: field {factor.field}: {problem}")
        return None
    kinds = set()
    for concrete in paths:
        current = value_at(raw, concrete)[0]
        named = ".".join(map(str, concrete))
        if isinstance(current, bool):
            if factor.scale or factor.values is None or not all(isinstance(v, bool) for v in factor.values):
                problems.append(f"{where}: field {named} is true or false; give values: [true, false] (and no scale)")
                return None
        elif not isinstance(current, (int, float)) or current is None:
            kind = "a mapping" if isinstance(current, dict) else "a list" if isinstance(current, list) else "text" if isinstance(current, str) else "empty"
            hint = " (a distribution: vary one of its numbers, e.g. .mean)" if isinstance(current, dict) and "dist" in current else ""
            problems.append(f"{where}: field {named} is {kind}{hint}; a factor varies a single number")
            return None
        elif factor.values is not None and any(isinstance(v, bool) for v in factor.values):
            problems.append(f"{where}: field {named} is a number; give numbers as values, not true or false")
            return None
        kinds.add("integer" if isinstance(current, int) and not isinstance(current, bool) else type(current).__name__)
    if len(kinds) > 1:
        problems.append(f"{where}: field {factor.field} names fields of different kinds ({', '.join(sorted(kinds))}); a factor varies fields of one kind")
        return None
    integer = kinds == {"integer"}
    if integer and factor.scale:
        problems.append(f"{where}: field {factor.field} holds whole numbers, which a scale factor would make fractional; give a range of its values instead")
        return None
    if integer and factor.values is not None and any(float(v) != round(float(v)) for v in factor.values):
        problems.append(f"{where}: field {factor.field} holds whole numbers; give whole numbers as values")
        return None
    values = tuple(factor.values) if factor.values is not None else None
    return ResolvedFactor(factor.label, role, factor.field, tuple(path), factor.low, factor.high, values, integer, factor.log, factor.scale)


def _resolve_targets(wanted: list[Target], base: Scenario, source: str, problems: list[str]) -> list[ResolvedTarget]:
    """Targets checked against the base scenario: a metric target as an outcome; a fact target's
    experiment must apply to the scenario, and its observed value and se default from its band."""
    from talentwar.claims.base import cast_of
    from talentwar.validation import FACTS
    from talentwar.validation.base import NotApplicable

    targets: list[ResolvedTarget] = []
    for i, t in enumerate(wanted):
        where = f"{source}: targets[{i}]"
        if t.fact is None:
            resolved = _resolve_outcomes([t], "targets", base, source, problems, first=i)
            targets += [ResolvedTarget(o.name, t.observed, t.se, t.held_out, t.source, outcome=o) for o in resolved]
            continue
        fact = FACTS.get(t.fact.lower())
        if fact is None:
            problems.append(f"{where}: unknown fact {t.fact!r}; facts are {', '.join(FACTS)} (docs/validation.md)")
            continue
        try:
            fact.variants(base, cast_of(base), False)
        except NotApplicable as why:
            problems.append(f"{where}: fact ({fact.id}) cannot run on scenario {base.name}: {why}")
            continue
        low, high = fact.band
        observed = (low + high) / 2 if t.observed is None else t.observed
        se = (high - low) / 2 if t.se is None else t.se
        targets.append(ResolvedTarget(f"fact:{fact.id}", observed, se, t.held_out, t.source or f"{fact.source} (band [{low:g}, {high:g}])", fact=fact.id))
    names = [t.name for t in targets]
    for twice in sorted({n for n in names if names.count(n) > 1}):
        problems.append(f"{source}: targets: {twice} is asked for twice")
    return targets


def _resolve_outcomes(wanted: list, section: str, base: Scenario, source: str, problems: list[str], first: int = 0) -> list[ResolvedOutcome]:
    """Outcomes (or targets) checked against the base scenario's metrics, firms and months; a list
    of firms gives one outcome each. `first`: the index of wanted[0] in its section, for messages."""
    firms = [f.name for f in base.firms]
    names = metric_names(list(base.simulation.stages), firms)
    outcomes: list[ResolvedOutcome] = []
    for i, outcome in enumerate(wanted, first):
        where = f"{source}: {section}[{i}]"
        if outcome.metric not in names:
            import difflib

            close = difflib.get_close_matches(outcome.metric, names, n=1)
            problems.append(f"{where}: unknown metric {outcome.metric!r}{f' (did you mean {close[0]!r}?)' if close else ''}; metrics are {', '.join(names)}")
            continue
        if isinstance(outcome.at, int) and outcome.at > base.simulation.months:
            problems.append(f"{where}: at month {outcome.at}, after the last month ({base.simulation.months}); give a month within the run")
            continue
        for firm in [outcome.firm] if isinstance(outcome.firm, str) else outcome.firm:
            if firm not in firms:
                problems.append(f"{where}: no firm named {firm!r} in scenario {base.name}; firms are {', '.join(firms)}")
                continue
            at = outcome.at if outcome.at != "default" else ("total" if is_flow(outcome.metric) else "horizon")
            name = f"{outcome.metric}[{firm}]" + ("" if outcome.at == "default" else f"@{at}")
            if any(o.name == name for o in outcomes):
                problems.append(f"{where}: {name} is asked for twice")
                continue
            outcomes.append(ResolvedOutcome(name, outcome.metric, firm, at, names.index(outcome.metric), firms.index(firm)))
    return outcomes


def reduce_outcomes(firm_metrics: np.ndarray, outcomes: list[ResolvedOutcome]) -> np.ndarray:
    """[lanes, months, firms, metrics] -> [lanes, outcomes], each outcome read as it says."""
    columns = []
    for o in outcomes:
        series = firm_metrics[:, :, o.firm_index, o.metric_index].astype(np.float64)
        if o.at == "horizon":
            columns.append(series[:, -1])
        elif o.at == "total":
            columns.append(series.sum(axis=1))
        elif o.at == "mean":
            columns.append(series.mean(axis=1))
        else:
            columns.append(series[:, int(o.at) - 1])
    return np.stack(columns, axis=1)


def _typed(value: Any, factor: ResolvedFactor) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if factor.integer:
        return int(round(float(value)))
    return float(value)


def expand(data: Any, path: list) -> tuple[list[list], str | None]:
    """Every field that `path` names in the scenario mapping `data`: a `*` stands for every key of a
    mapping or every entry of a list (`archetypes.*.equity`). (paths, None), or ([], what is wrong)."""
    if "*" not in path:
        return [list(path)], value_at(data, path)[1]
    i = path.index("*")
    node, problem = value_at(data, path[:i])
    if problem:
        return [], problem
    keys = list(node) if isinstance(node, dict) else list(range(len(node))) if isinstance(node, list) else []
    if not keys:
        return [], f"{'.'.join(map(str, path[:i]))} has no fields for * to stand for"
    out: list[list] = []
    for key in keys:
        paths, problem = expand(data, path[:i] + [key] + path[i + 1 :])
        if problem:
            return [], problem
        out += paths
    return out, None


def _shapes(params: Params) -> tuple:
    import jax

    leaves = jax.tree_util.tree_leaves(params)
    return (tuple((np.shape(x), np.asarray(x).dtype.str) for x in leaves), tuple(np.asarray(params.on).tolist()))


