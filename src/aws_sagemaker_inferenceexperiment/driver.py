"""The describe → decide → act loop every mutating handler runs, and the progress events
it returns. Handlers supply `step` (describe, then decide) and `act` (make the call).
Waits follow polling.next_wait: short ones here, long ones back to CloudFormation."""

from __future__ import annotations

import functools
import logging
import math
import time
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.interface import BaseModel, HandlerErrorCode, OperationStatus, ProgressEvent

from .errors import ProviderError
from .lifecycle import Context, Decision, Observed, Step, UpdatePlan
from .models import ResourceHandlerRequest, ResourceModel
from .polling import MAX_RETRIES, Wait, measured_overhead, next_wait, retry_delay
from .sagemaker import SageMaker
from .status import DELETING
from .translate import read_model

LOG = logging.getLogger(__name__)
MAX_STEPS_PER_INVOCATION = 8
MAX_LOCAL_LOOKS = 20  # with waits of at least polling.MIN_LOCAL_WAIT, the budget ends them first
PACING_KEY = "pacing"  # in callbackContext: when this invocation returned, and what it measured
MAX_CONFLICTS = 3  # ConflictExceptions re-decided from a fresh Describe before giving up

Described = dict[str, Any] | None
Handler = Callable[[SessionProxy | None, ResourceHandlerRequest, MutableMapping[str, Any]], ProgressEvent]


@dataclass(frozen=True)
class Look:
    """One Describe and what was decided from it (and, for updates, the plan it used)."""

    decision: Decision
    described: Described
    plan: UpdatePlan | None = None

    @property
    def status(self) -> str:
        return "gone" if self.described is None else str(self.described["Status"])


@dataclass(frozen=True)
class Invocation:
    """This Lambda invocation: when it began on the handlers' clock, how to ask the Lambda
    context for the seconds left, and CloudFormation's re-invocation overhead as this
    operation has measured it."""

    began: float
    remaining: Callable[[], float] | None
    overhead: float | None

    def elapsed(self) -> float:
        return time.time() - self.began


CURRENT: ContextVar[Invocation | None] = ContextVar("invocation", default=None)


def remaining_seconds(lambda_context: Any) -> Callable[[], float] | None:
    ask = getattr(lambda_context, "get_remaining_time_in_millis", None)
    if not callable(ask):
        return None
    return lambda: float(ask()) / 1000


@contextmanager
def invocation(lambda_context: Any, event: Any) -> Iterator[Invocation]:
    """Hold what the entrypoint knows about this invocation for the handler it calls: the Lambda
    context's remaining time, and the overhead measured from the pacing record the previous
    invocation of this operation left in callbackContext."""
    now = time.time()
    callback_context = event.get("callbackContext") if isinstance(event, Mapping) else None
    record = callback_context.get(PACING_KEY) if isinstance(callback_context, Mapping) else None
    overhead = None
    if isinstance(record, Mapping):
        try:
            previous = None if record.get("overhead") is None else float(record["overhead"])
            overhead = measured_overhead(previous, float(record["returnedAt"]), float(record["delay"]), now)
        except (KeyError, TypeError, ValueError):
            overhead = None
    if overhead is not None and not math.isfinite(overhead):
        overhead = None
    current = Invocation(now, remaining_seconds(lambda_context), overhead)
    token = CURRENT.set(current)
    try:
        yield current
    finally:
        CURRENT.reset(token)


def pacing_record(delay: int) -> dict[str, Any]:
    current = CURRENT.get()
    return {"returnedAt": time.time(), "delay": delay, "overhead": current.overhead if current else None}


def reports_failures(handler: Handler) -> Handler:
    """Turn a ProviderError raised anywhere in a handler into a FAILED event."""

    @functools.wraps(handler)
    def wrapper(
        session: SessionProxy | None, request: ResourceHandlerRequest, callback_context: MutableMapping[str, Any]
    ) -> ProgressEvent:
        try:
            return handler(session, request, callback_context)
        except ProviderError as error:
            return failed(error.code, error.message)

    return wrapper


def as_dict(model: ResourceModel | None) -> dict[str, Any]:
    return dict(model._serialize()) if model is not None else {}


def as_model(data: dict[str, Any]) -> ResourceModel:
    model = ResourceModel._deserialize(data)
    assert model is not None
    return model


class ListedModel(BaseModel):
    """A list result built from trusted summaries. The generated ResourceModel._deserialize
    scans the models module for every object (0.29 s of CPU per 10,000, docs/performance.md)."""

    def __init__(self, properties: dict[str, Any]) -> None:
        self.__dict__.update(properties)


