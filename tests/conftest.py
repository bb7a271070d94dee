"""Shared fixtures: the emulator in-process, a seeded endpoint, and a CloudFormation driver
whose sleeps advance the emulator's clock instead of waiting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "AKIATESTSUITEKEY0001",
        "AWS_SECRET_ACCESS_KEY": "test-suite-secret-key-not-real",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)

from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime import in_process
from sandbox.server import EmulatorControl, ManualClock, emulated_aws
from sandbox.suites.seed import seed_shadow_test


@pytest.fixture
def emulator() -> Iterator[EmulatorControl]:
    with emulated_aws() as control:
        yield control


@pytest.fixture
def clock(emulator: EmulatorControl, monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """Emulated time for the emulator and the handlers; the SDK's retry backoff advances it."""
    manual = ManualClock()
    emulator.clock = manual
    monkeypatch.setattr("botocore.endpoint.time", SimpleNamespace(sleep=manual.advance))
    monkeypatch.setattr("aws_sagemaker_inferenceexperiment.driver.time", SimpleNamespace(time=manual))
    return manual


@pytest.fixture
def sagemaker(emulator: EmulatorControl) -> Any:
    client = boto3.client("sagemaker", region_name="us-east-1")
    seed_shadow_test(client)
    return client


@pytest.fixture
def cfn(sagemaker: Any, clock: ManualClock) -> CloudFormation:
    """CloudFormation's callback loop; each callback delay advances the emulator clock."""
    return CloudFormation(in_process(), sleep=clock.advance)
