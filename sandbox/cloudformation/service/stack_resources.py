"""The resources an inference experiment stands on, made real in the emulator: SageMaker
Model, EndpointConfig and Endpoint from their template properties. Anything else gets a
plausible physical ID and ARN so references to it resolve, and is reported as skipped.
"""

from __future__ import annotations

from typing import Any

from ..engine.model import Physical

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


class SupportResources:
    def __init__(self, sagemaker: Any, account: str, region: str) -> None:
        self.sagemaker = sagemaker
        self.account = account
        self.region = region

    def create(self, type_name: str, properties: dict[str, Any], name: str) -> Physical:
        name_key = NAME_PROPERTY[type_name]
        name = properties.get(name_key) or name
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

    def placeholder(self, logical_id: str, type_name: str, properties: dict[str, Any], name: str) -> Physical:
        """A stand-in for a resource the rehearsal does not create, so references resolve."""
        service = type_name.split("::")[1].lower() if type_name.count("::") == 2 else "unknown"
        name = str(properties.get("RoleName") or name)
        if type_name == "AWS::IAM::Role":
            arn = f"arn:aws:iam::{self.account}:role/{name}"
        else:
            arn = f"arn:aws:{service}:{self.region}:{self.account}:{logical_id.lower()}/{name}"
        return Physical(ref=name, attributes={"Arn": arn}, name=name)
