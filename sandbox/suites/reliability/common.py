"""What every reliability check shares: sizes, findings, models and emulator look-ups."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sandbox.cloudformation.harness import Harness
from sandbox.suites.seed import shadow_test_request

RETRYABLE = {"Throttling", "ServiceInternalError", "NetworkFailure"}
DURATIONS = {"Creating": 0.05, "Starting": 0.1, "Updating": 0.05, "Stopping": 0.1, "Deleting": 0.02}
FUTURE = {"StartTime": "2030-01-01T00:00:00Z", "EndTime": "2030-01-20T00:00:00Z"}
Steps = list[tuple[str, dict[str, Any], dict[str, Any] | None]]


@dataclass
class Sizes:
    lifecycles: int
    invalid_models: int
    crash_stride: int
    rollback_crash_stride: int

    @classmethod
    def of(cls, quick: bool) -> Sizes:
        if quick:
            return cls(lifecycles=20, invalid_models=120, crash_stride=3, rollback_crash_stride=8)
        return cls(lifecycles=200, invalid_models=600, crash_stride=1, rollback_crash_stride=1)


@dataclass
class Findings:
    """Figures for the report, and failures by the check that found them."""

    figures: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    by_check: dict[str, list[str]] = field(default_factory=dict)
    check: str = ""

    def fail(self, message: str) -> None:
        self.failures.append(message)
        self.by_check.setdefault(self.check, []).append(message)


def model(name: str, endpoint: str, **extra: Any) -> dict[str, Any]:
    return {**shadow_test_request(name, endpoint_name=endpoint), **extra}


def without_shadow(desired: dict[str, Any]) -> dict[str, Any]:
    return {**desired, "ModelVariants": desired["ModelVariants"][:1]}


def endpoint_shadows(run: Harness, endpoint: str) -> list[str]:
    described = run.sagemaker.describe_endpoint(EndpointName=endpoint)
    return [v["VariantName"] for v in described.get("ShadowProductionVariants") or []]


def experiment_names(run: Harness) -> list[str]:
    names: list[str] = []
    for page in run.sagemaker.get_paginator("list_inference_experiments").paginate():
        names += [e["Name"] for e in page["InferenceExperiments"]]
    return names


def cleanup(run: Harness, desired: dict[str, Any]) -> str:
    """Delete until the experiment is gone (as an operator re-running a failed delete would)."""
    for _ in range(10):
        outcome = run.run("DELETE", desired)
        if outcome.succeeded or outcome.error_code == "NotFound":
            return "deleted"
    return "still there"
