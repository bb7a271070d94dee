"""1. Fault soak: whole lifecycles under 20% throttling and 5% 5xx on every operation."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from sandbox.cloudformation.harness import Harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model

from .common import (
    DURATIONS,
    FUTURE,
    RETRYABLE,
    Findings,
    Steps,
    cleanup,
    endpoint_shadows,
    experiment_names,
    model,
    without_shadow,
)

ENDPOINT = "soak-endpoint"


def lifecycle_steps(index: int, name: str, endpoint: str) -> Steps:
    """One of five lifecycle shapes, so every handler meets every call its schema lists."""
    tags = [{"Key": "owner", "Value": "soak"}, {"Key": "round", "Value": str(index)}]
    shape = index % 5
    if shape == 3:
        created = model(name, endpoint, DesiredState="Completed", Tags=tags)
        return [
            ("CREATE", created, None),
            ("READ", {"Name": name}, None),
            ("UPDATE", {**created, "Tags": tags[:1]}, created),
            ("DELETE", created, None),
        ]
    if shape == 2:
        created = model(name, endpoint, Schedule=FUTURE, Tags=tags)
        started = {**created, "DesiredState": "Running", "Description": "started by update"}
    elif shape == 1:
        created = started = model(name, endpoint, Schedule=FUTURE, DesiredState="Running", Tags=tags)
    else:
        created = started = model(name, endpoint, DesiredState="Running", Tags=tags)
    retagged = {**started, "Description": f"round {index}", "Tags": [{"Key": "owner", "Value": "soak-2"}]}
    if shape == 4:
        return [("CREATE", created, None), ("UPDATE", retagged, created), ("DELETE", retagged, None)]
    stopped = without_shadow({**retagged, "DesiredState": "Completed", "StatusReason": "soak finished"})
    steps: Steps = [("CREATE", created, None), ("READ", {"Name": name}, None)]
    if started is not created:
        steps.append(("UPDATE", started, created))
    return [
        *steps,
        ("UPDATE", retagged, started),
        ("UPDATE", stopped, retagged),
        ("LIST", {}, None),
        ("DELETE", stopped, None),
    ]


def lifecycle(run: Harness, findings: Findings, index: int, outcomes: Counter[str]) -> str:
    """Run one lifecycle and clean up after it; SUCCESS or the error code that ended it."""
    name = f"soak-{index:04d}"
    result = "SUCCESS"
    last: dict[str, Any] = {"Name": name}
    for action, desired, previous in lifecycle_steps(index, name, ENDPOINT):
        outcome = run.run(action, desired, previous=previous)
        outcomes[f"{action} {outcome.status}{'/' + outcome.error_code if outcome.error_code else ''}"] += 1
        if action not in ("READ", "LIST"):
            last = desired
        if not outcome.succeeded:
            result = outcome.error_code or "FAILED"
            if result not in RETRYABLE:
                findings.fail(f"soak {name}: {action} ended {result}: {outcome.message}")
            if action != "DELETE":
                cleanup(run, last)
            break
    if cleanup(run, last) != "deleted" or name in experiment_names(run):
        findings.fail(f"soak {name}: the experiment is still there after delete")
    shadows = endpoint_shadows(run, ENDPOINT)
    if shadows:
        findings.fail(f"soak {name}: shadow variants {shadows} left on {ENDPOINT}")
    return result


def soak(run: Harness, findings: Findings, lifecycles: int) -> None:
    ensure_endpoint(run.sagemaker, ENDPOINT, "model-a")
    ensure_model(run.sagemaker, "model-b")
    run.configure(durations=DURATIONS, faults={"seed": 20261122, "throttle_rate": 0.20, "server_error_rate": 0.05})
    outcomes: Counter[str] = Counter()
    started = time.monotonic()
    first = len(run.operations)
    results = Counter(lifecycle(run, findings, index, outcomes) for index in range(lifecycles))
    run.configure(faults={"seed": 0})
    findings.figures["soak"] = {
        "lifecycles": lifecycles,
        "lifecycle outcomes": dict(results),
        "operations": sum(outcomes.values()),
        "operation outcomes": dict(sorted(outcomes.items())),
        **call_figures(run, findings, first),
        "seconds": round(time.monotonic() - started, 1),
    }


def call_figures(run: Harness, findings: Findings, first: int) -> dict[str, Any]:
    """What the SageMaker calls of the soak show: faults injected, nothing created twice."""
    calls = [call for op in run.operations[first:] for call in op.calls]
    creates = Counter(c.name for c in calls if c.operation == "CreateInferenceExperiment" and c.result == "Success")
    duplicated = sorted(str(name) for name, count in creates.items() if count > 1)
    if duplicated:
        findings.fail(f"soak: experiments created twice: {duplicated}")
    injected = Counter(c.result for c in calls if c.result in ("ThrottlingException", "InternalFailure"))
    internal = sum(1 for op in run.operations[first:] if op.outcome.error_code == "InternalFailure")
    if internal:
        findings.fail(f"soak: {internal} operations ended in InternalFailure")
    return {
        "SageMaker calls": len(calls),
        "faults injected": dict(injected),
        "fault rate": f"{sum(injected.values()) / max(len(calls), 1):.1%}",
        "experiments created twice": len(duplicated),
        "InternalFailure": internal,
    }
