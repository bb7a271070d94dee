"""1. Stabilization: a create -> update -> stop -> delete lifecycle at each duration scale,
under each pacing, with the handler's real entrypoint in-process against the in-process
emulator on a manual clock. Waits advance the clock instead of passing, and each
invocation advances it by the latency measured for real through the Lambda stand-in, so a
sweep of hours of emulated time costs seconds and both pacings run under one set of
conditions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.endpoint

from aws_sagemaker_inferenceexperiment import driver as handler_driver
from aws_sagemaker_inferenceexperiment.polling import poll_delay
from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.harness import REALISTIC_DURATIONS
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.common import patched
from sandbox.lambda_runtime import in_process
from sandbox.server import EmulatorControl, ManualClock, emulated_aws
from sandbox.suites.seed import shadow_test_request

from .latency import Latency
from .pacing import SCALES, Ours, Pacing, Published

TRANSITIONS = {
    "create": ("CreateInferenceExperiment", ("Creating", "Starting")),
    "update": ("UpdateInferenceExperiment", ("Updating",)),
    "stop": ("StopInferenceExperiment", ("Stopping",)),
    "delete": ("DeleteInferenceExperiment", ("Deleting",)),
}


@dataclass(frozen=True)
class Measured:
    settle: float
    overshoot: float
    invocations: int
    describes: int


Sweep = dict[float, dict[str, dict[str, Measured]]]


@dataclass
class Run:
    """One pacing on the shared manual clock, with the measured latencies."""

    control: EmulatorControl
    clock: ManualClock
    pacing: Pacing
    latency: Latency

    def __post_init__(self) -> None:
        self.handler = in_process()

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        response = self.handler(payload)
        self.clock.advance(self.latency.invocation if self.pacing.fresh else self.latency.describe)
        return response

    def sleep(self, seconds: float) -> None:
        self.clock.advance(self.pacing.wait(int(seconds)))


@contextmanager
def manual_time() -> Iterator[tuple[EmulatorControl, ManualClock]]:
    """The in-process emulator, the handlers' clock and the SDK's backoff on one manual clock."""
    clock = ManualClock()
    with ExitStack() as stack:
        control = stack.enter_context(emulated_aws())
        control.clock = clock
        stack.enter_context(patched(botocore.endpoint, "time", SimpleNamespace(sleep=clock.advance)))
        stack.enter_context(patched(handler_driver, "time", SimpleNamespace(time=clock)))
        yield control, clock


def measure(run: Run, label: str, action: str, desired: dict[str, Any], **kwargs: Any) -> Measured:
    seen = len(run.control.call_log())
    run.pacing.start()
    outcome = CloudFormation(run.invoke, sleep=run.sleep).run(action, desired, **kwargs)
    finished = run.clock()
    if not outcome.succeeded:
        raise RuntimeError(f"{label} under {run.pacing.name}: {outcome.status} {outcome.message}")
    calls = run.control.call_log()[seen:]
    operation, statuses = TRANSITIONS[label]
    called = next(c.time for c in calls if c.operation == operation and c.result == "Success")
    settle = sum(run.control.durations[status] for status in statuses)
    return Measured(
        settle=settle,
        overshoot=round(finished - called - settle, 1),
        invocations=run.pacing.invocations,
        describes=sum(1 for c in calls if c.operation == "DescribeInferenceExperiment"),
    )


def lifecycle(run: Run, name: str) -> dict[str, Measured]:
    created = {**shadow_test_request(name, endpoint_name="bench-endpoint"), "DesiredState": "Running"}
    updated = {**created, "Description": "benchmark update"}
    stopped = {**updated, "DesiredState": "Completed", "ModelVariants": updated["ModelVariants"][:1]}
    return {
        "create": measure(run, "create", "CREATE", created),
        "update": measure(run, "update", "UPDATE", updated, previous=created),
        "stop": measure(run, "stop", "UPDATE", stopped, previous=updated),
        "delete": measure(run, "delete", "DELETE", stopped),
    }


@dataclass(frozen=True)
class Candidate:
    """Another set of `poll_delay` parameters, measured to show what the targets trade."""

    name: str
    early_looks: tuple[int, ...]
    steady_interval: int
    growth: float

    def delay(self, waited: float) -> int:
        return poll_delay(waited, self.early_looks, self.steady_interval, self.growth)


CANDIDATES = (
    Candidate("fewest looks within the overshoot targets: 4, 8 s, then max(9 s, 9%)", (4, 8), 9, 0.09),
    Candidate("sparse enough for the Describe target: 4, 8 s, then max(14 s, 14%)", (4, 8), 14, 0.14),
)


def sweep(latency: Latency, pacings: Callable[[], tuple[Pacing, ...]] = lambda: (Ours(), Published())) -> Sweep:
    """scale -> pacing -> operation -> what was measured."""
    results: Sweep = {}
    with manual_time() as (control, clock):
        sagemaker = boto3.client("sagemaker")
        ensure_endpoint(sagemaker, "bench-endpoint", "model-a")
        ensure_model(sagemaker, "model-b")
        for scale in SCALES:
            control.set_durations(**{status: seconds * scale for status, seconds in REALISTIC_DURATIONS.items()})
            results[scale] = {}
            for pacing in pacings():
                run = Run(control, clock, pacing, latency)
                results[scale][pacing.name] = lifecycle(run, f"bench-x{scale:g}-{pacing.name}".replace(".", "-"))
    return results


def alternatives(latency: Latency) -> dict[str, Sweep]:
    """The sweep under Ours with each candidate's parameters in place of the policy's."""
    measured = {}
    for candidate in CANDIDATES:
        with patched(handler_driver, "poll_delay", candidate.delay):
            measured[candidate.name] = sweep(latency, lambda: (Ours(),))
    return measured
