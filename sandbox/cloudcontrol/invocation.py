"""Calling a registered type's handlers through the one handler loop
(`sandbox.lambda_runtime.callbacks`), as Cloud Control does: no stack and no logical ID, the
type's own name, and a request that can be canceled between invocations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.lambda_runtime.callbacks import HandlerLoop, Outcome
from sandbox.lambda_runtime.invoke import FunctionError, Invoke

from .exceptions import CloudControlError, handler_failure


class Cancelled(Exception):
    """The request was canceled: no further handler invocation may start."""


@dataclass
class HandlerDriver(HandlerLoop):
    """The handler loop with Cloud Control's requests: the resource outside any stack."""

    def run(self, action: str, desired: dict[str, Any], previous: dict[str, Any] | None = None) -> Outcome:
        return self.loop(self.request(action, desired, previous), desired)


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
    model: dict[str, Any] = invoke_once(driver, driver.request("READ", identifier_model)).get("resourceModel") or {}
    return model
