"""Drive handlers the way CloudFormation does: the one handler loop
(`sandbox.lambda_runtime.callbacks`) with what CloudFormation's requests carry besides the
resource, the stack's ID and the resource's logical ID."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sandbox.lambda_runtime.callbacks import ACCOUNT, FAKE_CREDENTIALS, HandlerLoop, Outcome
from sandbox.schemas import TYPE_NAME


@dataclass
class CloudFormation(HandlerLoop):
    """A stand-in for CloudFormation's handler loop against the project's resource type."""

    type_name: str = TYPE_NAME

    def payload(
        self,
        action: str,
        desired: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        stack_tags: dict[str, str] | None = None,
        previous_stack_tags: dict[str, str] | None = None,
        logical_id: str = "Experiment",
    ) -> dict[str, Any]:
        payload = self.request(action, desired, previous, stack_tags, previous_stack_tags)
        payload["stackId"] = f"arn:aws:cloudformation:{self.region}:{ACCOUNT}:stack/sandbox/{uuid.uuid4()}"
        payload["requestData"]["logicalResourceId"] = logical_id
        return payload

    def run(
        self,
        action: str,
        desired: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        stack_tags: dict[str, str] | None = None,
        previous_stack_tags: dict[str, str] | None = None,
        logical_id: str = "Experiment",
        callback_context: dict[str, Any] | None = None,
    ) -> Outcome:
        payload = self.payload(action, desired, previous, stack_tags, previous_stack_tags, logical_id)
        payload["callbackContext"] = callback_context
        return self.loop(payload, desired)


__all__ = ["ACCOUNT", "FAKE_CREDENTIALS", "CloudFormation", "Outcome"]
