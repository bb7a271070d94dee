"""Shared fixtures: the emulator in-process, a seeded endpoint, and a CloudFormation driver
whose sleeps advance the emulator's clock instead of waiting."""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import pytest

from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime import in_process
from sandbox.server import EmulatorControl, ManualClock, emulated_aws
from sandbox.suites.seed import seed_shadow_test

TEST_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIATESTSUITEKEY0001",
    "AWS_SECRET_ACCESS_KEY": "test-suite-secret-key-not-real",
    "AWS_DEFAULT_REGION": "us-east-1",
}


@pytest.fixture(autouse=True, scope="session")
def test_environment() -> Iterator[None]:
    """Fake credentials and no endpoint or profile of the developer's, for this suite's tests only
    and only while they run: pytest loads this file for any run in the project root (`cfn test`
    included), so nothing here may change the process environment when it is imported."""
    with pytest.MonkeyPatch.context() as patch:
        for key, value in TEST_ENVIRONMENT.items():
            patch.setenv(key, value)
        patch.delenv("AWS_ENDPOINT_URL", raising=False)
        patch.delenv("AWS_PROFILE", raising=False)
        yield


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
