"""What the emulator is given rather than decides: its clock and how long each transition
lasts. Backends hold one `EmulatorSettings`, so tests and servers tune it in one place."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .status import Status

SCRIPTABLE = ("Start", "Stop")
# What Describe may show for a production variant a stop Removed (the shadow promoted in its place).
REMOVED_PRODUCTION_STATUSES = ("Deleted", "InService")
ENDPOINT_UPDATING = "EndpointUpdating"  # an UpdateEndpoint: the endpoint Updating, then InService
DURATION_KEYS = (
    Status.CREATING.value,
    Status.UPDATING.value,
    Status.STARTING.value,
    Status.STOPPING.value,
    "Deleting",
    ENDPOINT_UPDATING,
)
# Inference Recommender jobs: queued, each benchmark (steps run in waves), stopping.
JOB_DURATION_KEYS = ("PENDING", "BENCHMARK", "STOPPING")


def instant() -> dict[str, float]:
    return dict.fromkeys(DURATION_KEYS, 0.0)


@dataclass
class EmulatorSettings:
    """Seconds per transitional status (and Deleting), 0 by default; time from `clock`.

    `stop_before_start` is the answer to an undocumented question (may StopInferenceExperiment
    stop a test that has not started?), so both answers can be tested; docs/emulator.md.
    `removed_production_status` answers another (what Describe shows for the production
    variant a promoting stop removed: Deleted, or still InService), so handlers are tested
    against both. `outcomes` scripts how the next Start or Stop ends, as SageMaker shows a failed
    operation: Cancelled, with the cause as StatusReason."""

    clock: Callable[[], float] = time.time
    durations: dict[str, float] = field(default_factory=instant)
    stop_before_start: bool = False
    removed_production_status: str = "Deleted"
    outcomes: dict[str, tuple[Status, str]] = field(default_factory=dict)
    job_durations: dict[str, float] = field(default_factory=lambda: dict.fromkeys(JOB_DURATION_KEYS, 0.0))

    def now(self) -> float:
        return self.clock()

    def reset(self) -> None:
        """Back to instant transitions on the wall clock, nothing scripted."""
        self.clock = time.time
        self.durations = instant()
        self.stop_before_start = False
        self.removed_production_status = "Deleted"
        self.outcomes = {}
        self.job_durations = dict.fromkeys(JOB_DURATION_KEYS, 0.0)

    def script_outcome(self, action: str, status: str, reason: str) -> None:
        """The next `action` (Start or Stop) ends in `status` with `reason`."""
        if action not in SCRIPTABLE:
            raise ValueError(f"only {' and '.join(SCRIPTABLE)} outcomes can be scripted, not {action!r}")
        self.outcomes[action] = (Status(status), reason)

    def set_job_durations(self, **per_phase: float) -> None:
        """Seconds an Inference Recommender job spends PENDING, per BENCHMARK step, and STOPPING."""
        for phase, value in per_phase.items():
            if phase not in JOB_DURATION_KEYS:
                raise ValueError(f"unknown job phase {phase!r}; expected one of {JOB_DURATION_KEYS}")
            self.job_durations[phase] = float(value)

    def take_outcome(self, action: str) -> tuple[Status, str] | None:
        return self.outcomes.pop(action, None)

    def set_durations(self, seconds: float | None = None, **per_status: float) -> None:
        """Set every transition to `seconds`, then override single statuses by name."""
        if seconds is not None:
            self.durations = dict.fromkeys(DURATION_KEYS, float(seconds))
        for status, value in per_status.items():
            if status not in DURATION_KEYS:
                raise ValueError(f"unknown transition {status!r}; expected one of {DURATION_KEYS}")
            self.durations[status] = float(value)
