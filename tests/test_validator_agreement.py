"""The handlers' schema validator and the local Cloud Control API's (jsonschema, as Cloud
Control validates a desired state) must never disagree: documents generated from the resource
schema, one property value at a time, are accepted by both or refused by both."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from aws_sagemaker_inferenceexperiment.validation import schema_problems
from sandbox.cloudcontrol.exceptions import CloudControlError
from sandbox.cloudcontrol.schema import TypeSchema
from sandbox.cloudformation.driver import CloudFormation
from tests.helpers import experiment

SCHEMA = json.loads(Path("aws-sagemaker-inferenceexperiment.json").read_text(encoding="utf-8"))
CLOUD_CONTROL = TypeSchema(SCHEMA)
# Characters probed in every string: ASCII classes, whitespace that is and is not a Unicode
# separator (\p{Z}), letters and numbers beyond ASCII, symbols, a combining mark, private use.
PROBE_CHARACTERS = (
    "a",
    "Z",
    "7",
    " ",
    "\t",
    "\n",
    "\r",
    "\u00a0",
    "\u2028",
    "\u3000",
    "é",
    "ß",
    "一",
    "²",
    "٣",
    "Ⅻ",
    "_",
    "-",
    "@",
    ":",
    "/",
    "#",
    "%",
    "\u0301",
    "😀",
    "\ue000",
    "\x00",
)
TYPE_PROBES = (5, 5.0, 5.5, -1, 0, "5", "text", "", True, [], {}, ["x"], {"Key": "x"})


def complete_model() -> dict[str, Any]:
    """A valid model that sets every property at every depth, read-only ones included
    (Cloud Control validates the read model with the patch applied)."""
    return experiment(
        "agreement",
        Arn="arn:aws:sagemaker:us-east-1:123456789012:inference-experiment/agreement",
        CreationTime="2026-11-24T12:00:00.000Z",
        LastModifiedTime="2026-11-24T12:05:00.000Z",
        Status="Running",
        StatusReason="comparing models",
        DesiredState="Running",
        Description="shadow test",
        KmsKey="volume-key",
        Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-02T00:00:00Z"},
        DataStorageConfig={
            "Destination": "s3://capture/shadow",
            "KmsKey": "capture-key",
            "ContentType": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]},
        },
        EndpointMetadata={
            "EndpointName": "shadow-endpoint",
            "EndpointConfigName": "shadow-config",
            "EndpointStatus": "InService",
        },
        Tags=[{"Key": "team", "Value": "ml"}],
    )


def resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = SCHEMA["definitions"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def locations(value: Any, node: dict[str, Any], path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every (path, schema node) of `value`, depth first, the value itself first."""
    node = resolve(node)
    yield path, node
    if isinstance(value, dict):
        for key, item in value.items():
            yield from locations(item, node.get("properties", {}).get(key, {}), (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from locations(item, node.get("items", {}), (*path, index))


def schema_paths(node: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every property path the schema declares (array items left out of the path)."""
    node = resolve(node)
    if "items" in node:
        yield from schema_paths(node["items"], path)
    for key, child in node.get("properties", {}).items():
        yield (*path, key)
        yield from schema_paths(child, (*path, key))


def strings(base: str, node: dict[str, Any]) -> Iterator[str]:
    for length in {node.get("minLength", 0) - 1, node.get("minLength", 0), node.get("maxLength", 0) + 1} - {-1}:
        yield (base * (length // max(len(base), 1) + 1))[:length]
    if "maxLength" in node:
        yield (base * (node["maxLength"] // max(len(base), 1) + 1))[: node["maxLength"]]
    for char in PROBE_CHARACTERS:
        yield base + char
        yield char


def numbers(node: dict[str, Any]) -> Iterator[Any]:
    for bound in (node.get("minimum"), node.get("maximum")):
        if bound is not None:
            for value in (bound - 1, bound, bound + 1):
                yield from (value, float(value), value + 0.5)


def candidates(value: Any, node: dict[str, Any]) -> Iterator[Any]:
    """Values to put where `value` is: other types, and each constraint's edges."""
    yield from TYPE_PROBES
    for allowed in node.get("enum", []):
        yield from (allowed, allowed.lower(), allowed + " ")
    if isinstance(value, str):
        yield from strings(value, node)
    yield from numbers(node)
    if isinstance(value, list):
        for size in {node.get("minItems", 0) - 1, node.get("maxItems", 0) + 1, 0} - {-1}:
            yield (value * (size + 1))[:size]
    if isinstance(value, dict):
        yield {**value, "Extra": "x"}
        for required in node.get("required", []):
            yield {k: v for k, v in value.items() if k != required}


def replaced(model: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    document = copy.deepcopy(model)
    if not path:
        return value if isinstance(value, dict) else document
    holder: Any = document
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return document


def cloud_control_accepts(document: dict[str, Any]) -> bool:
    try:
        CLOUD_CONTROL.validate(document)
    except CloudControlError:
        return False
    return True


def generated() -> Iterator[dict[str, Any]]:
    """One document per (schema node, candidate value): the rest of the document is valid, so
    the same value under the same node (a definition used twice) decides the same way."""
    model = complete_model()
    seen = set()
    for path, node in locations(model, SCHEMA):
        current: Any = model
        for part in path:
            current = current[part]
        for value in candidates(current, node):
            key = (json.dumps(node, sort_keys=True), repr(value))
            if key not in seen:
                seen.add(key)
                yield replaced(model, path, value)


def test_the_complete_model_reaches_every_property_and_both_accept_it() -> None:
    model = complete_model()
    declared = set(schema_paths(SCHEMA))
    reached = {tuple(p for p in path if isinstance(p, str)) for path, _ in locations(model, SCHEMA)}
    assert declared <= reached, f"complete_model() leaves out {sorted(declared - reached)}"
    assert schema_problems(model) == []
    assert cloud_control_accepts(model)


def test_both_validators_agree_on_every_generated_document() -> None:
    disagreements = []
    count = 0
    for document in generated():
        count += 1
        handler = not schema_problems(document)
        cloud_control = cloud_control_accepts(document)
        lenient = not schema_problems(document, lenient=True)
        if handler != cloud_control or (cloud_control and not lenient):
            disagreements.append((handler, cloud_control, schema_problems(document)))
    assert count > 1500
    assert disagreements == []


@pytest.mark.parametrize(
    ("where", "value", "accepted"),
    [
        (("ShadowModeConfig", "ShadowModelVariants", 0, "SamplingPercentage"), 5.0, True),
        (("ShadowModeConfig", "ShadowModelVariants", 0, "SamplingPercentage"), 5.5, False),
        (("Tags", 0, "Key"), "team\tname", False),
        (("Tags", 0, "Key"), "team\nname", False),
        (("Tags", 0, "Key"), "équipe\u00a0№1", False),
        (("Tags", 0, "Key"), "équipe\u00a01", True),
    ],
)
def test_the_cases_issue_22_found(where: tuple[Any, ...], value: Any, accepted: bool) -> None:
    document = replaced(complete_model(), where, value)
    assert (not schema_problems(document), cloud_control_accepts(document)) == (accepted, accepted)


def test_an_integral_number_reaches_sagemaker_as_an_integer(cfn: CloudFormation, sagemaker: Any) -> None:
    """What Cloud Control accepts, the handler takes and sends as SageMaker's integer."""
    model = experiment("agreement")
    model["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 5.0
    outcome = cfn.run("CREATE", model)
    assert outcome.succeeded, outcome.message
    described = sagemaker.describe_inference_experiment(Name="agreement")
    assert described["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] == 5
