"""The handler loop as CloudFormation runs it (sandbox.lambda_runtime.callbacks): the schema's
handler timeout on the loop's own clock, and a handler that returns nothing re-invoked with a
bounded backoff rather than at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime.callbacks import LOST_RETRIES
from sandbox.lambda_runtime.invoke import FunctionError
from sandbox.server import EmulatorControl, ManualClock
from tests.helpers import experiment


@pytest.mark.parametrize("time_scale", [1.0, 0.25])
def test_a_create_that_never_stabilizes_fails_at_the_schemas_timeout(
    cfn: CloudFormation, emulator: EmulatorControl, clock: ManualClock, time_scale: float
) -> None:
    """Resource schema "handlers" (CloudFormation CLI User Guide, "Resource type schema"):
    CloudFormation stops waiting after the handler's timeoutInMinutes (180 for create here),
    not after a number of invocations; a scaled clock scales the limit as it scales delays."""
    emulator.settings.set_durations(Creating=10 * 3600)
    loop = replace(cfn, clock=clock, time_scale=time_scale)
    start = clock.now
    outcome = loop.run("CREATE", experiment("slow"))
    assert (outcome.status, outcome.error_code) == ("FAILED", "NotStabilized")
    assert "timeoutInMinutes (180 minutes)" in outcome.message
    limit = 180 * 60 * time_scale
    assert limit <= clock.now - start <= limit + 120 * time_scale + 60


def crashed(_payload: dict[str, Any]) -> dict[str, Any]:
    raise FunctionError("Runtime.ExitError: the runtime process exited")


def test_a_handler_that_returns_nothing_is_retried_with_backoff_then_failed() -> None:
    """CloudFormation publishes no retry policy for a handler invocation that returns nothing;
    the choice (docs/deployment.md): three re-invocations after 1, 2 and 4 seconds (scaled)."""
    slept: list[float] = []
    loop = CloudFormation(crashed, sleep=slept.append, time_scale=0.5)
    outcome = loop.run("CREATE", experiment("lost"))
    assert (outcome.status, outcome.error_code) == ("FAILED", "InternalFailure")
    assert outcome.invocations == LOST_RETRIES + 1 == 4
    assert slept == [0.5, 1.0, 2.0]
    assert "returned no response 4 times in a row" in outcome.message
    assert "Runtime.ExitError" in outcome.message


def test_a_lost_invocation_then_an_answer_goes_on() -> None:
    answers: list[Any] = [FunctionError("Task timed out after 60 seconds"), {"status": "SUCCESS", "resourceModel": {}}]

    def flaky(_payload: dict[str, Any]) -> dict[str, Any]:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return dict(answer)

    outcome = CloudFormation(flaky, sleep=lambda _seconds: None).run("DELETE", {"Name": "x"})
    assert outcome.succeeded
    assert [e["status"] for e in outcome.events] == ["LOST", "SUCCESS"]
