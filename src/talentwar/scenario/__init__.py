"""Scenario files: the schema, built-ins, loading with precise errors."""

from talentwar.scenario.loader import (
    ScenarioError,
    apply_overrides,
    builtin_names,
    builtin_text,
    json_schema,
    load_scenario,
    scenario_hash,
    to_yaml,
    validate,
)
from talentwar.scenario.scale import scale_market
from talentwar.scenario.schema import MECHANISMS, ROLES, Scenario

__all__ = [
    "MECHANISMS",
    "ROLES",
    "Scenario",
    "ScenarioError",
    "apply_overrides",
    "builtin_names",
    "builtin_text",
    "json_schema",
    "load_scenario",
    "scale_market",
    "scenario_hash",
    "to_yaml",
    "validate",
]
