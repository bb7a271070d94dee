"""The five CloudFormation actions, wired from validation, planning, lifecycle decisions
and the SageMaker module. Each mutating handler loops describe → decide → act until it
must wait (IN_PROGRESS with a callback), fails, or is done.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable, MutableMapping
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.exceptions import InvalidRequest
from cloudformation_cli_python_lib.interface import (
    Action,
    BaseModel,
    BaseResourceHandlerRequest,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.resource import Resource
from cloudformation_cli_python_lib.utils import HandlerRequest

from .errors import ProviderError, invalid_request
from .lifecycle import (
    MAX_RETRIES,
    Context,
    Decision,
    Observed,
    Step,
    UpdatePlan,
    decide_create,
    decide_delete,
    decide_update,
    poll_delay,
    retry_delay,
)
from .models import ResourceHandlerRequest, ResourceModel
from .plan import changed_create_only, dropped_by_stop, plan_update
from .sagemaker import SageMaker
from .tags import managed_tags, tag_changes
from .translate import create_request, observed_model, read_model, stop_request, summary_model, update_request
from .validation import cross_field_problems, schema_problems

LOG = logging.getLogger(__name__)
TYPE_NAME = "AWS::SageMaker::InferenceExperiment"
MAX_STEPS_PER_INVOCATION = 8


class ValidatingResource(Resource):
    """Check create and update properties against the schema before the runtime library
    recasts them into models, so a wrong type is reported with the property's path
    rather than as a Python exception."""

    def _cast_resource_request(self, request: HandlerRequest) -> BaseResourceHandlerRequest:
        if request.action in (Action.CREATE, Action.UPDATE):
            problems = schema_problems(request.requestData.resourceProperties, lenient=True)
            if problems:
                raise InvalidRequest("Invalid properties: " + "; ".join(problems))
        return super()._cast_resource_request(request)


resource = ValidatingResource(TYPE_NAME, ResourceModel)
test_entrypoint = resource.test_entrypoint

Described = dict[str, Any] | None
Handler = Callable[[SessionProxy | None, ResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent]


def reports_failures(handler: Handler) -> Handler:
    """Turn a ProviderError raised anywhere in a handler into a FAILED event."""

    @functools.wraps(handler)
    def wrapper(
        session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
    ) -> ProgressEvent:
        try:
            return handler(session, request, callback_context)
        except ProviderError as error:
            return failed(error.code, error.message)

    return wrapper


def as_dict(model: ResourceModel | None) -> dict[str, Any]:
    return dict(model._serialize()) if model is not None else {}


def as_model(data: dict[str, Any]) -> ResourceModel:
    model = ResourceModel._deserialize(data)
    assert model is not None
    return model


class ListedModel(BaseModel):
    """A list result built from trusted summaries. The generated ResourceModel._deserialize
    scans the models module for every object (0.29 s of CPU per 10,000, docs/performance.md)."""

    def __init__(self, properties: dict[str, Any]) -> None:
        self.__dict__.update(properties)


def observe(described: Described) -> Observed | None:
    if described is None:
        return None
    return Observed(described["Status"], str(described.get("StatusReason") or ""))


def failed(code: HandlerErrorCode, message: str) -> ProgressEvent:
    LOG.warning("FAILED %s: %s", code.name, message)
    return ProgressEvent.failed(code, message)


def in_progress(desired: dict[str, Any], context: Context, delay: int, message: str) -> ProgressEvent:
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=as_model(desired),
        callbackContext=context.dump(),
        callbackDelaySeconds=delay,
        message=message,
    )


def waiting(desired: dict[str, Any], context: Context, described: Described) -> ProgressEvent:
    """IN_PROGRESS until the next look, timed by the status seen (see lifecycle.poll_delay)."""
    status = "Deleting" if context.deleted or described is None else str(described["Status"])
    now = time.time()
    in_status = context.observe(status, now)
    delay = poll_delay(status, in_status, now - (context.started_at or now))
    state = "being deleted" if status == "Deleting" else status
    message = f"Inference experiment {desired.get('Name')} is {state}; next check in {delay}s."
    return in_progress(desired, context, delay, message)


def require_valid(problems: list[str]) -> None:
    if problems:
        raise invalid_request("Invalid properties: " + "; ".join(problems))


def drive(
    desired: dict[str, Any],
    context: Context,
    step: Callable[[], tuple[Decision, Described]],
    act: Callable[[Decision, Described], ProgressEvent | None],
) -> ProgressEvent:
    """Run describe → decide → act until a wait, a failure or the end; retry transient errors."""
    if context.started_at is None:
        context.started_at = time.time()
    try:
        for _ in range(MAX_STEPS_PER_INVOCATION):
            decision, described = step()
            if decision.step is Step.WAIT:
                return waiting(desired, context, described)
            if decision.step is Step.FAIL:
                assert decision.error is not None
                return failed(decision.error, decision.message)
            event = act(decision, described)
            if event is not None:
                return event
        return in_progress(desired, context, 1, "Still working.")
    except ProviderError as error:
        if error.retryable and context.retries < MAX_RETRIES:
            delay = retry_delay(context.retries)
            context.retries += 1
            return in_progress(desired, context, delay, f"{error.message} Retrying in {delay}s.")
        return failed(error.code, error.message)


def finish(sagemaker: SageMaker, described: Described) -> ProgressEvent:
    assert described is not None
    model = read_model(described, sagemaker.tags(described["Arn"]))
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=as_model(model))


def stop_reason(desired: dict[str, Any], state: str) -> str:
    return str(desired.get("StatusReason") or f"Stopped by CloudFormation: DesiredState set to {state}.")


def start_now(sagemaker: SageMaker, context: Context, name: str) -> None:
    sagemaker.start(name)
    context.done.append("start")


def stop_as_desired(
    sagemaker: SageMaker, context: Context, desired: dict[str, Any], described: Described, kept: dict[str, Any]
) -> None:
    """Stop in the DesiredState, with `kept` as the variant choice and StatusReason as the reason."""
    assert described is not None
    state = desired["DesiredState"]
    sagemaker.stop(stop_request(desired["Name"], described, kept, state, stop_reason(desired, state)))
    context.done.append("stop")


def kept_variants(desired: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An update's variant choice: the variants still listed in ModelVariants."""
    return {v["VariantName"]: v for v in desired.get("ModelVariants") or []}


