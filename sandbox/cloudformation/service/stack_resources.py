"""The resources an inference experiment stands on, made real in the emulator: SageMaker
Model, EndpointConfig and Endpoint from their template properties. Anything else gets a
plausible physical ID and ARN so references to it resolve, and is reported as skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..engine.model import Physical
from ..engine.provisioner import ResourceFailure

# Seconds before each further DescribeEndpoint look while an endpoint updates: short first,
# then every 30 s as boto3's EndpointInService waiter, for about an hour in all.
ENDPOINT_POLLS = (1.0, 2.0, 4.0, 8.0, 15.0, *[30.0] * 120)
ENDPOINT_IN_PROGRESS = ("Creating", "Updating", "SystemUpdating", "RollingBack")
Wait = Callable[[float, str], None]  # seconds to wait (before any time scale), and why

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

    def update_endpoint(self, physical: Physical, properties: dict[str, Any], wait: Wait) -> None:
        """UpdateEndpoint, then, as CloudFormation does, wait (DescribeEndpoint after each of
        ENDPOINT_POLLS) until the endpoint is InService with the new config; any other settled
        status, or no end to Updating, fails the resource."""
        config_name = properties["EndpointConfigName"]
        self.sagemaker.update_endpoint(EndpointName=physical.name, EndpointConfigName=config_name)
        for delay in ENDPOINT_POLLS:
            endpoint = self.sagemaker.describe_endpoint(EndpointName=physical.name)
            status = endpoint["EndpointStatus"]
            if status == "InService":
                return
            if status not in ENDPOINT_IN_PROGRESS:
                reason = endpoint.get("FailureReason") or "no FailureReason given"
                raise ResourceFailure(f"Endpoint {physical.name} is {status} after UpdateEndpoint: {reason}")
            wait(delay, f"endpoint {status} to endpoint config {config_name}")
        raise ResourceFailure(
            f"Endpoint {physical.name} was still not InService {sum(ENDPOINT_POLLS):.0f} s after UpdateEndpoint"
        )

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