def observe(described: Described) -> Observed | None:
    if described is None:
        return None
    start = (described.get("Schedule") or {}).get("StartTime")
    return Observed(described["Status"], str(described.get("StatusReason") or ""), str(start or ""))


def failed(code: HandlerErrorCode, message: str) -> ProgressEvent:
    LOG.warning("FAILED %s: %s", code.name, message)
    return ProgressEvent.failed(code, message)


def in_progress(desired: dict[str, Any], context: Context, delay: int, message: str) -> ProgressEvent:
    return ProgressEvent(
        status=OperationStatus.IN_PROGRESS,
        resourceModel=as_model(desired),
        callbackContext={**context.dump(), PACING_KEY: pacing_record(delay)},
        callbackDelaySeconds=delay,
        message=message,
    )


def wait_for_next_look(context: Context) -> Wait:
    """How to wait for the next look, timed from the last change (see polling.next_wait).
    Outside the entrypoint nothing is known of the Lambda context, so nothing waits here."""
    now = time.time()
    waited = now - (context.acted_at or context.started_at or now)
    current = CURRENT.get()
    if current is None:
        return next_wait(waited, 0.0, None, None)
    remaining = current.remaining() if current.remaining else None
    return next_wait(waited, current.elapsed(), remaining, current.overhead)


def waiting(desired: dict[str, Any], context: Context, described: Described, delay: int) -> ProgressEvent:
    """IN_PROGRESS until the next look, `delay` seconds from now."""
    status = DELETING if context.deleted or described is None else str(described["Status"])
    state = "being deleted" if status == DELETING else status
    return in_progress(
        desired, context, delay, f"Inference experiment {desired.get('Name')} is {state}; next check in {delay}s."
    )


def finish(sagemaker: SageMaker, described: Described, message: str = "") -> ProgressEvent:
    assert described is not None
    if message:
        LOG.warning("%s", message)
    model = read_model(described, sagemaker.tags(described["Arn"]))
    return ProgressEvent(status=OperationStatus.SUCCESS, resourceModel=as_model(model), message=message)


def utc_now() -> datetime:
    """Now, on the one clock the handlers read (a test or a scaled rehearsal replaces it)."""
    return datetime.fromtimestamp(time.time(), UTC)


def acted(context: Context) -> None:
    """Note that a mutating call went through: polling restarts its early looks."""
    context.acted_at = time.time()


def drive(
    desired: dict[str, Any],
    context: Context,
    step: Callable[[], Look],
    act: Callable[[Look], ProgressEvent | None],
) -> ProgressEvent:
    """Run describe → decide → act until a wait, a failure or the end; retry transient errors,
    and re-decide after a ConflictException (SageMaker's scheduler may have moved the experiment)."""
    if context.started_at is None:
        context.started_at = time.time()
    conflict: tuple[Look, ProviderError] | None = None
    local_looks = 0
    try:
        for _ in range(MAX_STEPS_PER_INVOCATION + MAX_LOCAL_LOOKS):
            look = step()
            if conflict is not None and context.conflicts > MAX_CONFLICTS:
                return conflict_failure(*conflict, look)
            if look.decision.step is Step.WAIT:
                wait = wait_for_next_look(context)
                if not wait.local or local_looks >= MAX_LOCAL_LOOKS:
                    return waiting(desired, context, look.described, int(wait.seconds))
                local_looks += 1
                time.sleep(wait.seconds)
                continue
            if look.decision.step is Step.FAIL:
                assert look.decision.error is not None
                return failed(look.decision.error, look.decision.message)
            try:
                event = act(look)
            except ProviderError as error:
                if not error.conflict:
                    raise
                context.conflicts += 1
                conflict = (look, error)
                continue
            if event is not None:
                return event
        return in_progress(desired, context, 1, "Still working.")
    except ProviderError as error:
        if error.retryable and context.retries < MAX_RETRIES:
            delay = retry_delay(context.retries)
            context.retries += 1
            return in_progress(desired, context, delay, f"{error.message} Retrying in {delay}s.")
        return failed(error.code, error.message)


def conflict_failure(before: Look, error: ProviderError, now: Look) -> ProgressEvent:
    return failed(
        HandlerErrorCode.ResourceConflict,
        f"{error.message} The experiment was {before.status} when the call was made and is {now.status} now; "
        f"decided again {MAX_CONFLICTS} times. Something else is changing it: retry when it has settled.",
    )
