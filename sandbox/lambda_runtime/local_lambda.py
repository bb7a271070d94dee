"""A stand-in for `sam local start-lambda`: the Lambda Invoke API on 127.0.0.1.

Function names map to the `.rpdk-config` entrypoints (TypeFunction -> entrypoint,
TestEntrypoint -> testEntrypoint). Each invocation runs in a forked child, so no
module state survives from one invocation to the next (as in SAM's fresh
containers), with AWS_REGION from the payload and the SDK pointed at the emulator.
"""

from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from sandbox.cloudformation.driver import FunctionError
from sandbox.common import PROJECT_ROOT
from sandbox.server.loopback import LoopbackServer

INVOKE_PREFIX = "/2015-03-31/functions/"
Entrypoint = Callable[[dict[str, Any], Any], Any]


def load_entrypoints(project_root: Path = PROJECT_ROOT) -> dict[str, Entrypoint]:
    """Import the handler module named by .rpdk-config (from src/) and return its entrypoints."""
    config = json.loads((project_root / ".rpdk-config").read_text(encoding="utf-8"))

    def resolve(dotted: str) -> Entrypoint:
        module_name, attribute = dotted.rsplit(".", 1)
        function: Entrypoint = getattr(importlib.import_module(module_name), attribute)
        return function

    return {"TypeFunction": resolve(config["entrypoint"]), "TestEntrypoint": resolve(config["testEntrypoint"])}


def lambda_context(function_name: str) -> SimpleNamespace:
    return SimpleNamespace(
        function_name=function_name,
        aws_request_id="local",
        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}",
        get_remaining_time_in_millis=lambda: 900_000,
    )


CRASH_HEADER = "HTTP_X_SANDBOX_CRASH_AFTER_CALLS"


def run_on_scaled_clock(time_scale: float, origin: float, handler_modules: list[Any]) -> None:
    """In the child: emulated seconds pass `1 / time_scale` times faster than real ones, for the
    SDK's retry backoff and for the handlers' own clock, as they do for callback delays."""
    import botocore.endpoint

    botocore.endpoint.time = SimpleNamespace(sleep=lambda seconds: time.sleep(seconds * time_scale))  # type: ignore[assignment]
    scaled = SimpleNamespace(time=lambda: origin + (time.time() - origin) / time_scale)
    for module in handler_modules:
        if hasattr(module, "time"):
            module.time = scaled


def crash_after_calls(count: int) -> None:
    """In the child: die like a killed process right after the `count`-th SageMaker call returns."""
    from botocore.client import BaseClient

    original = BaseClient._make_api_call
    made = [0]

    def counting(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        try:
            return original(self, operation, params)
        finally:
            made[0] += 1
            if made[0] >= count:
                os._exit(CRASH_EXIT_CODE)

    BaseClient._make_api_call = counting  # type: ignore[method-assign]


CRASH_EXIT_CODE = 137


@dataclass
class Isolation:
    """How a child invocation runs: environment, clock scale, and an optional crash."""

    environment: dict[str, str]
    time_scale: float = 1.0
    clock_origin: float = 0.0
    handler_modules: list[Any] = field(default_factory=list)
    crash_after: int | None = None


def invoke_isolated(
    entrypoint: Entrypoint, function_name: str, payload: dict[str, Any], isolation: Isolation
) -> tuple[bool, dict[str, Any]]:
    """Run one invocation in a forked child; (True, result) or (False, Lambda-style error)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status = 0
        try:
            if isolation.time_scale != 1.0:
                run_on_scaled_clock(isolation.time_scale, isolation.clock_origin, isolation.handler_modules)
            if isolation.crash_after:
                crash_after_calls(isolation.crash_after)
            os.environ.update(isolation.environment)
            body: Any = entrypoint(payload, lambda_context(function_name))
        except BaseException as error:
            body = {"errorMessage": str(error), "errorType": type(error).__name__, "stackTrace": traceback.format_exc()}
            status = 1
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            json.dump(body, pipe, default=str)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        output = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(wait_status) != 0 or not output:
        error = (
            json.loads(output)
            if output
            else {"errorMessage": "the function process died", "errorType": "Runtime.ExitError"}
        )
        return False, error
    result: dict[str, Any] = json.loads(output)
    return True, result


class LocalLambda(LoopbackServer):
    """Serve the Invoke API for the provider's functions on 127.0.0.1 (port 0 picks a free one)."""

    def __init__(
        self, port: int, sdk_endpoint_url: str | None, time_scale: float = 1.0, project_root: Path = PROJECT_ROOT
    ) -> None:
        self.entrypoints = load_entrypoints(project_root)
        # The module that defines the resource entrypoint holds the handlers' clock.
        self.handler_modules = [sys.modules[self.entrypoints["TypeFunction"].__module__]]
        self.sdk_endpoint_url = sdk_endpoint_url
        self.time_scale = time_scale
        self.clock_origin = time.time()
        self.invocations = 0
        super().__init__(port, self.application, threaded=False)

    def environment(self, payload: dict[str, Any]) -> dict[str, str]:
        region = str(payload.get("region") or os.environ.get("AWS_REGION") or "us-east-1")
        environment = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region}
        if self.sdk_endpoint_url:
            environment["AWS_ENDPOINT_URL"] = self.sdk_endpoint_url
        return environment

    def application(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        name = path[len(INVOKE_PREFIX) :].split("/", 1)[0] if path.startswith(INVOKE_PREFIX) else ""
        if environ["REQUEST_METHOD"] != "POST" or not path.endswith("/invocations") or name not in self.entrypoints:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            message = f"Function not found: {name or path}. Known: {', '.join(self.entrypoints)}"
            return [json.dumps({"Type": "User", "message": message}).encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
        self.invocations += 1
        isolation = Isolation(
            self.environment(payload),
            self.time_scale,
            self.clock_origin,
            self.handler_modules,
            int(environ[CRASH_HEADER]) if environ.get(CRASH_HEADER) else None,
        )
        ok, body = invoke_isolated(self.entrypoints[name], name, payload, isolation)
        headers = [("Content-Type", "application/json")]
        if not ok:
            headers.append(("X-Amz-Function-Error", "Unhandled"))
        start_response("200 OK", headers)
        return [json.dumps(body).encode()]


def http_invoke(
    url: str, function_name: str = "TypeFunction", crash_after: Callable[[], int | None] | None = None
) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """An `Invoke` for sandbox.driver that calls a running stand-in over the Lambda API.
    `crash_after`, asked before each invocation, can make that invocation's process die."""
    import urllib.request

    def invoke(payload: dict[str, Any]) -> dict[str, Any]:
        headers = {"Content-Type": "application/json"}
        crash = crash_after() if crash_after else None
        if crash:
            headers["X-Sandbox-Crash-After-Calls"] = str(crash)
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
