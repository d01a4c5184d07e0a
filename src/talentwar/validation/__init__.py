"""Stylised facts as experiments (`talentwar validate`): does the model react as the evidence says?

Each module holds one published finding with its source, the band that counts as reproducing it
and the experiment that measures it (validation/base.py explains the estimates):

    import talentwar
    for fact in talentwar.run_validation(quick=True):
        print(fact.id, fact.title, fact.value, fact.band, fact.passed)

docs/validation.md is the output for the default scenario, with a figure per fact.
"""

from __future__ import annotations

import importlib

from talentwar.validation.base import Fact, FactResult
from talentwar.validation.runner import run_validation

MODULES = (
    "a_job_ladder",
    "b_vesting_bunching",
    "c_vesting_removed",
    "d_grants_delay",
    "e_two_year_retention",
    "f_directional_flows",
    "g_offers_declined",
    "h_seekers_switch",
)
FACTS: dict[str, Fact] = {
    fact.id: fact for fact in (importlib.import_module(f"talentwar.validation.{name}").FACT for name in MODULES)
}

__all__ = ["FACTS", "Fact", "FactResult", "run_validation"]
