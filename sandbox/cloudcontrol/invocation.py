"""Calling a registered type's handlers: protocol 2.0.0 payloads and the callback loop from
sandbox.driver (CloudFormation's), with what Cloud Control does differently: no stack, the
type's own name, and a request that can be canceled between invocations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime.invoke import FunctionError, Invoke

from .exceptions import CloudControlError, handler_failure


class Cancelled(Exception):
    """The request was canceled: no further handler invocation may start."""


@dataclass
class HandlerDriver(CloudFormation):
    """CloudFormation's handler loop with Cloud Control's payload."""

    type_name: str = ""

    def payload(
        self,
        action: str,
        desired: dict[str, Any] | None,
        previous: dict[str, Any] | None = None,
        stack_tags: dict[str, str] | None = None,
        previous_stack_tags: dict[str, str] | None = None,
        logical_id: str = "Experiment",
    ) -> dict[str, Any]:
        payload = super().payload(action, desired, previous, stack_tags, previous_stack_tags, logical_id)
        # Cloud Control provisions resources outside any stack.
        del payload["stackId"]
        del payload["requestData"]["logicalResourceId"]
        payload["resourceType"] = self.type_name
        return payload


def guarded(invoke: Invoke, cancelled: Callable[[], bool]) -> Invoke:
    """`invoke`, refusing to start an invocation once the request is canceled."""

    def call(payload: dict[str, Any]) -> dict[str, Any]:
        if cancelled():
            raise Cancelled
        return invoke(payload)

    return call


def invoke_once(driver: HandlerDriver, payload: dict[str, Any]) -> dict[str, Any]:
    """One synchronous invocation (read, list); a FAILED answer becomes the matching exception."""
    try:
        response = driver.invoke(payload)
    except FunctionError as lost:
        raise CloudControlError("HandlerFailureException", str(lost)) from lost
    if response.get("status") != "SUCCESS":
        raise handler_failure(response.get("errorCode"), str(response.get("message") or ""))
    return response


def read_model(driver: HandlerDriver, identifier_model: dict[str, Any]) -> dict[str, Any]:
    """The resource's current model, as the read handler reports it."""
    model: dict[str, Any] = invoke_once(driver, driver.payload("READ", identifier_model)).get("resourceModel") or {}
    return model
