"""Table tests of the pure lifecycle decisions: every status x DesiredState x previous state."""

from __future__ import annotations

import itertools

import pytest
from cloudformation_cli_python_lib.interface import HandlerErrorCode

from aws_sagemaker_inferenceexperiment.lifecycle import (
    Context,
    Observed,
    Step,
    UpdatePlan,
    decide_create,
    decide_delete,
    decide_update,
)
from aws_sagemaker_inferenceexperiment.status import Status

STATUSES = ["Creating", "Created", "Updating", "Starting", "Running", "Stopping", "Completed", "Cancelled"]
DESIRED = [None, "Running", "Completed", "Cancelled"]


def expected_create(status: str, desired: str | None) -> Step | HandlerErrorCode:
    if status in ("Creating", "Updating", "Starting", "Stopping"):
        return Step.WAIT
    if status == "Created":
        if desired == "Running":
            return Step.START
        return Step.STOP if desired in ("Completed", "Cancelled") else Step.DONE
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
    started = Context(reserved=True, started=True)
    assert decide_create(started, "Running", Observed("Created"), "e").step is Step.WAIT
    assert decide_create(started, "Running", Observed("Running"), "e").step is Step.DONE
    stopped = Context(reserved=True, stopped_as="Completed", stop_reason="r")
    assert decide_create(stopped, "Completed", Observed("Running"), "e").step is Step.WAIT
    assert decide_create(stopped, "Completed", Observed("Completed", "r"), "e").step is Step.DONE


@pytest.mark.parametrize(
    ("asked", "reason", "seen", "seen_reason", "expected"),
    [
        ("Completed", "r", "Completed", "r", Step.DONE),
        ("Completed", "r", "Completed", "", Step.DONE),  # a service that does not echo the reason
        ("Completed", "r", "Cancelled", "Promotion failed", HandlerErrorCode.NotStabilized),
        ("Cancelled", "r", "Cancelled", "Promotion failed", HandlerErrorCode.NotStabilized),
        ("Cancelled", "r", "Cancelled", "r", Step.DONE),
    ],
)
def test_stop_outcome_is_checked(asked: str, reason: str, seen: str, seen_reason: str, expected: object) -> None:
    context = Context(reserved=True, stopped_as=asked, stop_reason=reason)
    decision = decide_create(context, asked, Observed(seen, seen_reason), "e")
    assert outcome(decision) == expected
    if decision.step is Step.FAIL:
        assert seen_reason in decision.message


@pytest.mark.parametrize("finished", ["Completed", "Cancelled"])
def test_start_that_ends_finished_carries_the_service_reason(finished: str) -> None:
    context = Context(reserved=True, started=True)
    decision = decide_create(context, "Running", Observed(finished, "Instance capacity"), "e")
    assert decision.error is HandlerErrorCode.NotStabilized
    assert "Instance capacity" in decision.message
    update = decide_update(Context(started=True), plan(desired_state="Running"), Observed(finished, "x"), "e")
    assert update.error is HandlerErrorCode.NotStabilized


def plan(
    changes: dict[str, object] | None = None,
    violations: tuple[str, ...] = (),
    desired_state: str | None = None,
    tags: bool = False,
    promoted: str | None = None,
) -> UpdatePlan:
    return UpdatePlan(changes or {}, violations, (), desired_state, tags, promoted)


def expected_update(status: str, desired: str | None, previous: str | None, change: bool) -> Step | HandlerErrorCode:
    acting = desired if desired != previous else None
    if status in ("Creating", "Updating", "Starting", "Stopping"):
        return Step.WAIT
    if status in ("Completed", "Cancelled"):
        return Step.DONE  # history: accepted whatever the template says
    if change:
        return Step.UPDATE
    if acting == "Running" and status == "Created":
        return Step.START
    if acting in ("Completed", "Cancelled"):
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
    if status in ("Completed", "Cancelled") and (change or acting):
        assert "Not applied" in decision.message


@pytest.mark.parametrize("status", ["Completed", "Cancelled"])
def test_finished_experiment_takes_tags_then_succeeds(status: str) -> None:
    wanted = plan({"Description": "d"}, ("ModelVariants",), "Running", tags=True)
    assert decide_update(Context(), wanted, Observed(status), "e").step is Step.TAG
    done = decide_update(Context(tagged=True), wanted, Observed(status), "e")
    assert done.step is Step.DONE
    assert "Description" in done.message
    assert "DesiredState Running" in done.message


def test_promotion_on_an_experiment_that_already_ended_fails_with_what_to_do() -> None:
    promote = plan(desired_state="Completed", promoted="challenger")
    decision = decide_update(Context(), promote, Observed("Completed", "reached its scheduled end"), "e")
    assert decision.error is HandlerErrorCode.InvalidRequest
    assert "challenger" in decision.message
    assert "EndpointConfig" in decision.message
    ours = Context(updated=True, stopped_as="Completed", stop_reason="r")
    assert decide_update(ours, promote, Observed("Completed", "r"), "e").step is Step.DONE


def test_a_refused_promotion_says_what_sagemaker_shows() -> None:
    finding = "Whether shadow variant 'challenger' was promoted cannot be confirmed."
    promote = UpdatePlan({}, desired_state="Completed", promoted="challenger", promotion_finding=finding)
    decision = decide_update(Context(), promote, Observed("Completed", "kept both."), "e")
    assert decision.error is HandlerErrorCode.InvalidRequest
    assert decision.message.startswith(f"Inference experiment 'e' already ended Completed: kept both. {finding} ")


def test_removed_property_that_cannot_be_cleared_fails_before_any_call() -> None:
    removed = UpdatePlan({}, uncleared=("DataStorageConfig",))
    decision = decide_update(Context(), removed, Observed("Created"), "e")
    assert decision.error is HandlerErrorCode.InvalidRequest
    assert "DataStorageConfig" in decision.message
    assert decide_update(Context(), removed, Observed("Completed"), "e").step is Step.DONE


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
    done_stop = Context(updated=True, stopped_as="Completed", stop_reason="r")
    assert decide_update(done_stop, everything, Observed("Running"), "e").step is Step.WAIT
    assert decide_update(done_stop, everything, Observed("Completed", "r"), "e").step is Step.TAG
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


def test_delete_reports_a_stop_that_failed_instead_of_deleting() -> None:
    stopped = Context(stopped_as="Cancelled", stop_reason="deleted")
    assert decide_delete(stopped, Observed("Cancelled", "deleted"), "e").step is Step.DELETE
    failed = decide_delete(stopped, Observed("Cancelled", "Could not remove variant"), "e")
    assert failed.error is HandlerErrorCode.NotStabilized
    assert "Could not remove variant" in failed.message


def test_status_vocabulary_is_botocores() -> None:
    import botocore.session

    model = botocore.session.get_session().get_service_model("sagemaker")
    assert sorted(model.shape_for("InferenceExperimentStatus").enum) == sorted(Status)


def test_delete_when_gone() -> None:
    assert decide_delete(Context(deleted=True), None, "e").step is Step.DONE
    assert decide_delete(Context(), None, "e").error is HandlerErrorCode.NotFound


def test_context_round_trip_ignores_unknown_keys() -> None:
    context = Context(reserved=True, retries=3, started=True, stopped_as="Completed", stop_reason="r")
    assert Context.load({**context.dump(), "from_a_newer_version": 1}) == context
    assert Context.load(None) == Context()
