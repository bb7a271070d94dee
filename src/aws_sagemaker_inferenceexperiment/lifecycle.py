"""The lifecycle decision: given what is wanted, what was done and what SageMaker reports,
what to call next. Pure functions, table-tested.

Decisions are made from the observed status first and the callback context second,
so re-running an invocation with the same context repeats no call that took effect:
a Start that went through shows as Starting or Running, a Stop as Stopping, and so on.
After this operation's own Start or Stop settles, its outcome is checked: SageMaker
shows Cancelled when an operation fails, and that is never reported as success.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any

from cloudformation_cli_python_lib.interface import HandlerErrorCode

from .status import FINISHED, TRANSITIONAL, Status


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
    started: bool = False
    stopped_as: str | None = None  # the DesiredState this operation's Stop asked for
    stop_reason: str | None = None  # and the Reason it sent
    retries: int = 0
    conflicts: int = 0
    started_at: float | None = None
    acted_at: float | None = None  # when the last mutating call went through

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
    starts_at: str = ""


@dataclass(frozen=True)
class UpdatePlan:
    """What an update wants, worked out from desired, previous and observed models."""

    changes: dict[str, Any]
    running_violations: tuple[str, ...] = ()
    uncleared: tuple[str, ...] = ()  # removed from the template; SageMaker cannot clear them
    desired_state: str | None = None  # only when it differs from the previous template's
    tag_changes: bool = False
    promoted: str | None = None  # the shadow variant this update's stop promotes
    promotion_finding: str = ""  # on a finished experiment: why SageMaker shows no such promotion


def _because(observed: Observed) -> str:
    return f": {observed.reason}" if observed.reason else "."


def check_outcome(context: Context, observed: Observed, name: str) -> Decision | None:
    """After this operation's own Start or Stop: WAIT until it shows, FAIL if it ended other
    than asked (a StatusReason other than the one sent means SageMaker's, not ours)."""
    if context.stopped_as is not None:
        if observed.status in (Status.CREATED, Status.RUNNING):
            return WAIT
        reason_changed = bool(observed.reason) and observed.reason != context.stop_reason
        if observed.status != context.stopped_as or reason_changed:
            return fail(
                HandlerErrorCode.NotStabilized,
                f"StopInferenceExperiment asked for {context.stopped_as}, but inference experiment '{name}' "
                f"ended {observed.status}{_because(observed)}",
            )
    elif context.started:
        if observed.status == Status.CREATED:
            return WAIT
        if observed.status in FINISHED:
            return fail(
                HandlerErrorCode.NotStabilized,
                f"StartInferenceExperiment did not start inference experiment '{name}': it ended "
                f"{observed.status}{_because(observed)}",
            )
    return None


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
    if observed.status in TRANSITIONAL:
        return WAIT
    return check_outcome(context, observed, name) or _settle(desired_state, observed, name, context)


def _settle(desired_state: str | None, observed: Observed, name: str, context: Context) -> Decision:
    """After creation: reach the DesiredState, or accept what the service settles on."""
    stop_wanted = desired_state in FINISHED and context.stopped_as is None
    if observed.status == Status.CREATED:
        if desired_state == Status.RUNNING and not context.started:
            return Decision(Step.START)
        return Decision(Step.STOP) if stop_wanted else DONE
    if observed.status == Status.RUNNING:
        return Decision(Step.STOP) if stop_wanted else DONE
    if context.stopped_as is not None or desired_state in FINISHED:
        return DONE
    return fail(
        HandlerErrorCode.NotStabilized,
        f"Inference experiment '{name}' settled in status {observed.status} instead of "
        f"{desired_state or 'Created or Running'}{_because(observed)}",
    )


def decide_update(context: Context, plan: UpdatePlan, observed: Observed | None, name: str) -> Decision:
    if observed is None:
        return fail(HandlerErrorCode.NotFound, f"Inference experiment '{name}' does not exist.")
    if observed.status in TRANSITIONAL:
        return WAIT
    settled = check_outcome(context, observed, name)
    if settled is not None:
        return settled
    if observed.status in FINISHED:
        return _update_finished(context, plan, observed, name)
    pending_update = bool(plan.changes or plan.uncleared) and not context.updated
    if pending_update and plan.uncleared:
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Removing {', '.join(plan.uncleared)} from the template cannot clear it on inference experiment "
            f"'{name}': SageMaker keeps the current value. Put it back in the template (with the value you "
            "want), or give the experiment a new Name to replace it.",
        )
    if pending_update and observed.status == Status.RUNNING and plan.running_violations:
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Cannot change {', '.join(plan.running_violations)} of inference experiment '{name}' while it is "
            "Running: once a shadow test has started, SageMaker accepts changes only to Description, "
            "the shadow variant's SamplingPercentage and Schedule EndTime. Stop it (DesiredState Completed) "
            "and create a new experiment under another Name instead.",
        )
    if pending_update:
        return Decision(Step.UPDATE)
    if plan.desired_state == Status.RUNNING and observed.status == Status.CREATED and not context.started:
        return Decision(Step.START)
    if plan.desired_state in FINISHED and context.stopped_as is None:
        return Decision(Step.STOP)
    if plan.tag_changes and not context.tagged:
        return Decision(Step.TAG)
    return DONE


def _update_finished(context: Context, plan: UpdatePlan, observed: Observed, name: str) -> Decision:
    """A finished experiment is history: apply tags and succeed, so CloudFormation can always
    roll back, unless the update's purpose (a promotion) can no longer happen."""
    if plan.promoted and context.stopped_as is None:
        finding = plan.promotion_finding or f"Its shadow variant '{plan.promoted}' was not promoted."
        ended = f"{observed.status}: {observed.reason.rstrip('.')}." if observed.reason else f"{observed.status}."
        return fail(
            HandlerErrorCode.InvalidRequest,
            f"Inference experiment '{name}' already ended {ended} {finding} A finished experiment cannot promote "
            "its shadow variant any more. To serve that model in production, update the endpoint's configuration "
            "(AWS::SageMaker::EndpointConfig) to it, or run a new shadow test under another Name.",
        )
    if plan.tag_changes and not context.tagged:
        return Decision(Step.TAG)
    return Decision(Step.DONE, message=not_applied(context, plan, observed, name))


def not_applied(context: Context, plan: UpdatePlan, observed: Observed, name: str) -> str:
    """What an update to a finished experiment left as it was, and why."""
    if context.stopped_as is not None:
        return ""
    skipped = [] if context.updated else sorted({*plan.changes, *plan.uncleared})
    if plan.desired_state is not None:
        skipped.append(f"DesiredState {plan.desired_state}")
    if not skipped:
        return ""
    return (
        f"Inference experiment '{name}' is {observed.status}; SageMaker no longer changes a finished "
        f"experiment, so only tags were updated. Not applied: {', '.join(skipped)}."
    )


def decide_delete(context: Context, observed: Observed | None, name: str) -> Decision:
    if observed is None:
        if context.deleted:
            return DONE
        return fail(HandlerErrorCode.NotFound, f"Inference experiment '{name}' does not exist.")
    if observed.status in TRANSITIONAL or context.deleted:
        return WAIT
    settled = check_outcome(context, observed, name)
    if settled is not None:
        if settled.step is Step.FAIL:
            return fail(
                HandlerErrorCode.NotStabilized,
                f"{settled.message} It was not deleted: check the endpoint's variants before deleting again.",
            )
        return settled
    if observed.status == Status.RUNNING:
        return Decision(Step.STOP)
    return Decision(Step.DELETE)
