"""Every kind of scenario mistake gives one line per problem naming the file, the field and
what would be right, with exit status 2 and no traceback (`talentwar scenario check`)."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from talentwar.cli import app

# The smallest valid scenario: one lab and the outside pool, three researchers each.
MINIMAL = {
    "name": "tiny",
    "simulation": {"months": 3, "replications": 2, "stages": ["architecture"]},
    "firms": [
        {"name": "lab", "kind": "lab", "population": [{"role": "core", "stage": "architecture", "count": 3}]},
        {"name": "outside", "kind": "outside", "population": [{"role": "core", "stage": "architecture", "count": 3}]},
    ],
}
GROUP = ("firms", 0, "population", 0)
DELETE = object()


def edited(*changes: tuple) -> dict:
    """MINIMAL with each `(*path, value)` change applied; the value DELETE removes the field."""
    data = copy.deepcopy(MINIMAL)
    for *path, value in changes:
        node = data
        for part in path[:-1]:
            node = node[part]
        if value is DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
    return data


def appended(path: tuple, item: dict) -> dict:
    data = copy.deepcopy(MINIMAL)
    node = data
    for part in path:
        node = node[part]
    node.append(copy.deepcopy(item))
    return data


def check(tmp_path: Path, content: dict | str, *options: str, name: str = "scenario.yaml"):
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False), encoding="utf-8")
    return CliRunner().invoke(app, ["scenario", "check", str(path), *options]), path


def assert_user_error(result, path: Path | str, *expected: str) -> list[str]:
    """Exit 2, every line on stderr names the file, each expected text appears, no traceback."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines, "no problem was reported"
    for line in lines:
        assert line.startswith(str(path)), line
    for text in expected:
        assert text in result.stderr, f"{text!r} not in:\n{result.stderr}"
    return lines


