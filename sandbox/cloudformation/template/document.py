"""A template as CloudFormation reads it: every section the engine acts on, nothing resolved."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode, decode_str

LANGUAGE_EXTENSIONS = "AWS::LanguageExtensions"


class TemplateError(Exception):
    """A template or value CloudFormation would reject; the message says where and why."""


@dataclass
class Resource:
    logical_id: str
    type: str
    properties: dict[str, Any]
    depends_on: list[str]
    condition: str | None = None
    deletion_policy: str = "Delete"
    update_replace_policy: str = "Delete"


@dataclass
class Document:
    source: str
    body: dict[str, Any]
    parameters: dict[str, dict[str, Any]]
    mappings: dict[str, Any]
    conditions: dict[str, Any]
    resources: dict[str, Resource]
    outputs: dict[str, Any] = field(default_factory=dict)
    transforms: list[str] = field(default_factory=list)

    @property
    def language_extensions(self) -> bool:
        return LANGUAGE_EXTENSIONS in self.transforms


def read(path: str | Path) -> Document:
    """Parse a YAML (short-form intrinsics included) or JSON template file."""
    if not Path(path).is_file():
        raise TemplateError(f"{path}: not a file")
    raw, problems = decode(str(path))
    return _document(str(path), raw, problems)


def parse(text: str, source: str = "template") -> Document:
    raw, problems = decode_str(text)
    return _document(source, raw, problems)


def _document(source: str, raw: Any, problems: list[Any]) -> Document:
    if problems or not isinstance(raw, dict):
        details = "; ".join(str(p) for p in problems) or "not a template (expected a mapping)"
        raise TemplateError(f"{source}: cannot read the template: {details}")
    body: dict[str, Any] = json.loads(json.dumps(raw))
    transform = body.get("Transform") or []
    resources = {logical_id: _resource(logical_id, spec) for logical_id, spec in (body.get("Resources") or {}).items()}
    return Document(
        source=source,
        body=body,
        parameters=body.get("Parameters") or {},
        mappings=body.get("Mappings") or {},
        conditions=body.get("Conditions") or {},
        resources=resources,
        outputs=body.get("Outputs") or {},
        transforms=[transform] if isinstance(transform, str) else list(transform),
    )


def _resource(logical_id: str, spec: Any) -> Resource:
    if not isinstance(spec, dict):
        raise TemplateError(f"Resources.{logical_id}: not a mapping")
    depends = spec.get("DependsOn") or []
    return Resource(
        logical_id,
        str(spec.get("Type")),
        spec.get("Properties") or {},
        [depends] if isinstance(depends, str) else list(depends),
        spec.get("Condition"),
        str(spec.get("DeletionPolicy", "Delete")),
        str(spec.get("UpdateReplacePolicy", "Delete")),
    )
