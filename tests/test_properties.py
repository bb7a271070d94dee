"""Property facts come from the schema: one edit there changes every user of them."""

from __future__ import annotations

import copy

import pytest

from aws_sagemaker_inferenceexperiment.properties import FACTS, SCHEMA, facts_from_schema


def test_facts_follow_the_schema() -> None:
    assert FACTS.create_only == ("Name", "Type", "RoleArn", "EndpointName", "KmsKey")
    assert set(FACTS.write_only) == {"StatusReason", "DesiredState", "Schedule"}
    assert set(FACTS.changeable_before_start) == {
        "Description",
        "Schedule",
        "ModelVariants",
        "DataStorageConfig",
        "ShadowModeConfig",
    }
    assert "Tags" in FACTS.writable
    assert not {"Arn", "Status", "DesiredState"} & set(FACTS.writable)


def test_a_new_property_is_changeable_without_other_edits() -> None:
    schema = copy.deepcopy(SCHEMA)
    schema["properties"]["NewSetting"] = {"type": "string"}
    facts = facts_from_schema(schema)
    assert "NewSetting" in facts.changeable_before_start
    assert "NewSetting" in facts.writable


def test_running_rules_must_name_schema_paths() -> None:
    schema = copy.deepcopy(SCHEMA)
    del schema["definitions"]["ShadowModelVariantConfig"]["properties"]["SamplingPercentage"]
    with pytest.raises(ValueError, match="SamplingPercentage"):
        facts_from_schema(schema)
