"""Request validation generated from botocore's SageMaker service model: every required
member, length, value range, pattern, enum and list or map size of an operation's input
shape, answered as SageMaker answers it:

    1 validation error detected: Value 'bad_name!' at 'name' failed to satisfy constraint:
    Member must satisfy regular expression pattern: [a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}

Several violations are counted and joined with "; ". Paths are lowerCamelCase member names,
list entries `.N.member` (1-based), as the service's own messages show. Patterns are
matched whole, as Java's `String.matches` does; `\\p{L}`-style classes are expanded from
`unicodedata`, since Python's `re` has none.
"""

from __future__ import annotations

import functools
import re
import sys
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import botocore.session
from botocore.model import ListShape, MapShape, OperationNotFoundError, ServiceModel, Shape, StructureShape

from .exceptions import ValidationError

SIZED = ("string", "blob", "list", "map")
NUMERIC = ("integer", "long", "float", "double")
UNICODE_CLASS = re.compile(r"\\p\{(\w+)\}")
SURROGATE_PAIR = re.compile(r"\\u(D[89AB][0-9A-F]{2})\\u(D[C-F][0-9A-F]{2})", re.IGNORECASE)
JAVA_DOT = "[^\\n\\r\\u0085\\u2028\\u2029]"  # Java's `.` stops at every line terminator
QUANTIFIED_END = re.compile(r"\$\{\d+(,\d*)?\}$")


@dataclass(frozen=True)
class Violation:
    path: str
    value: Any
    constraint: str

    def __str__(self) -> str:
        shown = "null" if self.value is None else f"'{render(self.value)}'"
        return f"Value {shown} at '{self.path}' failed to satisfy constraint: {self.constraint}"


@functools.cache
def service_model() -> ServiceModel:
    return botocore.session.get_session().get_service_model("sagemaker")


def input_shape(operation: str) -> StructureShape | None:
    try:
        shape = service_model().operation_model(operation).input_shape
    except OperationNotFoundError:
        return None
    return shape if isinstance(shape, StructureShape) else None


def validate(operation: str, request: Mapping[str, Any]) -> None:
    """Raise SageMaker's ValidationException if `request` breaks its input shape's constraints."""
    shape = input_shape(operation)
    if shape is not None:
        raise_for(list(structure_violations(shape, request, "")))


def validate_value(shape_name: str, value: Any, path: str) -> None:
    """One value against one named shape of the model (for checks moto makes outside a request)."""
    raise_for(list(violations(service_model().shape_for(shape_name), value, path)))


def raise_for(found: list[Violation]) -> None:
    if found:
        plural = "error" if len(found) == 1 else "errors"
        raise ValidationError(f"{len(found)} validation {plural} detected: " + "; ".join(map(str, found)))


def member_path(parent: str, member: str) -> str:
    name = member[:1].lower() + member[1:]
    return f"{parent}.{name}" if parent else name


def violations(shape: Shape, value: Any, path: str) -> Iterator[Violation]:
    if value is None:
        return
    yield from (Violation(path, value, c) for c in own_constraints(shape, value))
    if isinstance(shape, StructureShape) and isinstance(value, Mapping):
        yield from structure_violations(shape, value, path)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        yield from list_violations(shape, value, path)
    elif isinstance(shape, MapShape) and isinstance(value, Mapping):
        yield from map_violations(shape, value, path)


def structure_violations(shape: StructureShape, value: Mapping[str, Any], path: str) -> Iterator[Violation]:
    for name, member in shape.members.items():
        if value.get(name) is None:
            if name in shape.required_members:
                yield Violation(member_path(path, name), None, "Member must not be null")
            continue
        yield from violations(member, value[name], member_path(path, name))


def list_violations(shape: ListShape, value: list[Any], path: str) -> Iterator[Violation]:
    if isinstance(shape.member, (StructureShape, ListShape, MapShape)):
        for index, item in enumerate(value, start=1):
            yield from violations(shape.member, item, f"{path}.{index}.member")
        return
    nested = distinct(c for item in value for c in own_constraints(shape.member, item))
    if nested:
        yield Violation(path, value, f"Member must satisfy constraint: [{', '.join(nested)}]")


