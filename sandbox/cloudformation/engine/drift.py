"""Drift detection as CloudFormation does it: each resource's current state (the
provider's Read) against the properties its template gave it, write-only properties
ignored, arrays in order unless the schema says insertionOrder is false (Tags)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox import schemas

from .model import Stack
from .provisioner import Provisioner, ResourceFailure


@dataclass(frozen=True)
class Difference:
    path: str
    expected: Any
    actual: Any
    kind: str  # NOT_EQUAL, REMOVE, ADD


@dataclass
class ResourceDrift:
    logical_id: str
    type: str
    physical_id: str
    status: str  # IN_SYNC, MODIFIED, DELETED, NOT_CHECKED
    expected: dict[str, Any] = field(default_factory=dict)
    actual: dict[str, Any] = field(default_factory=dict)
    differences: list[Difference] = field(default_factory=list)


def detect(stack: Stack, provisioner: Provisioner) -> list[ResourceDrift]:
    results = []
    for logical_id, deployed in stack.resources.items():
        result = ResourceDrift(logical_id, deployed.type, deployed.physical.ref, "NOT_CHECKED")
        if deployed.type == schemas.TYPE_NAME:
            result = check(result, deployed.properties, provisioner, deployed)
        results.append(result)
    return results


def check(result: ResourceDrift, properties: dict[str, Any], provisioner: Provisioner, deployed: Any) -> ResourceDrift:
    ignored = schemas.schema_for(result.type).write_only
    expected = {k: v for k, v in properties.items() if k not in ignored}
    try:
        actual = provisioner.read(deployed)
    except ResourceFailure as failure:
        if failure.code == "NotFound":
            result.status = "DELETED"
            return result
        raise
    actual = {k: v for k, v in actual.items() if k in expected}
    result.expected, result.actual = expected, actual
    result.differences = differences(expected, actual, "")
    result.status = "MODIFIED" if result.differences else "IN_SYNC"
    return result


def differences(expected: Any, actual: Any, path: str) -> list[Difference]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted({*expected, *actual}):
            where = f"{path}/{key}"
            if key not in actual:
                found.append(Difference(where, expected[key], None, "REMOVE"))
            elif key not in expected:
                found.append(Difference(where, None, actual[key], "ADD"))
            else:
                found += differences(expected[key], actual[key], where)
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if path == "/Tags":
            return tag_differences(expected, actual)
        if len(expected) != len(actual):
            return [Difference(path, expected, actual, "NOT_EQUAL")]
        return [
            d
            for index, pair in enumerate(zip(expected, actual, strict=True))
            for d in differences(*pair, f"{path}/{index}")
        ]
    return [] if same(expected, actual) else [Difference(path, expected, actual, "NOT_EQUAL")]


def tag_differences(expected: list[Any], actual: list[Any]) -> list[Difference]:
    """Tags are a set; keys the template does not name (stack-level tags) are CloudFormation's own."""
    wanted = {t["Key"]: t["Value"] for t in expected}
    present = {t["Key"]: t["Value"] for t in actual}
    return [
        Difference(f"/Tags/{key}", value, present.get(key), "REMOVE" if key not in present else "NOT_EQUAL")
        for key, value in sorted(wanted.items())
        if present.get(key) != value
    ]


def same(expected: Any, actual: Any) -> bool:
    """Scalars compare as CloudFormation compares them: 25 and "25" are the same value."""
    return expected == actual or str(expected) == str(actual)