GROUP_PATH = "firms[0].population[0]"
MISTAKES = [
    pytest.param(edited(("colour", "red")), "colour", "unknown field 'colour'; expected one of name, description", id="unknown-top-level-field"),
    pytest.param(
        edited(("firms", 0, "sepration_rate", 0.1)),
        "firms[0].sepration_rate",
        "did you mean 'separation_rate'?",
        id="unknown-firm-field",
    ),
    pytest.param(
        edited((*GROUP, "salary", {"dist": "uniform", "low": 100, "hihg": 200})),
        f"{GROUP_PATH}.salary.hihg",
        "expected one of dist, low, high",
        id="unknown-distribution-field",
    ),
    pytest.param(edited((*GROUP, "count", "three")), f"{GROUP_PATH}.count", "expected a whole number (got 'three')", id="string-for-count"),
    pytest.param(edited((*GROUP, "count", -3)), f"{GROUP_PATH}.count", "must be >= 0 (got -3)", id="negative-count"),
    pytest.param(edited(("firms", 0, "separation_rate", 1.5)), "firms[0].separation_rate", "must be <= 1", id="probability-above-1"),
    pytest.param(edited(("market", {"temperature": -0.5})), "market.temperature", "must be >= 0", id="negative-temperature"),
    pytest.param(edited(("market", "hot")), "market", "expected a mapping of fields (field: value", id="section-not-a-mapping"),
    pytest.param(edited(("firms", 0, "kind", "university")), "firms[0].kind", "must be one of 'lab', 'incumbent'", id="unknown-firm-kind"),
    pytest.param(edited(("name", DELETE)), "name", "required field is missing", id="missing-name"),
    pytest.param(
        edited(("investors", [{"name": "vc", "stakes": {"nolab": 0.5}}])),
        "investors[0].stakes",
        "unknown firm 'nolab', expected one of ['lab', 'outside']",
        id="stake-in-unknown-firm",
    ),
    pytest.param(
        edited(("investors", [{"name": "vc", "pact": {"protects": ["nolab"]}}])),
        "investors[0].pact.protects",
        "unknown firm 'nolab'",
        id="pact-protects-unknown-firm",
    ),
    pytest.param(
        edited(("investors", [{"name": "vc", "stakes": {"lab": 0.7}}, {"name": "pe", "stakes": {"lab": 0.6}}])),
        "investors",
        "stakes in 'lab' add up to 1.3, more than the whole firm (1)",
        id="stakes-sum-above-1",
    ),
    pytest.param(edited(("investors", [{"name": "vc", "stakes": {"lab": 1.5}}])), "investors[0].stakes.lab", "must be <= 1", id="stake-above-1"),
    pytest.param(edited(("firms", [])), "firms", "needs 1 or more entries, got 0", id="no-firms"),
    pytest.param(edited(("firms", MINIMAL["firms"][:1])), "firms", "exactly one firm must have kind 'outside'", id="no-outside-pool"),
    pytest.param(appended(("firms",), {"name": "outside2", "kind": "outside"}), "firms", "found 2", id="two-outside-pools"),
    pytest.param(
        edited(("firms", 1, "compute", {"gpus": 100})),
        "firms[1].compute",
        "leave it out for the outside pool; an outside job's compute is market.outside_market.compute_share",
        id="outside-pool-given-compute",
    ),
    pytest.param(edited(("market", {"outside_market": {"compute_share": 1.5}})), "market.outside_market.compute_share", "<= 1", id="outside-compute-share-above-1"),
    pytest.param(appended(("firms",), {"name": "lab", "kind": "startup"}), "firms", "names must be unique, lab appears", id="duplicate-firm-names"),
    pytest.param(edited(("mechanisms", {"M99": False})), "mechanisms", "unknown mechanism 'M99', expected one of M1", id="unknown-mechanism"),
    pytest.param(edited((*GROUP, "stage", "alchemy")), f"{GROUP_PATH}.stage", "expected one of ['architecture']", id="unknown-stage"),
    pytest.param(edited((*GROUP, "archetypes", {"zealot": 1.0})), f"{GROUP_PATH}.archetypes", "unknown archetype 'zealot'", id="unknown-archetype"),
    pytest.param(
        edited((*GROUP, "archetypes", {"balanced": 0.6})),
        f"{GROUP_PATH}.archetypes",
        "shares must add up to 1, they add up to 0.6",
        id="archetype-shares",
    ),
    pytest.param(
        edited((*GROUP, "salary", {"dist": "uniform", "low": 300, "high": 100})),
        f"{GROUP_PATH}.salary",
        "high (100.0) must be >= low (300.0)",
        id="uniform-high-below-low",
    ),
    pytest.param(
        edited((*GROUP, "salary", {"dist": "gauss", "mean": 200})),
        f"{GROUP_PATH}.salary",
        "unknown distribution 'gauss'; expected dist: fixed, uniform, lognormal or beta",
        id="unknown-distribution",
    ),
    pytest.param(
        edited((*GROUP, "knowledge", {"own_stage": {"dist": "uniform", "low": 0.5, "high": 2.0}})),
        f"{GROUP_PATH}.knowledge.own_stage",
        "draws must be >= 0.0 and <= 1.0",
        id="knowledge-outside-unit-interval",
    ),
    pytest.param(
        edited((*GROUP, "equity", {"months": 12, "cliff_months": 24})),
        f"{GROUP_PATH}.equity",
        "cliff_months (24) must be <= months (12)",
        id="cliff-longer-than-vesting",
    ),
    pytest.param(
        appended(("firms", 0, "population"), MINIMAL["firms"][0]["population"][0]),
        "firms[0].population",
        "role 'core' and stage 'architecture' appear twice",
        id="duplicate-role-and-stage",
    ),
    pytest.param(
        edited(("firms", 0, "poaching", {"offer_rate": 0.1, "hunts": {"firms": ["lab"]}})),
        "firms[0].poaching.hunts.firms",
        "cannot poach from itself",
        id="poacher-hunts-itself",
    ),
    pytest.param(
        edited(("departures", [{"firm": "acme", "month": 1, "count": 1}])),
        "departures[0].firm",
        "unknown employer 'acme'",
        id="departure-from-unknown-firm",
    ),
    pytest.param(
        edited(("departures", [{"firm": "lab", "month": 1, "count": 1, "to": "lab"}])),
        "departures[0].to",
        "cannot leave 'lab' for 'lab' itself",
        id="departure-to-the-same-firm",
    ),
    pytest.param(
        edited(("departures", [{"firm": "lab", "month": 9, "count": 1}])),
        "departures[0].month",
        "after the horizon (3 months)",
        id="departure-after-the-horizon",
    ),
    pytest.param(
        edited(("departures", [{"firm": "lab", "month": 1, "count": 1, "who": "best"}])),
        "departures[0].who",
        "'top' or 'random'",
        id="departure-who-unknown",
    ),
]


