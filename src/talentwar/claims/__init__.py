"""The seeds' claims as experiments (MODEL.md, C1-C14): one module per claim, run by `run_claims`.

    import talentwar
    results = talentwar.run_claims(["C1", "C5"], replications=50)
    for claim in results:
        print(claim.id, claim.verdict, claim.effect, claim.flip_text())

docs/claims.md explains each claim, its experiment and the verdict rule (claims/base.py).
"""

from __future__ import annotations

import importlib

from talentwar.claims.base import NOT_APPLICABLE, VERDICTS, Claim, ClaimResult, Estimate, SweepPoint, verdict
from talentwar.claims.experiment import QUICK, run_claims

MODULES = (
    "c01_paper_handcuffs",
    "c02_cluster_beats_equity",
    "c03_protected_class",
    "c04_rest_and_vest",
    "c05_matching_spiral",
    "c06_redundancy",
    "c07_liquidity_windows",
    "c08_misaligned_churn",
    "c09_key_architects",
    "c10_lean_labs",
    "c11_pact_leaks",
    "c12_compartmentalisation",
    "c13_blue_sky",
    "c14_talent_density",
)
CLAIMS: dict[str, Claim] = {
    claim.id: claim for claim in (importlib.import_module(f"talentwar.claims.{name}").CLAIM for name in MODULES)
}

__all__ = [
    "CLAIMS",
    "NOT_APPLICABLE",
    "QUICK",
    "VERDICTS",
    "Claim",
    "ClaimResult",
    "Estimate",
    "SweepPoint",
    "run_claims",
    "verdict",
]
