"""No hang, ever: a prerequisite or a handler that fails ends the stack operation in a terminal
status carrying the error, and no resource is left *_IN_PROGRESS. In the stack engine with the
emulator and the real handlers in-process, in the rehearsal, and through the local
CloudFormation API."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError

from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.engine.model import Stack
from sandbox.cloudformation.service.provision import SandboxProvisioner
from sandbox.cloudformation.service.stacks import StackService
from sandbox.cloudformation.template import document
from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.local_aws import LocalAWS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
ACCOUNT, REGION = "123456789012", "us-east-1"
TERMINAL = re.compile(r"_(COMPLETE|FAILED|SKIPPED)$")
# The experiment's endpoint is outside the stack, so the engine seeds it first; a spare model
# in the stack is created before it, so a rollback has something to delete.
OUTSIDE_ENDPOINT = (
    (EXAMPLES / "minimal.yaml")
    .read_text()
    .replace(
        "    Type: AWS::SageMaker::InferenceExperiment\n",
        "    Type: AWS::SageMaker::InferenceExperiment\n    DependsOn: Spare\n",
    )
    .replace(
        "\nOutputs:",
        "  Spare:\n    Type: AWS::SageMaker::Model\n    Properties:\n"
        "      ExecutionRoleArn: arn:aws:iam::123456789012:role/r\n"
        "      PrimaryContainer: {Image: img, ModelDataUrl: 's3://models/spare.tar.gz'}\n\nOutputs:",
    )
)
# An endpoint config SageMaker refuses (its model does not exist), on a current GPU instance type.
GPU_STACK = """Resources:
  Production:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/SageMakerShadowTest
      PrimaryContainer: {Image: img, ModelDataUrl: 's3://models/production.tar.gz'}
  Config:
    Type: AWS::SageMaker::EndpointConfig
    Properties:
      ProductionVariants:
        - VariantName: production
          ModelName: MODEL
          InitialInstanceCount: 1
          InstanceType: ml.g5.xlarge
          InitialVariantWeight: 1
  Endpoint:
    Type: AWS::SageMaker::Endpoint
    Properties:
      EndpointConfigName: !GetAtt Config.EndpointConfigName
