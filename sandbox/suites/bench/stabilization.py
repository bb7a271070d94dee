"""1. Stabilization: a create -> update -> stop -> delete lifecycle at each re-invocation
overhead and duration scale, under each pacing, with the handler's real entrypoint in-process
against the in-process emulator on a manual clock. Waits advance the clock instead of passing:
a callback by its delay plus the overhead, an invocation by the per-invocation cost, a look
inside an invocation by its wait plus one Describe's latency. A sweep of hours of emulated time
costs seconds and every pacing runs under one set of conditions."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.endpoint

from aws_sagemaker_inferenceexperiment import driver as handler_driver
from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.harness import REALISTIC_DURATIONS
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.common import patched
from sandbox.lambda_runtime import in_process
from sandbox.lambda_runtime.isolation import lambda_context
from sandbox.lambda_runtime.local_lambda import function_timeouts
from sandbox.server import EmulatorControl, ManualClock, emulated_aws
from sandbox.suites.seed import shadow_test_request

from .pacing import OVERHEADS, SCALES, Ours, Pacing, Published

TRANSITIONS = {
    "create": ("CreateInferenceExperiment", ("Creating", "Starting")),
    "update": ("UpdateInferenceExperiment", ("Updating",)),
    "stop": ("StopInferenceExperiment", ("Stopping",)),
    "delete": ("DeleteInferenceExperiment", ("Deleting",)),
}


@dataclass(frozen=True)
class Costs:
    """Seconds the manual clock moves for one warm Lambda invocation and for one Describe."""

    invocation: float
    describe: float


@dataclass(frozen=True)
class Measured:
    settle: float
    overshoot: float
    invocations: int
    describes: int
    longest: float = 0.0  # the longest Lambda invocation, seconds


Sweep = dict[float, dict[str, dict[str, Measured]]]  # scale -> pacing -> operation
OverheadSweep = dict[float, Sweep]  # overhead -> sweep


@dataclass
class Run:
    """One pacing on the shared manual clock, with the measured costs."""

    control: EmulatorControl
    clock: ManualClock
    pacing: Pacing
    costs: Costs

    def __post_init__(self) -> None:
        timeout = function_timeouts()["TypeFunction"]
        context = (lambda: lambda_context("TypeFunction", timeout, self.clock)) if self.pacing.lambda_context else None
        self.handler = in_process(context)
        self.began = self.ended = self.longest = 0.0

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        if self.pacing.fresh:
            self.began = self.clock()
        response = self.handler(payload)
        self.clock.advance(self.costs.invocation if self.pacing.fresh else self.costs.describe)
        self.ended = self.clock()
        self.longest = max(self.longest, self.ended - self.began)
        return response

    def sleep(self, seconds: float) -> None:
        self.clock.advance(self.pacing.wait(int(seconds)))


@contextmanager
def manual_time(describe: float) -> Iterator[tuple[EmulatorControl, ManualClock]]:
    """The in-process emulator, the handlers' clock and waits, and the SDK's backoff on one
    manual clock; a handler's look after a wait inside its invocation costs `describe`."""
    clock = ManualClock()
    with ExitStack() as stack:
        control = stack.enter_context(emulated_aws())
        control.clock = clock
        stack.enter_context(patched(botocore.endpoint, "time", SimpleNamespace(sleep=clock.advance)))
        handler_time = SimpleNamespace(time=clock, sleep=lambda seconds: clock.advance(seconds + describe))
        stack.enter_context(patched(handler_driver, "time", handler_time))
        yield control, clock


def measure(run: Run, label: str, action: str, desired: dict[str, Any], **kwargs: Any) -> Measured:
    seen = len(run.control.call_log())
    run.pacing.start()
    run.longest = 0.0
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
        longest=round(run.longest, 1),
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


PacingFactory = Callable[[float], tuple[Pacing, ...]]


def sweep(costs: Costs, overhead: float, pacings: PacingFactory = lambda c: (Ours(c), Published(c))) -> Sweep:
    """scale -> pacing -> operation -> what was measured, at one re-invocation overhead."""
    results: Sweep = {}
    with manual_time(costs.describe) as (control, clock):
        sagemaker = boto3.client("sagemaker")
        ensure_endpoint(sagemaker, "bench-endpoint", "model-a")
        ensure_model(sagemaker, "model-b")
        for scale in SCALES:
            control.set_durations(**{status: seconds * scale for status, seconds in REALISTIC_DURATIONS.items()})
            results[scale] = {}
            for pacing in pacings(overhead):
                run = Run(control, clock, pacing, costs)
                name = f"bench-x{scale:g}-{pacing.name}".replace(".", "-")
                with patched(handler_driver, "next_wait", pacing.policy) if pacing.policy else nullcontext():
                    results[scale][pacing.name] = lifecycle(run, name)
    return results


def overhead_sweep(costs: Costs, progress: Callable[[str], None] = print) -> OverheadSweep:
    results = {}
    for overhead in OVERHEADS:
        results[overhead] = sweep(costs, overhead)
        progress(f"bench: stabilization at {overhead:g} s re-invocation overhead done")
    return results