def map_violations(shape: MapShape, value: Mapping[str, Any], path: str) -> Iterator[Violation]:
    keys = distinct(c for key in value for c in own_constraints(shape.key, key))
    if keys:
        yield Violation(path, value, f"Map keys must satisfy constraint: [{', '.join(keys)}]")
    if isinstance(shape.value, (StructureShape, ListShape, MapShape)):
        for key, item in value.items():
            yield from violations(shape.value, item, f"{path}.{key}.member")
        return
    values = distinct(c for item in value.values() for c in own_constraints(shape.value, item))
    if values:
        yield Violation(path, value, f"Map value must satisfy constraint: [{', '.join(values)}]")


def distinct(constraints: Iterator[str]) -> list[str]:
    return list(dict.fromkeys(constraints))


def own_constraints(shape: Shape, value: Any) -> Iterator[str]:
    """What `value` breaks of `shape`'s own traits (not its members')."""
    traits = shape.metadata
    if shape.type_name in SIZED and hasattr(value, "__len__"):
        if "min" in traits and len(value) < traits["min"]:
            yield f"Member must have length greater than or equal to {number(traits['min'])}"
        if "max" in traits and len(value) > traits["max"]:
            yield f"Member must have length less than or equal to {number(traits['max'])}"
    if shape.type_name in NUMERIC and isinstance(value, (int, float)) and not isinstance(value, bool):
        if "min" in traits and value < traits["min"]:
            yield f"Member must have value greater than or equal to {number(traits['min'])}"
        if "max" in traits and value > traits["max"]:
            yield f"Member must have value less than or equal to {number(traits['max'])}"
    if shape.type_name == "string" and isinstance(value, str):
        if "pattern" in traits and compiled(traits["pattern"]).fullmatch(value) is None:
            yield f"Member must satisfy regular expression pattern: {traits['pattern']}"
        if "enum" in traits and value not in traits["enum"]:
            yield f"Member must satisfy enum value set: [{', '.join(traits['enum'])}]"


def number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def render(value: Any) -> str:
    """A value as the service's (Java) messages print it."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}={render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render(v) for v in value) + "]"
    return str(value)


@functools.cache
def compiled(pattern: str) -> re.Pattern[str]:
    """ASCII: Java's \\d, \\w and \\s match ASCII only, unlike Python's by default."""
    return re.compile(python_pattern(pattern), re.ASCII)


def python_pattern(pattern: str) -> str:
    """The model's (Java) pattern for Python's `re`: `\\p{X}` becomes the code points of Unicode
    category X, bare or as part of an enclosing character class; `.` stops at every line
    terminator, not only at a line feed; a UTF-16 surrogate pair
    (`\\uD800\\uDC00`) becomes its code point; a quantifier on the final `$`, which Java
    allows and which changes nothing, goes."""
    pattern = SURROGATE_PAIR.sub(code_point, QUANTIFIED_END.sub("$", pattern))
    parts: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        match = UNICODE_CLASS.match(pattern, index)
        if match:
            ranges = category_ranges(match.group(1))
            parts.append(ranges if in_class else f"[{ranges}]")
            index = match.end()
            continue
        char = pattern[index]
        if char == "\\":
            parts.append(pattern[index : index + 2])
            index += 2
            continue
        in_class = (in_class or char == "[") and not (in_class and char == "]")
        parts.append(JAVA_DOT if char == "." and not in_class else char)
        index += 1
    return "".join(parts)


def code_point(pair: re.Match[str]) -> str:
    high, low = int(pair.group(1), 16), int(pair.group(2), 16)
    return f"\\U{0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00):08X}"


def category_ranges(category: str) -> str:
    """Character-class ranges of every code point in Unicode category `category` (L, N, Z...)."""
    ranges = unicode_categories().get(category, [])
    return "".join(re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)


@functools.cache
def unicode_categories() -> dict[str, list[tuple[int, int]]]:
    """Code-point ranges per major Unicode category, found in one pass (about half a second, once)."""
    found: dict[str, list[tuple[int, int]]] = {}
    for point in range(sys.maxunicode + 1):
        ranges = found.setdefault(unicodedata.category(chr(point))[0], [])
        if ranges and ranges[-1][1] == point - 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    return found