"""
FAILING_PREREQUISITE = GPU_STACK.replace("MODEL", "model-nobody-created")
WORKING_GPU_STACK = GPU_STACK.replace("MODEL", "!GetAtt Production.ModelName")
MISSING_MODEL = "Could not find model 'arn:aws:sagemaker:us-east-1:123456789012:model/model-nobody-created'."


class FailingOperation:
    """The emulator's SageMaker client, except that one operation raises `error` (what the
    emulator going away mid-operation looks like to the engine)."""

    def __init__(self, client: Any, operation: str, error: Exception) -> None:
        self.client, self.operation, self.error = client, operation, error

    def __getattr__(self, name: str) -> Any:
        if name != self.operation:
            return getattr(self.client, name)

        def fail(**_: Any) -> Any:
            raise self.error

        return fail


def create_stack(provisioner: SandboxProvisioner, text: str) -> Stack:
    service = StackService(provisioner, REGION, ACCOUNT)
    stack = service.new_stack("s", {})
    service.create(stack, service.plan(stack, document.parse(text), text, {}))()
    return stack


def last_statuses(stack: Stack) -> dict[str, str]:
    last: dict[str, str] = {}
    for event in stack.events:
        last[event.logical_id] = event.status
    return last


def failure_reason(stack: Stack, logical_id: str) -> str:
    return next(e.reason for e in stack.events if e.logical_id == logical_id and e.status.endswith("_FAILED"))


def test_a_prerequisite_that_fails_unexpectedly_rolls_the_stack_back(sagemaker: Any, cfn: CloudFormation) -> None:
    gone = EndpointConnectionError(endpoint_url="http://127.0.0.1:1/")
    failing = FailingOperation(sagemaker, "create_endpoint_config", gone)
    stack = create_stack(SandboxProvisioner(ACCOUNT, REGION, failing, driver=cfn), OUTSIDE_ENDPOINT)
    assert stack.status == "ROLLBACK_COMPLETE"
    assert last_statuses(stack) == {"s": "ROLLBACK_COMPLETE", "Spare": "DELETE_COMPLETE", "ShadowTest": "CREATE_FAILED"}
    assert failure_reason(stack, "ShadowTest") == (
        'Internal failure: EndpointConnectionError: Could not connect to the endpoint URL: "http://127.0.0.1:1/"'
    )
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []


def test_a_handler_that_cannot_be_invoked_rolls_the_stack_back(sagemaker: Any) -> None:
    def invoke(_payload: dict[str, Any]) -> dict[str, Any]:
        raise ConnectionRefusedError("the Lambda stand-in is gone")

    stack = create_stack(SandboxProvisioner(ACCOUNT, REGION, sagemaker, CloudFormation(invoke)), OUTSIDE_ENDPOINT)
    assert stack.status == "ROLLBACK_COMPLETE"
    assert all(TERMINAL.search(status) for status in last_statuses(stack).values())
    assert (
        failure_reason(stack, "ShadowTest") == "Internal failure: ConnectionRefusedError: the Lambda stand-in is gone"
    )


def test_a_failing_prerequisite_in_the_rehearsal(tmp_path: Path) -> None:
    (tmp_path / "failing.yaml").write_text(FAILING_PREREQUISITE)
    output = io.StringIO()
    status = rehearse(str(tmp_path / "failing.yaml"), log=EventLog(output), time_scale=0.005)
    text = output.getvalue()
    assert status == 1, text
    assert re.search(r"Config\s+AWS::SageMaker::EndpointConfig\s+CREATE_FAILED\s+\[ValidationException\] ", text), text
    assert MISSING_MODEL in text
    assert re.search(r"rehearsal\s+AWS::CloudFormation::Stack\s+ROLLBACK_COMPLETE", text), text
    assert "left in the emulator: nothing" in text


def test_current_gpu_instance_types_in_the_rehearsal(tmp_path: Path) -> None:
    """In the stack, and on an endpoint outside it (seeded with the experiment's instance type),
    as issue 17 found both refused by moto's fixed list."""
    (tmp_path / "gpu.yaml").write_text(WORKING_GPU_STACK)
    output = io.StringIO()
    status = rehearse(str(tmp_path / "gpu.yaml"), log=EventLog(output), time_scale=0.005)
    assert status == 0, output.getvalue()
    assert re.search(r"Config\s+AWS::SageMaker::EndpointConfig\s+CREATE_COMPLETE", output.getvalue())
    outside = (EXAMPLES / "minimal.yaml").read_text().replace("InstanceType: ml.m5.large", "InstanceType: ml.g5.xlarge")
    (tmp_path / "outside.yaml").write_text(outside)
    output = io.StringIO()
    status = rehearse(str(tmp_path / "outside.yaml"), log=EventLog(output), time_scale=0.005)
    assert status == 0, output.getvalue()
    assert "seeded missing endpoint recommendations in the emulator" in output.getvalue()


def settled(cloudformation: Any, stack_name: str, timeout: float = 120) -> str:
    """The stack's status once it is no longer *_IN_PROGRESS (bounded: a hang fails the test)."""
    deadline = time.monotonic() + timeout
    while True:
        status = str(cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]["StackStatus"])
        if not status.endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


@pytest.fixture(scope="module")
def cloudformation_api() -> Iterator[str]:
    with LocalAWS(port=0, time_scale=0.005) as server:
        yield server.url


def test_a_failing_prerequisite_through_the_local_cloudformation_api(cloudformation_api: str) -> None:
    credentials = {"aws_access_key_id": "x", "aws_secret_access_key": "x", "region_name": REGION}
    cloudformation = boto3.client("cloudformation", endpoint_url=cloudformation_api, **credentials)
    cloudformation.create_stack(StackName="failing", TemplateBody=FAILING_PREREQUISITE)
    assert settled(cloudformation, "failing") == "ROLLBACK_COMPLETE"
    events = cloudformation.describe_stack_events(StackName="failing")["StackEvents"]
    failed = [e for e in events if e["ResourceStatus"] == "CREATE_FAILED"]
    assert [e["LogicalResourceId"] for e in failed] == ["Config"]
    assert MISSING_MODEL in failed[0]["ResourceStatusReason"]
    resources = cloudformation.describe_stack_resources(StackName="failing")["StackResources"]
    assert all(TERMINAL.search(r["ResourceStatus"]) for r in resources)