def production_only(described: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Keep the production variant and remove every shadow: the endpoint ends as it began."""
    source = described["ShadowModeConfig"]["SourceModelVariantName"]
    return {v["VariantName"]: v for v in described["ModelVariants"] if v["VariantName"] == source}


@resource.handler(Action.CREATE)
@reports_failures
def create_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    desired = as_dict(request.desiredResourceState)
    context = Context.load(dict(callback_context))
    require_valid(schema_problems(desired) + cross_field_problems(desired))
    sagemaker = SageMaker(session)
    name = desired["Name"]
    desired_state = desired.get("DesiredState")

    def step() -> tuple[Decision, Described]:
        described = sagemaker.describe(name)
        return decide_create(context, desired_state, observe(described), name), described

    def act(decision: Decision, described: Described) -> ProgressEvent | None:
        if decision.step is Step.RESERVE:
            context.reserved = True
            return in_progress(desired, context, 0, f"Creating inference experiment {name}.")
        if decision.step is Step.CREATE:
            tags = managed_tags(desired.get("Tags"), request.desiredResourceTags)
            sagemaker.create(create_request(desired, tags))
            context.created = True
        elif decision.step is Step.START:
            start_now(sagemaker, context, name)
        elif decision.step is Step.STOP:
            assert described is not None
            stop_as_desired(sagemaker, context, desired, described, production_only(described))
        else:
            return finish(sagemaker, described)
        return None

    return drive(desired, context, step, act)


@resource.handler(Action.UPDATE)
@reports_failures
def update_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    desired = as_dict(request.desiredResourceState)
    previous = as_dict(request.previousResourceState)
    context = Context.load(dict(callback_context))
    require_valid(schema_problems(desired))
    frozen = changed_create_only(desired, previous)
    if frozen:
        return failed(
            HandlerErrorCode.NotUpdatable,
            f"{', '.join(frozen)} cannot change after creation; CloudFormation must replace the experiment "
            "(give it a new Name) to change them.",
        )
    require_valid(cross_field_problems(desired, dropped_by_stop(desired, previous)))
    sagemaker = SageMaker(session)
    name = desired["Name"]
    desired_tags = managed_tags(desired.get("Tags"), request.desiredResourceTags)
    previous_tags = managed_tags(previous.get("Tags"), request.previousResourceTags)
    to_add, to_remove = tag_changes(previous_tags, desired_tags)

    planned: list[UpdatePlan] = []  # the plan made from the latest Describe, for act()

    def step() -> tuple[Decision, Described]:
        described = sagemaker.describe(name)
        planned[:] = [plan_update(desired, previous, observed_model(described or {}), bool(to_add or to_remove))]
        return decide_update(context, planned[0], observe(described), name), described

    def act(decision: Decision, described: Described) -> ProgressEvent | None:
        assert described is not None
        if decision.step is Step.UPDATE:
            sagemaker.update(update_request(name, planned[0].changes))
            context.updated = True
        elif decision.step is Step.START:
            start_now(sagemaker, context, name)
        elif decision.step is Step.STOP:
            stop_as_desired(sagemaker, context, desired, described, kept_variants(desired))
        elif decision.step is Step.TAG:
            if to_remove:
                sagemaker.delete_tags(described["Arn"], to_remove)
            if to_add:
                sagemaker.add_tags(described["Arn"], to_add)
            context.tagged = True
        else:
            return finish(sagemaker, described)
        return None

    return drive(desired, context, step, act)


@resource.handler(Action.DELETE)
@reports_failures
def delete_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    desired = as_dict(request.desiredResourceState)
    context = Context.load(dict(callback_context))
    name = desired.get("Name")
    if not name:
        return failed(HandlerErrorCode.InvalidRequest, "Name is required to delete an inference experiment.")
    sagemaker = SageMaker(session)

    def step() -> tuple[Decision, Described]:
        described = sagemaker.describe(name)
        return decide_delete(context, observe(described), name), described

    def act(decision: Decision, described: Described) -> ProgressEvent | None:
        if decision.step is Step.STOP:
            assert described is not None
            reason = "Stopped because the CloudFormation stack deleted this inference experiment."
            sagemaker.stop(stop_request(name, described, production_only(described), "Cancelled", reason))
        elif decision.step is Step.DELETE:
            sagemaker.delete(name)
            context.deleted = True
        else:
            return ProgressEvent(status=OperationStatus.SUCCESS)
        return None

    return drive(desired, context, step, act)


@resource.handler(Action.READ)
@reports_failures
def read_handler(
    session: SessionProxy | None, request: ResourceHandlerRequest, _callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    name = as_dict(request.desiredResourceState).get("Name")
    if not name:
        return failed(HandlerErrorCode.InvalidRequest, "Name is required to read an inference experiment.")
    sagemaker = SageMaker(session)
    described = sagemaker.describe(name)
    if described is None:
        return failed(HandlerErrorCode.NotFound, f"Inference experiment '{name}' does not exist.")
    return finish(sagemaker, described)


@resource.handler(Action.LIST)
@reports_failures
def list_handler(
    session: SessionProxy | None, _request: ResourceHandlerRequest, _callback_context: MutableMapping[str, Any]
) -> ProgressEvent:
    summaries = SageMaker(session).list_all()
    return ProgressEvent(
        status=OperationStatus.SUCCESS, resourceModels=[ListedModel(summary_model(s)) for s in summaries]
    )
