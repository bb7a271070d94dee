"""The lifecycle decision: given what is wanted, what was done and what SageMaker reports,
what to call next or how long to wait. Pure functions, table-tested.

Decisions are made from the observed status first and the callback context second,
so re-running an invocation with the same context repeats no call that took effect:
a Start that went through shows as Starting or Running, a Stop as Stopping, and so on.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from cloudformation_cli_python_lib.interface import HandlerErrorCode

TRANSITIONAL = frozenset({"Creating", "Updating", "Starting", "Stopping"})
FINISHED = frozenset({"Completed", "Cancelled"})
STOP_STATES = FINISHED
# Fields a started (Running) experiment still accepts, per SageMaker's shadow-test guide.
RUNNING_MUTABLE = frozenset({"Description", "Schedule.EndTime", "ShadowModeConfig.SamplingPercentage"})


class Step(Enum):
    RESERVE = "reserve"
    CREATE = "create"
    UPDATE = "update"
    START = "start"
    STOP = "stop"
    TAG = "tag"
    DELETE = "delete"
    WAIT = "wait"
    DONE = "done"
    FAIL = "fail"


@dataclass(frozen=True)
class Decision:
    step: Step
    error: HandlerErrorCode | None = None
    message: str = ""


WAIT = Decision(Step.WAIT)
DONE = Decision(Step.DONE)


def fail(code: HandlerErrorCode, message: str) -> Decision:
    return Decision(Step.FAIL, code, message)


@dataclass
class Context:
    """What this operation has done so far; round-trips through callbackContext."""

    reserved: bool = False
    created: bool = False
    updated: bool = False
    tagged: bool = False
    deleted: bool = False
    retries: int = 0
    done: list[str] = field(default_factory=list)
    started_at: float | None = None
    status_seen: str | None = None
    status_since: float | None = None

    def observe(self, status: str, now: float) -> float:
        """Note the status seen at `now`; return how long it has been seen."""
        if self.started_at is None:
            self.started_at = now
        if status != self.status_seen or self.status_since is None:
            self.status_seen, self.status_since = status, now
        return now - self.status_since

    @classmethod
    def load(cls, raw: dict[str, Any] | None) -> Context:
        known = {k: v for k, v in (raw or {}).items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def dump(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Observed:
    """The experiment as the last DescribeInferenceExperiment showed it."""

    status: str
    reason: str = ""


def decide_create(context: Context, desired_state: str | None, observed: Observed | None, name: str) -> Decision:
    if observed is None:
        if context.created:
            return fail(
                HandlerErrorCode.NotStabilized,
                f"Inference experiment '{name}' disappeared while it was being created; "
                "something outside this stack deleted it.",
            )
        return Decision(Step.CREATE) if context.reserved else Decision(Step.RESERVE)
    if not context.reserved:
        return fail(
            HandlerErrorCode.AlreadyExists,
            f"An inference experiment named '{name}' already exists (status {observed.status}). "
            "Choose another Name, or delete or import the existing experiment.",
        )
    return _settle(desired_state, observed, name, context)


def _settle(desired_state: str | None, observed: Observed, name: str, context: Context) -> Decision:
    """After creation: reach the DesiredState, or accept what the service settles on."""
    if observed.status in TRANSITIONAL:
        return WAIT
    if observed.status == "Created":
        return Decision(Step.START) if desired_state == "Running" and "start" not in context.done else DONE
    if observed.status == "Running":
        return Decision(Step.STOP) if desired_state in STOP_STATES and "stop" not in context.done else DONE
    if desired_state in STOP_STATES:
        return DONE
    reason = f": {observed.reason}" if observed.reason else ""
    return fail(
        HandlerErrorCode.NotStabilized,
        f"Inference experiment '{name}' settled in status {observed.status} instead of "
        f"{desired_state or 'Created or Running'}{reason}",
    )


@dataclass(frozen=True)
class UpdatePlan:
    """What an update wants, worked out once from desired and previous models."""

    changes: dict[str, Any]
    running_violations: tuple[str, ...]
    desired_state: str | None
    tag_changes: bool


def decide_update(context: Context, plan: UpdatePlan, observed: Observed | None, name: str) -> Decision:
    if observed is None:
        return fail(HandlerErrorCode.NotFound, f"Inference experiment '{name}' does not exist.")
    if observed.status in TRANSITIONAL:
        return WAIT
    pending_update = bool(plan.changes) and not context.updated
    if pending_update and observed.status in FINISHED:
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Cannot change {', '.join(sorted(plan.changes))} of inference experiment '{name}': it is "
            f"{observed.status}, and SageMaker updates only experiments that are Created or Running.",
        )
    if pending_update and observed.status == "Running" and plan.running_violations:
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Cannot change {', '.join(plan.running_violations)} of inference experiment '{name}' while it is "
            "Running: once a shadow test has started, SageMaker accepts changes only to Description, "
            "the shadow variant's SamplingPercentage and Schedule EndTime. Stop it (DesiredState Completed) "
            "and create a new experiment under another Name instead.",
        )
    if plan.desired_state == "Running" and observed.status in FINISHED:
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Inference experiment '{name}' is {observed.status}; a finished experiment cannot be restarted. "
            "Create a new experiment under another Name.",
        )
    if pending_update:
        return Decision(Step.UPDATE)
    if plan.desired_state == "Running" and observed.status == "Created" and "start" not in context.done:
        return Decision(Step.START)
    if plan.desired_state in STOP_STATES and observed.status == "Running" and "stop" not in context.done:
        return Decision(Step.STOP)
    if plan.tag_changes and not context.tagged:
        return Decision(Step.TAG)
    return DONE


def decide_delete(context: Context, observed: Observed | None, name: str) -> Decision:
    if observed is None:
        if context.deleted:
            return DONE
        return fail(HandlerErrorCode.NotFound, f"Inference experiment '{name}' does not exist.")
    if observed.status in TRANSITIONAL or context.deleted:
        return WAIT
    if observed.status == "Running":
        return Decision(Step.STOP)
    return Decision(Step.DELETE)


# How long SageMaker typically spends in each transitional status for a small real-time
# endpoint ("Deleting": until a deleted experiment disappears). The first look at a
# status comes just after its expected duration: looking earlier finds it unchanged.
EXPECTED_SECONDS = {"Creating": 60, "Starting": 300, "Updating": 60, "Stopping": 120, "Deleting": 30}
DEFAULT_EXPECTED_SECONDS = 60
GRACE = 2  # first look this long after the expected duration
STEP = 0.1  # then every 10% of the operation's elapsed time ...
MIN_DELAY = 5  # ... but at least 5 s apart
MAX_DELAY = 120  # and never more than 2 minutes per callback, which bounds how late a
# transition much faster than expected is noticed
RETRY_DELAYS = (5, 10, 20, 40, 60)
MAX_RETRIES = len(RETRY_DELAYS)


def poll_delay(status: str, in_status: float, elapsed: float) -> int:
    """Seconds until the next look at an experiment that has been in `status` for
    `in_status` seconds, `elapsed` seconds into the operation.

    Until the status's expected duration (plus 2 s) has passed, wait for it; after that,
    look every 10% of the elapsed time, so the stack finishes at most about 10% after
    SageMaker settles. Always 5 to 120 s.
    """
    first_look = EXPECTED_SECONDS.get(status, DEFAULT_EXPECTED_SECONDS) + GRACE
    delay = first_look - in_status if in_status < first_look else STEP * elapsed
    return int(min(MAX_DELAY, max(MIN_DELAY, round(delay))))


def retry_delay(retries: int) -> int:
    return RETRY_DELAYS[min(retries, len(RETRY_DELAYS) - 1)]
