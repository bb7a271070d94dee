"""CloudFormation's stack API over the stack service, so the AWS CLI, boto3 waiters and
deployment scripts drive the same engine as `python -m sandbox rehearse`. Operations run
in a background thread: the stack reads *_IN_PROGRESS until the handlers finish."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sandbox.query import INVALID_ACTION, ApiError

from ..engine.changes import Plan
from ..engine.model import Stack
from ..service.changesets import ChangeSet
from ..service.stacks import StackError, StackService, check_updatable
from ..template.document import TemplateError, parse
from . import describe

Action = Callable[["CloudFormationApi", dict[str, Any]], dict[str, Any]]
IAM_TYPES = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")


class CloudFormationApi:
    def __init__(self, service: StackService) -> None:
        self.service = service
        self.store = service.store

    def handle(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        handler = ACTIONS.get(action)
        if handler is None:
            raise ApiError(f"The action {action} is not valid for this web service.", INVALID_ACTION)
        try:
            return handler(self, params)
        except StackError as failure:
            raise ApiError(str(failure), failure.code) from failure
        except TemplateError as failure:
            raise ApiError(str(failure)) from failure

    # ---- lookups ----------------------------------------------------------------------

    def stack(self, name_or_id: str) -> Stack:
        found = self.store.find(name_or_id)
        if found is None:
            raise ApiError(f"Stack with id {name_or_id} does not exist")
        return found

    def drift_status(self, stack: Stack) -> str:
        """The stack's drift as its latest detection found it."""
        latest = self.store.latest_detection(stack)
        if latest is None:
            return "NOT_CHECKED"
        return "DRIFTED" if latest.drifted else "IN_SYNC"

    def change_set(self, params: dict[str, Any]) -> ChangeSet:
        name = params["ChangeSetName"]
        stacks = [self.stack(params["StackName"])] if params.get("StackName") else self.store.stacks.values()
        for stack in stacks:
            for change_set in self.store.change_sets_of(stack).values():
                if name in (change_set.name, change_set.id):
                    return change_set
        raise ApiError(f"ChangeSet [{name}] does not exist", "ChangeSetNotFound")

    def plan(self, stack: Stack, params: dict[str, Any]) -> tuple[Plan, str, dict[str, str]]:
        text = template_body(params, stack)
        document = parse(text)
        given = parameter_values(params, stack)
        check_capabilities(document.resources, params.get("Capabilities") or [])
        return self.service.plan(stack, document, text, given), text, given


def template_body(params: dict[str, Any], stack: Stack) -> str:
    if params.get("UsePreviousTemplate") is True:
        return stack.template
    if "TemplateBody" in params:
        return str(params["TemplateBody"])
    if "TemplateURL" in params:
        raise ApiError("TemplateURL is not supported by the sandbox: pass TemplateBody")
    raise ApiError("Either Template URL or Template Body must be specified.")


def parameter_values(params: dict[str, Any], stack: Stack) -> dict[str, str]:
    values = {}
    for item in params.get("Parameters") or []:
        if item.get("UsePreviousValue") is True:
            previous = stack.parameters.get(item["ParameterKey"])
            values[item["ParameterKey"]] = ",".join(previous) if isinstance(previous, list) else str(previous)
        else:
            values[item["ParameterKey"]] = item.get("ParameterValue", "")
    return values


def check_capabilities(resources: dict[str, Any], given: list[str]) -> None:
    """IAM resources need the caller's acknowledgement, as on AWS."""
    iam = [r for r in resources.values() if r.type in IAM_TYPES]
    named = any(any(k.endswith("Name") for k in r.properties) for r in iam)
    needed = "CAPABILITY_NAMED_IAM" if named else "CAPABILITY_IAM"
    if iam and needed not in given and not (needed == "CAPABILITY_IAM" and "CAPABILITY_NAMED_IAM" in given):
        raise ApiError(f"Requires capabilities : [{needed}]", "InsufficientCapabilitiesException")


def tags_of(params: dict[str, Any]) -> dict[str, str]:
    return {t["Key"]: t.get("Value", "") for t in params.get("Tags") or []}


# ---- stacks ---------------------------------------------------------------------------------


