"""All fourteen claims end to end in quick mode (a small market, few replications), the API and the command."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import talentwar
from talentwar.claims import CLAIMS, NOT_APPLICABLE, VERDICTS
from talentwar.claims.document import write_json, write_markdown
from talentwar.claims.figures import plot_claim
from talentwar.cli import app


@pytest.fixture(scope="module")
def quick_results():
    calls = []
    results = talentwar.run_claims(quick=True, progress=lambda done, total, claim: calls.append((done, total, claim)))
    return results, calls


def test_all_fourteen_run_and_are_judged(quick_results):
    results, calls = quick_results
    assert [r.id for r in results] == list(CLAIMS)
    total = calls[-1][1]
    assert [c[0] for c in calls] == list(range(1, total + 1)) and total == sum(r.runs for r in results)
    for r in results:
        assert r.verdict in VERDICTS, (r.id, r.reason)
        assert len(r.sweep) >= 2 and r.headline in [p.value for p in r.sweep]
        assert r.effect.n >= 1, r.id  # in a small market some replications see no offers at all (C2)
        assert r.verdict == CLAIMS[r.id].judge(r.effect)


def test_json_has_every_claim_with_its_sweep(quick_results):
    results, _ = quick_results
    data = json.loads(json.dumps([r.to_dict() for r in results]))
    for item in data:
        assert {"id", "verdict", "effect", "interval", "sweep", "insensitive", "flips"} <= set(item)
        assert len(item["sweep"]) >= 2 and all({"value", "effect", "verdict"} <= set(p) for p in item["sweep"])


def test_report_and_figures(quick_results, tmp_path):
    results, _ = quick_results
    context = {"command": "talentwar claims --quick --out X", "version": "0", "scenario": "s", "replications": 8, "seed": 0, "simulations": 1, "seconds": 1.0, "machine": "m"}
    text = write_markdown(results, CLAIMS, tmp_path / "claims.md", context).read_text()
    assert "talentwar claims --quick --out X" in text and text.count("![C") == 14
    assert json.loads(write_json(results, tmp_path / "claims.json", context).read_text())["claims"][13]["id"] == "C14"
    png = plot_claim(results[4], CLAIMS["C5"], tmp_path / "C5.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_same_seed_same_numbers():
    first, second = (talentwar.run_claims(["C5"], quick=True)[0] for _ in range(2))
    assert first.to_dict()["sweep"] == second.to_dict()["sweep"]


def test_claim_without_its_parts_is_not_applicable():
    (result,) = talentwar.run_claims(["C11"], scenario="job-ladder", quick=True)
    assert result.verdict == NOT_APPLICABLE and "pact" in result.reason and result.runs == 0


def test_unknown_claim_is_an_error():
    with pytest.raises(ValueError, match="unknown claim C99"):
        talentwar.run_claims(["C99"])


def test_command_prints_json_and_writes_the_report(tmp_path):
    out = tmp_path / "report"
    result = CliRunner().invoke(app, ["claims", "C5", "c12", "--quick", "--json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["id"] for d in data] == ["C5", "C12"]
    assert (out / "claims.md").exists() and (out / "claims.json").exists()
    assert sorted(p.name for p in (out / "claims").iterdir()) == ["C12.png", "C5.png"]
    assert not [p for p in out.iterdir() if p.name.startswith(".talentwar")]  # no staging left behind


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["claims", "C0"], "claims: unknown claim C0"),
        (["claims", "--scenario", "nope"], "no built-in scenario"),
        (["claims", "--replications", "1"], "--replications"),
    ],
)
def test_command_mistakes_are_one_line(args, message):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output
