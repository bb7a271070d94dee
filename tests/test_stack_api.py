"""The CloudFormation stack API on the emulator's port, driven by boto3 (client and
waiters) and by the unmodified AWS CLI, on the same engine as the rehearsal."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, WaiterError

from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.local_aws import LocalAWS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
FAST = {"Delay": 1, "MaxAttempts": 120}
CREDENTIALS = {"aws_access_key_id": "x", "aws_secret_access_key": "x", "region_name": "us-east-1"}


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with LocalAWS(port=0, time_scale=0.005) as server:
        yield server.url


def client(service: str, url: str) -> Any:
    return boto3.client(service, endpoint_url=url, **CREDENTIALS)


def body(name: str) -> str:
    return (EXAMPLES / name).read_text()


def test_stack_lifecycle_with_boto3_waiters_events_resources_and_drift(url: str) -> None:
    cloudformation, sagemaker = client("cloudformation", url), client("sagemaker", url)
    stack_id = cloudformation.create_stack(StackName="minimal", TemplateBody=body("minimal.yaml"))["StackId"]
    assert cloudformation.describe_stacks(StackName="minimal")["Stacks"][0]["StackStatus"].startswith("CREATE_")
    cloudformation.get_waiter("stack_create_complete").wait(StackName="minimal", WaiterConfig=FAST)
    stack = cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]
    assert stack["Outputs"][0]["OutputValue"].endswith(":inference-experiment/recommendations-v2-shadow")
    events = cloudformation.describe_stack_events(StackName="minimal")["StackEvents"]
    assert (events[0]["LogicalResourceId"], events[0]["ResourceStatus"]) == ("minimal", "CREATE_COMPLETE")
    (resource,) = cloudformation.list_stack_resources(StackName="minimal")["StackResourceSummaries"]
    assert resource["PhysicalResourceId"] == "recommendations-v2-shadow"
    assert "ShadowTest" in cloudformation.get_template(StackName="minimal")["TemplateBody"]

    sagemaker.update_inference_experiment(
        Name="recommendations-v2-shadow",
        ShadowModeConfig={
            "SourceModelVariantName": "production",
            "ShadowModelVariants": [{"ShadowModelVariantName": "candidate", "SamplingPercentage": 10}],
        },
    )
    detection = cloudformation.detect_stack_drift(StackName="minimal")["StackDriftDetectionId"]
    status = cloudformation.describe_stack_drift_detection_status(StackDriftDetectionId=detection)
    assert (status["DetectionStatus"], status["StackDriftStatus"]) == ("DETECTION_COMPLETE", "DRIFTED")
    (drift,) = cloudformation.describe_stack_resource_drifts(StackName="minimal")["StackResourceDrifts"]
    assert drift["StackResourceDriftStatus"] == "MODIFIED"
    assert (
        drift["PropertyDifferences"][0]["PropertyPath"] == "/ShadowModeConfig/ShadowModelVariants/0/SamplingPercentage"
    )

    cloudformation.delete_stack(StackName="minimal")
    cloudformation.get_waiter("stack_delete_complete").wait(StackName="minimal", WaiterConfig=FAST)
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []
    assert cloudformation.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"


def test_a_failing_update_through_change_sets_rolls_back(url: str) -> None:
    cloudformation, sagemaker = client("cloudformation", url), client("sagemaker", url)
    for name, kind in (("rollback.yaml", "CREATE"), ("rollback-v2.yaml", "UPDATE")):
        cloudformation.create_change_set(
            StackName="pair", ChangeSetName=kind.lower(), ChangeSetType=kind, TemplateBody=body(name)
        )
        cloudformation.get_waiter("change_set_create_complete").wait(
            StackName="pair", ChangeSetName=kind.lower(), WaiterConfig=FAST
        )
        described = cloudformation.describe_change_set(StackName="pair", ChangeSetName=kind.lower())
        assert {c["ResourceChange"]["Action"] for c in described["Changes"]} == {
            "Add" if kind == "CREATE" else "Modify"
        }
        cloudformation.execute_change_set(StackName="pair", ChangeSetName=kind.lower())
        waiter = "stack_create_complete" if kind == "CREATE" else "stack_update_complete"
        if kind == "CREATE":
            cloudformation.get_waiter(waiter).wait(StackName="pair", WaiterConfig=FAST)
    with pytest.raises(WaiterError, match="UPDATE_ROLLBACK_COMPLETE"):
        cloudformation.get_waiter("stack_update_complete").wait(StackName="pair", WaiterConfig=FAST)
    checkout = sagemaker.describe_inference_experiment(Name="checkout-ranker-v2-shadow")
    assert checkout["Description"] == "Checkout ranker v2 on a copy of production traffic"
    cloudformation.delete_stack(StackName="pair")
    cloudformation.get_waiter("stack_delete_complete").wait(StackName="pair", WaiterConfig=FAST)
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []


def test_requests_cloudformation_refuses(url: str) -> None:
    """Fn::Cidr past its block (User Guide, intrinsic-function-reference-cidr.html) is a
    template validation error, HTTP 400 with no stack, through CreateStack and CreateChangeSet."""
    cloudformation = client("cloudformation", url)
    with pytest.raises(ClientError, match="Stack with id nowhere does not exist"):
        cloudformation.describe_stacks(StackName="nowhere")
    with_role = body("minimal.yaml").replace(
        "Resources:\n",
        "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument: {}\n",
        1,
    )
    with pytest.raises(ClientError, match=r"Requires capabilities : \[CAPABILITY_IAM\]"):
        cloudformation.create_stack(StackName="iam", TemplateBody=with_role)
    broken = body("minimal.yaml").replace("Type: ShadowMode", "Type: ShadowMode\n      Bogus: 1")
    with pytest.raises(ClientError, match="E3002"):
        cloudformation.create_stack(StackName="broken", TemplateBody=broken)
    too_many = body("minimal.yaml") + "  Subnets:\n    Value: !Join [',', !Cidr [10.0.0.0/28, 5, 2]]\n"
    with pytest.raises(ClientError, match="Fn::Cidr count 5") as refused:
        cloudformation.create_stack(StackName="cidr", TemplateBody=too_many)
    assert refused.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert refused.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    with pytest.raises(ClientError, match="Fn::Cidr count 5"):
        cloudformation.create_change_set(
            StackName="cidr", ChangeSetName="c", ChangeSetType="CREATE", TemplateBody=too_many
        )
    assert cloudformation.describe_stacks()["Stacks"] == []
    summary = cloudformation.validate_template(TemplateBody=body("parameters-and-conditions.yaml"))
    assert [p["ParameterKey"] for p in summary["Parameters"]][:2] == ["Environment", "EndpointName"]


def test_the_same_template_gives_the_same_events_through_either_front_end(url: str) -> None:
    cloudformation = client("cloudformation", url)
    given = {"EndpointName": "compare", "ModelNames": "compare-v1,compare-v2"}
    cloudformation.create_stack(
        StackName="rehearsal",
        TemplateBody=body("parameters-and-conditions.yaml"),
        Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in given.items()],
    )
    cloudformation.get_waiter("stack_create_complete").wait(StackName="rehearsal", WaiterConfig=FAST)
    through_api = [
        (e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason", ""))
        for e in reversed(cloudformation.describe_stack_events(StackName="rehearsal")["StackEvents"])
    ]
    cloudformation.delete_stack(StackName="rehearsal")
    cloudformation.get_waiter("stack_delete_complete").wait(StackName="rehearsal", WaiterConfig=FAST)
    output = io.StringIO()
    path = str(EXAMPLES / "parameters-and-conditions.yaml")
    rehearse(path, parameters=given, keep=True, time_scale=0.005, log=EventLog(output))
    rehearsed = [
        (logical_id, status, reason.strip())
        for logical_id, status, reason in re.findall(r"Z  (\S+)\s+\S+\s+([A-Z_]+)(.*)", output.getvalue())
    ]
    assert [event[:2] for event in rehearsed] == [event[:2] for event in through_api]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("aws") is None, reason="the AWS CLI is not installed")
def test_aws_cli_deploy_update_and_delete(url: str, tmp_path: Path) -> None:
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "x",
        "AWS_SECRET_ACCESS_KEY": "x",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    environment["HOME"] = str(tmp_path)

    def aws(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = ["aws", "cloudformation", *arguments, "--endpoint-url", url]
        return subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300)

    sagemaker = client("sagemaker", url)
    deploy = ("deploy", "--stack-name", "demo", "--template-file")
    done = aws(*deploy, str(EXAMPLES / "complete.yaml"))
    assert done.returncode == 0, done.stderr
    assert sagemaker.describe_inference_experiment(Name="demo-fraud-v2-shadow")["Status"] == "Running"
    done = aws(*deploy, str(EXAMPLES / "complete-v2.yaml"))
    assert done.returncode == 0, done.stderr
    assert sagemaker.describe_inference_experiment(Name="demo-fraud-v2-shadow")["Status"] == "Completed"
    events = aws("describe-stack-events", "--stack-name", "demo")
    assert '"ResourceStatus": "UPDATE_COMPLETE"' in events.stdout
    assert aws("delete-stack", "--stack-name", "demo").returncode == 0
    assert aws("wait", "stack-delete-complete", "--stack-name", "demo").returncode == 0
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []
    assert [e for e in sagemaker.list_endpoints()["Endpoints"] if e["EndpointName"].startswith("demo-")] == []


def test_change_sets_resources_and_summaries(url: str) -> None:
    cloudformation = client("cloudformation", url)
    template = body("parameters-and-conditions.yaml")
    given = [{"ParameterKey": "EndpointName", "ParameterValue": "listing"}]
    created = cloudformation.create_change_set(
        StackName="sets", ChangeSetName="first", ChangeSetType="CREATE", TemplateBody=template, Parameters=given
    )
    assert cloudformation.describe_stacks(StackName="sets")["Stacks"][0]["StackStatus"] == "REVIEW_IN_PROGRESS"
    assert [s["ChangeSetName"] for s in cloudformation.list_change_sets(StackName="sets")["Summaries"]] == ["first"]
    cloudformation.execute_change_set(ChangeSetName=created["Id"])
    cloudformation.get_waiter("stack_create_complete").wait(StackName="sets", WaiterConfig=FAST)
    detail = cloudformation.describe_stack_resource(StackName="sets", LogicalResourceId="ShadowTest")
    assert detail["StackResourceDetail"]["PhysicalResourceId"] == "sets-dev-shadow"
    (resource,) = cloudformation.describe_stack_resources(StackName="sets")["StackResources"]
    assert resource["ResourceStatus"] == "CREATE_COMPLETE"
    summary = cloudformation.get_template_summary(StackName="sets")
    assert summary["ResourceTypes"] == ["AWS::S3::Bucket", "AWS::SageMaker::InferenceExperiment"]

    same = [{"ParameterKey": "EndpointName", "UsePreviousValue": True}]
    cloudformation.create_change_set(StackName="sets", ChangeSetName="same", UsePreviousTemplate=True, Parameters=same)
    described = cloudformation.describe_change_set(StackName="sets", ChangeSetName="same")
    assert (described["Status"], described["ExecutionStatus"]) == ("FAILED", "UNAVAILABLE")
    assert described["StatusReason"].startswith("The submitted information didn't contain changes.")
    cloudformation.delete_change_set(StackName="sets", ChangeSetName="same")
    with pytest.raises(ClientError, match="ChangeSet \\[same\\] does not exist"):
        cloudformation.describe_change_set(StackName="sets", ChangeSetName="same")
    cloudformation.delete_stack(StackName="sets")
    cloudformation.get_waiter("stack_delete_complete").wait(StackName="sets", WaiterConfig=FAST)


EXPORTER = (
    "Resources:\n  Bucket: {Type: AWS::S3::Bucket}\n"
    "Outputs:\n  Name:\n    Value: VALUE\n    Export: {Name: exported-bucket}\n"
)


def test_list_exports_and_an_imported_export_that_an_update_would_change(url: str) -> None:
    """API Reference, ListExports and ListImports (botocore's shapes, paginator); User Guide, "Get exported
    outputs from a deployed CloudFormation stack": an imported output cannot be modified."""
    cloudformation = client("cloudformation", url)
    exporter = cloudformation.create_stack(StackName="exporter", TemplateBody=EXPORTER.replace("VALUE", "!Ref Bucket"))
    cloudformation.get_waiter("stack_create_complete").wait(StackName="exporter", WaiterConfig=FAST)
    pages = cloudformation.get_paginator("list_exports").paginate()
    (export,) = [e for page in pages for e in page["Exports"]]
    assert export["ExportingStackId"] == exporter["StackId"]
    assert export["Name"] == "exported-bucket"
    assert export["Value"].startswith("exporter-Bucket-")
    importer = (
        "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n    Properties: {TopicName: !ImportValue exported-bucket}\n"
    )
    with pytest.raises(ClientError, match=r"Export 'exported-bucket' is not imported by any stack\."):
        cloudformation.list_imports(ExportName="exported-bucket")
    cloudformation.create_stack(StackName="importer", TemplateBody=importer)
    cloudformation.get_waiter("stack_create_complete").wait(StackName="importer", WaiterConfig=FAST)
    assert cloudformation.list_imports(ExportName="exported-bucket")["Imports"] == ["importer"]
    cloudformation.update_stack(
        StackName="exporter",
        TemplateBody=EXPORTER.replace("VALUE", "!Sub '${Bucket}-renamed'"),
        Tags=[{"Key": "k", "Value": "v"}],
    )
    with pytest.raises(WaiterError, match="UPDATE_ROLLBACK_COMPLETE"):
        cloudformation.get_waiter("stack_update_complete").wait(StackName="exporter", WaiterConfig=FAST)
    reasons = [
        e.get("ResourceStatusReason")
        for e in cloudformation.describe_stack_events(StackName="exporter")["StackEvents"]
        if e["ResourceStatus"] == "UPDATE_ROLLBACK_IN_PROGRESS"
    ]
    assert reasons == ["Export exported-bucket cannot be updated as it is in use by importer"]
    assert cloudformation.list_exports()["Exports"] == [export]
    for name in ("importer", "exporter"):
        cloudformation.delete_stack(StackName=name)
        cloudformation.get_waiter("stack_delete_complete").wait(StackName=name, WaiterConfig=FAST)
    assert cloudformation.list_exports()["Exports"] == []
