"""What an update sends, and what a Running experiment refuses."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import botocore.session
import pytest

from aws_sagemaker_inferenceexperiment.lifecycle import UpdatePlan
from aws_sagemaker_inferenceexperiment.plan import (
    DELETED,
    IN_SERVICE,
    changed_create_only,
    dropped_by_stop,
    needs_endpoint,
    plan_update,
)
from tests.helpers import experiment

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def plan_update_at(
    desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any], tags: bool, status: str = "Created"
) -> UpdatePlan:
    return plan_update(desired, previous, {**observed, "Status": status}, tags, NOW)


def test_nothing_changed() -> None:
    model = experiment("exp")
    assert plan_update_at(model, model, model, False).changes == {}


def test_changes_compared_with_previous_and_skipped_when_already_in_effect() -> None:
    previous = experiment("exp", Description="old")
    desired = experiment("exp", Description="new")
    assert plan_update_at(desired, previous, previous, False).changes == {"Description": "new"}
    assert plan_update_at(desired, previous, desired, False).changes == {}


def test_running_violations() -> None:
    previous = experiment("exp", Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-02T00:00:00Z"})
    desired = copy.deepcopy(previous)
    desired["Schedule"] = {"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-03T00:00:00Z"}
    desired["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 10
    allowed = plan_update_at(desired, previous, previous, False)
    assert set(allowed.changes) == {"Schedule", "ShadowModeConfig"}
    assert allowed.running_violations == ()
    desired["Schedule"]["StartTime"] = "2026-12-01T06:00:00Z"
    desired["ModelVariants"][1]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 3
    desired["DataStorageConfig"] = {"Destination": "s3://b/p"}
    desired["ShadowModeConfig"]["SourceModelVariantName"] = "shadow"
    desired["ShadowModeConfig"]["ShadowModelVariants"][0]["ShadowModelVariantName"] = "production"
    refused = plan_update_at(desired, previous, previous, False).running_violations
    assert set(refused) == {
        "Schedule.StartTime",
        "ModelVariants",
        "DataStorageConfig",
        "ShadowModeConfig.SourceModelVariantName",
        "ShadowModeConfig.ShadowModelVariants.ShadowModelVariantName",
    }


def test_stop_variant_choice_is_not_an_update() -> None:
    previous = experiment("exp", DesiredState="Running")
    desired = experiment("exp", DesiredState="Completed")
    desired["ModelVariants"] = desired["ModelVariants"][1:]
    assert dropped_by_stop(desired, previous) == {"production"}
    result = plan_update_at(desired, previous, previous, True)
    assert result.changes == {}
    assert result.desired_state == "Completed"
    assert result.tag_changes
    without_stop = experiment("exp", DesiredState="Running")
    without_stop["ModelVariants"] = without_stop["ModelVariants"][1:]
    assert "ModelVariants" in plan_update_at(without_stop, previous, previous, False).changes
    assert dropped_by_stop(without_stop, previous) == frozenset()


def test_promoted_variant_may_change_its_configuration() -> None:
    previous = experiment("exp", DesiredState="Running")
    promoted = experiment("exp", DesiredState="Completed")
    promoted["ModelVariants"] = promoted["ModelVariants"][1:]
    promoted["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 4
    assert plan_update_at(promoted, previous, previous, False).changes == {}
    retained = experiment("exp", DesiredState="Completed")
    retained["ModelVariants"] = retained["ModelVariants"][:1]
    retained["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 4
    assert "ModelVariants" in plan_update_at(retained, previous, previous, False).changes


def test_create_only_properties() -> None:
    previous = experiment("exp", KmsKey="k1")
    assert changed_create_only(experiment("exp", KmsKey="k1"), previous) == []
    assert changed_create_only(experiment("exp", KmsKey="k2", EndpointName="other"), previous) == [
        "EndpointName",
        "KmsKey",
    ]
    assert changed_create_only(experiment("exp"), {}) == []


def test_start_time_moved_by_an_early_start_is_not_a_change() -> None:
    schedule = {"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"}
    previous = experiment("exp", Schedule=schedule)
    started_early = {**previous, "Schedule": {"StartTime": "2026-11-24T11:00:00Z", "EndTime": "2026-11-28T11:00:00Z"}}
    assert plan_update_at(previous, previous, started_early, False, "Running").changes == {}
    longer = experiment("exp", Schedule={**schedule, "EndTime": "2026-12-07T00:00:00Z"})
    result = plan_update_at(longer, previous, started_early, False, "Running")
    assert result.changes == {"Schedule": {"EndTime": "2026-12-07T00:00:00Z"}}, "never resends the StartTime"
    assert result.running_violations == ()


def test_a_start_time_in_the_past_is_never_sent() -> None:
    previous = experiment("exp", Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"})
    earlier = experiment("exp", Schedule={"StartTime": "2026-11-20T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"})
    assert plan_update_at(earlier, previous, previous, False).changes == {}
    later = experiment("exp", Schedule={"StartTime": "2026-12-02T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"})
    assert plan_update_at(later, previous, previous, False).changes == {"Schedule": later["Schedule"]}


def test_removed_properties_are_cleared_or_refused() -> None:
    previous = experiment("exp", Description="old", DataStorageConfig={"Destination": "s3://b/p"})
    removed = experiment("exp")
    result = plan_update_at(removed, previous, previous, False)
    assert result.changes == {"Description": ""}
    assert result.uncleared == ("DataStorageConfig",)
    no_schedule = plan_update_at(
        removed, experiment("exp", Schedule={"EndTime": "2026-12-05T00:00:00Z"}), removed, False
    )
    assert no_schedule.uncleared == ("Schedule",)


def test_promotion_is_named() -> None:
    previous = experiment("exp")
    promote = experiment("exp", DesiredState="Completed")
    promote["ModelVariants"] = promote["ModelVariants"][1:]
    assert plan_update_at(promote, previous, previous, False).promoted == "shadow"
    assert plan_update_at(experiment("exp", DesiredState="Completed"), previous, previous, False).promoted is None


def test_without_a_previous_schedule_it_is_judged_against_sagemakers() -> None:
    """Update rule 10: Cloud Control's previous state (the read model) has no Schedule."""
    template = experiment("exp", Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"})
    read_model = experiment("exp")
    assert plan_update_at(template, read_model, template, False).changes == {}
    started_early = {**template, "Schedule": {"StartTime": "2026-11-24T11:00:00Z", "EndTime": "2026-11-28T11:00:00Z"}}
    assert plan_update_at(template, read_model, started_early, False, "Running").changes == {}
    kept_end = {**template, "Schedule": {"StartTime": "2026-11-24T11:00:00Z", "EndTime": "2026-12-05T00:00:00Z"}}
    assert plan_update_at(template, read_model, kept_end, False, "Running").changes == {}
    longer = experiment("exp", Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-06T00:00:00Z"})
    result = plan_update_at(longer, read_model, started_early, False, "Running")
    assert result.changes == {"Schedule": {"EndTime": "2026-12-06T00:00:00Z"}}
    assert result.running_violations == ()
    later = experiment("exp", Schedule={"StartTime": "2026-12-02T00:00:00Z", "EndTime": "2026-12-05T00:00:00Z"})
    assert plan_update_at(later, read_model, template, False).changes == {"Schedule": later["Schedule"]}


def test_without_a_previous_desired_state_it_is_judged_against_the_status() -> None:
    read_model = experiment("exp")
    for state, status, wanted in [
        ("Running", "Running", None),
        ("Running", "Created", "Running"),
        ("Completed", "Running", "Completed"),
        ("Completed", "Completed", None),
        ("Cancelled", "Completed", "Cancelled"),
    ]:
        plan = plan_update_at(experiment("exp", DesiredState=state), read_model, read_model, False, status)
        assert plan.desired_state == wanted, (state, status)
    previous = experiment("exp", DesiredState="Running")
    stop = experiment("exp", DesiredState="Completed")
    assert plan_update_at(stop, previous, previous, False, "Completed").desired_state == "Completed"


def endpoint(production: list[str], shadow: list[str], exists: bool = True) -> dict[str, Any]:
    return {"EndpointName": "e", "Exists": exists, "ProductionVariants": production, "ShadowProductionVariants": shadow}


PROMOTED_ON_ENDPOINT = endpoint(["shadow"], [])


@pytest.mark.parametrize(
    ("production", "shadow", "shown", "pending", "finding"),
    [
        ("Deleted", "InService", None, None, ""),
        ("InService", "InService", PROMOTED_ON_ENDPOINT, None, ""),
        ("InService", "InService", endpoint(["production"], ["shadow"]), "shadow", "has 'shadow' a shadow variant"),
        ("InService", "InService", endpoint(["production"], []), "shadow", "has 'shadow' not at all"),
        ("InService", "InService", endpoint(["production", "shadow"], []), "shadow", "serves production variant(s)"),
        ("InService", "InService", endpoint([], [], exists=False), "shadow", "cannot be confirmed"),
        ("InService", "Deleted", None, "shadow", "'shadow' Deleted: it was not promoted"),
        ("Deleted", "Deleted", None, "shadow", "'shadow' Deleted"),
    ],
    ids=[
        "production deleted",
        "endpoint serves the shadow",
        "shadow still a shadow",
        "shadow gone from the endpoint",
        "production still on the endpoint",
        "endpoint gone",
        "shadow deleted",
        "both deleted",
    ],
)
def test_a_finished_experiments_promotion_is_done_only_when_sagemaker_shows_it(
    production: str, shadow: str, shown: dict[str, Any] | None, pending: str | None, finding: str
) -> None:
    """Describe decides where it can (shadow not InService: not promoted; production Deleted:
    promoted); otherwise the endpoint does, and an endpoint that cannot tell is no proof."""
    previous = experiment("exp")
    promote = experiment("exp", DesiredState="Completed")
    promote["ModelVariants"] = promote["ModelVariants"][1:]
    observed: dict[str, Any] = {**previous, "VariantStatuses": {"production": production, "shadow": shadow}}
    assert needs_endpoint(promote, previous, {**observed, "Status": "Completed"}) == (shown is not None)
    if shown is not None:
        observed["Endpoint"] = shown
    plan = plan_update_at(promote, previous, observed, False, "Completed")
    assert plan.promoted == pending
    assert finding in plan.promotion_finding
    assert bool(plan.promotion_finding) == (pending is not None)


def test_a_promotion_of_a_running_experiment_is_pending_and_needs_no_endpoint() -> None:
    previous = experiment("exp")
    promote = experiment("exp", DesiredState="Completed")
    promote["ModelVariants"] = promote["ModelVariants"][1:]
    running = {**previous, "Status": "Running", "VariantStatuses": {"production": "InService", "shadow": "InService"}}
    assert not needs_endpoint(promote, previous, running)
    plan = plan_update_at(promote, previous, running, False, "Running")
    assert (plan.promoted, plan.promotion_finding) == ("shadow", "")


def test_the_serving_variant_status_is_sagemakers() -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    assert {IN_SERVICE, DELETED} <= set(model.shape_for("ModelVariantStatus").enum)
