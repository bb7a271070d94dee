"""Table tests of the pure lifecycle decisions: every status x DesiredState x previous state."""

from __future__ import annotations

import itertools

import pytest
from cloudformation_cli_python_lib.interface import HandlerErrorCode

from aws_sagemaker_inferenceexperiment.lifecycle import (
    EXPECTED_SECONDS,
    MAX_DELAY,
    MAX_RETRIES,
    MIN_DELAY,
    Context,
    Observed,
    Step,
    UpdatePlan,
    decide_create,
    decide_delete,
    decide_update,
    poll_delay,
    retry_delay,
)

STATUSES = ["Creating", "Created", "Updating", "Starting", "Running", "Stopping", "Completed", "Cancelled"]
DESIRED = [None, "Running", "Completed", "Cancelled"]


def expected_create(status: str, desired: str | None) -> Step | HandlerErrorCode:
    if status in ("Creating", "Updating", "Starting", "Stopping"):
        return Step.WAIT
    if status == "Created":
        return Step.START if desired == "Running" else Step.DONE
    if status == "Running":
        return Step.STOP if desired in ("Completed", "Cancelled") else Step.DONE
    return Step.DONE if desired in ("Completed", "Cancelled") else HandlerErrorCode.NotStabilized


def outcome(decision: object) -> Step | HandlerErrorCode:
    step = decision.step  # type: ignore[attr-defined]
    return decision.error if step is Step.FAIL else step  # type: ignore[attr-defined,no-any-return]


@pytest.mark.parametrize(("status", "desired"), itertools.product(STATUSES, DESIRED))
def test_create_after_reservation(status: str, desired: str | None) -> None:
    decision = decide_create(Context(reserved=True, created=True), desired, Observed(status, "why"), "exp")
    assert outcome(decision) == expected_create(status, desired)
    if decision.step is Step.FAIL:
        assert "why" in decision.message


def test_create_reserves_then_creates_then_fails_on_disappearance() -> None:
    assert decide_create(Context(), None, None, "exp").step is Step.RESERVE
    assert decide_create(Context(reserved=True), None, None, "exp").step is Step.CREATE
    gone = decide_create(Context(reserved=True, created=True), None, None, "exp")
    assert (gone.step, gone.error) == (Step.FAIL, HandlerErrorCode.NotStabilized)


@pytest.mark.parametrize("status", STATUSES)
def test_create_name_taken_before_reservation(status: str) -> None:
    decision = decide_create(Context(), "Running", Observed(status), "exp")
    assert decision.error is HandlerErrorCode.AlreadyExists
    assert "'exp'" in decision.message


@pytest.mark.parametrize("status", STATUSES)
def test_create_adopts_its_own_experiment_after_a_lost_response(status: str) -> None:
    decision = decide_create(Context(reserved=True), None, Observed(status), "exp")
    assert decision.error is not HandlerErrorCode.AlreadyExists


def test_create_does_not_repeat_start_or_stop() -> None:
    assert decide_create(Context(reserved=True, done=["start"]), "Running", Observed("Created"), "e").step is Step.DONE
    assert decide_create(Context(reserved=True, done=["stop"]), "Completed", Observed("Running"), "e").step is Step.DONE


def plan(
    changes: dict[str, object] | None = None,
    violations: tuple[str, ...] = (),
    desired_state: str | None = None,
    tags: bool = False,
) -> UpdatePlan:
    return UpdatePlan(changes or {}, violations, desired_state, tags)


def expected_update(status: str, desired: str | None, previous: str | None, change: bool) -> Step | HandlerErrorCode:
    acting = desired if desired != previous else None
    if status in ("Creating", "Updating", "Starting", "Stopping"):
        return Step.WAIT
    finished = status in ("Completed", "Cancelled")
    if change and finished:
        return HandlerErrorCode.InvalidRequest
    if acting == "Running" and finished:
        return HandlerErrorCode.InvalidRequest
    if change:
        return Step.UPDATE
    if acting == "Running" and status == "Created":
        return Step.START
    if acting in ("Completed", "Cancelled") and status == "Running":
        return Step.STOP
    return Step.DONE


@pytest.mark.parametrize(
    ("status", "desired", "previous", "change"), itertools.product(STATUSES, DESIRED, DESIRED, [False, True])
)
def test_update_table(status: str, desired: str | None, previous: str | None, change: bool) -> None:
    acting = desired if desired != previous else None
    decision = decide_update(
        Context(), plan({"Description": "d"} if change else None, (), acting), Observed(status), "e"
    )
    assert outcome(decision) == expected_update(status, desired, previous, change)


