"""Loading scenarios from YAML with errors a user can act on.

Every problem becomes one line: `FILE:LINE: FIELD.PATH: what is wrong (got VALUE); what is expected`.

Reading is bounded: a scenario file must be a regular file of at most MAX_BYTES, nested at most
MAX_DEPTH levels and expanding (aliases followed) to at most MAX_VALUES values, so that no input can
exhaust the stack or memory before it is checked.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import os
import re
import stat
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from talentwar.scenario.schema import Scenario


class ScenarioError(Exception):
    """A scenario that cannot be used. `problems` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


BUILTIN_PACKAGE = "talentwar.scenario.builtin"
MAX_BYTES = 4 * 1024 * 1024  # a scenario is a few kB: groups of researchers, not rows
MAX_DEPTH = 64  # levels of nesting, aliases followed (the schema needs 6)
MAX_VALUES = 100_000  # values, aliases followed (the built-ins have about 2,000)


def builtin_names() -> list[str]:
    return sorted(p.name[: -len(".yaml")] for p in resources.files(BUILTIN_PACKAGE).iterdir() if p.name.endswith(".yaml"))


def builtin_text(name: str) -> str:
    if name not in builtin_names():
        raise ScenarioError([f"{shorten(name)}: no built-in scenario of that name; built-ins are {', '.join(builtin_names())}"])
    return resources.files(BUILTIN_PACKAGE).joinpath(f"{name}.yaml").read_text(encoding="utf-8")


def load_scenario(name_or_path: str | Path, overrides: list[str] | None = None) -> Scenario:
    """Load a built-in scenario by name, or a YAML file by path, and validate it.

    `overrides` are `dotted.path=value` strings (as `talentwar run --set`), applied before
    validation so that they are checked like the file itself.
    """
    text, source = _read(name_or_path)
    data, marks = _parse(text, source)
    if overrides:
        try:
            data = apply_overrides(data, overrides)
        except ScenarioError as exc:
            raise ScenarioError([f"{source}: {problem}" for problem in exc.problems]) from None
        _mark_overrides(marks, overrides)
    return validate(data, source, marks)


def _mark_overrides(marks: dict[tuple, int | str], overrides: list[str]) -> None:
    """Point errors in overridden values at the --set option, not at the file's line."""
    for text in overrides:
        path = tuple(parse_field_path(text.split("=", 1)[0]))
        for key in [key for key in marks if key[: len(path)] == path]:
            del marks[key]
        for depth in range(1, len(path) + 1):
            marks.setdefault(path[:depth], f"--set {text}")


def _read(name_or_path: str | Path) -> tuple[str, str]:
    name, path = str(name_or_path), Path(name_or_path)
    try:
        os.stat(path)
    except FileNotFoundError:
        if path.suffix not in {".yaml", ".yml"} and "/" not in name:
            return builtin_text(name), f"{name} (built-in)"  # which refuses a name that is not a built-in's
    except (OSError, ValueError):
        pass  # read_file says what is wrong
    return read_file(
        name_or_path,
        "a scenario YAML file",
        "a scenario file describes groups of researchers and takes a few kB",
        missing=f"give a scenario file or one of the built-ins: {', '.join(builtin_names())}",
    )


