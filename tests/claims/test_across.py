"""Claims across worlds: every claim judged in each sampled world, the shares, the box, the pages."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import yaml
from typer.testing import CliRunner

from talentwar.claims import CLAIMS
from talentwar.claims.across import _summarise
from talentwar.cli import app
from tests.conftest import MINI
from tests.test_explore import EXPERIMENT as MINI_EXPERIMENT

EXPERIMENT = {**MINI_EXPERIMENT, "name": "across-mini", "design": {"method": "latin", "samples": 3, "replications": 2, "months": 6}}


def test_each_claim_is_judged_in_every_world_and_the_pages_gain_the_column(tmp_path):
    path = tmp_path / "across.yaml"
    path.write_text(yaml.safe_dump(EXPERIMENT))
    store, out = str(tmp_path / "runs.duckdb"), tmp_path / "docs"
    claims = CliRunner().invoke(app, ["claims", "C4", "C6", "--scenario", str(MINI), "--quick", "--out", str(out), "--store", store])
    assert claims.exit_code == 0, claims.output
    ran = CliRunner().invoke(app, ["claims", "C4", "C6", "--across", str(path), "--json", "--out", str(out), "--store", store])
    assert ran.exit_code == 0, ran.output
    result = json.loads(ran.stdout[ran.stdout.index("{"):])
    assert result["worlds"] == 3 and [c["id"] for c in result["claims"]] == ["C4", "C6"]
    for claim in result["claims"]:
        assert len(claim["verdicts"]) == 3 and abs(sum(claim["shares"].values()) - 1) < 1e-9
    page = (out / "claims.md").read_text()
    assert "| across worlds |" in page and "claims-across.md" in page
    assert "C4" in (out / "claims-across.md").read_text()
    refused = CliRunner().invoke(app, ["claims", "--across", str(path), "--scenario", "job-ladder", "--store", store])
    assert refused.exit_code == 2 and "comes from the experiment file" in refused.output


def test_the_box_says_where_a_claim_holds():
    rng = np.random.default_rng(0)
    worlds = pd.DataFrame({"taste": rng.uniform(0.1, 0.6, 200), "poaching": rng.uniform(0.05, 0.4, 200)})
    verdicts = ["supported" if t > 0.35 else "not supported" for t in worlds["taste"]]
    summary = _summarise(CLAIMS["C4"], verdicts, [0.0] * 200, worlds, {})
    assert abs(summary.shares["supported"] - np.mean(worlds["taste"] > 0.35)) < 1e-12
    assert summary.box is not None and summary.box.density > 0.9 and summary.box.limits.loc["taste", "low"] > 0.3
    assert "taste in [" in summary.box_text()
    nowhere = _summarise(CLAIMS["C4"], ["not supported"] * 200, [0.0] * 200, worlds, {})
    assert nowhere.box is None and nowhere.box_note == "supported in no world"
