"""Process-wide knobs of the emulator as the sandbox runs it: the emulator's settings
(clock, durations), fault injection and the call log.

One instance (`CONTROL`) serves every account and region, so a test or benchmark can tune
the emulator and read what happened without reaching into moto's backends.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from sandbox.emulator import EmulatorSettings

from .calls import EMULATED_OPERATIONS, Call
from .faults import FaultPlan
from .requests import config_change


class EmulatorControl:
    """Settings, faults and call log shared by the whole emulator."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.settings = EmulatorSettings()
        self.faults = FaultPlan()
        self.calls: list[Call] = []
        self.hooks: dict[str, Callable[[], None]] = {}

    @property
    def clock(self) -> Callable[[], float]:
        return self.settings.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        self.settings.clock = clock

    @property
    def durations(self) -> dict[str, float]:
        return self.settings.durations

    def reset(self) -> None:
        """Back to instant transitions, no faults, empty log, wall clock."""
        with self.lock:
            self.settings.reset()
            self.faults = FaultPlan()
            self.calls = []
            self.hooks = {}

    def before_call(self, operation: str, hook: Callable[[], None]) -> None:
        """Run `hook` once just before the next `operation` is answered: SageMaker's own
        scheduler may move an experiment between a Describe and the next call."""
        with self.lock:
            self.hooks[operation] = hook

    def run_hook(self, operation: str) -> None:
        with self.lock:
            hook = self.hooks.pop(operation, None)
        if hook is not None:
            hook()

    def set_durations(self, seconds: float | None = None, **per_status: float) -> None:
        """Set every transition to `seconds`, then override single statuses by name."""
        with self.lock:
            self.settings.set_durations(seconds, **per_status)

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
        return self.settings.now()

    def record(
        self,
        operation: str,
        result: str,
        name: str | None,
        implies: tuple[str, ...] = (),
        endpoint: str | None = None,
    ) -> None:
        with self.lock:
            self.calls.append(Call(operation, self.now(), result, name, implies, endpoint))

    def call_log(self) -> list[Call]:
        with self.lock:
            return list(self.calls)

    def configure(self, document: dict[str, Any]) -> None:
        """Apply a JSON-shaped settings document (the server's control route): every field is
        checked first, so a request with one bad field changes nothing (BadRequest says which)."""
        change = config_change(document, EMULATED_OPERATIONS)
        with self.lock:
            self.settings.set_durations(**change.durations)
            self.settings.set_job_durations(**change.job_durations)
            if change.faults is not None:
                faults = change.faults
                self.set_faults(faults.seed, faults.throttle_rate, faults.server_error_rate, faults.operations)
            if change.stop_before_start is not None:
                self.settings.stop_before_start = change.stop_before_start
            if change.removed_production_status is not None:
                self.settings.removed_production_status = change.removed_production_status
            for action, (status, reason) in change.outcomes.items():
                self.settings.script_outcome(action, status, reason)
            if change.clear_calls:
                self.calls = []


CONTROL = EmulatorControl()
