"""1. Stabilization: a create -> update -> stop -> delete lifecycle at realistic durations
(scaled down by one factor), under each pacing policy; medians per operation."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass
from typing import Any

from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.harness import REALISTIC_DURATIONS, Harness, harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.suites.seed import shadow_test_request

from .pacing import OPERATIONS, TIME_SCALE, Ours, Pacing, Previous, Published
from .tables import stabilization_table


@dataclass
class Measured:
    operation: str
    settle: float
    overshoot: float
    invocations: int
    describes: int

    @property
    def share(self) -> float:
        return self.overshoot / self.settle if self.settle else 0.0


TRANSITIONS = {
    "create": ("CreateInferenceExperiment", ("Creating", "Starting")),
    "update": ("UpdateInferenceExperiment", ("Updating",)),
    "stop": ("StopInferenceExperiment", ("Stopping",)),
    "delete": ("DeleteInferenceExperiment", ("Deleting",)),
}


def drive(
    run: Harness,
    pacing: Pacing,
    durations: dict[str, float],
    label: str,
    action: str,
    desired: dict[str, Any],
    **kwargs: Any,
) -> Measured:
    driver: CloudFormation = run.driver()
    driver.time_scale = 1.0
    driver.sleep = lambda seconds: time.sleep(pacing.wait(int(seconds)) * TIME_SCALE)
    pacing.start()
    run.new_calls()
    outcome = driver.run(action, desired, **kwargs)
    finished = time.time()
    calls = run.new_calls()
    if not outcome.succeeded:
        raise RuntimeError(f"{label} under {pacing.name}: {outcome.status} {outcome.message}")
    operation, statuses = TRANSITIONS[label]
    called = next(c.time for c in calls if c.operation == operation and c.result == "Success")
    settle = sum(durations[status] for status in statuses)
    return Measured(
        label,
        settle=settle,
        overshoot=max(0.0, (finished - called) / TIME_SCALE - settle),
        invocations=pacing.invocations,
        describes=sum(1 for c in calls if c.operation == "DescribeInferenceExperiment"),
    )


def lifecycle(run: Harness, pacing: Pacing, durations: dict[str, float], name: str) -> list[Measured]:
    created = {**shadow_test_request(name, endpoint_name="bench-endpoint"), "DesiredState": "Running"}
    updated = {**created, "Description": "benchmark update"}
    stopped = {**updated, "DesiredState": "Completed", "ModelVariants": updated["ModelVariants"][:1]}
    return [
        drive(run, pacing, durations, "create", "CREATE", created),
        drive(run, pacing, durations, "update", "UPDATE", updated, previous=created),
        drive(run, pacing, durations, "stop", "UPDATE", stopped, previous=updated),
        drive(run, pacing, durations, "delete", "DELETE", stopped),
    ]


def stabilization(runs: int) -> dict[str, Any]:
    results: dict[str, Any] = {"runs": runs, "time scale": TIME_SCALE, "durations": REALISTIC_DURATIONS}
    with harness(time_scale=TIME_SCALE) as run:
        ensure_endpoint(run.sagemaker, "bench-endpoint", "model-a")
        ensure_model(run.sagemaker, "model-b")
        for factor in (1.0, 0.5, 2.0):
            durations = {k: v * factor for k, v in REALISTIC_DURATIONS.items()}
            run.configure(durations={k: v * TIME_SCALE for k, v in durations.items()}, faults={"seed": 0})
            repeats = runs if factor == 1.0 else 1
            by_policy: dict[str, list[list[Measured]]] = {}
            for pacing in (Ours(), Published(), Previous()):
                if factor != 1.0 and isinstance(pacing, Previous):
                    continue
                by_policy[pacing.name] = [
                    lifecycle(run, pacing, durations, f"bench-x{round(factor * 10)}-{pacing.name[:4]}-{i}")
                    for i in range(repeats)
                ]
                print(f"bench: stabilization x{factor:g} {pacing.name} done", flush=True)
            results[f"x{factor:g}"] = {name: medians(runs_) for name, runs_ in by_policy.items()}
            print("\n".join(stabilization_table(results[f"x{factor:g}"], with_previous=factor == 1.0)), flush=True)
    return results


def medians(runs: list[list[Measured]]) -> dict[str, dict[str, float]]:
    table = {}
    for index, operation in enumerate(OPERATIONS):
        samples = [run[index] for run in runs]
        table[operation] = {
            "settle s": samples[0].settle,
            "overshoot s": round(statistics.median(m.overshoot for m in samples), 1),
            "overshoot %": round(100 * statistics.median(m.share for m in samples), 1),
            "invocations": statistics.median(m.invocations for m in samples),
            "Describe calls": statistics.median(m.describes for m in samples),
        }
    return table
