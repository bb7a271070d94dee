"""Input validation before any SageMaker call: the resource schema, then cross-field rules.

Every problem names the property path it is about, so an operator can fix the template
without reading handler code. The schema is a copy of the project's resource schema
shipped inside the package (a check in `make test` keeps the copy identical).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from functools import cache
from typing import Any

from .properties import SCHEMA, resolve_ref
from .translate import parse_time

MAX_SCHEDULE = timedelta(days=30)
# Unicode property classes (`\p{L}`: letters, `\p{N}`: numbers, `\p{Z}`: separators), which
# resource-schema patterns use as Java's regular expressions define them and Python's re lacks:
# each is its ASCII members plus a private-use placeholder that stands for the non-ASCII ones.
PROPERTY_CLASSES = {"L": ("A-Za-z", "\ue000"), "N": ("0-9", "\ue001"), "Z": (" ", "\ue002")}
PLACEHOLDERS = frozenset(placeholder for _, placeholder in PROPERTY_CLASSES.values())
NOT_A_CHARACTER = "\ufffe"  # what a placeholder in the value itself becomes: it matches no class
JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list, tuple),
}


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """The pattern for Python's re, each `\\p{X}` replaced by its members (see PROPERTY_CLASSES)."""
    translated, in_class, index = [], False, 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("\\p{", index) and pattern[index + 4 : index + 5] == "}":
            members = "".join(PROPERTY_CLASSES[pattern[index + 3]])
            translated.append(members if in_class else f"[{members}]")
            index += 5
            continue
        if char == "\\":
            translated.append(pattern[index : index + 2])
            index += 2
            continue
        in_class = (in_class or char == "[") and not (in_class and char == "]")
        translated.append(char)
        index += 1
    return re.compile("".join(translated))


def with_placeholders(value: str) -> str:
    """`value` with each non-ASCII letter, number or separator replaced by its class's placeholder."""
    return "".join(_placeholder(char) for char in value)


def _placeholder(char: str) -> str:
    if char.isascii():
        return char
    if char in PLACEHOLDERS:
        return NOT_A_CHARACTER
    major = unicodedata.category(char)[0]
    return PROPERTY_CLASSES[major][1] if major in PROPERTY_CLASSES else char


def matches(pattern: str, value: str) -> bool:
    """`pattern` (a resource-schema pattern) found in `value`, as Java's regular expressions find it."""
    subject = with_placeholders(value) if "\\p{" in pattern else value
    return compiled(pattern).search(subject) is not None


INTEGER_TEXT = re.compile(r"^-?\d+$")


def _type_ok(value: Any, expected: str, lenient: bool) -> bool:
    """JSON types (an integer is any number without a fractional part, 5.0 included, as JSON
    Schema draft 6 and later define it); `lenient` also takes the text CloudFormation sends
    for numbers and booleans."""
    if isinstance(value, bool) and expected in ("integer", "number"):
        return False
    if isinstance(value, JSON_TYPES[expected]):
        return True
    if expected == "integer" and isinstance(value, float):
        return value.is_integer()
    if not lenient:
        return False
    if expected == "string":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected == "integer":
        return isinstance(value, str) and bool(INTEGER_TEXT.match(value))
    if expected == "boolean":
        return value in ("true", "false")
    return False


def _check(value: Any, node: dict[str, Any], path: str, problems: list[str], lenient: bool) -> None:
    node = resolve_ref(SCHEMA, node)
    expected = node.get("type")
    if expected and not _type_ok(value, expected, lenient):
        problems.append(f"{path} must be of type {expected}, got {type(value).__name__} {value!r}")
        return
    if expected == "integer" and isinstance(value, (str, float)):
        value = int(value)
    elif expected == "string" and not isinstance(value, str):
        value = str(value)
    if "enum" in node and value not in node["enum"]:
        problems.append(f"{path} is {value!r}; allowed values: {', '.join(node['enum'])}")
    if isinstance(value, str):
        _check_string(value, node, path, problems)
    elif isinstance(value, int) and not isinstance(value, bool):
        if "minimum" in node and value < node["minimum"]:
            problems.append(f"{path} is {value}; it must be at least {node['minimum']}")
        if "maximum" in node and value > node["maximum"]:
            problems.append(f"{path} is {value}; it must be at most {node['maximum']}")
    elif isinstance(value, (list, tuple)):
        if "minItems" in node and len(value) < node["minItems"]:
            problems.append(f"{path} has {len(value)} items; it needs at least {node['minItems']}")
        if "maxItems" in node and len(value) > node["maxItems"]:
            problems.append(f"{path} has {len(value)} items; it allows at most {node['maxItems']}")
        for index, item in enumerate(value):
            _check(item, node.get("items", {}), f"{path}[{index}]", problems, lenient)
    elif isinstance(value, dict):
        _check_object(value, node, path, problems, lenient)


