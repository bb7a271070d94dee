"""Short waits inside an invocation, through the provider's real Lambda entrypoint against the
emulator on a manual clock: the handler waits only while the Lambda context leaves time, never
past its 20-second budget, shortens callbacks by the overhead it measures, and stays safe to
repeat. (tests/test_polling.py table-tests the policy itself.)"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from aws_sagemaker_inferenceexperiment.driver import PACING_KEY
from aws_sagemaker_inferenceexperiment.polling import LOCAL_BUDGET, TIME_RESERVE
from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime import in_process
from sandbox.lambda_runtime.isolation import lambda_context
from sandbox.lambda_runtime.local_lambda import function_timeouts
from sandbox.server import MUTATING_OPERATIONS, EmulatorControl, ManualClock
from tests.helpers import experiment

NAME = "local-waits"


@pytest.fixture
def waits_on_clock(clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> ManualClock:
    """The handlers' waits advance the manual clock too."""
    monkeypatch.setattr(
        "aws_sagemaker_inferenceexperiment.driver.time", SimpleNamespace(time=clock, sleep=clock.advance)
    )
    return clock


class Timed:
    """An in-process invoke with a Lambda context on the manual clock, recording how long
    each invocation ran and what it returned."""

    def __init__(self, clock: ManualClock, timeout: float) -> None:
        self.clock = clock
        self.handler = in_process(lambda: lambda_context("TypeFunction", timeout, clock))
        self.durations: list[float] = []
        self.responses: list[dict[str, Any]] = []

    def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        began = self.clock()
        response = self.handler(payload)
        self.durations.append(self.clock() - began)
        self.responses.append(response)
        return response


def driver(invoke: Timed, clock: ManualClock, overhead: float = 0.0) -> CloudFormation:
    return CloudFormation(invoke, sleep=lambda delay: clock.advance(delay + overhead))


def mutations(emulator: EmulatorControl) -> list[str]:
    return [c.operation for c in emulator.call_log() if c.operation in MUTATING_OPERATIONS and c.result == "Success"]


def test_a_short_transition_finishes_in_the_invocation_that_started_it(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock
) -> None:
    invoke = Timed(waits_on_clock, timeout=180)
    cfn = driver(invoke, waits_on_clock)
    model = experiment(NAME)
    assert cfn.run("CREATE", model).succeeded
    emulator.set_durations(Updating=3)
    began = waits_on_clock()
    outcome = cfn.run("UPDATE", {**model, "Description": "changed"}, previous=model)
    assert outcome.succeeded, outcome.message
    assert outcome.invocations == 1
    assert 3 <= waits_on_clock() - began <= 5, "noticed within 5 s of settling"


def test_a_long_transition_goes_back_to_cloudformation_after_the_budget(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock
) -> None:
    emulator.set_durations(Creating=60, Starting=300)
    invoke = Timed(waits_on_clock, timeout=180)
    outcome = driver(invoke, waits_on_clock, overhead=2.0).run("CREATE", experiment(NAME))
    assert outcome.succeeded, outcome.message
    assert max(invoke.durations) <= LOCAL_BUDGET + 0.5
    assert sum(1 for d in invoke.durations if d >= LOCAL_BUDGET - 1) >= 10, "the waits do happen here"
    assert outcome.invocations <= 14, "every look a callback would take over 30 invocations"
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_callbacks_are_shortened_by_the_overhead_the_operation_measured(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock
) -> None:
    emulator.set_durations(Creating=60, Starting=300)
    invoke = Timed(waits_on_clock, timeout=180)
    assert driver(invoke, waits_on_clock, overhead=4.0).run("CREATE", experiment(NAME)).succeeded
    records = [r["callbackContext"][PACING_KEY] for r in invoke.responses if r["status"] == "IN_PROGRESS"]
    assert records[0]["overhead"] is None, "nothing measured before the first re-invocation"
    assert all(r["overhead"] == pytest.approx(4.0) for r in records[1:])
    assert all(r["delay"] >= 1 for r in records[2:])


def test_with_little_lambda_time_left_it_never_waits_here(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock
) -> None:
    emulator.set_durations(Creating=30)
    invoke = Timed(waits_on_clock, timeout=TIME_RESERVE)
    outcome = driver(invoke, waits_on_clock).run("CREATE", experiment(NAME))
    assert outcome.succeeded, outcome.message
    assert max(invoke.durations) == 0
    assert outcome.invocations > 5


def test_a_repeated_invocation_after_local_waits_repeats_no_mutating_call(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock
) -> None:
    emulator.set_durations(Creating=60, Starting=60)
    invoke = Timed(waits_on_clock, timeout=180)
    cfn = driver(invoke, waits_on_clock)
    payload = cfn.payload("CREATE", experiment(NAME))
    first = invoke(payload)  # reserves the name
    payload["callbackContext"] = first["callbackContext"]
    second = invoke(payload)  # creates, then waits here for 20 s
    assert second["status"] == "IN_PROGRESS"
    again = invoke(payload)  # CloudFormation repeats the same request
    assert again["status"] == "IN_PROGRESS"
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_the_lambda_context_counts_down_from_the_function_timeout(clock: ManualClock) -> None:
    context = lambda_context("TypeFunction", 30, clock)
    clock.advance(12.5)
    assert context.get_remaining_time_in_millis() == 17_500
    clock.advance(60)
    assert context.get_remaining_time_in_millis() == 0


def test_the_stand_in_takes_each_functions_timeout_from_the_sam_template(tmp_path: Any) -> None:
    (tmp_path / "template.yml").write_text(
        "Globals:\n  Function:\n    Timeout: 45\nResources:\n"
        "  TypeFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Timeout: 60\n"
        "  TestEntrypoint:\n    Type: AWS::Serverless::Function\n    Properties: {}\n"
        "  Other:\n    Type: AWS::S3::Bucket\n"
    )
    assert function_timeouts(tmp_path) == {"TypeFunction": 60.0, "TestEntrypoint": 45.0}
    (tmp_path / "template.yml").write_text(
        "Resources:\n  TypeFunction:\n    Type: AWS::Serverless::Function\n    Properties: {}\n"
    )
    assert function_timeouts(tmp_path) == {"TypeFunction": 3.0}, "Lambda's default"


@pytest.mark.parametrize(
    "pacing",
    [
        {"returnedAt": "soon", "delay": 1, "overhead": None},
        {"returnedAt": 0, "delay": 1, "overhead": "nan"},
        {"delay": 1},
        "not a record",
    ],
)
def test_a_garbled_pacing_record_measures_nothing(
    sagemaker: Any, emulator: EmulatorControl, waits_on_clock: ManualClock, pacing: Any
) -> None:
    invoke = Timed(waits_on_clock, timeout=180)
    payload = driver(invoke, waits_on_clock).payload("CREATE", experiment(NAME))
    payload["callbackContext"] = {PACING_KEY: pacing}
    response = invoke(payload)
    assert response["status"] == "IN_PROGRESS", response
    assert response["callbackContext"][PACING_KEY]["overhead"] is None
