"""The Runtime API stand-in against AWS's real runtime interface client (awslambdaric in the
runtime virtualenv `make` builds): events in, responses and errors out, the context Lambda's
headers give, a warm process across invocations, and the ways a function fails."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.lambda_runtime import FunctionError
from sandbox.lambda_runtime.shipped_function import ShippedFunction
from sandbox.suites.bench.shipped import runtime_python

FUNCTION = """
import os
import time
INVOCATIONS = []

def handler(event, context):
    INVOCATIONS.append(context.aws_request_id)
    if event.get("raise"):
        raise ValueError(event["raise"])
    if event.get("exit"):
        os._exit(3)
    if event.get("sleep"):
        time.sleep(event["sleep"])
    return {
        "event": event,
        "invocations": len(INVOCATIONS),
        "request_ids": len(set(INVOCATIONS)),
        "arn": context.invoked_function_arn,
        "time_left": context.get_remaining_time_in_millis() > 0,
        "bytecode_written": os.environ.get("PYTHONDONTWRITEBYTECODE"),
    }
"""


def package(tmp_path: Path, source: str) -> Path:
    """A package shaped like `cfn submit`'s: schema.json, .rpdk-config, ResourceProvider.zip."""
    inner = tmp_path / "inner.zip"
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("probe/__init__.py", "")
        archive.writestr("probe/function.py", source)
    outer = tmp_path / "probe.zip"
    with zipfile.ZipFile(outer, "w") as archive:
        archive.writestr("schema.json", json.dumps({"typeName": "Probe::Runtime::Function"}))
        config = {"entrypoint": "probe.function.handler", "runtime": "python3.12"}
        archive.writestr(".rpdk-config", json.dumps(config))
        archive.write(inner, "ResourceProvider.zip")
    return outer


@pytest.fixture(scope="module")
def python() -> Path:
    return runtime_python()


@pytest.fixture
def function(tmp_path: Path, python: Path) -> Iterator[ShippedFunction]:
    with ShippedFunction(package(tmp_path, FUNCTION), python, timeout_seconds=20) as started:
        yield started


def test_events_reach_the_handler_and_its_answers_come_back_warm(function: ShippedFunction) -> None:
    first = function.invoke({"n": 1})
    second = function.invoke({"n": 2})
    assert first["event"] == {"n": 1}
    assert second["event"] == {"n": 2}
    assert (second["invocations"], second["request_ids"]) == (2, 2)
    assert second["arn"] == function.api.function_arn
    assert second["time_left"] is True
    assert second["bytecode_written"] == "1"


def test_a_raised_exception_is_a_function_error(function: ShippedFunction) -> None:
    with pytest.raises(FunctionError, match="ValueError: bad input"):
        function.invoke({"raise": "bad input"})
    assert function.invoke({"n": 3})["invocations"] == 2


def test_a_process_that_dies_fails_its_invocation_and_the_next_gets_a_new_environment(
    function: ShippedFunction,
) -> None:
    function.invoke({"n": 1})
    with pytest.raises(FunctionError, match=r"Runtime\.ExitError"):
        function.invoke({"exit": True})
    assert function.invoke({"n": 2})["invocations"] == 1


def test_a_hung_invocation_times_out_and_the_next_gets_a_new_environment(tmp_path: Path, python: Path) -> None:
    with ShippedFunction(package(tmp_path, FUNCTION), python, timeout_seconds=2) as function:
        function.invoke({"n": 1})
        with pytest.raises(FunctionError, match="timed out"):
            function.invoke({"sleep": 30})
        assert function.invoke({"n": 2})["invocations"] == 1


def test_a_function_that_always_crashes_fails_fast_after_a_few_new_environments(function: ShippedFunction) -> None:
    for _ in range(6):
        with pytest.raises(FunctionError):
            function.invoke({"exit": True})
    assert not function.alive()
    assert function.relaunches == 3


def test_a_module_that_cannot_import_fails_every_invocation(tmp_path: Path, python: Path) -> None:
    broken = package(tmp_path, "import not_a_module_anywhere\n")
    with (
        ShippedFunction(broken, python, timeout_seconds=20) as function,
        pytest.raises(FunctionError, match="ImportModuleError"),
    ):
        function.invoke({})
