"""Wire the inference-experiment operations into moto's SageMaker service.

`install()` adds one response method per operation to moto's `SageMakerResponse`
and teaches the backend's tag operations about inference-experiment ARNs. Every
emulated operation passes through `emulated`, which injects seeded faults and
writes the call log.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from moto.core.exceptions import ServiceException
from moto.core.responses import ActionResult
from moto.sagemaker.exceptions import ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from sandbox.server.control import CONTROL

from .models import merge_tags, store_of

LIST_PAGE_DEFAULT = 10
JSON_HEADERS = {"Content-Type": "application/x-amz-json-1.1"}
FAULTS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "server-error": (500, "InternalFailure", "We encountered an internal error. Please try again."),
}

ResponseMethod = Callable[[SageMakerResponse], Any]


def _subject(response: SageMakerResponse) -> str | None:
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


def emulated(operation: str) -> Callable[[ResponseMethod], ResponseMethod]:
    """Fault injection and call logging around one operation's response method."""

    def decorate(method: ResponseMethod) -> ResponseMethod:
        @functools.wraps(method)
        def wrapper(self: SageMakerResponse) -> Any:
            subject = _subject(self)
            implies = implied_permissions(operation, self)
            with CONTROL.lock:
                fault = CONTROL.faults.draw(operation)
                if fault is not None:
                    status, code, message = FAULTS[fault]
                    CONTROL.record(operation, code, subject, implies)
                    return json.dumps({"__type": code, "message": message}), {"status": status, **JSON_HEADERS}
                try:
                    result = method(self)
                except ServiceException as error:
                    CONTROL.record(operation, error.code, subject, implies)
                    raise
                CONTROL.record(operation, "Success", subject, implies)
                return result

        return wrapper

    return decorate


def _store(response: SageMakerResponse) -> Any:
    return store_of(response.sagemaker_backend)


def _params(response: SageMakerResponse) -> dict[str, Any]:
    return dict(response.params)


def _endpoint(response: SageMakerResponse, name: str) -> Any:
    return response.sagemaker_backend.endpoints.get(name)


@emulated("CreateInferenceExperiment")
def create_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).create(_params(self))
    return ActionResult({"InferenceExperimentArn": experiment.arn})


@emulated("DescribeInferenceExperiment")
def describe_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).get(self._get_param("Name"))
    return ActionResult(experiment.describe(_endpoint(self, experiment.endpoint_name)))


@emulated("UpdateInferenceExperiment")
def update_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).update(_params(self))
    return ActionResult({"InferenceExperimentArn": experiment.arn})


@emulated("StartInferenceExperiment")
def start_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).start(self._get_param("Name"))
    return ActionResult({"InferenceExperimentArn": experiment.arn})


@emulated("StopInferenceExperiment")
def stop_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).stop(_params(self))
    return ActionResult({"InferenceExperimentArn": experiment.arn})


@emulated("DeleteInferenceExperiment")
def delete_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiment = _store(self).delete(self._get_param("Name"))
    return ActionResult({"InferenceExperimentArn": experiment.arn})


@emulated("ListInferenceExperiments")
def list_inference_experiments(self: SageMakerResponse) -> ActionResult:
    params = _params(self)
    experiments = _store(self).listing(params)
    page_size = int(params.get("MaxResults") or LIST_PAGE_DEFAULT)
    if not 1 <= page_size <= 100:
        raise ValidationError(
            f"Value '{page_size}' at 'maxResults' failed to satisfy constraint: "
            "Member must have value less than or equal to 100"
        )
    token = params.get("NextToken")
    try:
        offset = int(token) if token else 0
    except ValueError:
        raise ValidationError(f"Invalid pagination token '{token}'.") from None
    page = experiments[offset : offset + page_size]
    result: dict[str, Any] = {"InferenceExperiments": [e.summary() for e in page]}
    if offset + page_size < len(experiments):
        result["NextToken"] = str(offset + page_size)
    return ActionResult(result)


OPERATIONS: dict[str, ResponseMethod] = {
    "create_inference_experiment": create_inference_experiment,
    "describe_inference_experiment": describe_inference_experiment,
    "update_inference_experiment": update_inference_experiment,
    "start_inference_experiment": start_inference_experiment,
    "stop_inference_experiment": stop_inference_experiment,
    "delete_inference_experiment": delete_inference_experiment,
    "list_inference_experiments": list_inference_experiments,
}
TAG_OPERATIONS = {"add_tags": "AddTags", "list_tags": "ListTags", "delete_tags": "DeleteTags"}


def _resource_from_arn(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def lookup(self: SageMakerModelBackend, arn: str) -> Any:
        resource_type, _, name = arn.split(":")[-1].partition("/")
        if resource_type != "inference-experiment":
            return original(self, arn)
        store = store_of(self)
        store.advance_all()
        experiment = store.items.get(name)
        if experiment is None:
            raise ValidationError(f"Could not find inference-experiment with name {name} (ARN {arn}).")
        return experiment

    return lookup


def _overwriting_add_tags(self: SageMakerModelBackend, arn: str, tags: list[dict[str, str]]) -> list[dict[str, str]]:
    resource = self._get_resource_from_arn(arn)
    resource.tags = merge_tags(resource.tags or [], tags)
    return list(resource.tags)


def install() -> None:
    """Teach moto's SageMaker service the inference-experiment API (idempotent)."""
    if getattr(SageMakerResponse, "_inference_experiments_installed", False):
        return
    for method_name, method in OPERATIONS.items():
        setattr(SageMakerResponse, method_name, method)
    for method_name, operation in TAG_OPERATIONS.items():
        setattr(SageMakerResponse, method_name, emulated(operation)(getattr(SageMakerResponse, method_name)))
    SageMakerModelBackend._get_resource_from_arn = _resource_from_arn(SageMakerModelBackend._get_resource_from_arn)  # type: ignore[method-assign]
    SageMakerModelBackend.add_tags = _overwriting_add_tags  # type: ignore[method-assign]
    SageMakerResponse._inference_experiments_installed = True  # type: ignore[attr-defined]
