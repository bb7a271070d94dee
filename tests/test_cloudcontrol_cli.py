"""The unmodified `aws cloudcontrol` commands (AWS CLI v1, pinned in requirements-dev.txt)
against `python -m sandbox serve`, with nothing but AWS_ENDPOINT_URL pointing them there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import seed_shadow_test, shadow_test_request

AWS = Path(sys.executable).parent / "aws"
TYPE_NAME = "AWS::SageMaker::InferenceExperiment"


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with sandbox_process("serve", "--transition-seconds", "0.2", "--time-scale", "0.01", port=free_port()) as running:
        yield running


def aws(url: str, *arguments: str) -> Any:
    """Run `aws ARGUMENTS --output json` as a user would, configured only by environment."""
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "AWS_ENDPOINT_URL": url,
        "AWS_ACCESS_KEY_ID": "AKIACLOUDCONTROLCLI0",
        "AWS_SECRET_ACCESS_KEY": "cloudcontrol-cli-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    done = subprocess.run(
        [str(AWS), *arguments, "--output", "json"], env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout) if done.stdout.strip() else None


def settle(url: str, event: dict[str, Any]) -> dict[str, Any]:
    """Poll get-resource-request-status until the request ends."""
    deadline = time.monotonic() + 30
    while event["OperationStatus"] in ("PENDING", "IN_PROGRESS"):
        assert time.monotonic() < deadline, event
        time.sleep(0.2)
        event = aws(url, "cloudcontrol", "get-resource-request-status", "--request-token", event["RequestToken"])[
            "ProgressEvent"
        ]
    return event


def test_lifecycle_with_the_aws_cli(url: str, tmp_path: Path) -> None:
    sagemaker = boto3.client(
        "sagemaker", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    seed_shadow_test(sagemaker, endpoint_name="ep-cli")
    desired = tmp_path / "experiment.json"
    desired.write_text(json.dumps({**shadow_test_request("cli-exp", endpoint_name="ep-cli"), "Tags": []}))

    created = aws(
        url, "cloudcontrol", "create-resource", "--type-name", TYPE_NAME, "--desired-state", f"file://{desired}"
    )
    assert settle(url, created["ProgressEvent"])["OperationStatus"] == "SUCCESS"
    assert sagemaker.describe_inference_experiment(Name="cli-exp")["Status"] == "Running"

    got = aws(url, "cloudcontrol", "get-resource", "--type-name", TYPE_NAME, "--identifier", "cli-exp")
    assert json.loads(got["ResourceDescription"]["Properties"])["EndpointName"] == "ep-cli"

    patch = json.dumps(
        [
            {"op": "add", "path": "/Description", "value": "from the CLI"},
            {"op": "add", "path": "/Tags", "value": [{"Key": "via", "Value": "cli"}]},
        ]
    )
    updated = aws(
        url,
        "cloudcontrol",
        "update-resource",
        "--type-name",
        TYPE_NAME,
        "--identifier",
        "cli-exp",
        "--patch-document",
        patch,
    )
    assert settle(url, updated["ProgressEvent"])["OperationStatus"] == "SUCCESS"
    described = sagemaker.describe_inference_experiment(Name="cli-exp")
    assert described["Description"] == "from the CLI"
    assert sagemaker.list_tags(ResourceArn=described["Arn"])["Tags"] == [{"Key": "via", "Value": "cli"}]

    listed = aws(url, "cloudcontrol", "list-resources", "--type-name", TYPE_NAME)
    assert [d["Identifier"] for d in listed["ResourceDescriptions"]] == ["cli-exp"]

    deleted = aws(url, "cloudcontrol", "delete-resource", "--type-name", TYPE_NAME, "--identifier", "cli-exp")
    assert settle(url, deleted["ProgressEvent"])["OperationStatus"] == "SUCCESS"
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []
    requests = aws(url, "cloudcontrol", "list-resource-requests")["ResourceRequestStatusSummaries"]
    assert [r["Operation"] for r in requests] == ["DELETE", "UPDATE", "CREATE"]
