"""A whole lifecycle of the built zip, run as Lambda runs it (`ShippedFunction`), through
CloudFormation's protocol-2.0.0 requests with provider credentials and the provider log group,
against the emulator server; then what reached CloudWatch Logs and metrics (moto's, on the same
server). Two stacks share one warm execution environment, as they do on AWS."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import boto3

from sandbox.cloudformation.driver import FAKE_CREDENTIALS, Outcome
from sandbox.lambda_runtime.shipped_function import EXECUTION_ROLE_CREDENTIALS, ShippedFunction
from sandbox.suites.seed import seed_shadow_test, shadow_test_request

from .requests import PROVIDER_CREDENTIALS, StackRequests, stream_name

# SageMaker's transitions take TRANSITION_SECONDS on the emulator (real time), and CloudFormation
# waits CALLBACK_SCALE of each callbackDelaySeconds: every mutating operation then goes through
# IN_PROGRESS and its callbackContext round trip, and a run stays within seconds.
TRANSITION_SECONDS = 1.0
CALLBACK_SCALE = 0.2
TEMPLATE_TAGS = [{"Key": "team", "Value": "fraud"}]
STACK_TAGS = {"cost-center": "4242"}
SECRETS = (
    FAKE_CREDENTIALS["secretAccessKey"],
    FAKE_CREDENTIALS["sessionToken"],
    PROVIDER_CREDENTIALS["secretAccessKey"],
    PROVIDER_CREDENTIALS["sessionToken"],
    EXECUTION_ROLE_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
)


@dataclass
class Checks:
    """Named expectations; a failed one keeps what was seen."""

    passed: int = 0
    failures: list[str] = field(default_factory=list)

    def expect(self, name: str, ok: bool, seen: object = "") -> bool:
        if ok:
            self.passed += 1
        else:
            self.failures.append(f"{name}: {str(seen)[:400]}")
        return ok

    def outcome(self, name: str, outcome: Outcome, status: str = "SUCCESS", code: str | None = None) -> None:
        seen = f"{outcome.status} {outcome.error_code}: {outcome.message}"
        self.expect(name, outcome.status == status and outcome.error_code == code, seen)


def aws_client(service: str, endpoint_url: str) -> Any:
    return boto3.client(
        service,
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="AKIASANDBOXINSPECTOR",
        aws_secret_access_key="sandbox-inspector-secret",
    )


def first_stack(requests: StackRequests, checks: Checks, sagemaker: Any, name: str) -> int:
    """Create (started), read, update, stop, list and delete one experiment; the invocations used."""
    desired = {**shadow_test_request(name), "Tags": TEMPLATE_TAGS, "DesiredState": "Running"}
    created = requests.run("CREATE", desired, stack_tags=STACK_TAGS)
    checks.outcome("create", created)
    checks.expect("create returns Running", (created.model or {}).get("Status") == "Running", created.model)
    waited = [event for event in created.events if event.get("status") == "IN_PROGRESS"]
    # Short waits happen inside an invocation (SPEC 2), so one callback (after the name
    # reservation) may be all a create with 1-second transitions needs.
    checks.expect("create goes through IN_PROGRESS callbacks", len(waited) >= 1, created.events)
    contexts = [event.get("callbackContext") for event in waited]
    checks.expect("every IN_PROGRESS carries a callbackContext", all(contexts), contexts)
    if created.model:
        tags = sagemaker.list_tags(ResourceArn=created.model["Arn"])["Tags"]
        wanted = [*TEMPLATE_TAGS, {"Key": "cost-center", "Value": "4242"}]
        checks.expect("template and stack tags on the experiment", all(t in tags for t in wanted), tags)
    read = requests.run("READ", {"Name": name})
    checks.outcome("read", read)
    checks.expect("read leaves out write-only DesiredState", "DesiredState" not in (read.model or {}), read.model)
    described = {**desired, "Description": "shipped zip, updated"}
    updated = requests.run("UPDATE", described, desired, STACK_TAGS, STACK_TAGS)
    checks.outcome("update", updated)
    checks.expect("update applied", (updated.model or {}).get("Description") == described["Description"], updated)
    stopped = requests.run("UPDATE", {**described, "DesiredState": "Completed"}, described, STACK_TAGS, STACK_TAGS)
    checks.outcome("stop by DesiredState", stopped)
    checks.expect("stopped Completed", (stopped.model or {}).get("Status") == "Completed", stopped.model)
    listed = requests.run("LIST", {})
    checks.outcome("list", listed)
    checks.expect("list names it", name in [model.get("Name") for model in listed.models], listed.models)
    invalid = {**shadow_test_request(f"{name}-invalid")}
    invalid["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 0
    refused = requests.run("CREATE", invalid, logical_id="Invalid")
    checks.outcome("invalid input refused", refused, "FAILED", "InvalidRequest")
    checks.expect("refusal names the field", "SamplingPercentage" in refused.message, refused.message)
    deleted = requests.run("DELETE", {"Name": name})
    checks.outcome("delete", deleted)
    gone = requests.run("READ", {"Name": name})
    checks.outcome("read after delete", gone, "FAILED", "NotFound")
    outcomes = (created, read, updated, stopped, listed, refused, deleted, gone)
    return sum(outcome.invocations for outcome in outcomes)


def second_stack(requests: StackRequests, checks: Checks, name: str) -> int:
    created = requests.run("CREATE", shadow_test_request(name))
    checks.outcome("second stack: create in the warm environment", created)
    deleted = requests.run("DELETE", {"Name": name})
    checks.outcome("second stack: delete", deleted)
    return created.invocations + deleted.invocations


def stream_lines(logs: Any, group: str, stream: str) -> list[str]:
    try:
        events = logs.get_log_events(logGroupName=group, logStreamName=stream, startFromHead=True)["events"]
    except logs.exceptions.ResourceNotFoundException:
        return []
    return [event["message"] for event in events]


def check_logs(checks: Checks, logs: Any, stacks: dict[str, StackRequests], function_log: str) -> None:
    """Each stack's audit lines in its own stream of the provider log group, nowhere else;
    no secret anywhere."""
    group = next(iter(stacks.values())).log_group
    streams = [s["logStreamName"] for s in logs.describe_log_streams(logGroupName=group).get("logStreams", [])]
    expected = {stream_name(requests.stack, "Experiment") for requests in stacks.values()}
    checks.expect("one provider log stream per stack and resource", expected <= set(streams), streams)
    lines: list[str] = []
    for name, requests in stacks.items():
        own = stream_lines(logs, group, stream_name(requests.stack, "Experiment"))
        lines += own
        others = [other for other in stacks if other != name]
        checks.expect(
            f"{name}: CreateInferenceExperiment audit line",
            any(f"CreateInferenceExperiment {name}" in line for line in own),
            own,
        )
        checks.expect(
            f"{name}: DeleteInferenceExperiment audit line",
            any(f"DeleteInferenceExperiment {name}" in line for line in own),
            own,
        )
        checks.expect(
            f"{name}: no other stack's lines", not any(other in line for line in own for other in others), own
        )
    first = next(iter(stacks))
    first_lines = stream_lines(logs, group, stream_name(stacks[first].stack, "Experiment"))
    for operation in ("UpdateInferenceExperiment", "StopInferenceExperiment"):
        checks.expect(f"{first}: {operation} audit line", any(operation in line for line in first_lines), first_lines)
    checks.expect(
        "audit lines stay out of the function's own log",
        "InferenceExperiment " not in function_log,
        function_log[-2000:],
    )
    leaked = [secret for secret in SECRETS if any(secret in line for line in lines) or secret in function_log]
    checks.expect("no credentials in any log", not leaked, leaked)


def check_metrics(checks: Checks, cloudwatch: Any, type_name: str, invocations: int) -> None:
    """The library's invocation metrics in the type's namespace, one count per invocation."""
    namespace = "AWS/CloudFormation/" + type_name.replace("::", "/")
    metrics = cloudwatch.list_metrics(Namespace=namespace)["Metrics"]
    actions = {d["Value"] for m in metrics for d in m["Dimensions"] if d["Name"] == "DimensionKeyActionType"}
    checks.expect(
        "invocation metrics for every action", {"CREATE", "READ", "UPDATE", "DELETE", "LIST"} <= actions, actions
    )
    names = {metric["MetricName"] for metric in metrics}
    checks.expect("count and duration metrics", {"HandlerInvocationCount", "HandlerInvocationDuration"} <= names, names)
    counted = 0.0
    dimension_sets = {
        tuple(sorted((d["Name"], d["Value"]) for d in m["Dimensions"]))
        for m in metrics
        if m["MetricName"] == "HandlerInvocationCount"
    }
    for dimensions in dimension_sets:
        statistics = cloudwatch.get_metric_statistics(
            Namespace=namespace,
            MetricName="HandlerInvocationCount",
            Dimensions=[{"Name": name, "Value": value} for name, value in dimensions],
            StartTime=time.time() - 3600,
            EndTime=time.time() + 60,
            Period=3600,
            Statistics=["Sum"],
        )
        counted += sum(point["Sum"] for point in statistics["Datapoints"])
    checks.expect("one HandlerInvocationCount per invocation", counted == invocations, f"{counted} for {invocations}")


def run_lifecycle(function: ShippedFunction, endpoint_url: str, log_group: str, prefix: str) -> Checks:
    """The lifecycle, then the logs and metrics; `function` is started and stays warm throughout."""
    checks = Checks()
    sagemaker = aws_client("sagemaker", endpoint_url)
    seed_shadow_test(sagemaker)
    type_name = function.facts["type_name"]
    stacks = {
        f"{prefix}-{stack}": StackRequests(
            function.invoke, time_scale=CALLBACK_SCALE, stack_name=stack, type_name=type_name, log_group=log_group
        )
        for stack in ("first", "second")
    }
    names = list(stacks)
    invocations = first_stack(stacks[names[0]], checks, sagemaker, names[0])
    invocations += second_stack(stacks[names[1]], checks, names[1])
    check_logs(checks, aws_client("logs", endpoint_url), stacks, function.log())
    check_metrics(checks, aws_client("cloudwatch", endpoint_url), type_name, invocations)
    return checks
