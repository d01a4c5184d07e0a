"""Hostile input for the command line (issue 20): mutated scenario files, `--set` options and
command-line flags, each run in-process and judged by the promise every command makes.

The promise: exit 0 or 2; no traceback; no hang past a few seconds; on exit 2, at most 21 lines
on stderr (20 problems and a count), none longer than 600 characters; and a scenario that is
accepted runs to finite outputs. `tests/test_fuzz.py` runs a few hundred cases; the script
`benchmarks/fuzz.py` runs 10,000 and prints the counts.
"""

from __future__ import annotations

import copy
import math
import random
import signal
import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from talentwar.cli import app

BASE = Path(__file__).parent / "scenarios" / "mini.yaml"
CHECK_SECONDS = 5  # a check that takes longer has hung
RUN_SECONDS = 300  # a run of an accepted scenario (compiling included) that takes longer has hung
HOSTILE = [
    ".nan", ".inf", "-.inf", -1, 0, 1e308, -1e308, 10**30, 2**31, 2**63, "", "x" * 5000, [], {}, None, True, "a\nb",
    [[[[[1]]]]], 1e-300, "lognormal", {"dist": "beta", "mean": 0.5, "concentration": 1e-300},
    {"dist": "lognormal", "median": 1e30, "sigma": 3}, {"dist": "uniform", "low": -1e30, "high": 1e30}, "${HOME}", "~",
]
OUTCOMES = ("accepted", "refused", "traceback", "hang", "bad message", "non-finite output")


class Hung(Exception):
    pass


@contextmanager
def deadline(seconds: int):
    """Raise Hung in the main thread after `seconds`."""

    def expire(signum, frame):
        raise Hung

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [path] + [p for k, v in node.items() for p in _leaves(v, path + (k,))]
    if isinstance(node, list):
        return [path] + [p for i, v in enumerate(node) for p in _leaves(v, path + (i,))]
    return [path]


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _value(rng: random.Random, old: Any) -> Any:
    if rng.random() < 0.5 and isinstance(old, (int, float)) and not isinstance(old, bool) and math.isfinite(old) and abs(old) < 1e300:
        return rng.choice([old * 10.0 ** rng.randint(-6, 12), -old, old + rng.uniform(-1, 1), int(old * rng.randint(0, 1000))])
    value = rng.choice(HOSTILE)
    return yaml.safe_load(value) if isinstance(value, str) and value.startswith((".", "-.")) else copy.deepcopy(value)


def mutate(data: dict, rng: random.Random) -> dict:
    """A copy of `data` with one to three random changes: a value replaced, a field removed or added."""
    data = copy.deepcopy(data)
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_leaves(data)[1:])
        parent, key = _get(data, path[:-1]), path[-1]
        roll = rng.random()
        if roll < 0.7:
            parent[key] = _value(rng, parent[key])
        elif roll < 0.85 and isinstance(parent, dict):
            del parent[key]
        elif isinstance(parent, dict):
            parent[rng.choice(["colour", "sepration_rate", str(key) + "_", "x" * 300])] = _value(rng, None)
    return data


def scenario_text(rng: random.Random, base: dict) -> str:
    """A mutated scenario as YAML, sometimes damaged as text: cut short, spliced, or with a nesting
    or alias construct of hostile size added."""
    text = yaml.safe_dump(mutate(base, rng), sort_keys=False, width=10**6)
    roll = rng.random()
    if roll < 0.05:
        text = text[: rng.randrange(len(text))]
    elif roll < 0.10:
        at = rng.randrange(len(text))
        text = text[:at] + rng.choice(["[", "]", "{", ":", "&a ", "*a", "\t", "- ", "'", "\x00", "!!python/object:os.system"]) + text[at:]
    elif roll < 0.13:
        text += "deep: " + "[" * rng.randint(50, 2000) + "]" * rng.randint(0, 2000) + "\n"
    elif roll < 0.16:
        levels = rng.randint(3, 12)
        text += "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]\n" for i in range(1, levels))
    elif roll < 0.18:
        text = "firms: &f [*f]\n" + text
    return text


def set_options(rng: random.Random, base: dict) -> list[str]:
    """One to four random `--set PATH=VALUE` options over the scenario's field paths."""
    options = []
    for _ in range(rng.randint(1, 4)):
        path = rng.choice(_leaves(base)[1:])
        written = "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))
        value = _value(rng, _get(base, path))
        text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True, width=10**6).strip().removesuffix("...").strip()
        options += ["--set", f"{written}={text}"]
    return options


