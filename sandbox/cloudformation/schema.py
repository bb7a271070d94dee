"""What CloudFormation reads from the resource schema rather than from the handlers: which
properties force a replacement when they change (`createOnlyProperties`)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from sandbox.common import SCHEMA_PATH

MISSING = object()


@cache
def create_only_pointers() -> tuple[str, ...]:
    schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return tuple(schema.get("createOnlyProperties", ()))


def at_pointer(properties: dict[str, Any], pointer: str) -> Any:
    """The value a `/properties/A/B` pointer names in a resource's properties, or MISSING."""
    value: Any = properties
    for part in pointer.removeprefix("/properties/").split("/"):
        if not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def replacing_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """The create-only properties that differ between two sets of properties, as dotted paths."""
    return [
        pointer.removeprefix("/properties/").replace("/", ".")
        for pointer in create_only_pointers()
        if at_pointer(old, pointer) != at_pointer(new, pointer)
    ]
