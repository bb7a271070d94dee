"""A representative subset of the emulator's behaviour over HTTP, as a developer or the
contract suite sees it: `python -m sandbox serve` on loopback."""

from __future__ import annotations

import json
import time
import urllib.request
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.server import CONTROL, EmulatorServer
from sandbox.suites.seed import seed_shadow_test, shadow_test_request


def client(url: str, service: str = "sagemaker") -> Any:
    return boto3.client(service, endpoint_url=url, region_name="us-east-1")


@pytest.fixture
def server() -> Iterator[str]:
    CONTROL.reset()
    with EmulatorServer(port=0) as running:
        yield running.url
    CONTROL.reset()


def test_lifecycle_over_http(server: str) -> None:
    sagemaker = client(server)
    seed_shadow_test(sagemaker)
    sagemaker.create_inference_experiment(**shadow_test_request("http-exp"), Tags=[{"Key": "k", "Value": "v"}])
    described = sagemaker.describe_inference_experiment(Name="http-exp")
    assert described["Status"] == "Running"
    assert sagemaker.list_tags(ResourceArn=described["Arn"])["Tags"] == [{"Key": "k", "Value": "v"}]
    with pytest.raises(ClientError) as conflict:
        sagemaker.delete_inference_experiment(Name="http-exp")
    assert conflict.value.response["Error"]["Code"] == "ConflictException"
    sagemaker.stop_inference_experiment(
        Name="http-exp", ModelVariantActions={"production": "Remove", "shadow": "Promote"}
    )
    endpoint = sagemaker.describe_endpoint(EndpointName="shadow-endpoint")
    assert [v["VariantName"] for v in endpoint["ProductionVariants"]] == ["shadow"]
    sagemaker.delete_inference_experiment(Name="http-exp")
    with pytest.raises(ClientError) as missing:
        sagemaker.describe_inference_experiment(Name="http-exp")
    assert missing.value.response["Error"]["Code"] == "ResourceNotFound"
    assert client(server, "sts").get_caller_identity()["Account"] == "123456789012"


def control_request(url: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{url}{path}", data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def test_control_route_sets_faults_and_reads_the_call_log(server: str) -> None:
    sagemaker = boto3.client(
        "sagemaker",
        endpoint_url=server,
        region_name="us-east-1",
        config=boto3.session.Config(retries={"total_max_attempts": 1}),
    )
    control_request(
        server, "/_sandbox/config", {"faults": {"seed": 3, "throttle_rate": 1.0}, "durations": {"Creating": 5}}
    )
    with pytest.raises(ClientError) as throttled:
        sagemaker.list_inference_experiments()
    assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
    control_request(server, "/_sandbox/config", {"faults": {"seed": 3, "server_error_rate": 1.0}})
    with pytest.raises(ClientError) as failed:
        sagemaker.list_inference_experiments()
    assert failed.value.response["ResponseMetadata"]["HTTPStatusCode"] == 500
    calls = control_request(server, "/_sandbox/calls")
    assert [(c["operation"], c["result"]) for c in calls] == [
        ("ListInferenceExperiments", "ThrottlingException"),
        ("ListInferenceExperiments", "InternalFailure"),
    ]
    assert CONTROL.durations["Creating"] == 5


def test_serve_command_with_transition_seconds() -> None:
    port = free_port()
    with sandbox_process("serve", "--transition-seconds", "1", port=port) as url:
        sagemaker = client(url)
        seed_shadow_test(sagemaker)
        sagemaker.create_inference_experiment(**shadow_test_request("slow"))
        assert sagemaker.describe_inference_experiment(Name="slow")["Status"] == "Creating"
        deadline = time.monotonic() + 10
        while sagemaker.describe_inference_experiment(Name="slow")["Status"] != "Running":
            assert time.monotonic() < deadline, "never reached Running"
            time.sleep(0.2)


def test_control_route_scripts_outcomes_and_stop_before_start(server: str) -> None:
    sagemaker = client(server)
    seed_shadow_test(sagemaker, "scripted-endpoint")
    future = {"StartTime": "2035-01-01T00:00:00Z", "EndTime": "2035-01-02T00:00:00Z"}
    request = shadow_test_request("scheduled", endpoint_name="scripted-endpoint")
    sagemaker.create_inference_experiment(**request, Schedule=future)
    control_request(
        server,
        "/_sandbox/config",
        {"stop_before_start": True, "outcomes": {"Stop": {"status": "Cancelled", "reason": "scripted over HTTP"}}},
    )
    sagemaker.stop_inference_experiment(
        Name="scheduled", ModelVariantActions={"production": "Retain", "shadow": "Remove"}
    )
    described = sagemaker.describe_inference_experiment(Name="scheduled")
    assert (described["Status"], described["StatusReason"]) == ("Cancelled", "scripted over HTTP")


def test_control_route_sets_the_removed_production_variants_status(server: str) -> None:
    sagemaker = client(server)
    seed_shadow_test(sagemaker, "promoting-endpoint")
    sagemaker.create_inference_experiment(**shadow_test_request("promoting", endpoint_name="promoting-endpoint"))
    control_request(server, "/_sandbox/config", {"removed_production_status": "InService"})
    sagemaker.stop_inference_experiment(
        Name="promoting", ModelVariantActions={"production": "Remove", "shadow": "Promote"}
    )
    described = sagemaker.describe_inference_experiment(Name="promoting")
    assert [v["Status"] for v in described["ModelVariants"]] == ["InService", "InService"]


def test_what_sagemaker_refuses_is_refused_over_http_and_logged(server: str) -> None:
    """Issue 17's probes against the served emulator: refused in SageMaker's words, nothing
    created, and the refusal in the call log like any other answer."""
    sagemaker = boto3.client(
        "sagemaker", endpoint_url=server, region_name="us-east-1", config=Config(parameter_validation=False)
    )
    seed_shadow_test(sagemaker)
    with pytest.raises(ClientError) as refused:
        sagemaker.create_inference_experiment(**shadow_test_request("bad_name!"))
    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert refused.value.response["Error"]["Message"].startswith(
        "1 validation error detected: Value 'bad_name!' at 'name' failed to satisfy constraint: "
    )
    with pytest.raises(ClientError) as bogus:
        sagemaker.list_inference_experiments(StatusEquals="Bogus")
    assert "Value 'Bogus' at 'statusEquals'" in bogus.value.response["Error"]["Message"]
    listed = sagemaker.list_inference_experiments()["InferenceExperiments"]
    assert "bad_name!" not in {experiment["Name"] for experiment in listed}
    results = [(c.operation, c.result) for c in CONTROL.call_log()]
    assert ("CreateInferenceExperiment", "ValidationException") in results
    assert ("ListInferenceExperiments", "ValidationException") in results
