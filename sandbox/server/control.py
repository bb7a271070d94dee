"""Process-wide knobs of the emulator: transition durations, fault injection, call log.

One instance (`CONTROL`) serves every account and region, so a test or benchmark can
tune the emulator and read what happened without reaching into moto's backends.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TRANSITIONAL_DURATION_KEYS = ("Creating", "Updating", "Starting", "Stopping", "Deleting")
# Emulated operations that change something (the rest only read).
MUTATING_OPERATIONS = frozenset(
    {
        "CreateInferenceExperiment",
        "UpdateInferenceExperiment",
        "StartInferenceExperiment",
        "StopInferenceExperiment",
        "DeleteInferenceExperiment",
        "AddTags",
        "DeleteTags",
    }
)


@dataclass(frozen=True)
class Call:
    """One SageMaker call as the emulator saw it."""

    operation: str
    time: float
    result: str
    name: str | None = None
    implies: tuple[str, ...] = ()

    @property
    def permissions(self) -> tuple[str, ...]:
        """IAM actions the call needs: its own, plus those it implies (PassRole, tag-on-create)."""
        return (f"sagemaker:{self.operation}", *self.implies)

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "time": self.time,
            "result": self.result,
            "name": self.name,
            "implies": list(self.implies),
        }


@dataclass
class FaultPlan:
    """Seeded fault injection: per-operation rates of throttling and 5xx answers.

    `operations` limits injection to those operation names; empty means every
    emulated operation.
    """

    seed: int = 0
    throttle_rate: float = 0.0
    server_error_rate: float = 0.0
    operations: frozenset[str] = frozenset()
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self, operation: str) -> str | None:
        """Return 'throttle', 'server-error' or None for one call of `operation`."""
        if self.operations and operation not in self.operations:
            return None
        roll = self._rng.random()
        if roll < self.throttle_rate:
            return "throttle"
        if roll < self.throttle_rate + self.server_error_rate:
            return "server-error"
        return None


class EmulatorControl:
    """Durations, clock, faults and call log shared by the whole emulator."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.clock: Callable[[], float] = time.time
        self.durations: dict[str, float] = dict.fromkeys(TRANSITIONAL_DURATION_KEYS, 0.0)
        self.faults = FaultPlan()
        self.calls: list[Call] = []

    def reset(self) -> None:
        """Back to instant transitions, no faults, empty log, wall clock."""
        with self.lock:
            self.clock = time.time
            self.durations = dict.fromkeys(TRANSITIONAL_DURATION_KEYS, 0.0)
            self.faults = FaultPlan()
            self.calls = []

    def set_durations(self, seconds: float | None = None, **per_status: float) -> None:
        """Set every transition to `seconds`, then override single statuses by name."""
        with self.lock:
            if seconds is not None:
                self.durations = dict.fromkeys(TRANSITIONAL_DURATION_KEYS, float(seconds))
            for status, value in per_status.items():
                if status not in TRANSITIONAL_DURATION_KEYS:
                    raise ValueError(f"unknown transition {status!r}; expected one of {TRANSITIONAL_DURATION_KEYS}")
                self.durations[status] = float(value)

    def set_faults(
        self,
        seed: int,
        throttle_rate: float = 0.0,
        server_error_rate: float = 0.0,
        operations: frozenset[str] | set[str] | list[str] = frozenset(),
    ) -> None:
        if throttle_rate < 0 or server_error_rate < 0 or throttle_rate + server_error_rate > 1:
            raise ValueError("fault rates must be non-negative and add up to at most 1")
        with self.lock:
            self.faults = FaultPlan(seed, throttle_rate, server_error_rate, frozenset(operations))

    def now(self) -> float:
        return self.clock()

    def record(self, operation: str, result: str, name: str | None, implies: tuple[str, ...] = ()) -> None:
        with self.lock:
            self.calls.append(Call(operation, self.now(), result, name, implies))

    def call_log(self) -> list[Call]:
        with self.lock:
            return list(self.calls)

    def configure(self, settings: dict[str, Any]) -> None:
        """Apply a JSON-shaped settings document (used by the server's control route)."""
        if "durations" in settings:
            self.set_durations(**{k: float(v) for k, v in settings["durations"].items()})
        if "faults" in settings:
            faults = settings["faults"]
            self.set_faults(
                int(faults.get("seed", 0)),
                float(faults.get("throttle_rate", 0.0)),
                float(faults.get("server_error_rate", 0.0)),
                frozenset(faults.get("operations", [])),
            )
        if settings.get("clear_calls"):
            with self.lock:
                self.calls = []


CONTROL = EmulatorControl()
