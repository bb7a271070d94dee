"""The resources an inference experiment stands on, made real in the emulator: SageMaker
Model, EndpointConfig and Endpoint from their template properties. Anything else gets a
plausible physical ID and ARN so references to it resolve, and is reported as skipped.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

EMULATED_TYPES = ("AWS::SageMaker::Model", "AWS::SageMaker::EndpointConfig", "AWS::SageMaker::Endpoint")
API_KEYS = {
    "AWS::SageMaker::Model": (
        "ExecutionRoleArn",
        "PrimaryContainer",
        "Containers",
        "VpcConfig",
        "EnableNetworkIsolation",
        "InferenceExecutionConfig",
        "Tags",
    ),
    "AWS::SageMaker::EndpointConfig": (
        "ProductionVariants",
        "DataCaptureConfig",
        "AsyncInferenceConfig",
        "KmsKeyId",
        "ShadowProductionVariants",
        "Tags",
    ),
    "AWS::SageMaker::Endpoint": ("EndpointConfigName", "Tags"),
}
NAME_PROPERTY = {
    "AWS::SageMaker::Model": "ModelName",
    "AWS::SageMaker::EndpointConfig": "EndpointConfigName",
    "AWS::SageMaker::Endpoint": "EndpointName",
}


@dataclass
class Physical:
    """What CloudFormation knows of a created resource: Ref value and GetAtt attributes."""

    ref: str
    attributes: dict[str, Any]
    name: str


def generated_name(stack_name: str, logical_id: str, limit: int = 63) -> str:
    """CloudFormation-style physical name: stack-logical-suffix, letters, digits and hyphens only."""
    suffix = hashlib.sha1(f"{stack_name}/{logical_id}".encode()).hexdigest()[:12].upper()
    base = f"{stack_name}-{logical_id}"[: limit - len(suffix) - 1]
    cleaned = "".join(c if c.isalnum() else "-" for c in base).strip("-")
    return f"{cleaned}-{suffix}"


class SupportResources:
    def __init__(self, sagemaker: Any, stack_name: str, account: str, region: str) -> None:
        self.sagemaker = sagemaker
        self.stack_name = stack_name
        self.account = account
        self.region = region

    def create(self, logical_id: str, type_name: str, properties: dict[str, Any], name: str | None = None) -> Physical:
        name_key = NAME_PROPERTY[type_name]
        name = properties.get(name_key) or name or generated_name(self.stack_name, logical_id)
        arguments = {key: properties[key] for key in API_KEYS[type_name] if key in properties}
        if type_name == "AWS::SageMaker::Model":
            self.sagemaker.create_model(ModelName=name, **arguments)
            arn = self.sagemaker.describe_model(ModelName=name)["ModelArn"]
        elif type_name == "AWS::SageMaker::EndpointConfig":
            arn = self.sagemaker.create_endpoint_config(EndpointConfigName=name, **arguments)["EndpointConfigArn"]
        else:
            arn = self.sagemaker.create_endpoint(EndpointName=name, **arguments)["EndpointArn"]
        return Physical(ref=arn, attributes={name_key: name, name_key.replace("Name", "Arn"): arn}, name=name)

    def update_endpoint(self, physical: Physical, properties: dict[str, Any]) -> None:
        self.sagemaker.update_endpoint(EndpointName=physical.name, EndpointConfigName=properties["EndpointConfigName"])

    def delete(self, type_name: str, physical: Physical) -> None:
        if type_name == "AWS::SageMaker::Model":
            self.sagemaker.delete_model(ModelName=physical.name)
        elif type_name == "AWS::SageMaker::EndpointConfig":
            self.sagemaker.delete_endpoint_config(EndpointConfigName=physical.name)
        else:
            self.sagemaker.delete_endpoint(EndpointName=physical.name)

    def placeholder(
        self, logical_id: str, type_name: str, properties: dict[str, Any], name: str | None = None
    ) -> Physical:
        """A stand-in for a resource the rehearsal does not create, so references resolve."""
        service = type_name.split("::")[1].lower() if type_name.count("::") == 2 else "unknown"
        name = str(properties.get("RoleName") or name or generated_name(self.stack_name, logical_id))
        if type_name == "AWS::IAM::Role":
            arn = f"arn:aws:iam::{self.account}:role/{name}"
        else:
            arn = f"arn:aws:{service}:{self.region}:{self.account}:{logical_id.lower()}/{name}"
        return Physical(ref=name, attributes={"Arn": arn}, name=name)
