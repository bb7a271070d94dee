"""What each resource type's schema says about updates: the project's own schema for the
experiment, cfn-lint's bundled copies of AWS's published schemas for everything else."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import cfnlint

from sandbox.common import SCHEMA_PATH

EXPERIMENT = "AWS::SageMaker::InferenceExperiment"
BUNDLED = Path(cfnlint.__file__).parent / "data" / "schemas"


@cache
def schema(type_name: str) -> dict[str, Any]:
    """The type's schema; an empty one for types AWS does not publish (custom resources)."""
    if type_name == EXPERIMENT:
        loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
        return loaded
    providers = json.loads((BUNDLED / "providers" / "us-east-1.json").read_text())
    if type_name not in providers:
        return {}
    bundled: dict[str, Any] = json.loads((BUNDLED / "resources" / f"{providers[type_name]}.json").read_text())
    return bundled


def _top_level(type_name: str, key: str) -> frozenset[str]:
    pointers = schema(type_name).get(key) or []
    return frozenset(p.split("/")[2] for p in pointers if p.startswith("/properties/"))


def create_only(type_name: str) -> frozenset[str]:
    return _top_level(type_name, "createOnlyProperties")


def write_only(type_name: str) -> frozenset[str]:
    return _top_level(type_name, "writeOnlyProperties")


def name_property(type_name: str) -> str | None:
    """The property that, when set in the template, makes the resource custom-named."""
    candidates = (f"{type_name.rsplit('::', 1)[-1]}Name", "Name")
    return next((c for c in candidates if c in create_only(type_name)), None)


def replaced_by(type_name: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Changed create-only properties: any one means CloudFormation replaces the resource."""
    return sorted(key for key in create_only(type_name) if old.get(key) != new.get(key))
