"""Fixtures for the suites and tests: a complete shadow-test request and the endpoint and
models it refers to."""

from __future__ import annotations

from typing import Any

from sandbox.cloudformation.prerequisites import ROLE_ARN, ensure_endpoint, ensure_model


def variant(variant_name: str, model_name: str, instance_count: int = 1) -> dict[str, Any]:
    """One ModelVariants entry on ml.m5.large instances."""
    return {
        "VariantName": variant_name,
        "ModelName": model_name,
        "InfrastructureConfig": {
            "InfrastructureType": "RealTimeInference",
            "RealTimeInferenceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": instance_count},
        },
    }


def shadow_test_request(
    name: str,
    endpoint_name: str = "shadow-endpoint",
    production: tuple[str, str] = ("production", "model-a"),
    shadow: tuple[str, str] = ("shadow", "model-b"),
    sampling_percentage: int = 50,
) -> dict[str, Any]:
    """A complete CreateInferenceExperiment request for the seeded endpoint."""
    return {
        "Name": name,
        "Type": "ShadowMode",
        "RoleArn": ROLE_ARN,
        "EndpointName": endpoint_name,
        "ModelVariants": [variant(*production), variant(*shadow)],
        "ShadowModeConfig": {
            "SourceModelVariantName": production[0],
            "ShadowModelVariants": [{"ShadowModelVariantName": shadow[0], "SamplingPercentage": sampling_percentage}],
        },
    }


def seed_shadow_test(sagemaker: Any, endpoint_name: str = "shadow-endpoint") -> None:
    """The endpoint plus both models that `shadow_test_request` refers to."""
    ensure_endpoint(sagemaker, endpoint_name, "model-a")
    ensure_model(sagemaker, "model-b")
