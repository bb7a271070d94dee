"""The one handler loop, as CloudFormation and Cloud Control both call a type's handlers:
protocol 2.0.0 requests, each IN_PROGRESS answer re-invoked with the progress it returned
(callbackContext, resourceModel) after its callbackDelaySeconds (scaled), until the handler
settles. Neutral: what each caller adds to the request (CloudFormation's stack ID and
logical ID) is the caller's own (`sandbox.cloudformation.driver`, `sandbox.cloudcontrol`).

`invoke` is anything that takes a payload and returns the handler's response: the
provider's entrypoint in-process, or the Lambda stand-in over HTTP.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.schemas import ResourceSchema, schema_for

from .invoke import FunctionError, Invoke

ACCOUNT = "123456789012"
# A handler invocation that returns nothing (crash, Lambda timeout) is invoked again with the
# same request after 1, 2, then 4 seconds (scaled); a fourth in a row fails the operation.
# CloudFormation does not publish its own policy: docs/deployment.md gives this choice.
LOST_RETRIES = 3
LOST_BACKOFF_SECONDS = 1.0
FAKE_CREDENTIALS = {
    "accessKeyId": "AKIASANDBOXCALLER000",
    "secretAccessKey": "sandbox-caller-secret-key-never-real-000000",
    "sessionToken": "sandbox-caller-session-token-never-real",
}


@dataclass
class Outcome:
    """How one operation on the resource ended."""

    action: str
    status: str
    error_code: str | None
    message: str
    model: dict[str, Any] | None
    models: list[dict[str, Any]]
    invocations: int
    requested_delay: int
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCESS"

    @classmethod
    def of(cls, action: str, response: dict[str, Any], events: list[dict[str, Any]], requested_delay: int) -> Outcome:
        """The outcome a handler's final (not IN_PROGRESS) response reports."""
        return cls(
            action=action,
            status=str(response.get("status")),
            error_code=response.get("errorCode"),
            message=str(response.get("message", "")),
            model=response.get("resourceModel"),
            models=list(response.get("resourceModels") or []),
            invocations=len(events),
            requested_delay=requested_delay,
            events=events,
        )


@dataclass
class HandlerLoop:
    """A caller of one resource type's handlers in one region."""

    invoke: Invoke
    region: str = "us-east-1"
    credentials: dict[str, str] = field(default_factory=lambda: dict(FAKE_CREDENTIALS))
    sleep: Callable[[float], None] = time.sleep
    time_scale: float = 1.0
    max_invocations: int = 10_000  # a runaway bound only: the handler timeout ends the loop first
    on_event: Callable[[str, dict[str, Any]], None] | None = None
    type_name: str = ""
    clock: Callable[[], float] = time.monotonic
    schema: ResourceSchema | None = None

    def request(
        self,
        action: str,
        desired: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        stack_tags: dict[str, str] | None = None,
        previous_stack_tags: dict[str, str] | None = None,
    ) -> dict[str, Any]:
        """The request every caller sends; a caller adds its own fields to it."""
        return {
            "action": action,
            "awsAccountId": ACCOUNT,
            "bearerToken": str(uuid.uuid4()),
            "region": self.region,
            "resourceType": self.type_name,
            "resourceTypeVersion": "00000001",
            "callbackContext": None,
            "requestData": {
                "callerCredentials": dict(self.credentials),
                "resourceProperties": desired or {},
                "previousResourceProperties": previous,
                "stackTags": stack_tags,
                "previousStackTags": previous_stack_tags,
            },
        }

    def timeout_minutes(self, action: str) -> float:
        return (self.schema or schema_for(self.type_name)).timeout_minutes(action)

    def loop(self, payload: dict[str, Any], desired: dict[str, Any] | None) -> Outcome:
        """Invoke until the handler settles, the schema's handler timeout passes on this loop's
        clock (scaled by `time_scale`, as callback delays are), or invocations that return
        nothing repeat; `desired` is re-sent when a progress event has no model."""
        action = str(payload["action"])
        events: list[dict[str, Any]] = []
        requested_delay = 0
        minutes = self.timeout_minutes(action)
        deadline = self.clock() + minutes * 60 * self.time_scale
        lost_in_a_row = 0
        for _ in range(self.max_invocations):
            if self.clock() >= deadline:
                return Outcome.of(action, timed_out(action, minutes), events, requested_delay)
            try:
                response = self.invoke(payload)
            except FunctionError as lost:
                events.append({"status": "LOST", "message": str(lost)})
                lost_in_a_row += 1
                if lost_in_a_row > LOST_RETRIES:
                    return Outcome.of(action, no_response(lost_in_a_row, lost), events, requested_delay)
                self.sleep(LOST_BACKOFF_SECONDS * 2 ** (lost_in_a_row - 1) * self.time_scale)
                continue
            lost_in_a_row = 0
            events.append(response)
            if self.on_event:
                self.on_event(action, response)
            if response.get("status") != "IN_PROGRESS":
                return Outcome.of(action, response, events, requested_delay)
            delay = int(response.get("callbackDelaySeconds", 0))
            requested_delay += delay
            self.sleep(delay * self.time_scale)
            payload["callbackContext"] = response.get("callbackContext")
            payload["requestData"]["resourceProperties"] = response.get("resourceModel") or desired
        message = f"gave up after {self.max_invocations} invocations"
        gave_up = {"status": "FAILED", "errorCode": "NotStabilized", "message": message}
        return Outcome.of(action, gave_up, events, requested_delay)


def timed_out(action: str, minutes: float) -> dict[str, Any]:
    """How the loop fails an operation that outlived its handler's timeoutInMinutes."""
    message = (
        f"Resource timed out waiting for completion: the {action.lower()} handler did not finish "
        f"within the schema's timeoutInMinutes ({minutes:g} minutes)"
    )
    return {"status": "FAILED", "errorCode": "NotStabilized", "message": message}


def no_response(times: int, lost: FunctionError) -> dict[str, Any]:
    message = f"the handler returned no response {times} times in a row; the last: {lost}"
    return {"status": "FAILED", "errorCode": "InternalFailure", "message": message}
