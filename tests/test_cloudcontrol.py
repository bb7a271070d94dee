"""The Cloud Control API of `python -m sandbox serve`, through boto3's `cloudcontrol` client:
each step checked against what the emulated SageMaker then holds."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError

from sandbox.cloudcontrol.invocation import HandlerDriver
from sandbox.cloudcontrol.project import lambda_invoke
from sandbox.lambda_runtime.local_lambda import function_timeouts
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import seed_shadow_test, shadow_test_request

TYPE_NAME = "AWS::SageMaker::InferenceExperiment"
SCHEMA = json.loads(Path("aws-sagemaker-inferenceexperiment.json").read_text(encoding="utf-8"))
FAST_WAIT = {"Delay": 0.2, "MaxAttempts": 150}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """Short emulated transitions; handler callback delays at 1/100 of their real length."""
    with sandbox_process("serve", "--transition-seconds", "0.2", "--time-scale", "0.01", port=free_port()) as running:
        yield running


def client(url: str, service: str, **config: Any) -> Any:
    return boto3.client(
        service,
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="AKIACLOUDCONTROLTEST",
        aws_secret_access_key="cloudcontrol-test-secret",
        config=Config(**config),
    )


@pytest.fixture
def cloudcontrol(url: str) -> Any:
    return client(url, "cloudcontrol")


@pytest.fixture
def sagemaker(url: str) -> Any:
    return client(url, "sagemaker")


def experiment(sagemaker: Any, name: str, **overrides: Any) -> dict[str, Any]:
    """A desired state on an endpoint of its own (seeded), so tests do not share endpoints."""
    seed_shadow_test(sagemaker, endpoint_name=f"ep-{name}")
    return {**shadow_test_request(name, endpoint_name=f"ep-{name}"), **overrides}


def finish(cloudcontrol: Any, event: dict[str, Any]) -> dict[str, Any]:
    """Wait with the SDK's own waiter, then return the final ProgressEvent."""
    cloudcontrol.get_waiter("resource_request_success").wait(RequestToken=event["RequestToken"], WaiterConfig=FAST_WAIT)
    final: dict[str, Any] = cloudcontrol.get_resource_request_status(RequestToken=event["RequestToken"])
    return final["ProgressEvent"]


def create(cloudcontrol: Any, desired: dict[str, Any], **extra: Any) -> dict[str, Any]:
    event: dict[str, Any] = cloudcontrol.create_resource(TypeName=TYPE_NAME, DesiredState=json.dumps(desired), **extra)
    return event["ProgressEvent"]


def update(cloudcontrol: Any, name: str, patch: list[dict[str, Any]]) -> dict[str, Any]:
    event = cloudcontrol.update_resource(TypeName=TYPE_NAME, Identifier=name, PatchDocument=json.dumps(patch))
    return dict(event["ProgressEvent"])


def properties(cloudcontrol: Any, name: str) -> dict[str, Any]:
    found = cloudcontrol.get_resource(TypeName=TYPE_NAME, Identifier=name)["ResourceDescription"]
    assert found["Identifier"] == name
    return dict(json.loads(found["Properties"]))


def variants(sagemaker: Any, endpoint: str) -> tuple[list[str], list[str]]:
    described = sagemaker.describe_endpoint(EndpointName=endpoint)
    return (
        [v["VariantName"] for v in described["ProductionVariants"]],
        [v["VariantName"] for v in described.get("ShadowProductionVariants") or []],
    )


def tags(sagemaker: Any, name: str) -> dict[str, str]:
    arn = sagemaker.describe_inference_experiment(Name=name)["Arn"]
    return {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=arn)["Tags"]}


def error_of(call: Any, **params: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**params)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def sagemaker_calls(url: str, name: str) -> list[str]:
    with urllib.request.urlopen(f"{url}/_sandbox/calls", timeout=10) as response:
        return [c["operation"] for c in json.loads(response.read()) if c["name"] == name]


