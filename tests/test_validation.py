"""Schema and cross-field validation: each problem names the property it is about."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft7Validator

from aws_sagemaker_inferenceexperiment.validation import cross_field_problems, schema_problems
from sandbox.suites.invalid_models import WRONG_TYPE
from tests.helpers import experiment


def one(problems: list[str], *fragments: str) -> None:
    assert problems, "expected a problem"
    assert any(all(f in p for f in fragments) for p in problems), problems


def test_valid_model_has_no_problems() -> None:
    model = experiment(
        "exp", Tags=[{"Key": "équipe data", "Value": "ml"}], Schedule={"StartTime": "2026-12-01T00:00:00Z"}
    )
    assert schema_problems(model) == []
    assert cross_field_problems(model) == []


SCHEMA_CASES: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"Name": "-bad"}, ("Name", "pattern")),
    ({"Name": "x" * 121}, ("Name", "at most 120")),
    ({"Type": "AbTest"}, ("Type", "allowed values")),
    ({"RoleArn": "not-an-arn-but-long-enough"}, ("RoleArn", "pattern")),
    ({"ModelVariants": []}, ("ModelVariants", "at least 1")),
    ({"Description": ""}, ("Description", "at least 1")),
    ({"DesiredState": "Paused"}, ("DesiredState", "allowed values")),
    ({"Unknown": 1}, ("Unknown", "not a property")),
    ({"Tags": [{"Key": "k"}]}, ("Tags[0].Value", "required")),
    ({"Tags": "k=v"}, ("Tags", "type array")),
    ({"DataStorageConfig": {"KmsKey": "k"}}, ("DataStorageConfig.Destination", "required")),
]


@pytest.mark.parametrize(("change", "fragments"), SCHEMA_CASES)
def test_schema_problems_name_the_field(change: dict[str, Any], fragments: tuple[str, ...]) -> None:
    one(schema_problems(experiment("exp", **change)), *fragments)


def test_nested_schema_problems() -> None:
    model = experiment("exp")
    model["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = -1
    model["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = True
    problems = schema_problems(model)
    one(problems, "ModelVariants[0].InfrastructureConfig.RealTimeInferenceConfig.InstanceCount", "at least 0")
    one(problems, "ShadowModeConfig.ShadowModelVariants[0].SamplingPercentage", "type integer")
    del model["Name"]
    one(schema_problems(model), "Name is required")


def shadow(source: str, name: str, percentage: int = 50) -> dict[str, Any]:
    return {
        "SourceModelVariantName": source,
        "ShadowModelVariants": [{"ShadowModelVariantName": name, "SamplingPercentage": percentage}],
    }


CROSS_CASES: list[tuple[dict[str, Any], tuple[str, ...]]] = [
    ({"ShadowModeConfig": None}, ("ShadowModeConfig is required",)),
    ({"ShadowModeConfig": shadow("prod", "shadow")}, ("SourceModelVariantName 'prod'",)),
    ({"ShadowModeConfig": shadow("production", "shade")}, ("ShadowModelVariants[0].ShadowModelVariantName 'shade'",)),
    ({"ShadowModeConfig": shadow("production", "production")}, ("also the SourceModelVariantName",)),
    ({"ShadowModeConfig": shadow("production", "shadow", 0)}, ("SamplingPercentage is 0",)),
    ({"Schedule": {"StartTime": "soon"}}, ("Schedule.StartTime", "ISO 8601")),
    (
        {"Schedule": {"StartTime": "2026-12-02T00:00:00Z", "EndTime": "2026-12-01T00:00:00Z"}},
        ("Schedule.EndTime", "after"),
    ),
    ({"Schedule": {"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2027-01-01T00:00:00Z"}}, ("30 days",)),
]


@pytest.mark.parametrize(("change", "fragments"), CROSS_CASES)
def test_cross_field_problems(change: dict[str, Any], fragments: tuple[str, ...]) -> None:
    one(cross_field_problems(experiment("exp", **change)), *fragments)


def test_variant_rules() -> None:
    model = experiment("exp")
    model["ModelVariants"].append(dict(model["ModelVariants"][0]))
    one(cross_field_problems(model), "ModelVariants", "unique", "production")
    spare = experiment("exp")
    spare["ModelVariants"][1] = {**spare["ModelVariants"][1], "VariantName": "spare"}
    spare["ShadowModeConfig"] = shadow("production", "spare")
    spare["ModelVariants"].append({**spare["ModelVariants"][0], "VariantName": "third"})
    one(cross_field_problems(spare), "'third' is neither")


def test_stop_may_keep_naming_dropped_variants() -> None:
    model = experiment("exp")
    model["ModelVariants"] = model["ModelVariants"][1:]
    assert cross_field_problems(model, frozenset({"production"})) == []
    one(cross_field_problems(model), "SourceModelVariantName 'production'")


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_the_invalid_input_suites_wrong_types_are_wrong_to_json_schema(data: st.DataObject) -> None:
    """The reliability suite's invalid values must be invalid by the schema's own rules: an
    integral float such as 5.0 is a JSON Schema integer (Cloud Control accepts it), so it is
    never offered as a wrong type for an integer property."""
    for kind, strategy in WRONG_TYPE.items():
        value = data.draw(strategy)
        assert not Draft7Validator({"type": kind}).is_valid(value), (kind, value)
