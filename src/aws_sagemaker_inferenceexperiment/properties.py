"""Facts about the resource's properties, derived once from the resource schema.

Translation, planning and validation read these instead of keeping their own lists,
so adding a property to the schema is one edit. What SageMaker lets a started test
change is not in the schema; it comes from SageMaker's shadow-test guide and is checked
against the schema's paths here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).with_name("resource-schema.json")
# Write-only properties that direct an operation rather than describe the experiment.
OPERATION_PROPERTIES = ("DesiredState", "StatusReason")
# SageMaker's shadow-test guide: once a test has started, only these can change.
CHANGEABLE_WHILE_RUNNING = (
    "Description",
    "Schedule.EndTime",
    "ShadowModeConfig.ShadowModelVariants.SamplingPercentage",
)


@dataclass(frozen=True)
class PropertyFacts:
    """Top-level property names by role, in schema order."""

    all: tuple[str, ...]
    create_only: tuple[str, ...]
    read_only: tuple[str, ...]
    write_only: tuple[str, ...]
    tags: str
    changeable_before_start: tuple[str, ...]
    changeable_while_running: tuple[str, ...]

    @property
    def writable(self) -> tuple[str, ...]:
        """What a template may set and CreateInferenceExperiment receives."""
        excluded = {*self.read_only, *OPERATION_PROPERTIES}
        return tuple(name for name in self.all if name not in excluded)


def _names(pointers: list[str]) -> tuple[str, ...]:
    return tuple(pointer.removeprefix("/properties/") for pointer in pointers)


def resolve_ref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The definition a `{"$ref": "#/definitions/X"}` node points to; any other node as it is.
    The one $ref resolver: the handlers' validation and the sandbox's schema object use it."""
    ref = node.get("$ref")
    if not ref:
        return node
    resolved: dict[str, Any] = schema["definitions"][ref.rsplit("/", 1)[-1]]
    return resolved


def _deref(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """Follow array items and $refs down to the node that holds properties."""
    while "items" in node or "$ref" in node:
        node = node["items"] if "items" in node else resolve_ref(schema, node)
    return node


def _path_exists(schema: dict[str, Any], dotted: str) -> bool:
    node = schema
    for part in dotted.split("."):
        properties = _deref(schema, node).get("properties", {})
        if part not in properties:
            return False
        node = properties[part]
    return True


def facts_from_schema(schema: dict[str, Any]) -> PropertyFacts:
    names = tuple(schema["properties"])
    create_only = _names(schema["createOnlyProperties"])
    read_only = _names(schema["readOnlyProperties"])
    tags = schema["tagging"]["tagProperty"].removeprefix("/properties/")
    fixed = {*create_only, *read_only, *OPERATION_PROPERTIES, tags}
    missing = [path for path in CHANGEABLE_WHILE_RUNNING if not _path_exists(schema, path)]
    if missing:
        raise ValueError(f"CHANGEABLE_WHILE_RUNNING names paths the schema lacks: {missing}")
    return PropertyFacts(
        all=names,
        create_only=create_only,
        read_only=read_only,
        write_only=_names(schema["writeOnlyProperties"]),
        tags=tags,
        changeable_before_start=tuple(name for name in names if name not in fixed),
        changeable_while_running=CHANGEABLE_WHILE_RUNNING,
    )


def load_schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


SCHEMA = load_schema()
FACTS = facts_from_schema(SCHEMA)
TYPE_NAME: str = SCHEMA["typeName"]