def test_create_get_update_delete(cloudcontrol: Any, sagemaker: Any) -> None:
    desired = experiment(sagemaker, "cc-life", DesiredState="Running", Tags=[{"Key": "team", "Value": "ml"}])
    started = create(cloudcontrol, desired)
    assert started["Operation"] == "CREATE"
    assert started["Identifier"] == "cc-life"
    assert started["OperationStatus"] in ("PENDING", "IN_PROGRESS")
    assert started["RetryAfter"] >= started["EventTime"]
    done = finish(cloudcontrol, started)
    assert done["OperationStatus"] == "SUCCESS"
    assert "RetryAfter" not in done
    assert sagemaker.describe_inference_experiment(Name="cc-life")["Status"] == "Running"
    assert variants(sagemaker, "ep-cc-life") == (["production"], ["shadow"])
    assert tags(sagemaker, "cc-life") == {"team": "ml"}
    shown = properties(cloudcontrol, "cc-life")
    assert shown["Status"] == "Running"
    assert shown["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert not {"DesiredState", "Schedule", "StatusReason"} & set(shown)

    patch = [
        {"op": "add", "path": "/Description", "value": "mirror everything"},
        {"op": "replace", "path": "/ShadowModeConfig/ShadowModelVariants/0/SamplingPercentage", "value": 100},
        {"op": "add", "path": "/Tags/-", "value": {"Key": "stage", "Value": "canary"}},
    ]
    assert finish(cloudcontrol, update(cloudcontrol, "cc-life", patch))["OperationStatus"] == "SUCCESS"
    described = sagemaker.describe_inference_experiment(Name="cc-life")
    assert described["Description"] == "mirror everything"
    assert described["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] == 100
    assert tags(sagemaker, "cc-life") == {"team": "ml", "stage": "canary"}

    stop = [{"op": "add", "path": "/DesiredState", "value": "Completed"}, {"op": "remove", "path": "/ModelVariants/0"}]
    assert finish(cloudcontrol, update(cloudcontrol, "cc-life", stop))["OperationStatus"] == "SUCCESS"
    assert sagemaker.describe_inference_experiment(Name="cc-life")["Status"] == "Completed"
    assert variants(sagemaker, "ep-cc-life") == (["shadow"], [])

    deleted = finish(
        cloudcontrol, cloudcontrol.delete_resource(TypeName=TYPE_NAME, Identifier="cc-life")["ProgressEvent"]
    )
    assert deleted["OperationStatus"] == "SUCCESS"
    assert "cc-life" not in {
        e["InferenceExperimentName"] for e in sagemaker.list_inference_experiments()["InferenceExperiments"]
    }
    code, message = error_of(cloudcontrol.get_resource, TypeName=TYPE_NAME, Identifier="cc-life")
    assert code == "ResourceNotFoundException"
    assert "cc-life" in message


def test_list_resources_pages_without_write_only_properties(cloudcontrol: Any, sagemaker: Any) -> None:
    names = ["cc-list-a", "cc-list-b", "cc-list-c"]
    for name in names:
        sagemaker.create_inference_experiment(**experiment(sagemaker, name))
    pages = cloudcontrol.get_paginator("list_resources").paginate(TypeName=TYPE_NAME, PaginationConfig={"PageSize": 1})
    listed = [page["ResourceDescriptions"] for page in pages]
    assert all(len(page) <= 1 for page in listed)
    found = {d["Identifier"]: json.loads(d["Properties"]) for page in listed for d in page}
    assert set(names) <= set(found)
    assert all(found[name]["Name"] == name and "DesiredState" not in found[name] for name in names)
    first = cloudcontrol.list_resources(TypeName=TYPE_NAME, MaxResults=2)
    assert len(first["ResourceDescriptions"]) == 2
    rest = cloudcontrol.list_resources(TypeName=TYPE_NAME, MaxResults=100, NextToken=first["NextToken"])
    assert "NextToken" not in rest
    assert len(first["ResourceDescriptions"]) + len(rest["ResourceDescriptions"]) == len(found)


def test_handler_failure_is_surfaced_with_its_code_and_message(cloudcontrol: Any, sagemaker: Any) -> None:
    desired = experiment(sagemaker, "cc-bad")
    desired["ShadowModeConfig"]["SourceModelVariantName"] = "no-such-variant"
    started = create(cloudcontrol, desired)
    with pytest.raises(WaiterError):
        cloudcontrol.get_waiter("resource_request_success").wait(
            RequestToken=started["RequestToken"], WaiterConfig=FAST_WAIT
        )
    failed = cloudcontrol.get_resource_request_status(RequestToken=started["RequestToken"])["ProgressEvent"]
    assert failed["OperationStatus"] == "FAILED"
    assert failed["ErrorCode"] == "InvalidRequest"
    assert "SourceModelVariantName" in failed["StatusMessage"]
    assert "CreateInferenceExperiment" not in sagemaker_calls(cloudcontrol.meta.endpoint_url, "cc-bad")


def test_list_resource_requests_filters_and_pages(cloudcontrol: Any) -> None:
    tokens = [
        cloudcontrol.delete_resource(TypeName=TYPE_NAME, Identifier=name)["ProgressEvent"]["RequestToken"]
        for name in ("cc-missing-1", "cc-missing-2")
    ]
    for token in tokens:
        final = finish_failed(cloudcontrol, token)
        assert final["ErrorCode"] == "NotFound"
        assert final["Identifier"] in final["StatusMessage"]
    wanted = {"Operations": ["DELETE"], "OperationStatuses": ["FAILED"]}
    pages = cloudcontrol.get_paginator("list_resource_requests").paginate(
        ResourceRequestStatusFilter=wanted, PaginationConfig={"PageSize": 1}
    )
    listed = [summary for page in pages for summary in page["ResourceRequestStatusSummaries"]]
    seen = [s["RequestToken"] for s in listed if s["RequestToken"] in tokens]
    assert seen == list(reversed(tokens))
    assert {(s["Operation"], s["OperationStatus"]) for s in listed} == {("DELETE", "FAILED")}


def finish_failed(cloudcontrol: Any, token: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while True:
        event: dict[str, Any] = cloudcontrol.get_resource_request_status(RequestToken=token)["ProgressEvent"]
        if event["OperationStatus"] not in ("PENDING", "IN_PROGRESS"):
            assert event["OperationStatus"] == "FAILED"
            return event
        assert time.monotonic() < deadline
        time.sleep(0.1)


def test_client_token_idempotency_and_conflict(cloudcontrol: Any, sagemaker: Any) -> None:
    desired = experiment(sagemaker, "cc-token")
    first = create(cloudcontrol, desired, ClientToken="cc-token-1")
    again = create(cloudcontrol, desired, ClientToken="cc-token-1")
    assert again["RequestToken"] == first["RequestToken"]
    code, _ = error_of(
        cloudcontrol.create_resource,
        TypeName=TYPE_NAME,
        DesiredState=json.dumps({**desired, "Description": "another body"}),
        ClientToken="cc-token-1",
    )
    assert code == "ClientTokenConflictException"
    assert finish(cloudcontrol, first)["OperationStatus"] == "SUCCESS"
    assert sagemaker_calls(cloudcontrol.meta.endpoint_url, "cc-token").count("CreateInferenceExperiment") == 1


def test_concurrent_operation_refused(cloudcontrol: Any, sagemaker: Any) -> None:
    started = create(cloudcontrol, experiment(sagemaker, "cc-busy"))
    code, message = error_of(cloudcontrol.delete_resource, TypeName=TYPE_NAME, Identifier="cc-busy")
    assert code == "ConcurrentOperationException"
    assert started["RequestToken"] in message
    assert finish(cloudcontrol, started)["OperationStatus"] == "SUCCESS"


def test_patch_to_create_only_property_refused(cloudcontrol: Any, sagemaker: Any) -> None:
    assert finish(cloudcontrol, create(cloudcontrol, experiment(sagemaker, "cc-fixed")))["OperationStatus"] == "SUCCESS"
    patch = json.dumps([{"op": "replace", "path": "/EndpointName", "value": "elsewhere"}])
    code, message = error_of(
        cloudcontrol.update_resource, TypeName=TYPE_NAME, Identifier="cc-fixed", PatchDocument=patch
    )
    assert (code, message) == (
        "NotUpdatableException",
        "Invalid patch update: createOnlyProperties [/properties/EndpointName] cannot be updated",
    )
    assert sagemaker.describe_inference_experiment(Name="cc-fixed")["EndpointMetadata"]["EndpointName"] == "ep-cc-fixed"
    missing = json.dumps([{"op": "replace", "path": "/DesiredState", "value": "Completed"}])  # write-only: never read
    code, message = error_of(
        cloudcontrol.update_resource, TypeName=TYPE_NAME, Identifier="cc-fixed", PatchDocument=missing
    )
    assert code == "ValidationException"
    assert message.startswith("Invalid patch document: operation 1 (replace /DesiredState)")
    assert "arn:aws" not in message


def test_invalid_desired_state_refused_before_any_handler(cloudcontrol: Any, sagemaker: Any) -> None:
    desired = experiment(sagemaker, "cc-invalid", Colour="blue")
    del desired["RoleArn"]
    code, message = error_of(cloudcontrol.create_resource, TypeName=TYPE_NAME, DesiredState=json.dumps(desired))
    assert code == "ValidationException"
    assert message.startswith("Model validation failed (")
    assert "#: extraneous key [Colour] is not permitted" in message
    assert "#: required key [RoleArn] not found" in message
    assert sagemaker_calls(cloudcontrol.meta.endpoint_url, "cc-invalid") == []
    assert cloudcontrol.list_resource_requests()["ResourceRequestStatusSummaries"][0]["Identifier"] != "cc-invalid"


def test_cancel_stops_further_invocations(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    """A cancel ends the request once the invocation in flight, if any, returns: that one may
    go on looking (its short waits inside the invocation), but no invocation starts after the
    cancel, so the experiment is left as SageMaker has it (still Creating: 30 s here)."""
    desired = experiment(sagemaker, "cc-cancel")
    configure(url, {"durations": {"Creating": 30}})
    try:
        started = create(cloudcontrol, desired)
        deadline = time.monotonic() + 30
        while "CreateInferenceExperiment" not in sagemaker_calls(url, "cc-cancel") and time.monotonic() < deadline:
            time.sleep(0.05)
        at_cancel = sagemaker_calls(url, "cc-cancel")
        canceling = cloudcontrol.cancel_resource_request(RequestToken=started["RequestToken"])["ProgressEvent"]
        assert canceling["OperationStatus"] in ("CANCEL_IN_PROGRESS", "CANCEL_COMPLETE")
        with pytest.raises(WaiterError, match=r"CANCEL_COMPLETE|terminal failure"):
            cloudcontrol.get_waiter("resource_request_success").wait(
                RequestToken=started["RequestToken"], WaiterConfig=FAST_WAIT
            )
        at_complete = sagemaker_calls(url, "cc-cancel")
        time.sleep(1.5)  # more than the handler's next callback delay at this time scale
        assert sagemaker_calls(url, "cc-cancel") == at_complete
    finally:
        configure(url, {"durations": {"Creating": 0.2}})
    assert "CreateInferenceExperiment" in at_cancel
    assert at_complete[: len(at_cancel)] == at_cancel
    assert set(at_complete[len(at_cancel) :]) <= {"DescribeInferenceExperiment"}
    assert sagemaker.describe_inference_experiment(Name="cc-cancel")["Status"] == "Creating"
    repeated = cloudcontrol.cancel_resource_request(RequestToken=started["RequestToken"])["ProgressEvent"]
    assert repeated["OperationStatus"] == "CANCEL_COMPLETE"
    finished = create(cloudcontrol, experiment(sagemaker, "cc-done"))
    finish(cloudcontrol, finished)
    once = client(url, "cloudcontrol", retries={"total_max_attempts": 1})
    code, _ = error_of(once.cancel_resource_request, RequestToken=finished["RequestToken"])
    assert code == "ConcurrentModificationException"


def test_handlers_run_with_the_functions_timeout_and_wait_inside_an_invocation(url: str, sagemaker: Any) -> None:
    """Cloud Control's invocations get the Lambda context of template.yml's Timeout (180 s), not
    Lambda's default 3 s, so the handlers' short waits inside an invocation happen here as on
    AWS: after the invocation that reserves the name, one invocation creates the experiment
    and sees it through Creating and Starting (0.2 s each, 2 s on the handlers' clock here)."""
    assert function_timeouts()["TypeFunction"] >= 30
    responses: list[dict[str, Any]] = []
    driver = HandlerDriver(
        lambda_invoke(url, 0.1), time_scale=0.1, on_event=lambda _, r: responses.append(r), type_name=TYPE_NAME
    )
    outcome = driver.run("CREATE", experiment(sagemaker, "cc-one-invocation"))
    assert outcome.succeeded, outcome.message
    assert [r["status"] for r in responses] == ["IN_PROGRESS", "SUCCESS"]
    assert sagemaker.describe_inference_experiment(Name="cc-one-invocation")["Status"] == "Running"


def test_unknown_type_and_token(cloudcontrol: Any) -> None:
    code, message = error_of(cloudcontrol.get_resource, TypeName="Acme::No::Such", Identifier="x")
    assert (code, message) == ("TypeNotFoundException", "The type 'Acme::No::Such' cannot be found.")
    code, _ = error_of(cloudcontrol.get_resource_request_status, RequestToken="no-such-token")
    assert code == "RequestTokenNotFoundException"


def test_describe_type_returns_the_schema_and_other_calls_reach_moto(url: str) -> None:
    cloudformation = client(url, "cloudformation")
    described = cloudformation.describe_type(Type="RESOURCE", TypeName=TYPE_NAME)
    assert json.loads(described["Schema"]) == SCHEMA
    assert described["ProvisioningType"] == "FULLY_MUTABLE"
    assert cloudformation.describe_type(Arn=described["Arn"])["TypeName"] == TYPE_NAME
    assert cloudformation.list_stacks()["StackSummaries"] == []


def test_patch_to_read_only_property_refused(cloudcontrol: Any, sagemaker: Any) -> None:
    assert finish(cloudcontrol, create(cloudcontrol, experiment(sagemaker, "cc-ro")))["OperationStatus"] == "SUCCESS"
    shown = properties(cloudcontrol, "cc-ro")
    for patch, pointer in [
        ([{"op": "replace", "path": "/Arn", "value": shown["Arn"]}], "/properties/Arn"),
        ([{"op": "add", "path": "/Status", "value": "Completed"}], "/properties/Status"),
        ([{"op": "remove", "path": "/EndpointMetadata/EndpointStatus"}], "/properties/EndpointMetadata"),
    ]:
        code, message = error_of(
            cloudcontrol.update_resource, TypeName=TYPE_NAME, Identifier="cc-ro", PatchDocument=json.dumps(patch)
        )
        assert (code, message) == (
            "ValidationException",
            f"Invalid patch update: readOnlyProperties [{pointer}] cannot be updated",
        )
    assert sagemaker.describe_inference_experiment(Name="cc-ro")["Status"] == "Running"
    assert "UpdateInferenceExperiment" not in sagemaker_calls(cloudcontrol.meta.endpoint_url, "cc-ro")


def configure(url: str, settings: dict[str, Any]) -> None:
    request = urllib.request.Request(f"{url}/_sandbox/config", json.dumps(settings).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def test_update_while_the_create_is_in_progress_is_a_concurrent_operation(
    url: str, cloudcontrol: Any, sagemaker: Any
) -> None:
    """SageMaker throttles the create, so the experiment does not exist yet while the create
    request is in progress: the update is refused as concurrent, not as a missing resource."""
    desired = experiment(sagemaker, "cc-busy-update")
    configure(url, {"faults": {"throttle_rate": 1.0, "operations": ["CreateInferenceExperiment"]}})
    try:
        started = create(cloudcontrol, desired)
        patch = json.dumps([{"op": "add", "path": "/Description", "value": "too soon"}])
        code, message = error_of(
            cloudcontrol.update_resource, TypeName=TYPE_NAME, Identifier="cc-busy-update", PatchDocument=patch
        )
    finally:
        configure(url, {"faults": {}})
    assert code == "ConcurrentOperationException"
    assert started["RequestToken"] in message
    assert finish(cloudcontrol, started)["OperationStatus"] == "SUCCESS"
    assert "Description" not in sagemaker.describe_inference_experiment(Name="cc-busy-update")
