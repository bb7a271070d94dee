"""One invocation in a forked child, as SAM runs each in a fresh container: no module state
survives it, its environment is its own, and it may run on a scaled clock or be made to
crash after a number of SageMaker calls."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

Entrypoint = Callable[[dict[str, Any], Any], Any]
CRASH_EXIT_CODE = 137
DEFAULT_TIMEOUT_SECONDS = 3.0  # Lambda's default function timeout, when a template names none


@dataclass
class Isolation:
    """How a child invocation runs: environment, clock scale, and an optional crash."""

    environment: dict[str, str]
    time_scale: float = 1.0
    clock_origin: float = 0.0
    handler_modules: list[Any] = field(default_factory=list)
    crash_after: int | None = None
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS


def lambda_context(
    function_name: str, timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS, clock: Callable[[], float] = time.monotonic
) -> SimpleNamespace:
    """The context Lambda passes a handler: its remaining time counts down from the function's
    timeout on `clock` (real time; the benchmark passes its manual clock), as Lambda's does."""
    deadline = clock() + timeout_seconds
    return SimpleNamespace(
        function_name=function_name,
        aws_request_id="local",
        invoked_function_arn=f"arn:aws:lambda:us-east-1:123456789012:function:{function_name}",
        get_remaining_time_in_millis=lambda: max(0, int(1000 * (deadline - clock()))),
    )


def package_modules(entrypoint: Any) -> list[Any]:
    """Every loaded module of the package that defines `entrypoint`: where the handlers keep
    their clock (a scaled clock must reach each of them)."""
    package = entrypoint.__module__.split(".", 1)[0]
    return [module for name, module in sorted(sys.modules.items()) if name.split(".", 1)[0] == package]


def run_on_scaled_clock(time_scale: float, origin: float, handler_modules: list[Any]) -> None:
    """In the child: emulated seconds pass `1 / time_scale` times faster than real ones, for the
    SDK's retry backoff and for the handlers' own clock and waits, as they do for callback delays.
    The Lambda context's remaining time stays real, as the function's timeout is."""
    import botocore.endpoint

    def sleep(seconds: float) -> None:
        time.sleep(seconds * time_scale)

    endpoint_module: Any = botocore.endpoint
    endpoint_module.time = SimpleNamespace(sleep=sleep)
    scaled = SimpleNamespace(time=lambda: origin + (time.time() - origin) / time_scale, sleep=sleep)
    for module in handler_modules:
        if hasattr(module, "time"):
            module.time = scaled


def crash_after_calls(count: int) -> None:
    """In the child: die like a killed process right after the `count`-th SageMaker call returns."""
    from botocore.client import BaseClient

    client_class: Any = BaseClient
    original = client_class._make_api_call
    made = [0]

    def counting(self: BaseClient, operation: str, params: dict[str, Any]) -> Any:
        try:
            return original(self, operation, params)
        finally:
            made[0] += 1
            if made[0] >= count:
                os._exit(CRASH_EXIT_CODE)

    client_class._make_api_call = counting


def run_child(
    entrypoint: Entrypoint, function_name: str, payload: dict[str, Any], isolation: Isolation
) -> tuple[int, Any]:
    """In the child: the invocation's exit status and its response (or Lambda-style error).
    The root logger is at WARNING, where AWS's runtime interface client leaves it: the stand-in
    must not pass log lines that Lambda would drop."""
    logging.getLogger().setLevel(logging.WARNING)
    try:
        if isolation.time_scale != 1.0:
            run_on_scaled_clock(isolation.time_scale, isolation.clock_origin, isolation.handler_modules)
        if isolation.crash_after:
            crash_after_calls(isolation.crash_after)
        os.environ.update(isolation.environment)
        return 0, entrypoint(payload, lambda_context(function_name, isolation.timeout_seconds))
    except BaseException as error:
        return 1, {"errorMessage": str(error), "errorType": type(error).__name__, "stackTrace": traceback.format_exc()}


def invoke_isolated(
    entrypoint: Entrypoint, function_name: str, payload: dict[str, Any], isolation: Isolation
) -> tuple[bool, dict[str, Any]]:
    """Run one invocation in a forked child; (True, result) or (False, Lambda-style error)."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        status, body = run_child(entrypoint, function_name, payload, isolation)
        with os.fdopen(write_end, "w", encoding="utf-8") as pipe:
            json.dump(body, pipe, default=str)
        os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, encoding="utf-8") as pipe:
        output = pipe.read()
    _, wait_status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(wait_status) != 0 or not output:
        died = {"errorMessage": "the function process died", "errorType": "Runtime.ExitError"}
        failure: dict[str, Any] = json.loads(output) if output else died
        return False, failure
    result: dict[str, Any] = json.loads(output)
    return True, result
