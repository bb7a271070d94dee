"""The five CloudFormation actions, wired from validation, planning, lifecycle decisions
and the SageMaker module. Each mutating handler runs driver.drive: describe → decide →
act until it must wait (IN_PROGRESS with a callback), fails, or is done.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.exceptions import InvalidRequest
from cloudformation_cli_python_lib.interface import (
    Action,
    BaseResourceHandlerRequest,
    HandlerErrorCode,
    OperationStatus,
    ProgressEvent,
)
from cloudformation_cli_python_lib.resource import Resource
from cloudformation_cli_python_lib.utils import HandlerRequest

from .driver import (
    Described,
    ListedModel,
    Look,
    acted,
    as_dict,
    drive,
    failed,
    finish,
    in_progress,
    invocation,
    observe,
    reports_failures,
    utc_now,
)
from .errors import ProviderError, invalid_request
from .lifecycle import Context, Step, decide_create, decide_delete, decide_update
from .models import ResourceHandlerRequest, ResourceModel
from .plan import changed_create_only, dropped_by_stop, kept_variants, needs_endpoint, plan_update, production_only
from .properties import TYPE_NAME
from .provider_logs import follow_request_stream, keep_audit_lines
from .sagemaker import SageMaker, on_shared_loader
from .status import Status
from .tags import managed_tags, tag_changes
from .translate import (
    create_request,
    endpoint_variants,
    observed_model,
    stop_request,
    summary_model,
    update_request,
)
from .validation import cross_field_problems, schema_problems

DELETE_REASON = "Stopped because the CloudFormation stack deleted this inference experiment."


class ValidatingResource(Resource):
    """Check create and update properties against the schema before the runtime library
    recasts them into models, so a wrong type is reported with the property's path
    rather than as a Python exception. The same hook, the library's last before it sets up
    the provider log for a request, points that log at the request's own stream."""

    @staticmethod
    def _parse_request(event_data: MutableMapping[str, Any]) -> Any:
        """The library's sessions for the caller and the provider, on the container's shared
        loader: its log and metrics clients then parse no service model on a warm invocation."""
        parsed = Resource._parse_request(event_data)
        for session in parsed[0]:
            on_shared_loader(session)
        return parsed

    def _cast_resource_request(self, request: HandlerRequest) -> BaseResourceHandlerRequest:
        follow_request_stream(request)
        if request.action in (Action.CREATE, Action.UPDATE):
            problems = schema_problems(request.requestData.resourceProperties, lenient=True)
            if problems:
                raise InvalidRequest("Invalid properties: " + "; ".join(problems))
        return super()._cast_resource_request(request)

    def __call__(self, event_data: MutableMapping[str, Any], context: Any) -> Any:
        """The Lambda entrypoint; the runtime library does not pass the Lambda context on, so the
        driver is told its remaining time here (short waits stay within it)."""
        with invocation(context, event_data):
            return super().__call__(event_data, context)


keep_audit_lines()
resource = ValidatingResource(TYPE_NAME, ResourceModel)


def test_entrypoint(event: MutableMapping[str, Any], context: Any) -> Any:
    """`cfn test`'s entrypoint, with the Lambda context's remaining time as above."""
    with invocation(context, event):
        return resource.test_entrypoint(event, context)


def require_valid(problems: list[str]) -> None:
    if problems:
        raise invalid_request("Invalid properties: " + "; ".join(problems))


def require_updatable(frozen: list[str]) -> None:
    if frozen:
        raise ProviderError(
            HandlerErrorCode.NotUpdatable,
            f"{', '.join(frozen)} cannot change after creation; CloudFormation must replace the experiment "
            "(give it a new Name) to change them.",
        )


def start_now(sagemaker: SageMaker, context: Context, name: str) -> None:
    sagemaker.start(name)
    context.started = True
    acted(context)


