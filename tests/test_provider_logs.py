"""The handlers' log lines as they reach the provider log group on AWS: Lambda's runtime
client leaves the root logger at WARNING, and one warm container serves many stacks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.loaders
import pytest
from cloudformation_cli_python_lib.log_delivery import ProviderLogHandler

from sandbox.lambda_runtime import in_process
from sandbox.server import ManualClock
from sandbox.suites.seed import shadow_test_request
from sandbox.suites.shipped.requests import LOG_GROUP, StackRequests, stream_name


class Collected(logging.Handler):
    """Lambda's own log (the function's log group), as awslambdaric's root handler."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.fixture
def lambda_logging() -> Iterator[Collected]:
    """The root logger as awslambdaric sets it up (WARNING, its handler first); afterwards the
    library's provider log handler and filters are taken away again."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    function_log = Collected()
    root.handlers.insert(0, function_log)
    root.setLevel(logging.WARNING)
    yield function_log
    root.handlers[:] = handlers
    root.setLevel(level)
    assert not any(isinstance(handler, ProviderLogHandler) for handler in root.handlers)


def messages(stream: str) -> list[str]:
    events = boto3.client("logs").get_log_events(logGroupName=LOG_GROUP, logStreamName=stream)["events"]
    return [event["message"] for event in events]


def test_audit_lines_reach_each_stacks_own_stream_in_a_warm_container(
    sagemaker: Any, clock: ManualClock, lambda_logging: Collected
) -> None:
    invoke = in_process()
    first = StackRequests(invoke, sleep=clock.advance, stack_name="first")
    second = StackRequests(invoke, sleep=clock.advance, stack_name="second")

    assert first.run("CREATE", shadow_test_request("audited")).succeeded
    assert second.run("DELETE", {"Name": "audited"}, logical_id="Other").succeeded

    first_lines = messages(stream_name(first.stack, "Experiment"))
    second_lines = messages(stream_name(second.stack, "Other"))
    assert any("CreateInferenceExperiment audited" in line for line in first_lines), first_lines
    assert any("DeleteInferenceExperiment audited" in line for line in second_lines), second_lines
    assert not any("DeleteInferenceExperiment" in line for line in first_lines), first_lines
    assert not any("CreateInferenceExperiment" in line for line in second_lines), second_lines
    assert not any("InferenceExperiment audited" in line for line in lambda_logging.lines), lambda_logging.lines


def test_invocation_metrics_reach_the_types_namespace(sagemaker: Any, clock: ManualClock, lambda_logging: Any) -> None:
    requests = StackRequests(in_process(), sleep=clock.advance)
    assert requests.run("CREATE", shadow_test_request("measured")).succeeded

    metrics = boto3.client("cloudwatch").list_metrics(Namespace="AWS/CloudFormation/AWS/SageMaker/InferenceExperiment")
    names = {metric["MetricName"] for metric in metrics["Metrics"]}
    assert {"HandlerInvocationCount", "HandlerInvocationDuration"} <= names, names


def test_warm_invocations_with_provider_credentials_parse_no_logs_or_metrics_model(
    sagemaker: Any, clock: ManualClock, lambda_logging: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library builds a CloudWatch Logs and a CloudWatch client on a new session every
    invocation; on the shared loader they reuse the models the first invocation parsed."""
    requests = StackRequests(in_process(), sleep=clock.advance)
    assert requests.run("CREATE", shadow_test_request("warm")).succeeded
    parsed: list[str] = []
    original = botocore.loaders.JSONFileLoader.load_file

    def counted(self: Any, file_path: str) -> Any:
        if any(f"/{service}/" in file_path for service in ("logs", "monitoring")):
            parsed.append(file_path)
        return original(self, file_path)

    monkeypatch.setattr(botocore.loaders.JSONFileLoader, "load_file", counted)
    assert requests.run("READ", {"Name": "warm"}).succeeded
    assert requests.run("READ", {"Name": "warm"}).succeeded
    assert parsed == []