def _check_string(value: str, node: dict[str, Any], path: str, problems: list[str]) -> None:
    if "minLength" in node and len(value) < node["minLength"]:
        problems.append(f"{path} is {len(value)} characters long; it needs at least {node['minLength']}")
    if "maxLength" in node and len(value) > node["maxLength"]:
        problems.append(f"{path} is {len(value)} characters long; it allows at most {node['maxLength']}")
    if "pattern" in node and not matches(node["pattern"], value):
        problems.append(f"{path} value {value!r} does not match the pattern {node['pattern']}")


def _check_object(value: dict[str, Any], node: dict[str, Any], path: str, problems: list[str], lenient: bool) -> None:
    properties = node.get("properties", {})
    prefix = f"{path}." if path else ""
    for required in node.get("required", []):
        if value.get(required) is None:
            problems.append(f"{prefix}{required} is required")
    for key, item in value.items():
        if key not in properties:
            if node.get("additionalProperties") is False:
                problems.append(f"{prefix}{key} is not a property of {path or 'the resource'}")
            continue
        if item is not None:
            _check(item, properties[key], f"{prefix}{key}", problems, lenient)


def schema_problems(model: Any, lenient: bool = False) -> list[str]:
    """Violations of the resource schema's types, enums, limits, patterns and required keys.
    `lenient` accepts numbers and booleans as CloudFormation sends them (as text)."""
    if not isinstance(model, dict):
        return [f"the resource properties must be an object, got {type(model).__name__}"]
    problems: list[str] = []
    _check_object(model, SCHEMA, "", problems, lenient)
    return problems


def cross_field_problems(model: dict[str, Any], dropped_by_stop: frozenset[str] = frozenset()) -> list[str]:
    """Rules the schema cannot express. `dropped_by_stop` lists variants an update's stop removes,
    which ShadowModeConfig may still name."""
    problems: list[str] = []
    variants = model.get("ModelVariants") or []
    names = [v.get("VariantName") for v in variants]
    duplicates = sorted({n for n in names if names.count(n) > 1 and n is not None})
    if duplicates:
        problems.append(f"ModelVariants: variant names must be unique; repeated: {', '.join(duplicates)}")
    known = set(names) | dropped_by_stop
    shadow_config = model.get("ShadowModeConfig")
    if model.get("Type") == "ShadowMode" and not shadow_config:
        problems.append("ShadowModeConfig is required when Type is ShadowMode")
    if shadow_config:
        problems.extend(_shadow_problems(shadow_config, known, names, bool(dropped_by_stop)))
    if model.get("Schedule"):
        problems.extend(schedule_problems(model["Schedule"]))
    return problems


def _shadow_problems(config: dict[str, Any], known: set[Any], names: list[Any], stopping: bool) -> list[str]:
    problems: list[str] = []
    listed = ", ".join(str(n) for n in names)
    source = config.get("SourceModelVariantName")
    if source is not None and source not in known:
        problems.append(
            f"ShadowModeConfig.SourceModelVariantName '{source}' is not a VariantName in ModelVariants ({listed})"
        )
    shadow_names = []
    for index, shadow in enumerate(config.get("ShadowModelVariants") or []):
        field = f"ShadowModeConfig.ShadowModelVariants[{index}]"
        name = shadow.get("ShadowModelVariantName")
        shadow_names.append(name)
        if name is not None and name not in known:
            problems.append(f"{field}.ShadowModelVariantName '{name}' is not a VariantName in ModelVariants ({listed})")
        if name is not None and name == source:
            problems.append(f"{field}.ShadowModelVariantName '{name}' is also the SourceModelVariantName")
        percentage = shadow.get("SamplingPercentage")
        if isinstance(percentage, int) and not 1 <= percentage <= 100:
            problems.append(f"{field}.SamplingPercentage is {percentage}; it must be between 1 and 100")
    if not stopping and source in names:
        for name in names:
            if name is not None and name != source and name not in shadow_names:
                problems.append(
                    f"ModelVariants: variant '{name}' is neither the SourceModelVariantName nor a shadow variant"
                )
    return problems


def schedule_problems(schedule: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    parsed = {}
    for key in ("StartTime", "EndTime"):
        if schedule.get(key) is None:
            continue
        try:
            parsed[key] = parse_time(schedule[key])
        except ValueError:
            problems.append(
                f"Schedule.{key} '{schedule[key]}' is not an ISO 8601 timestamp (e.g. 2026-01-31T12:00:00Z)"
            )
    if len(parsed) == 2:
        start, end = parsed["StartTime"], parsed["EndTime"]
        if end <= start:
            problems.append(
                f"Schedule.EndTime {schedule['EndTime']} must be after Schedule.StartTime {schedule['StartTime']}"
            )
        elif end - start > MAX_SCHEDULE:
            problems.append(
                f"Schedule spans {end - start}; SageMaker allows at most 30 days between StartTime and EndTime"
            )
    return problems
