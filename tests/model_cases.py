"""Boundary cases generated from botocore's SageMaker model: for every constrained member of an
operation's input, one request just inside and one just outside each constraint, built by
changing one member of a valid base request (parents the base lacks are filled with values the
model accepts)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from botocore.model import ListShape, MapShape, Shape, StructureShape

from sandbox.emulator import constraints

Step = str | int
SEEDS = (
    "a",
    "production",
    "arn:aws:iam::123456789012:role/SageMakerShadowTest",
    "arn:aws:sagemaker:us-east-1:123456789012:model/model-a",
    "s3://bucket/key",
    "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest",
    "sg-12345678",
    "subnet-0123456",
    "text/csv",
    "1",
    "a.b",
    "/metrics",
    "mig-1g.10gb",
    "arn:aws:sns:us-east-1:123456789012:topic",
    "arn:aws:sagemaker:us-east-1:123456789012:reservation/r",
)
BREAKERS = ("!", " ", "\n", "#", "é", "/", "a", "0")
MAX_DEPTH = 8


@dataclass(frozen=True)
class Case:
    """One constraint of one member: `inside` and `outside` are whole requests."""

    operation: str
    path: str
    constraint: str
    inside: dict[str, Any] | None
    outside: dict[str, Any] | None

    @property
    def name(self) -> str:
        return f"{self.operation} {self.path}: {self.constraint}"


def conforms(shape: Shape, value: Any) -> bool:
    return not list(constraints.violations(shape, value, "x"))


def sample(shape: Shape, depth: int = 0) -> Any:
    """A value the model accepts for `shape` (required members only), or None if none is found."""
    if depth > MAX_DEPTH:
        return None
    traits = shape.metadata
    if isinstance(shape, StructureShape):
        built = {name: sample(shape.members[name], depth + 1) for name in shape.required_members}
        return None if any(v is None for v in built.values()) else built
    if isinstance(shape, ListShape):
        item = sample(shape.member, depth + 1)
        return None if item is None else [copy.deepcopy(item) for _ in range(max(traits.get("min", 1), 1))]
    if isinstance(shape, MapShape):
        key, value = sample(shape.key, depth + 1), sample(shape.value, depth + 1)
        return None if key is None or value is None else {key: value}
    return scalar_sample(shape)


def scalar_sample(shape: Shape) -> Any:
    traits = shape.metadata
    if shape.type_name == "string":
        if "enum" in traits:
            return traits["enum"][0]
        for seed in SEEDS:
            found = seed if conforms(shape, seed) else sized(shape, seed, max(traits.get("min", 1), 1))
            if found is not None:
                return found
        return None
    if shape.type_name in ("integer", "long", "float", "double"):
        value = traits.get("min", 1)
        return min(value, traits["max"]) if "max" in traits else value
    if shape.type_name == "boolean":
        return True
    if shape.type_name == "timestamp":
        return datetime(2030, 1, 1, tzinfo=UTC)
    if shape.type_name == "blob":
        return b"a" * max(traits.get("min", 1), 1)
    return None


def stretched(value: str, length: int) -> Iterator[str]:
    """Strings of exactly `length` characters made from `value`, most like it first."""
    if length <= len(value):
        yield value[:length]
        yield value[len(value) - length :]
        return
    extra = length - len(value)
    for char in dict.fromkeys([value[-1:] or "a", "a", "0", value[:1] or "a"]):
        yield value + char * extra
        yield value[:-1] + char * extra + value[-1:]
        yield value[:1] + char * extra + value[1:]
        yield char * length


def sized(shape: Shape, value: str, length: int) -> str | None:
    """A string of `length` characters the model accepts for `shape`, built from `value`."""
    return next((s for s in stretched(value, length) if conforms(shape, s)), None)


def boundary(shape: Shape, value: str, length: int) -> str | None:
    """A valid string of `length` characters, or `value` when the pattern allows no such string
    (an ARN pattern's shortest match is longer than its minimum length)."""
    return sized(shape, value, length) or (value if conforms(shape, value) else None)


def unbreakable(pattern: str) -> bool:
    """A pattern every string matches (`[\\s\\S]*`): no request can break it."""
    return all(constraints.compiled(pattern).fullmatch(probe) for probe in ("\n", "!é #/", "a\tb"))


def breaking_pattern(shape: Shape, value: str) -> str | None:
    """`value` changed by one character so that only its pattern fails."""
    traits = shape.metadata
    pattern = constraints.compiled(traits["pattern"])
    low, high = traits.get("min", 0), traits.get("max", 10**9)
    for breaker in BREAKERS:
        for candidate in (value + breaker, breaker + value, value[:-1] + breaker, breaker + value[1:]):
            if low <= len(candidate) <= high and pattern.fullmatch(candidate) is None:
                return candidate
    return None


def scalar_bounds(shape: Shape, value: Any) -> Iterator[tuple[str, Any, Any]]:
    """(constraint, a value just inside, one just outside) for each constraint of a scalar shape."""
    traits = shape.metadata
    if shape.type_name == "string" and isinstance(value, str):
        if traits.get("min", 0) > 0:
            low = traits["min"]
            yield (
                f"Member must have length greater than or equal to {low}",
                boundary(shape, value, low),
                "x" * (low - 1),
            )
        if "max" in traits:
            high = traits["max"]
            inside = boundary(shape, value, high)
            yield f"Member must have length less than or equal to {high}", inside, next(stretched(value, high + 1))
        if "pattern" in traits:
            yield (
                f"Member must satisfy regular expression pattern: {traits['pattern']}",
                value,
                breaking_pattern(shape, value),
            )
        if "enum" in traits:
            enum = traits["enum"]
            yield f"Member must satisfy enum value set: [{', '.join(enum)}]", value, value + "x"
    elif shape.type_name in ("integer", "long", "float", "double"):
        step = 1 if shape.type_name in ("integer", "long") else 0.5
        if "min" in traits:
            low = traits["min"]
            yield f"Member must have value greater than or equal to {constraints.number(low)}", low, low - step
        if "max" in traits:
            high = traits["max"]
            yield f"Member must have value less than or equal to {constraints.number(high)}", high, high + step


def with_value(request: dict[str, Any], steps: tuple[Step, ...], value: Any) -> dict[str, Any]:
    """A copy of `request` with the member at `steps` set to `value` (removed when value is ...)."""
    changed = copy.deepcopy(request)
    parent: Any = changed
    for step in steps[:-1]:
        parent = parent[step]
    if value is ...:
        del parent[steps[-1]]
    else:
        parent[steps[-1]] = value
    return changed


def cases(operation: str, base: dict[str, Any]) -> Iterator[Case]:
    """Every constraint of `operation`'s input shape, as an inside/outside pair of requests."""
    shape = constraints.input_shape(operation)
    assert shape is not None, operation
    yield from structure_cases(operation, shape, base, (), "", base, frozenset())


def structure_cases(
    operation: str,
    shape: StructureShape,
    request: dict[str, Any],
    steps: tuple[Step, ...],
    path: str,
    value: dict[str, Any],
    seen: frozenset[str],
) -> Iterator[Case]:
    if shape.name in seen:
        return
    for name, member in shape.members.items():
        member_steps, member_path = (*steps, name), constraints.member_path(path, name)
        current = value.get(name)
        member_request = request
        if current is None:
            current = sample(member)
            if current is None:
                yield Case(operation, member_path, "(no valid value found)", None, None)
                continue
            member_request = with_value(request, member_steps, current)
        if name in shape.required_members:
            outside = with_value(member_request, member_steps, ...)
            yield Case(operation, member_path, "Member must not be null", member_request, outside)
        yield from member_cases(
            operation, member, member_request, member_steps, member_path, current, seen | {shape.name}
        )


def member_cases(
    operation: str,
    shape: Shape,
    request: dict[str, Any],
    steps: tuple[Step, ...],
    path: str,
    value: Any,
    seen: frozenset[str],
) -> Iterator[Case]:
    if isinstance(shape, StructureShape):
        yield from structure_cases(operation, shape, request, steps, path, value, seen)
    elif isinstance(shape, ListShape):
        yield from size_cases(operation, shape, request, steps, path, value)
        if isinstance(shape.member, (StructureShape, ListShape, MapShape)):
            yield from member_cases(operation, shape.member, request, (*steps, 0), f"{path}.1.member", value[0], seen)
        else:
            for constraint, inside, outside in scalar_bounds(shape.member, value[0]):
                wrapped = f"Member must satisfy constraint: [{constraint}]"
                yield pair(operation, path, wrapped, request, (*steps, 0), inside, outside)
    elif isinstance(shape, MapShape):
        yield from size_cases(operation, shape, request, steps, path, value)
        key = next(iter(value))
        for constraint, inside, outside in scalar_bounds(shape.key, key):
            renamed = [None if k is None else {k: value[key]} for k in (inside, outside)]
            wrapped = f"Map keys must satisfy constraint: [{constraint}]"
            yield pair(operation, path, wrapped, request, steps, *renamed)
        for constraint, inside, outside in scalar_bounds(shape.value, value[key]):
            wrapped = f"Map value must satisfy constraint: [{constraint}]"
            yield pair(operation, path, wrapped, request, (*steps, key), inside, outside)
    else:
        for constraint, inside, outside in scalar_bounds(shape, value):
            yield pair(operation, path, constraint, request, steps, inside, outside)


def size_cases(
    operation: str, shape: Shape, request: dict[str, Any], steps: tuple[Step, ...], path: str, value: Any
) -> Iterator[Case]:
    traits = shape.metadata
    for bound, message in (("min", "greater than or equal to"), ("max", "less than or equal to")):
        if bound not in traits or (bound == "min" and traits["min"] == 0):
            continue
        count = traits[bound]
        inside, outside = resized(shape, value, count), resized(shape, value, count + (1 if bound == "max" else -1))
        yield pair(operation, path, f"Member must have length {message} {count}", request, steps, inside, outside)


def resized(shape: Shape, value: Any, count: int) -> Any:
    """`value` (a list or map) with `count` entries: its own first, then copies or new keys."""
    if isinstance(value, list):
        return [copy.deepcopy(value[i % len(value)]) for i in range(count)]
    assert isinstance(shape, MapShape)
    entries = list(value.items())
    first_key, first_value = entries[0]
    keys = [k for k, _ in entries] + [k for k in (f"{first_key}{i}" for i in range(count)) if conforms(shape.key, k)]
    keys = list(dict.fromkeys(keys))[:count]
    return {k: copy.deepcopy(value.get(k, first_value)) for k in keys} if len(keys) == count else None


def pair(
    operation: str,
    path: str,
    constraint: str,
    request: dict[str, Any],
    steps: tuple[Step, ...],
    inside: Any,
    outside: Any,
) -> Case:
    return Case(
        operation,
        path,
        constraint,
        None if inside is None else with_value(request, steps, inside),
        None if outside is None else with_value(request, steps, outside),
    )
