"""What the emulator is given rather than decides: its clock and how long each transition
lasts. Backends hold one `EmulatorSettings`, so tests and servers tune it in one place."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .status import Status

DURATION_KEYS = (Status.CREATING.value, Status.UPDATING.value, Status.STARTING.value, Status.STOPPING.value, "Deleting")


def instant() -> dict[str, float]:
    return dict.fromkeys(DURATION_KEYS, 0.0)


@dataclass
class EmulatorSettings:
    """Seconds per transitional status (and Deleting), 0 by default; time from `clock`."""

    clock: Callable[[], float] = time.time
    durations: dict[str, float] = field(default_factory=instant)

    def now(self) -> float:
        return self.clock()

    def reset(self) -> None:
        """Back to instant transitions on the wall clock."""
        self.clock = time.time
        self.durations = instant()

    def set_durations(self, seconds: float | None = None, **per_status: float) -> None:
        """Set every transition to `seconds`, then override single statuses by name."""
        if seconds is not None:
            self.durations = dict.fromkeys(DURATION_KEYS, float(seconds))
        for status, value in per_status.items():
            if status not in DURATION_KEYS:
                raise ValueError(f"unknown transition {status!r}; expected one of {DURATION_KEYS}")
            self.durations[status] = float(value)