@pytest.mark.parametrize(("content", "field_path", "hint"), MISTAKES)
def test_mistake_names_file_field_and_remedy(tmp_path, content, field_path, hint):
    result, path = check(tmp_path, content)
    assert_user_error(result, path, f": {field_path}: ", hint)


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        pytest.param("name: tiny\nfirms:\n  - name: lab\n   kind: lab\n", 4, "check the indentation", id="bad-indentation"),
        pytest.param("name: tiny\nfirms: [\n  {name: lab\n", 4, "flow mapping that starts on line 3", id="unclosed-bracket"),
    ],
)
def test_malformed_yaml_gives_line(tmp_path, text, line, hint):
    result, path = check(tmp_path, text)
    assert_user_error(result, path, f"{path}:{line}: not valid YAML", hint)


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        pytest.param("- name: tiny\n- firms: []\n", "the file holds a list; expected a mapping", id="list-not-mapping"),
        pytest.param("", "the file is empty; expected a mapping of scenario fields", id="empty-file"),
    ],
)
def test_file_of_wrong_shape(tmp_path, text, hint):
    result, path = check(tmp_path, text)
    assert_user_error(result, path, hint)


def _alias_bomb(levels: int = 9, width: int = 10) -> str:
    """About 500 bytes that expand to width ** levels values once the aliases are followed."""
    lines = ["a0: &a0 [" + ", ".join(["x"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        pytest.param("name: tiny\nfirms: &a [*a]\n", ":2: an alias is used inside its own anchor", id="recursive-alias"),
        pytest.param("name: " + "[" * 500 + "]" * 500 + "\n", ":1: nested more than 64 levels deep", id="deep-nesting"),
        pytest.param("a:\n" + "".join("  " * i + "- \n" for i in range(1, 100)), "nested more than 64 levels deep", id="deep-block-nesting"),
        pytest.param(_alias_bomb(), "expands to more than 100,000 values once its aliases are followed", id="alias-bomb"),
        pytest.param("x: &x [1, 2]\n" + "".join(f"y{i}: &y{i} [*{'x' if i == 0 else f'y{i - 1}'}]\n" for i in range(70)), "nested more than 64 levels deep once its aliases are followed", id="deep-through-aliases"),
    ],
)
def test_hostile_yaml_is_refused_in_one_line_before_it_is_expanded(tmp_path, text, hint):
    result, path = check(tmp_path, text)
    assert len(assert_user_error(result, path, hint)) == 1


def test_a_pipe_or_device_is_refused_without_reading_it(tmp_path):
    import os

    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)  # reading it would wait for a writer forever
    for target in (fifo, Path("/dev/zero")):  # /dev/zero would fill memory
        result = CliRunner().invoke(app, ["scenario", "check", str(target)])
        assert_user_error(result, target, "is not a regular file (a pipe, device or socket)")


def test_a_file_too_large_or_not_utf8_is_refused(tmp_path):
    result, path = check(tmp_path, "name: tiny\n" + "# padding\n" * 500_000)
    assert_user_error(result, path, "larger than 4 MiB")
    path.write_bytes(b"name: \xff\xfe\n")
    assert_user_error(CliRunner().invoke(app, ["scenario", "check", str(path)]), path, "not UTF-8 text (byte 6 cannot be decoded)")