def read_file(name_or_path: str | Path, kind: str, why_small: str, missing: str | None = None) -> tuple[str, str]:
    """The UTF-8 text of a regular file of at most MAX_BYTES and a short name for it in messages;
    a problem raises ScenarioError with one line that says what would be right (`kind`: "a
    scenario YAML file"; `why_small`: why MAX_BYTES is plenty)."""
    name, path = str(name_or_path), Path(name_or_path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError([f"{shorten(name)}: no such file; {missing or f'give {kind}'}"]) from None
    except (OSError, ValueError) as exc:  # a name too long for the system, a NUL byte, no permission on a folder
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScenarioError([f"{shorten(name)}: cannot be opened ({reason}); give the path of {kind}"]) from None
    if stat.S_ISDIR(info.st_mode):
        raise ScenarioError([f"{shorten(name)}: is a folder; give {kind}"])
    if not stat.S_ISREG(info.st_mode):
        raise ScenarioError([f"{shorten(name)}: is not a regular file (a pipe, device or socket); give {kind}"])
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ScenarioError([f"{shorten(name)}: cannot be read ({exc.strerror or exc}); expected {kind} in UTF-8"]) from None
    if len(raw) > MAX_BYTES:
        raise ScenarioError([f"{shorten(name)}: larger than {MAX_BYTES // 2**20} MiB; {why_small}"])
    try:
        return raw.decode("utf-8"), shorten(name)
    except UnicodeDecodeError as exc:
        raise ScenarioError([f"{shorten(name)}: not UTF-8 text (byte {exc.start} cannot be decoded); expected {kind} in UTF-8"]) from None


def shorten(text: str, limit: int = 120) -> str:
    """`text` on one line and at most about `limit` characters: newlines escaped, the middle elided."""
    text = text.replace("\n", "\\n").replace("\r", "\\r")
    if len(text) <= limit:
        return text
    keep = (limit - 5) // 2
    return f"{text[:keep]} ... {text[-keep:]}"


def load_yaml(text: str, source: str) -> tuple[Any, Any]:
    """The YAML document in `text` and its node tree (for line numbers), read within MAX_DEPTH and
    MAX_VALUES; a problem raises ScenarioError with one line that names `source`."""
    try:
        _check_nesting(text, source)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                _check_expansion(node, source)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{source}:{mark.line + 1}" if mark is not None else source
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, opened = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context and opened is not None:
            problem += f" ({context} that starts on line {opened.line + 1})"
        raise ScenarioError(
            [f"{where}: not valid YAML: {shorten(problem)}; check the indentation and that brackets and quotes are closed"]
        ) from None
    return data, node


def _check_nesting(text: str, source: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH before PyYAML's composer recurses into it."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ScenarioError([f"{source}:{event.start_mark.line + 1}: nested more than {MAX_DEPTH} levels deep; a scenario needs about 6"])
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_expansion(root: Any, source: str) -> None:
    """Refuse an alias used inside its own anchor, and aliases that expand past MAX_DEPTH levels or
    MAX_VALUES values. Each node is measured once (memoised), so a bomb costs what its text costs."""
    measured: dict[int, tuple[int, int]] = {}  # node -> (values, levels) below and including it
    open_nodes: set[int] = set()

    def measure(node: Any, depth: int) -> tuple[int, int]:
        line = node.start_mark.line + 1
        if id(node) in open_nodes:
            raise ScenarioError([f"{source}:{line}: an alias is used inside its own anchor (a structure that contains itself); write the values out"])
        if id(node) not in measured:
            open_nodes.add(id(node))
            children = [v for pair in node.value for v in pair] if isinstance(node, yaml.MappingNode) else node.value if isinstance(node, yaml.SequenceNode) else []
            below = [measure(child, depth + 1) for child in children]
            open_nodes.discard(id(node))
            measured[id(node)] = (1 + sum(values for values, _ in below), 1 + max((levels for _, levels in below), default=0))
        values, levels = measured[id(node)]
        if depth - 1 + levels > MAX_DEPTH:
            raise ScenarioError([f"{source}:{line}: nested more than {MAX_DEPTH} levels deep once its aliases are followed; a scenario needs about 6"])
        if values > MAX_VALUES:
            raise ScenarioError([f"{source}:{line}: expands to more than {MAX_VALUES:,} values once its aliases are followed; a scenario has a few thousand"])
        return values, levels

    measure(root, 1)


def _parse(text: str, source: str) -> tuple[Any, dict[tuple, int]]:
    data, node = load_yaml(text, source)  # the node tree gives line numbers for errors
    if not isinstance(data, dict):
        holds = "is empty" if data is None else f"holds a {_YAML_KINDS.get(type(data), type(data).__name__)}"
        raise ScenarioError([f"{source}: the file {holds}; expected a mapping of scenario fields (name: ..., firms: ...)"])
    marks: dict[tuple, int] = {}
    _collect_marks(node, (), marks)
    return data, marks


_YAML_KINDS = {list: "list", str: "single text value", int: "single number", float: "single number", bool: "single true/false"}


def _collect_marks(node: Any, path: tuple, marks: dict[tuple, int]) -> None:
    """Map each field path to the line it starts on, for error messages."""
    if node is None:
        return
    marks[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            _collect_marks(value_node, path + (key,), marks)
            marks[path + (key,)] = key_node.start_mark.line + 1  # a field's line is its key's
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _collect_marks(item, path + (index,), marks)


def validate(data: dict, source: str = "<scenario>", marks: dict[tuple, int | str] | None = None) -> Scenario:
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(format_errors(exc, source, marks or {})) from None


_PATH_PREFIX = re.compile(r"^((?:[A-Za-z_][\w]*|\[\d+\])(?:(?:\.[A-Za-z_][\w]*)|\[\d+\])*): (.*)$", re.S)


def format_errors(exc: ValidationError, source: str, marks: dict[tuple, int | str], model: type[BaseModel] = Scenario) -> list[str]:
    """One line per problem pydantic found validating `model` from `source`: where (file:line), which field, what would be right."""
    lines: list[str] = []
    for error in exc.errors(include_url=False):
        loc = [part for part in error["loc"] if not _is_union_tag(part)]
        message = _explain(error, model)
        if loc and loc[-1] == "[key]":  # a mapping key of the wrong type: name the mapping and the key
            key, loc = loc[-2], loc[:-2]
            lines.append(f"{_where(source, _line_for(tuple(loc), marks))}: {_join(loc) or '(top level)'}: the key {shorten(repr(key), 80)} is not a name; keys here are text")
            continue
        match = _PATH_PREFIX.match(message)
        if match and error["type"] == "value_error":
            # Model validators name the field they reject at the start of their message.
            loc = loc + _split_path(match.group(1))
            message = match.group(2)
        path = _join(loc) or "(top level)"
        lines.append(f"{_where(source, _line_for(tuple(loc), marks))}: {path}: {message}{_describe_input(error)}")
    return lines


# What pydantic's message means for someone editing YAML; `{...}` are filled from the error's ctx.
_EXPLANATIONS = {
    "missing": "required field is missing",
    "int_parsing": "expected a whole number",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number",
    "float_type": "expected a number",
    "finite_number": "expected a finite number (not .nan or .inf)",
    "bool_parsing": "expected true or false (on/off, yes/no also work)",
    "bool_type": "expected true or false",
    "string_type": "expected text",
    "greater_than": "must be > {gt}",
    "greater_than_equal": "must be >= {ge}",
    "less_than": "must be < {lt}",
    "less_than_equal": "must be <= {le}",
    "literal_error": "must be one of {expected}",
    # Name is the schema's only pattern.
    "string_pattern_mismatch": "expected a name of letters, digits, '_', '.' and '-' only (no spaces)",
    "string_too_short": "must have at least {min_length} character(s)",
    "string_too_long": "must have at most {max_length} characters",
    "too_short": "needs {min_length} or more entries, got {actual_length}",
    "too_long": "needs {max_length} or fewer entries, got {actual_length}",
    "model_type": "expected a mapping of fields (field: value, one per line)",
    "model_attributes_type": "expected a mapping of fields (field: value, one per line)",
    "dict_type": "expected a mapping (key: value, one per line)",
    "list_type": "expected a list (one '- item' per line, or [a, b])",
    "union_tag_invalid": "unknown distribution '{tag}'; expected dist: fixed, uniform, lognormal or beta",
    "union_tag_not_found": "a distribution needs dist: fixed, uniform, lognormal or beta (or write a plain number)",
}


def _explain(error: dict, model: type[BaseModel] = Scenario) -> str:
    if error["type"] == "extra_forbidden":
        return _unknown_field(error["loc"], model)
    template = _EXPLANATIONS.get(error["type"])
    if template is None:
        return error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return template.format(**error.get("ctx", {}))


def _unknown_field(loc: tuple, model: type[BaseModel]) -> str:
    name, expected = str(loc[-1]), _fields_at(loc[:-1], model)
    if not expected:
        return f"unknown field {name!r}"
    close = difflib.get_close_matches(name, expected, n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown field {name!r}{hint}; expected one of {', '.join(expected)}"


@functools.cache
def _json_schema(model: type[BaseModel] = Scenario) -> dict:
    return model.model_json_schema()


def _fields_at(loc: tuple, model: type[BaseModel] = Scenario) -> list[str]:
    """The field names the mapping at pydantic location `loc` of `model` accepts (union tags included in `loc`)."""
    schema = _json_schema(model)
    node: dict = schema
    for part in loc:
        if isinstance(part, str) and part.startswith("function-"):
            continue
        node = _deref(node, schema)
        tags = node.get("discriminator", {}).get("mapping", {})
        values = node.get("additionalProperties") or next(iter(node.get("patternProperties", {}).values()), None)
        if isinstance(part, int):
            node = node.get("items", {})
        elif part in tags:
            node = {"$ref": tags[part]}
        elif part in node.get("properties", {}):
            node = node["properties"][part]
        elif isinstance(values, dict):
            node = values
        else:
            return []
    return list(_deref(node, schema).get("properties", {}))


def _deref(node: dict, schema: dict) -> dict:
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:  # `X | None`: the X
            node = next((option for option in node["anyOf"] if option.get("type") != "null"), {})
        else:
            return node


def _is_union_tag(part: Any) -> bool:
    # Discriminated unions add the tag ("lognormal") and function-before validators add a
    # synthetic name to the location; neither is a field the user wrote.
    return isinstance(part, str) and (part in {"fixed", "uniform", "lognormal", "beta"} or part.startswith("function-"))


def _split_path(text: str) -> list:
    parts: list = []
    for token in re.findall(r"[A-Za-z_]\w*|\[\d+\]", text):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


def _join(loc: list) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _where(source: str, line: int | str | None) -> str:
    # A line number, or the --set option that supplied the value.
    if line is None:
        return source
    return f"{source}:{line}" if isinstance(line, int) else f"{source} ({line})"


def _line_for(loc: tuple, marks: dict[tuple, int | str]) -> int | str | None:
    while loc:
        if loc in marks:
            return marks[loc]
        loc = loc[:-1]
    return None


def _describe_input(error: dict) -> str:
    if error["type"] in {"missing", "extra_forbidden"} or "input" not in error:
        return ""
    value = error["input"]
    if isinstance(value, (dict, list)):
        return ""
    return f" (got {shorten(repr(value), 80)})"


# ---------------------------------------------------------------- overrides
def apply_overrides(data: dict, overrides: list[str]) -> dict:
    """Apply `a.b[2].c=value` overrides to a raw scenario mapping; values are parsed as YAML."""
    data = copy.deepcopy(data)
    problems: list[str] = []
    for text in overrides:
        if "=" not in text:
            problems.append(f"--set {shorten(text)}: expected FIELD.PATH=VALUE, e.g. market.temperature=0.5")
            continue
        path_text, value_text = text.split("=", 1)
        option = f"--set {shorten(text)}"
        try:
            value = load_yaml(value_text, option)[0] if value_text.strip() else ""
        except ScenarioError as exc:
            problems.append(f"{exc.problems[0]} (in the value)")
            continue
        path = parse_field_path(path_text)
        if not path:
            problems.append(f"{option}: empty field path; expected FIELD.PATH=VALUE")
            continue
        problem = set_path(data, path, value)
        if problem:
            problems.append(f"{option}: {problem}")
    if problems:
        raise ScenarioError(problems)
    return data


def parse_field_path(text: str) -> list:
    parts: list = []
    for piece in text.strip().split("."):
        for token in re.findall(r"[^\[\]]+|\[\d+\]", piece):
            parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return parts


def set_path(data: Any, path: list, value: Any) -> str | None:
    """Set field `path` of a raw scenario mapping to `value`; what is wrong with the path, or None."""
    node = data
    for depth, part in enumerate(path):
        last = depth == len(path) - 1
        if isinstance(node, list):
            index = part
            if isinstance(part, str):
                # firms.lean_lab.poaching... addresses a firm by name as well as by index
                names = [item.get("name") if isinstance(item, dict) else None for item in node]
                if part not in names:
                    return f"{_join(path[:depth]) or 'scenario'} has no entry named {part!r}; names are {[n for n in names if n]}"
                index = names.index(part)
            if not isinstance(index, int) or not 0 <= index < len(node):
                return f"{_join(path[: depth + 1])}: index out of range (the list has {len(node)} entries)"
            if last:
                node[index] = value
                return None
            node = node[index]
        elif isinstance(node, dict):
            if isinstance(part, int):
                return f"{_join(path[:depth])} is a mapping, not a list"
            if last:
                node[part] = value
                return None
            if part not in node or node[part] is None:
                node[part] = {}
            node = node[part]
        else:
            return f"{_join(path[:depth])} is a single value, it has no field {part!r}"
    return None


def value_at(data: Any, path: list) -> tuple[Any, str | None]:
    """The value at field `path` of a scenario mapping (lists addressed by index or by an entry's
    name, as --set does), and None; or None and what is wrong with the path."""
    node = data
    for depth, part in enumerate(path):
        if isinstance(node, list):
            names = [item.get("name") if isinstance(item, dict) else None for item in node]
            if isinstance(part, str):
                if part not in names:
                    return None, f"{_join(path[:depth]) or 'scenario'} has no entry named {part!r}; names are {[n for n in names if n]}"
                part = names.index(part)
            if not 0 <= part < len(node):
                return None, f"{_join(path[: depth + 1])}: index out of range (the list has {len(node)} entries)"
        elif isinstance(node, dict):
            if part not in node:
                close = difflib.get_close_matches(str(part), [str(k) for k in node], n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                return None, f"{_join(path[:depth]) or 'the scenario'} has no field {part!r}{hint}; fields are {', '.join(map(str, node))}"
        else:
            return None, f"{_join(path[:depth])} is a single value, it has no field {part!r}"
        node = node[part]
    return node, None


# ---------------------------------------------------------------- output
def to_yaml(scenario: Scenario) -> str:
    """The resolved scenario (defaults filled in) as YAML."""
    return yaml.safe_dump(scenario.model_dump(mode="json"), sort_keys=False, allow_unicode=True)


def scenario_hash(scenario: Scenario) -> str:
    canonical = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def json_schema() -> dict:
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "talentwar scenario"
    return schema