def flags(rng: random.Random) -> list[str]:
    """Random values for --months, --seed and --replications, numbers and otherwise."""
    values = [-1, 0, 1, 3, 1200, 1201, 2**31 - 1, 2**31, 2**32, 10**20, "abc", "1.5", "", "1e3"]
    chosen = []
    for flag in rng.sample(["--months", "--seed", "--replications"], rng.randint(1, 3)):
        chosen += [flag, str(rng.choice(values))]
    return chosen


def judge(result, check_output: bool = True) -> str:
    """The outcome of a CliRunner result against the promise."""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        return "hang" if isinstance(result.exception, Hung) else "traceback"
    if "Traceback" in result.output:
        return "traceback"
    if result.exit_code == 0:
        return "accepted"
    if result.exit_code != 2:
        return "traceback"
    lines = result.stderr.splitlines()
    if check_output and (not lines or len(lines) > 21 or any(not line.strip() or len(line) > 600 for line in lines)):
        return "bad message"
    return "refused"


def run_case(kind: str, rng: random.Random, base: dict, folder: Path, run_accepted: bool = True) -> tuple[str, str]:
    """One case of `kind` (file, set or flags); returns (outcome, what was tried)."""
    runner = CliRunner()
    if kind == "file":
        path = folder / "scenario.yaml"
        path.write_text(scenario_text(rng, base), encoding="utf-8", errors="surrogateescape")
        args = ["scenario", "check", str(path)]
    elif kind == "set":
        args = ["scenario", "check", str(BASE), *set_options(rng, base)]
    else:
        chosen = flags(rng)
        args = ["run", str(BASE), *chosen, "--store", str(folder / "runs.duckdb")]
        if _all_valid(chosen):  # would simulate: check what run checks first, without running
            return _prepared(chosen), " ".join(args)
    try:
        with deadline(CHECK_SECONDS):
            result = runner.invoke(app, args, catch_exceptions=True)
    except Hung:
        return "hang", " ".join(args)
    outcome = judge(result)
    if outcome == "accepted" and run_accepted and kind in ("file", "set"):
        outcome = _run_accepted(args)
    return outcome, " ".join(args)[:300]


def _all_valid(chosen: list[str]) -> bool:
    from talentwar.scenario.schema import simulation_bounds

    def valid(flag: str, text: str) -> bool:
        low, high = simulation_bounds(flag.removeprefix("--"))
        return text.lstrip("-").isdigit() and low <= int(text) <= high

    return all(valid(flag, text) for flag, text in zip(chosen[::2], chosen[1::2]))


def _prepared(chosen: list[str]) -> str:
    from talentwar.simulation import MemoryEstimateError, prepare

    values = {flag.removeprefix("--"): int(text) for flag, text in zip(chosen[::2], chosen[1::2])}
    try:
        with deadline(CHECK_SECONDS * 6):
            prepare(str(BASE), **values)
    except Hung:
        return "hang"
    except MemoryEstimateError:
        return "refused"
    except Exception:
        return "traceback"
    return "accepted"


def _run_accepted(args: list[str]) -> str:
    """An accepted scenario simulated (2 replications, its own months up to 6): finite, or which failure."""
    import numpy as np

    import talentwar
    from talentwar.simulation import MemoryEstimateError, NonFiniteError

    sets = [args[i + 1] for i, a in enumerate(args) if a == "--set"]
    try:
        with deadline(RUN_SECONDS):
            scenario = talentwar.load_scenario(args[2], overrides=sets)
            result = talentwar.simulate(scenario, replications=2, months=min(scenario.simulation.months, 6))
    except Hung:
        return "hang"
    except NonFiniteError:
        return "non-finite output"
    except MemoryEstimateError:
        return "refused"
    except Exception:
        return "traceback"
    values = result.metrics["value"].to_numpy()
    return "accepted" if np.isfinite(values).all() else "non-finite output"


def campaign(cases: int, seed: int = 0, run_accepted: bool = True, report=None) -> tuple[Counter, list[tuple[str, str]]]:
    """`cases` cases (a third of each kind), seeded: the counts of each outcome and the failures."""
    rng = random.Random(seed)
    base = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    counts: Counter = Counter()
    failures: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for i in range(cases):
            kind = ("file", "set", "flags")[i % 3]
            outcome, tried = run_case(kind, random.Random(rng.random()), base, Path(folder), run_accepted)
            counts[(kind, outcome)] += 1
            if outcome not in ("accepted", "refused"):
                failures.append((outcome, tried))
            if report:
                report(i + 1, cases, counts)
    return counts, failures
