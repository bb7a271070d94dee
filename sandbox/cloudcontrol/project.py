"""This project's type registered with the backend: the schema the handler package ships (the
project schema's copy, kept identical by test_schema), and handlers run as the Lambda stand-in
runs them (a fresh forked child per invocation)."""

from __future__ import annotations

import time
from typing import Any

from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.invoke import FunctionError, Invoke
from sandbox.lambda_runtime.isolation import DEFAULT_TIMEOUT_SECONDS, Isolation, invoke_isolated, package_modules
from sandbox.lambda_runtime.local_lambda import function_timeouts, load_entrypoints
from sandbox.schemas import EXPERIMENT

from .models import ResourceType
from .schema import TypeSchema

FUNCTION = "TypeFunction"  # the handler function of template.yml and .rpdk-config


def lambda_invoke(sdk_endpoint_url: str, time_scale: float) -> Invoke:
    """Invoke the provider's TypeFunction in a forked child whose SDK calls go to the emulator,
    with a Lambda context counting down from the function's Timeout in template.yml (as the
    Lambda stand-in gives it to CloudFormation's calls), so handlers wait inside an invocation
    here exactly when they would on AWS."""
    entrypoint = load_entrypoints(PROJECT_ROOT)[FUNCTION]
    handler_modules = package_modules(entrypoint)
    timeout = function_timeouts(PROJECT_ROOT).get(FUNCTION, DEFAULT_TIMEOUT_SECONDS)
    clock_origin = time.time()

    def invoke(payload: dict[str, Any]) -> dict[str, Any]:
        region = str(payload["region"])
        environment = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region, "AWS_ENDPOINT_URL": sdk_endpoint_url}
        isolation = Isolation(environment, time_scale, clock_origin, handler_modules, timeout_seconds=timeout)
        ok, body = invoke_isolated(entrypoint, FUNCTION, payload, isolation)
        if not ok:
            raise FunctionError(f"{body.get('errorType')}: {body.get('errorMessage')}")
        return body

    return invoke


def project_type(sdk_endpoint_url: str, time_scale: float = 1.0) -> ResourceType:
    schema = TypeSchema(EXPERIMENT.document, EXPERIMENT.facts)
    return ResourceType(schema, lambda_invoke(sdk_endpoint_url, time_scale))
