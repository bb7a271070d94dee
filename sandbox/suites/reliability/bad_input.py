"""3. Invalid input generated from the schema: every model is rejected as InvalidRequest
naming the property, before any mutating call."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings

from sandbox.cloudformation.harness import Harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.server import MUTATING_OPERATIONS
from sandbox.suites.invalid_models import invalid_models

from .common import Findings


def bad_input(run: Harness, findings: Findings, examples: int) -> None:
    run.configure(faults={"seed": 0})
    ensure_endpoint(run.sagemaker, "bad-input-endpoint", "model-a")
    ensure_model(run.sagemaker, "model-b")
    tried: Counter[str] = Counter()
    rejected = 0
    first = len(run.operations)

    @settings(
        max_examples=examples, database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(invalid_models())
    def attempt(case: tuple[dict[str, Any], str]) -> None:
        nonlocal rejected
        desired, path = case
        tried[path.split("[", 1)[0].split(".", 1)[0]] += 1
        outcome = run.run("CREATE", desired)
        if outcome.error_code == "InvalidRequest" and path in outcome.message:
            rejected += 1
        else:
            findings.fail(
                f"invalid input at {path} ended {outcome.status}/{outcome.error_code}: {outcome.message[:200]}"
            )

    attempt()
    mutating = [c for op in run.operations[first:] for c in op.calls if c.operation in MUTATING_OPERATIONS]
    if mutating:
        findings.fail(f"invalid input: {len(mutating)} mutating calls were made")
    findings.figures["invalid input"] = {
        "models tried": sum(tried.values()),
        "rejected as InvalidRequest naming the property": rejected,
        "mutating calls": len(mutating),
        "by top-level property": dict(sorted(tried.items())),
    }
