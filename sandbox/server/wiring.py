"""The emulator installed with the server layer around it: every emulated operation's
response method first draws a seeded fault, and every call lands in the call log."""

from __future__ import annotations

import functools
import json
from typing import Any

from moto.core.exceptions import ServiceException
from moto.sagemaker.responses import SageMakerResponse

from sandbox import emulator
from sandbox.emulator.responses import ResponseMethod

from .calls import OBSERVED_MOTO_OPERATIONS
from .control import CONTROL
from .faults import FAULTS

JSON_HEADERS = {"Content-Type": "application/x-amz-json-1.1"}


LOGGED = "_in_the_call_log"


def install() -> None:
    """Inference experiments in moto, on CONTROL's settings, with faults and the call log, and
    the moto operations handlers call in the call log too (idempotent)."""
    emulator.install(CONTROL.settings, wrap=emulated)
    for operation, method_name in OBSERVED_MOTO_OPERATIONS.items():
        method = getattr(SageMakerResponse, method_name)
        if not getattr(method, LOGGED, False):
            setattr(SageMakerResponse, method_name, logged(operation, method))


def subject(response: SageMakerResponse) -> str | None:
    name = response._get_param("Name")
    if name:
        return str(name)
    arn = response._get_param("ResourceArn")
    return str(arn).rsplit("/", 1)[-1] if arn else None


def implied_permissions(operation: str, response: SageMakerResponse) -> tuple[str, ...]:
    """IAM authorizes more than the operation for some calls: passing RoleArn needs
    iam:PassRole, and tags given on create need sagemaker:AddTags."""
    if operation != "CreateInferenceExperiment":
        return ()
    return ("iam:PassRole", "sagemaker:AddTags") if response._get_param("Tags") else ("iam:PassRole",)


def named_endpoint(operation: str, response: SageMakerResponse) -> str | None:
    """The endpoint a CreateInferenceExperiment names: where its shadow variant goes, so a
    rehearsal can look there, and only there, for one left behind."""
    endpoint = response._get_param("EndpointName") if operation == "CreateInferenceExperiment" else None
    return str(endpoint) if endpoint else None


def logged(operation: str, method: ResponseMethod) -> ResponseMethod:
    """The call log around one of moto's own operations (no fault injection)."""

    @functools.wraps(method)
    def wrapper(self: SageMakerResponse) -> Any:
        try:
            result = method(self)
        except ServiceException as error:
            CONTROL.record(operation, error.code, None)
            raise
        CONTROL.record(operation, "Success", None)
        return result

    setattr(wrapper, LOGGED, True)
    return wrapper


def emulated(operation: str, method: ResponseMethod) -> ResponseMethod:
    """Fault injection and call logging around one operation's response method."""

    @functools.wraps(method)
    def wrapper(self: SageMakerResponse) -> Any:
        name = subject(self)
        implies = implied_permissions(operation, self)
        endpoint = named_endpoint(operation, self)
        CONTROL.run_hook(operation)
        with CONTROL.lock:
            fault = CONTROL.faults.draw(operation)
            if fault is not None:
                status, code, message = FAULTS[fault]
                CONTROL.record(operation, code, name, implies, endpoint)
                return json.dumps({"__type": code, "message": message}), {"status": status, **JSON_HEADERS}
            try:
                result = method(self)
            except ServiceException as error:
                CONTROL.record(operation, error.code, name, implies, endpoint)
                raise
            CONTROL.record(operation, "Success", name, implies, endpoint)
            return result

    return wrapper