def stop_as_desired(
    sagemaker: SageMaker, context: Context, desired: dict[str, Any], described: Described, kept: dict[str, Any]
) -> None:
    """Stop in the DesiredState, with `kept` as the variant choice and StatusReason as the reason.
    A test that has not started yet is stopped only if SageMaker accepts that; otherwise the
    operator is told when it will start and how to cancel it."""
    assert described is not None
    name, state = desired["Name"], desired["DesiredState"]
    reason = str(desired.get("StatusReason") or f"Stopped by CloudFormation: DesiredState set to {state}.")
    try:
        sagemaker.stop(stop_request(name, described, kept, state, reason))
    except ProviderError as error:
        if described["Status"] != Status.CREATED or error.code not in (
            HandlerErrorCode.ResourceConflict,
            HandlerErrorCode.InvalidRequest,
        ):
            raise
        raise invalid_request(
            f"Inference experiment '{name}' has not started: it is scheduled to start at "
            f"{(described.get('Schedule') or {}).get('StartTime')}, and SageMaker does not stop it before then "
            f"({error.message}). It would start then and deploy its shadow variant. To cancel it, delete the "
            "resource (remove it from the template); or set DesiredState to Completed once it is Running."
        ) from error
    context.stopped_as, context.stop_reason = state, reason
    acted(context)


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

    def step() -> Look:
        described = sagemaker.describe(name)
        return Look(decide_create(context, desired.get("DesiredState"), observe(described), name), described)

    def act(look: Look) -> ProgressEvent | None:
        kind = look.decision.step
        if kind is Step.RESERVE:
            context.reserved = True
            return in_progress(desired, context, 0, f"Creating inference experiment {name}.")
        if kind is Step.CREATE:
            tags = managed_tags(desired.get("Tags"), request.desiredResourceTags)
            sagemaker.create(create_request(desired, tags))
            context.created = True
            acted(context)
        elif kind is Step.START:
            start_now(sagemaker, context, name)
        elif kind is Step.STOP:
            assert look.described is not None
            stop_as_desired(sagemaker, context, desired, look.described, production_only(look.described))
        else:
            return finish(sagemaker, look.described)
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
    require_updatable(changed_create_only(desired, previous))
    require_valid(cross_field_problems(desired, dropped_by_stop(desired, previous)))
    sagemaker = SageMaker(session)
    name = desired["Name"]
    to_add, to_remove = tag_changes(
        managed_tags(previous.get("Tags"), request.previousResourceTags),
        managed_tags(desired.get("Tags"), request.desiredResourceTags),
    )

    def step() -> Look:
        described = sagemaker.describe(name)
        observed = observed_model(described or {})
        if described is not None and context.stopped_as is None and needs_endpoint(desired, previous, observed):
            endpoint = (described.get("EndpointMetadata") or {}).get("EndpointName") or desired["EndpointName"]
            observed["Endpoint"] = endpoint_variants(endpoint, sagemaker.describe_endpoint(endpoint))
        plan = plan_update(desired, previous, observed, bool(to_add or to_remove), utc_now())
        return Look(decide_update(context, plan, observe(described), name), described, plan)

    def act(look: Look) -> ProgressEvent | None:
        described, kind = look.described, look.decision.step
        assert described is not None
        assert look.plan is not None
        if kind is Step.UPDATE:
            sagemaker.update(update_request(name, look.plan.changes))
            context.updated = True
            acted(context)
        elif kind is Step.START:
            start_now(sagemaker, context, name)
        elif kind is Step.STOP:
            stop_as_desired(sagemaker, context, desired, described, kept_variants(desired))
        elif kind is Step.TAG:
            if to_remove:
                sagemaker.delete_tags(described["Arn"], to_remove)
            if to_add:
                sagemaker.add_tags(described["Arn"], to_add)
            context.tagged = True
        else:
            return finish(sagemaker, described, look.decision.message)
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

    def step() -> Look:
        described = sagemaker.describe(name)
        return Look(decide_delete(context, observe(described), name), described)

    def act(look: Look) -> ProgressEvent | None:
        if look.decision.step is Step.STOP:
            assert look.described is not None
            request = stop_request(name, look.described, production_only(look.described), "Cancelled", DELETE_REASON)
            sagemaker.stop(request)
            context.stopped_as, context.stop_reason = "Cancelled", DELETE_REASON
            acted(context)
        elif look.decision.step is Step.DELETE:
            sagemaker.delete(name)
            context.deleted = True
            acted(context)
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
