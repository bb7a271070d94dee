"""What the rehearsal seeds for a shadow test whose endpoint is outside the stack: every
name it makes up is one SageMaker's model accepts, whatever endpoint name AWS accepted."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.cloudformation.prerequisites import ensure_endpoint, seeded_config_name
from sandbox.emulator import constraints

ENDPOINT_NAME = constraints.service_model().shape_for("EndpointName")
CONFIG_NAME = constraints.service_model().shape_for("EndpointConfigName")


def accepted(shape: Any, value: str) -> bool:
    return not list(constraints.violations(shape, value, "name"))


@pytest.mark.parametrize("length", [1, 55, 56, 57, 62, 63])
def test_seeded_config_name_is_valid_for_every_valid_endpoint_name(length: int) -> None:
    for endpoint_name in ("e" * length, ("a-" * length)[: length - 1] + "b"):
        assert accepted(ENDPOINT_NAME, endpoint_name)
        assert accepted(CONFIG_NAME, seeded_config_name(endpoint_name)), seeded_config_name(endpoint_name)


def test_short_names_keep_the_plain_suffix_and_long_ones_stay_apart() -> None:
    assert seeded_config_name("recommendations") == "recommendations-config"
    assert seeded_config_name("e" * 56) == "e" * 56 + "-config"
    long_names = ["e" * 62 + "a", "e" * 62 + "b"]
    configs = [seeded_config_name(name) for name in long_names]
    assert len(set(configs)) == 2
    assert all(len(config) == 63 and config.startswith("e" * 40) for config in configs)


def test_an_endpoint_named_with_all_63_characters_is_seeded(sagemaker: Any) -> None:
    name = "shadow-endpoint-" + "x" * 47
    assert len(name) == 63
    assert ensure_endpoint(sagemaker, name, "model-a") == [f"endpoint {name}"]
    described = sagemaker.describe_endpoint(EndpointName=name)
    assert described["EndpointStatus"] == "InService"
    assert described["EndpointConfigName"] == seeded_config_name(name)