def test_a_file_name_too_long_for_the_system_is_named_shortened(tmp_path):
    name = str(tmp_path / ("x" * 300 + ".yaml"))
    result = CliRunner().invoke(app, ["scenario", "check", name])
    assert result.exit_code == 2 and "Traceback" not in result.output
    line = result.stderr.strip()
    assert "cannot be opened" in line and " ... " in line and len(line) < 250 and "\n" not in line


def test_many_problems_show_the_first_twenty_and_a_count_and_long_values_are_shortened(tmp_path):
    content = edited(*[(f"field_{i}", i) for i in range(50)], ("name", "x" * 5000 + "\nsecond line"))
    result, path = check(tmp_path, content)
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 21 and lines[-1] == "... and 31 more problems; fix these first and check again"
    assert all(line.startswith(str(path)) and len(line) <= 600 for line in lines[:-1])
    assert lines[0].startswith(f"{path}:") and ": name: must have at most 64 characters (got 'xxx" in lines[0]
    assert " ... " in lines[0] and lines[0].endswith("xxx\\nsecond line')")  # shortened in the middle, the newline escaped


def test_error_line_points_at_the_mistake(tmp_path):
    result, path = check(tmp_path, edited(("firms", 0, "sepration_rate", 0.1)))
    line = path.read_text().splitlines().index("  sepration_rate: 0.1") + 1
    assert_user_error(result, path, f"{path}:{line}: firms[0].sepration_rate")


def test_several_mistakes_give_one_line_each(tmp_path):
    content = edited(("colour", "red"), ("firms", 0, "separation_rate", 2), (*GROUP, "count", -1))
    result, path = check(tmp_path, content)
    lines = assert_user_error(result, path, ": colour: ", ": firms[0].separation_rate: ", f": {GROUP_PATH}.count: ")
    assert len(lines) == 3


def test_missing_file(tmp_path):
    # Through the installed entry point, as a user meets it.
    path = tmp_path / "nowhere.yaml"
    talentwar = Path(sys.executable).with_name("talentwar")
    done = subprocess.run([talentwar, "scenario", "check", str(path)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(f"{path}: no such file; give a scenario file or one of the built-ins: ")
    assert len(done.stderr.splitlines()) == 1


def test_folder_instead_of_file(tmp_path):
    result = CliRunner().invoke(app, ["scenario", "check", str(tmp_path)])
    assert_user_error(result, tmp_path, "is a folder; give a scenario YAML file")


@pytest.mark.parametrize(
    ("option", "expected"),
    [
        pytest.param("market.temperature=abc", "(--set market.temperature=abc): market.temperature: expected a number (got 'abc')", id="bad-value"),
        pytest.param("markte.temperature=0.5", "markte: unknown field 'markte' (did you mean 'market'?)", id="bad-path"),
        pytest.param("firms[5].separation_rate=0.1", "firms[5]: index out of range (the list has 2 entries)", id="index-out-of-range"),
        pytest.param("simulation.months.x=1", "simulation.months is a single value, it has no field 'x'", id="field-of-a-number"),
        pytest.param("market.temperature", "expected FIELD.PATH=VALUE", id="no-equals"),
        pytest.param("name=" + "[" * 1200, "nested more than 64 levels deep; a scenario needs about 6 (in the value)", id="deep-value"),
    ],
)
def test_bad_set_option(tmp_path, option, expected):
    result, path = check(tmp_path, MINIMAL, "--set", option)
    assert_user_error(result, path, expected)


def test_a_set_option_that_replaced_a_list_by_a_number_leaves_later_options_working(tmp_path):
    result, path = check(tmp_path, MINIMAL, "--set", "firms=5", "--set", "name=x")
    assert_user_error(result, path, "(--set firms=5): firms: expected a list")


def test_valid_file_passes(tmp_path):
    result, path = check(tmp_path, MINIMAL)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{path}: valid (1 firm, 3 researchers, 3 months)"


def test_set_option_applies_before_validation(tmp_path):
    result, path = check(tmp_path, MINIMAL, "--set", "simulation.months=12", "--set", "firms.lab.population[0].count=5")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"{path}: valid (1 firm, 5 researchers, 12 months)"
