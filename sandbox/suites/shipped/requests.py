"""CloudFormation's requests as a registered type gets them on AWS: besides the caller's
credentials, the provider's own (`providerCredentials`, always set up by `cfn submit`'s
logging role) and the provider log group, with every operation on one stack sharing that
stack's ID."""

from __future__ import annotations

import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from sandbox.cloudformation.driver import ACCOUNT, CloudFormation

PROVIDER_CREDENTIALS = {
    "accessKeyId": "AKIASANDBOXPROVIDER0",
    "secretAccessKey": "sandbox-provider-secret-key-never-real-0000",
    "sessionToken": "sandbox-provider-session-token-never-real",
}
LOG_GROUP = "sagemaker-inferenceexperiment-logs"


def reset_emulator(url: str) -> None:
    """Empty every moto backend of a running emulator server (its state outlives the server in
    this process), so each run starts from nothing."""
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", data=b"", method="POST"), timeout=30)


def stack_id(region: str, stack_name: str) -> str:
    return f"arn:aws:cloudformation:{region}:{ACCOUNT}:stack/{stack_name}/{uuid.uuid4()}"


def stream_name(stack: str, logical_id: str) -> str:
    """The provider log stream CloudFormation's library names for a stack's resource."""
    return f"{stack}/{logical_id}".replace(":", "__")


@dataclass
class StackRequests(CloudFormation):
    """CloudFormation's handler loop for the resources of one stack, with provider credentials
    and the provider log group in every request."""

    stack_name: str = "sandbox"
    type_name: str = "AWS::SageMaker::InferenceExperiment"
    log_group: str = LOG_GROUP
    provider_credentials: dict[str, str] = field(default_factory=lambda: dict(PROVIDER_CREDENTIALS))
    stack: str = ""

    def __post_init__(self) -> None:
        self.stack = self.stack or stack_id(self.region, self.stack_name)

    def payload(
        self,
        action: str,
        desired: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        stack_tags: dict[str, str] | None = None,
        previous_stack_tags: dict[str, str] | None = None,
        logical_id: str = "Experiment",
    ) -> dict[str, Any]:
        request = super().payload(action, desired, previous, stack_tags, previous_stack_tags, logical_id)
        request["stackId"] = self.stack
        request["resourceType"] = self.type_name
        request["requestData"]["providerCredentials"] = dict(self.provider_credentials)
        request["requestData"]["providerLogGroupName"] = self.log_group
        return request
