"""Helpers the tests share (pytest advises against importing from conftest, which keeps
only fixtures)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from sandbox.suites.seed import shadow_test_request

ENDPOINT = "shadow-endpoint"
# Writable properties a Read must return exactly as the template gave them.
RETURNED_AS_GIVEN = (
    "Name",
    "Type",
    "RoleArn",
    "EndpointName",
    "ModelVariants",
    "ShadowModeConfig",
    "DataStorageConfig",
    "KmsKey",
    "Description",
)


def experiment(name: str = "shadow-test", **overrides: Any) -> dict[str, Any]:
    """A complete resource model for the seeded endpoint."""
    return {**shadow_test_request(name), **overrides}


def endpoint_variants(sagemaker: Any, endpoint_name: str = ENDPOINT) -> tuple[list[str], list[str]]:
    """Production and shadow variant names on the endpoint, as DescribeEndpoint shows them."""
    endpoint = sagemaker.describe_endpoint(EndpointName=endpoint_name)
    return (
        [v["VariantName"] for v in endpoint["ProductionVariants"]],
        [v["VariantName"] for v in endpoint.get("ShadowProductionVariants") or []],
    )


def error_code(call: Any, **kwargs: Any) -> str:
    """The error code `call(**kwargs)` fails with."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    return str(caught.value.response["Error"]["Code"])


FRAUD_INSTANCE_TYPES = [
    "ml.t2.medium",
    "ml.m5.large",
    "ml.m5.xlarge",
    "ml.c5.xlarge",
    "ml.c5.2xlarge",
    "ml.g4dn.xlarge",
]


def register_fraud_package(sagemaker: Any) -> str:
    """A model package (group "fraud") that Inference Recommender jobs can size."""
    sagemaker.create_model_package_group(ModelPackageGroupName="fraud")
    arn: str = sagemaker.create_model_package(
        ModelPackageGroupName="fraud",
        InferenceSpecification={
            "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud:2"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
            "SupportedRealtimeInferenceInstanceTypes": FRAUD_INSTANCE_TYPES,
        },
    )["ModelPackageArn"]
    return arn