def create_stack(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.service.new_stack(params["StackName"], tags_of(params))
    try:
        plan, _, _ = api.plan(stack, params)
    except (ApiError, StackError, TemplateError):
        del api.store.stacks[stack.name]
        raise
    api.service.in_background(api.service.create(stack, plan))
    return {"StackId": stack.id}


def update_stack(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    plan, _, _ = api.plan(stack, params)
    tags = tags_of(params) if "Tags" in params else stack.tags
    api.service.in_background(api.service.update(stack, plan, tags))
    return {"StackId": stack.id}


def delete_stack(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    try:
        stack = api.stack(params["StackName"])
    except ApiError:
        return {}
    if stack.status in ("DELETE_COMPLETE", "DELETE_IN_PROGRESS"):
        return {}
    api.service.in_background(api.service.delete(stack))
    return {}


def describe_stacks(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stacks = [api.stack(params["StackName"])] if params.get("StackName") else list(api.store.stacks.values())
    return {"Stacks": [describe.stack(s, api.drift_status(s)) for s in stacks]}


def list_stacks(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    """Every stack this server holds, deleted ones included, as CloudFormation lists them."""
    wanted = set(params.get("StackStatusFilter") or [])
    summaries = [
        {key: value for key, value in describe.stack(s, api.drift_status(s)).items() if key in STACK_SUMMARY_KEYS}
        for s in [*api.store.stacks.values(), *api.store.deleted]
    ]
    return {"StackSummaries": [s for s in summaries if not wanted or s["StackStatus"] in wanted]}


STACK_SUMMARY_KEYS = (
    "StackId",
    "StackName",
    "TemplateDescription",
    "CreationTime",
    "LastUpdatedTime",
    "DeletionTime",
    "StackStatus",
    "StackStatusReason",
    "DriftInformation",
)


def describe_stack_events(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    return {"StackEvents": [describe.event(e) for e in reversed(stack.events)]}


def describe_stack_resources(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    wanted = params.get("LogicalResourceId")
    resources = [describe.resource(stack, d) for k, d in stack.resources.items() if wanted in (None, k)]
    return {"StackResources": resources}


def describe_stack_resource(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    deployed = stack.resources.get(params["LogicalResourceId"])
    if deployed is None:
        raise ApiError(f"Resource {params['LogicalResourceId']} does not exist for stack {stack.name}")
    return {"StackResourceDetail": {**describe.resource(stack, deployed), "LastUpdatedTimestamp": stack.created}}


def list_stack_resources(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    latest = api.store.latest_detection(stack)
    checked = {r.logical_id: (r, latest.timestamp) for r in latest.results} if latest else {}
    return {"StackResourceSummaries": [describe.summary(stack, d, checked.get(k)) for k, d in stack.resources.items()]}


def get_template(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("ChangeSetName"):
        return {"TemplateBody": api.change_set(params).template, "StagesAvailable": ["Original", "Processed"]}
    return {"TemplateBody": api.stack(params["StackName"]).template, "StagesAvailable": ["Original", "Processed"]}


def validate_template(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    document = parse(template_body(params, Stack("validate", api.service.region, api.service.account)))
    return describe.template_summary(document)


def get_template_summary(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    if params.get("StackName"):
        text = api.stack(params["StackName"]).template
    else:
        text = template_body(params, Stack("summary", api.service.region, api.service.account))
    return describe.template_summary(parse(text))


def list_exports(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    """Every export in the region, by name, a page of EXPORTS_PAGE at a time (ListExports, API Reference)."""
    exports = [
        describe.export(name, api.store.stacks[export.stack_name], export.value)
        for name, export in sorted(api.store.exports.items())
        if export.stack_name in api.store.stacks
    ]
    start = page_start(params.get("NextToken"), len(exports))
    page: dict[str, Any] = {"Exports": exports[start : start + EXPORTS_PAGE]}
    if start + EXPORTS_PAGE < len(exports):
        page["NextToken"] = str(start + EXPORTS_PAGE)
    return page


def list_imports(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    """The stacks importing an export (ListImports, API Reference), a page at a time."""
    name = params["ExportName"]
    importers = sorted(stack for stack, names in api.store.imports.items() if name in names)
    if not importers:
        raise ApiError(f"Export '{name}' is not imported by any stack.")
    start = page_start(params.get("NextToken"), len(importers))
    page: dict[str, Any] = {"Imports": importers[start : start + EXPORTS_PAGE]}
    if start + EXPORTS_PAGE < len(importers):
        page["NextToken"] = str(start + EXPORTS_PAGE)
    return page


EXPORTS_PAGE = 100


def page_start(token: str | None, total: int) -> int:
    if token is None:
        return 0
    if not token.isdigit() or int(token) > total:
        raise ApiError(f"Invalid NextToken: {token}")
    return int(token)


# ---- change sets ----------------------------------------------------------------------------


def create_change_set(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    kind = params.get("ChangeSetType", "UPDATE")
    created = False
    if kind == "CREATE":
        stack = api.store.stacks.get(params["StackName"])
        if stack is None or stack.status == "DELETE_COMPLETE":
            stack, created = api.service.new_stack(params["StackName"], tags_of(params)), True
        elif stack.status != "REVIEW_IN_PROGRESS":
            raise ApiError(f"Stack [{stack.name}] already exists and cannot be created again with the changeSet")
    else:
        stack = api.stack(params["StackName"])
        check_updatable(stack)
    try:
        plan, text, given = api.plan(stack, params)
    except (ApiError, StackError, TemplateError):
        if created:  # a template CloudFormation refuses never leaves a stack behind
            del api.store.stacks[stack.name]
        raise
    tags = tags_of(params) if "Tags" in params else stack.tags
    change_set = ChangeSet(params["ChangeSetName"], stack, kind, plan, tags, given, text, params.get("Description", ""))
    api.service.add_change_set(change_set)
    return {"Id": change_set.id, "StackId": stack.id}


def describe_change_set(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    return describe.change_set(api.change_set(params))


def execute_change_set(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    api.service.in_background(api.service.execute(api.change_set(params)))
    return {}


def delete_change_set(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    change_set = api.change_set(params)
    del api.store.change_sets_of(change_set.stack)[change_set.name]
    return {}


def list_change_sets(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    return {"Summaries": [describe.change_set_summary(c) for c in api.store.change_sets_of(stack).values()]}


# ---- drift ----------------------------------------------------------------------------------


def detect_stack_drift(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    return {"StackDriftDetectionId": api.service.record_drift(stack).id}


def describe_stack_drift_detection_status(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    detection = api.store.detections.get(params["StackDriftDetectionId"])
    if detection is None:
        raise ApiError(f"Drift detection {params['StackDriftDetectionId']} does not exist")
    return {
        "StackId": detection.stack.id,
        "StackDriftDetectionId": detection.id,
        "StackDriftStatus": "DRIFTED" if detection.drifted else "IN_SYNC",
        "DetectionStatus": "DETECTION_COMPLETE",
        "DriftedStackResourceCount": detection.drifted,
        "Timestamp": detection.timestamp,
    }


def describe_stack_resource_drifts(api: CloudFormationApi, params: dict[str, Any]) -> dict[str, Any]:
    stack = api.stack(params["StackName"])
    latest = api.store.latest_detection(stack)
    if latest is None:
        return {"StackResourceDrifts": []}
    wanted = params.get("StackResourceDriftStatusFilters") or None
    drifts = [
        describe.resource_drift(stack, result, latest.timestamp)
        for result in latest.results
        if wanted is None or result.status in wanted
    ]
    return {"StackResourceDrifts": drifts}


ACTIONS: dict[str, Action] = {
    "CreateStack": create_stack,
    "UpdateStack": update_stack,
    "DeleteStack": delete_stack,
    "DescribeStacks": describe_stacks,
    "ListStacks": list_stacks,
    "DescribeStackEvents": describe_stack_events,
    "DescribeStackResource": describe_stack_resource,
    "DescribeStackResources": describe_stack_resources,
    "ListStackResources": list_stack_resources,
    "GetTemplate": get_template,
    "ListExports": list_exports,
    "ListImports": list_imports,
    "GetTemplateSummary": get_template_summary,
    "ValidateTemplate": validate_template,
    "CreateChangeSet": create_change_set,
    "DescribeChangeSet": describe_change_set,
    "ExecuteChangeSet": execute_change_set,
    "DeleteChangeSet": delete_change_set,
    "ListChangeSets": list_change_sets,
    "DetectStackDrift": detect_stack_drift,
    "DescribeStackDriftDetectionStatus": describe_stack_drift_detection_status,
    "DescribeStackResourceDrifts": describe_stack_resource_drifts,
}

__all__ = ["ACTIONS", "CloudFormationApi"]
