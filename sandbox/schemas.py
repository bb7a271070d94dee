"""The one schema object of the sandbox: every question a stand-in asks of a resource type's
schema (properties, pointers, `$ref`, the primary identifier, create-only, read-only and
write-only properties) is answered here. The experiment's schema and property facts are the
handler package's own (`properties.py`), so the product and its stand-ins read one schema;
other types come from cfn-lint's bundled copies of AWS's published schemas."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint

from aws_sagemaker_inferenceexperiment.properties import FACTS, SCHEMA, TYPE_NAME, PropertyFacts, resolve_ref

BUNDLED = Path(cfnlint.__file__).parent / "data" / "schemas"
PROPERTIES = "/properties"


def pointer_parts(pointer: str) -> list[str]:
    """`/properties/Tags/*/Value` as ["Tags", "*", "Value"]."""
    return pointer.removeprefix(PROPERTIES).strip("/").split("/")


def _remove(node: Any, parts: list[str]) -> None:
    """Delete the value at `parts` ('*' is every array item) from `node`, if present."""
    head, rest = parts[0], parts[1:]
    children = node if head == "*" and isinstance(node, list) else None
    if children is not None:
        for child in children:
            _remove(child, rest)
    elif isinstance(node, dict) and head in node:
        if rest:
            _remove(node[head], rest)
        else:
            del node[head]


DEFAULT_TIMEOUT_MINUTES = 120


@dataclass(frozen=True)
class ResourceSchema:
    """A resource type's schema document and the questions the stand-ins ask of it. `facts`,
    where the handler package has them (the experiment), give the top-level property roles."""

    document: dict[str, Any]
    facts: PropertyFacts | None = None

    @property
    def type_name(self) -> str:
        return str(self.document.get("typeName", ""))

    @property
    def properties(self) -> dict[str, Any]:
        found: dict[str, Any] = self.document.get("properties") or {}
        return found

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        """The node a `$ref` points to; any other node as it is."""
        return resolve_ref(self.document, node)

    def pointers(self, key: str) -> list[str]:
        """A pointer list (`createOnlyProperties`, `primaryIdentifier`, ...) as the schema gives it."""
        return [str(pointer) for pointer in self.document.get(key) or []]

    def _top_level(self, key: str) -> frozenset[str]:
        return frozenset(pointer_parts(p)[0] for p in self.pointers(key) if p.startswith(PROPERTIES + "/"))

    @property
    def create_only(self) -> frozenset[str]:
        return frozenset(self.facts.create_only) if self.facts else self._top_level("createOnlyProperties")

    @property
    def read_only(self) -> frozenset[str]:
        return frozenset(self.facts.read_only) if self.facts else self._top_level("readOnlyProperties")

    @property
    def write_only(self) -> frozenset[str]:
        return frozenset(self.facts.write_only) if self.facts else self._top_level("writeOnlyProperties")

    @property
    def attributes(self) -> frozenset[str]:
        """What Fn::GetAtt may name, as CloudFormation documents a registry type's return values:
        each read-only property that is not write-only, and each property nested in an object-typed
        one, dotted (`EndpointMetadata.EndpointName`). Arrays are not entered."""
        found: set[str] = set()

        def add(name: str, node: dict[str, Any]) -> None:
            found.add(name)
            for child, child_node in (self.resolve(node).get("properties") or {}).items():
                add(f"{name}.{child}", child_node)

        for name in sorted(self.read_only - self.write_only):
            add(name, self.properties.get(name) or {})
        return frozenset(found)

    @property
    def primary_identifier(self) -> list[str]:
        """The top-level properties that make up the primary identifier, in order."""
        return [pointer_parts(pointer)[0] for pointer in self.pointers("primaryIdentifier")]

    def identifier_of(self, model: dict[str, Any]) -> str | None:
        """The primary identifier string (values joined by '|'), or None while any is unknown."""
        values = [model.get(name) for name in self.primary_identifier]
        return "|".join(str(value) for value in values) if all(v is not None for v in values) else None

    def without_write_only(self, model: dict[str, Any]) -> dict[str, Any]:
        """What a read may show: the model minus write-only properties (nested pointers included)."""
        shown = copy.deepcopy(model)
        for pointer in self.pointers("writeOnlyProperties"):
            _remove(shown, pointer_parts(pointer))
        return shown

    @property
    def name_property(self) -> str | None:
        """The property that, when set in a template, makes the resource custom-named."""
        candidates = (f"{self.type_name.rsplit('::', 1)[-1]}Name", "Name")
        return next((c for c in candidates if c in self.create_only), None)

    @property
    def taggable(self) -> bool:
        """Whether CloudFormation propagates stack-level tags to the type's resources: the
        schema's `tagging.taggable` (true when a schema has a `tagging` section without it)."""
        tagging = self.document.get("tagging")
        return bool(tagging.get("taggable", True)) if isinstance(tagging, dict) else False

    def timeout_minutes(self, action: str) -> float:
        """How long CloudFormation lets the action's handler run: its `timeoutInMinutes`, or the
        resource schema meta-schema's default of 120 when the schema gives none."""
        handler = (self.document.get("handlers") or {}).get(action.lower()) or {}
        return float(handler.get("timeoutInMinutes", DEFAULT_TIMEOUT_MINUTES))

    def replaced_by(self, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
        """Changed create-only properties: any one means CloudFormation replaces the resource."""
        return sorted(key for key in self.create_only if old.get(key) != new.get(key))


EXPERIMENT = ResourceSchema(SCHEMA, FACTS)


@cache
def schema_for(type_name: str) -> ResourceSchema:
    """The type's schema; an empty one for types AWS does not publish (custom resources)."""
    if type_name == TYPE_NAME:
        return EXPERIMENT
    providers = json.loads((BUNDLED / "providers" / "us-east-1.json").read_text())
    if type_name not in providers:
        return ResourceSchema({"typeName": type_name})
    bundled: dict[str, Any] = json.loads((BUNDLED / "resources" / f"{providers[type_name]}.json").read_text())
    return ResourceSchema(bundled)


__all__ = ["EXPERIMENT", "TYPE_NAME", "ResourceSchema", "pointer_parts", "schema_for"]
