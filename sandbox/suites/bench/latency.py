"""What one Lambda invocation of the handler costs for real, measured through the Lambda
stand-in (HTTP, fork, client, SageMaker round trips against the emulator server), and one
Describe call: the stabilization sweep adds these to its manual clock."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3

from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.lambda_runtime import http_invoke
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import shadow_test_request


@dataclass(frozen=True)
class Latency:
    """Median seconds of one warm Lambda invocation (a read) and of one Describe call."""

    invocation: float
    describe: float
    samples: int


def median_seconds(call: Callable[[], Any], samples: int) -> float:
    call()  # warm: connections, caches
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measured_latency(samples: int) -> Latency:
    with (
        sandbox_process("serve", port=free_port()) as emulator_url,
        sandbox_process(
            "lambda", "--endpoint-url", emulator_url, "--log-file", os.devnull, port=free_port()
        ) as lambda_url,
    ):
        sagemaker = boto3.client("sagemaker", endpoint_url=emulator_url)
        ensure_endpoint(sagemaker, "latency-endpoint", "model-a")
        ensure_model(sagemaker, "model-b")
        sagemaker.create_inference_experiment(**shadow_test_request("latency", endpoint_name="latency-endpoint"))
        invoke = http_invoke(lambda_url)
        payload = CloudFormation(invoke).payload("READ", {"Name": "latency"})
        return Latency(
            invocation=median_seconds(lambda: invoke(payload), samples),
            describe=median_seconds(lambda: sagemaker.describe_inference_experiment(Name="latency"), samples),
            samples=samples,
        )


def per_invocation_cost(latency: Latency) -> float:
    """Seconds each Lambda invocation adds on top of CloudFormation's re-invocation overhead in
    the stabilization sweep. The hook for that figure: today the warm invocation measured
    through the Lambda stand-in in this run; a measurement of the shipped zip's warm invocation
    (library setup with providerCredentials included) belongs here instead."""
    return latency.invocation
