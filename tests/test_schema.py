"""Our schema against the one AWS publishes (cfn-lint's copy): same shape everywhere.

A deviation is allowed only where it accepts everything the published schema
accepts; each is listed here with its reason.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cfnlint.data.schemas
import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = json.loads((ROOT / "aws-sagemaker-inferenceexperiment.json").read_text())
PACKAGED = ROOT / "src" / "aws_sagemaker_inferenceexperiment" / "resource-schema.json"
ALLOWED_DEVIATIONS = {
    "insertionOrder": "SPEC 1: every array states insertionOrder for the contract suite; validation is unchanged",
}
SAME_AT_TOP_LEVEL = [
    "typeName",
    "additionalProperties",
    "required",
    "primaryIdentifier",
    "createOnlyProperties",
    "readOnlyProperties",
    "writeOnlyProperties",
    "tagging",
]


def published() -> dict[str, Any]:
    schemas = Path(cfnlint.data.schemas.__file__).parent
    providers = json.loads((schemas / "providers" / "us-east-1.json").read_text())
    file_id = providers["AWS::SageMaker::InferenceExperiment"]
    loaded: dict[str, Any] = json.loads((schemas / "resources" / f"{file_id}.json").read_text())
    return loaded


PUBLISHED = published()


def differences(ours: Any, theirs: Any, path: str) -> list[str]:
    if isinstance(ours, dict) and isinstance(theirs, dict):
        found = []
        for key in sorted(set(ours) | set(theirs)):
            if key in ALLOWED_DEVIATIONS:
                continue
            if key not in ours or key not in theirs:
                found.append(f"{path}/{key}: only in {'ours' if key in ours else 'published'}")
            else:
                found += differences(ours[key], theirs[key], f"{path}/{key}")
        return found
    return [] if ours == theirs else [f"{path}: {ours!r} != published {theirs!r}"]


@pytest.mark.parametrize("section", ["properties", "definitions"])
def test_same_properties_and_definitions_at_every_level(section: str) -> None:
    assert differences(OURS[section], PUBLISHED[section], section) == []


@pytest.mark.parametrize("key", SAME_AT_TOP_LEVEL)
def test_same_identifiers_and_property_classes(key: str) -> None:
    assert OURS[key] == PUBLISHED[key]


def arrays(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "array":
            found.append((path, node))
        for key, value in node.items():
            found += arrays(value, f"{path}/{key}")
    return found


def test_every_array_states_insertion_order() -> None:
    listed = arrays(OURS["properties"]) + arrays(OURS["definitions"])
    assert len(listed) == 5
    for path, node in listed:
        assert isinstance(node.get("insertionOrder"), bool), path
    assert OURS["properties"]["Tags"]["insertionOrder"] is False


def test_handlers_have_explicit_timeouts_for_long_operations() -> None:
    for action in ("create", "update", "delete"):
        assert 60 <= OURS["handlers"][action]["timeoutInMinutes"] <= 2160, action


def test_the_packaged_copy_is_the_schema() -> None:
    assert json.loads(PACKAGED.read_text()) == OURS
