"""Ways to invoke the provider's function, all with one signature (`Invoke`): in this
process, or over the Lambda Invoke API of a running stand-in."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Callable
from typing import Any

Invoke = Callable[[dict[str, Any]], dict[str, Any]]
INVOKE_PREFIX = "/2015-03-31/functions/"
CRASH_HEADER = "X-Sandbox-Crash-After-Calls"


class FunctionError(RuntimeError):
    """The function returned no response: it raised, or its process died."""


def in_process(lambda_context: Callable[[], Any] | None = None) -> Invoke:
    """The provider's real Lambda entrypoint, called in this process with a fresh context from
    `lambda_context` for each invocation (isolation.lambda_context builds Lambda's), or none: a
    handler that cannot ask for its remaining time never waits inside an invocation."""
    from aws_sagemaker_inferenceexperiment.handlers import resource

    def invoke(payload: dict[str, Any]) -> dict[str, Any]:
        response: dict[str, Any] = resource(payload, lambda_context() if lambda_context else None)
        return response

    return invoke


def http_invoke(
    url: str, function_name: str = "TypeFunction", crash_after: Callable[[], int | None] | None = None
) -> Invoke:
    """Call a running stand-in over the Lambda API. `crash_after`, asked before each
    invocation, can make that invocation's process die after so many SageMaker calls."""

    def invoke(payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        crash = crash_after() if crash_after else None
        if crash:
            headers[CRASH_HEADER] = str(crash)
        request = urllib.request.Request(
            f"{url}{INVOKE_PREFIX}{function_name}/invocations",
            data=json.dumps(payload).encode(),
            method="POST",
            headers=headers,
        )
        with urllib.request.urlopen(request, timeout=900) as response:
            body: dict[str, Any] = json.loads(response.read())
            if response.headers.get("X-Amz-Function-Error"):
                raise FunctionError(f"{body.get('errorType')}: {body.get('errorMessage')}")
            return body

    return invoke