def test_update_rejects_forbidden_running_change_before_acting() -> None:
    decision = decide_update(Context(), plan({"ModelVariants": []}, ("ModelVariants",)), Observed("Running"), "e")
    assert decision.error is HandlerErrorCode.InvalidRequest
    assert "ModelVariants" in decision.message
    assert (
        decide_update(Context(), plan({"ModelVariants": []}, ("ModelVariants",)), Observed("Created"), "e").step
        is Step.UPDATE
    )


def test_update_order_and_memory() -> None:
    everything = plan({"Description": "d"}, (), "Completed", tags=True)
    assert decide_update(Context(), everything, Observed("Running"), "e").step is Step.UPDATE
    assert decide_update(Context(updated=True), everything, Observed("Running"), "e").step is Step.STOP
    done_stop = Context(updated=True, done=["stop"])
    assert decide_update(done_stop, everything, Observed("Running"), "e").step is Step.TAG
    assert decide_update(Context(updated=True, tagged=True), everything, Observed("Completed"), "e").step is Step.DONE
    missing = decide_update(Context(), everything, None, "e")
    assert missing.error is HandlerErrorCode.NotFound


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("deleted", [False, True])
def test_delete_table(status: str, deleted: bool) -> None:
    decision = decide_delete(Context(deleted=deleted), Observed(status), "e")
    if status in ("Creating", "Updating", "Starting", "Stopping") or deleted:
        assert decision.step is Step.WAIT
    elif status == "Running":
        assert decision.step is Step.STOP
    else:
        assert decision.step is Step.DELETE


def test_delete_when_gone() -> None:
    assert decide_delete(Context(deleted=True), None, "e").step is Step.DONE
    assert decide_delete(Context(), None, "e").error is HandlerErrorCode.NotFound


def test_context_round_trip_ignores_unknown_keys() -> None:
    context = Context(reserved=True, retries=3, done=["start"])
    assert Context.load({**context.dump(), "from_a_newer_version": 1}) == context
    assert Context.load(None) == Context()


@pytest.mark.parametrize(
    ("status", "in_status", "elapsed", "delay"),
    [
        ("Updating", 0, 0, 62),  # first look 2 s after the expected 60 s
        ("Updating", 30, 30, 32),
        ("Updating", 58, 58, 5),  # never closer than 5 s
        ("Updating", 62, 62, 6),  # past the expected time: every 10% of the elapsed time
        ("Updating", 70, 10, 5),
        ("Stopping", 200, 500, 50),
        ("Starting", 0, 62, 120),  # never more than 2 minutes per callback
        ("Starting", 300, 362, 5),
        ("Starting", 240, 302, 62),
        ("Creating", 5000, 9000, 120),
        ("Deleting", 0, 0, 32),
        ("SomethingNew", 0, 0, 62),
    ],
)
def test_poll_delay(status: str, in_status: float, elapsed: float, delay: int) -> None:
    assert poll_delay(status, in_status, elapsed) == delay


@pytest.mark.parametrize("status", ["Creating", "Starting", "Updating", "Stopping", "Deleting"])
def test_poll_delay_bounds_overshoot_once_expected_time_passed(status: str) -> None:
    for elapsed in range(EXPECTED_SECONDS[status] + 2, 3600, 37):
        delay = poll_delay(status, elapsed, elapsed)
        assert MIN_DELAY <= delay <= MAX_DELAY
        assert delay <= max(MIN_DELAY, 0.1 * elapsed + 0.5)


@pytest.mark.parametrize("status", ["Creating", "Starting", "Updating", "Stopping", "Deleting"])
def test_first_look_comes_just_after_the_expected_duration(status: str) -> None:
    looked, looks = 0.0, []
    while looked <= EXPECTED_SECONDS[status]:
        looked += poll_delay(status, looked, looked)
        looks.append(looked)
    assert EXPECTED_SECONDS[status] < looked <= EXPECTED_SECONDS[status] + MIN_DELAY
    early = [look for look in looks if look < EXPECTED_SECONDS[status]]
    assert early == [MAX_DELAY * (n + 1) for n in range(len(early))], "early looks only where the cap forces them"


def test_context_remembers_when_a_status_was_first_seen() -> None:
    context = Context()
    assert context.observe("Creating", 100.0) == 0
    assert context.observe("Creating", 130.0) == 30
    assert context.observe("Starting", 160.0) == 0
    assert context.started_at == 100.0


def test_retry_delays_grow_and_cap() -> None:
    retries = [retry_delay(n) for n in range(MAX_RETRIES + 3)]
    assert retries == sorted(retries)
    assert retries[-1] == retries[MAX_RETRIES - 1]
