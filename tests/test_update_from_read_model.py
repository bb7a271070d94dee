"""SPEC section 2, Update rule 10: updates as Cloud Control builds them, through the real
entrypoint against the emulator. previousResourceState is what the read handler returned
(no Schedule, StatusReason or DesiredState) and the desired state is that read model with
StackQL's patch applied: one `add` per property, unchanged ones included."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import jsonpatch
import pytest

from aws_sagemaker_inferenceexperiment.properties import FACTS
from sandbox.cloudformation.driver import CloudFormation, Outcome
from sandbox.server import MUTATING_OPERATIONS, EmulatorControl, ManualClock
from tests.cloudcontrol_clients import stackql_patch
from tests.helpers import ENDPOINT, endpoint_variants, experiment

NAME = "cc-shaped"
DAY = 86400


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def mutations(emulator: EmulatorControl) -> list[str]:
    return [c.operation for c in emulator.call_log() if c.operation in MUTATING_OPERATIONS and c.result == "Success"]


def full_patch(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every property of the template that may be patched (Cloud Control refuses create-only paths)."""
    return stackql_patch({k: v for k, v in template.items() if k not in FACTS.create_only})


def cloud_control_update(cfn: CloudFormation, template: dict[str, Any]) -> Outcome:
    """UpdateResource as Cloud Control runs it: read, patch the read model, hand both to the handler."""
    read = cfn.run("READ", {"Name": NAME})
    assert read.succeeded, read.message
    assert read.model is not None
    assert not {"Schedule", "StatusReason", "DesiredState"} & set(read.model)
    desired = jsonpatch.apply_patch(read.model, full_patch(template))
    return cfn.run("UPDATE", desired, previous=read.model)


def status(sagemaker: Any) -> str:
    return str(sagemaker.describe_inference_experiment(Name=NAME)["Status"])


def scheduled(clock: ManualClock, starts_in: float, **extra: Any) -> dict[str, Any]:
    schedule = {"StartTime": iso(clock.now + starts_in), "EndTime": iso(clock.now + starts_in + DAY)}
    return experiment(NAME, Schedule=schedule, Description="first", Tags=[{"Key": "team", "Value": "ml"}], **extra)


@pytest.fixture(params=["Created", "Running", "Running after an early start"])
def template(request: Any, cfn: CloudFormation, sagemaker: Any, clock: ManualClock) -> dict[str, Any]:
    """An experiment created by a template that Cloud Control clients keep resending."""
    if request.param == "Created":
        model = scheduled(clock, DAY)
    elif request.param == "Running":
        model = scheduled(clock, 0)
    else:
        model = scheduled(clock, DAY, DesiredState="Running")
    assert cfn.run("CREATE", model).succeeded
    assert status(sagemaker) == request.param.split()[0]
    return model


def test_an_unchanged_full_patch_calls_nothing(
    cfn: CloudFormation, emulator: EmulatorControl, template: dict[str, Any]
) -> None:
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, template)
    assert outcome.succeeded, outcome.message
    assert mutations(emulator) == before


def test_a_full_patch_applies_only_the_description_and_tag_changes(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, template: dict[str, Any]
) -> None:
    described = sagemaker.describe_inference_experiment(Name=NAME)
    before = mutations(emulator)
    changed = {**template, "Description": "second", "Tags": [{"Key": "team", "Value": "search"}]}
    outcome = cloud_control_update(cfn, changed)
    assert outcome.succeeded, outcome.message
    assert mutations(emulator)[len(before) :] == ["UpdateInferenceExperiment", "AddTags"]
    after = sagemaker.describe_inference_experiment(Name=NAME)
    assert after["Description"] == "second"
    assert (after["Status"], after["Schedule"]) == (described["Status"], described["Schedule"])
    assert after["ShadowModeConfig"] == described["ShadowModeConfig"]
    assert outcome.model is not None
    assert outcome.model["Tags"] == [{"Key": "team", "Value": "search"}]


def test_a_full_patch_start_calls_start_only(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    template = scheduled(clock, DAY)
    assert cfn.run("CREATE", template).succeeded
    outcome = cloud_control_update(cfn, {**template, "DesiredState": "Running"})
    assert outcome.succeeded, outcome.message
    assert mutations(emulator) == ["CreateInferenceExperiment", "StartInferenceExperiment"]
    assert status(sagemaker) == "Running"


@pytest.mark.parametrize("starts_in", [0, DAY], ids=["on schedule", "early"])
def test_a_full_patch_stop_calls_stop_only(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, starts_in: float
) -> None:
    template = scheduled(clock, starts_in, DesiredState="Running")
    assert cfn.run("CREATE", template).succeeded
    before = mutations(emulator)
    stop = {**template, "DesiredState": "Completed", "StatusReason": "enough data"}
    outcome = cloud_control_update(cfn, stop)
    assert outcome.succeeded, outcome.message
    assert mutations(emulator)[len(before) :] == ["StopInferenceExperiment"]
    described = sagemaker.describe_inference_experiment(Name=NAME)
    assert (described["Status"], described["StatusReason"]) == ("Completed", "enough data")
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"]), "both variants kept: Retain"

    again = cloud_control_update(cfn, stop)
    assert again.succeeded, again.message
    assert mutations(emulator)[len(before) :] == ["StopInferenceExperiment"], "Completed on Completed calls nothing"
    assert "DesiredState" not in again.message


def promotion(template: dict[str, Any]) -> dict[str, Any]:
    promote = copy.deepcopy({**template, "DesiredState": "Completed"})
    promote["ModelVariants"] = [v for v in promote["ModelVariants"] if v["VariantName"] == "shadow"]
    return promote


@pytest.fixture(params=["Deleted", "InService"])
def removed_shows(request: Any, emulator: EmulatorControl) -> str:
    """What Describe shows for the production variant a promotion removed: undocumented, so
    the promotion tests run against both answers (docs/emulator.md)."""
    emulator.settings.removed_production_status = request.param
    return str(request.param)


def refused_promotion(outcome: Outcome) -> bool:
    return (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest") and "not promoted" in outcome.message


@pytest.mark.parametrize("starts_in", [0, DAY], ids=["on schedule", "early"])
def test_a_full_patch_promotion_calls_stop_only_and_its_resend_nothing(
    cfn: CloudFormation,
    sagemaker: Any,
    emulator: EmulatorControl,
    clock: ManualClock,
    starts_in: float,
    removed_shows: str,
) -> None:
    template = scheduled(clock, starts_in, DesiredState="Running")
    assert cfn.run("CREATE", template).succeeded
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, promotion(template))
    assert outcome.succeeded, outcome.message
    assert mutations(emulator)[len(before) :] == ["StopInferenceExperiment"]
    assert endpoint_variants(sagemaker) == (["shadow"], [])
    described = sagemaker.describe_inference_experiment(Name=NAME)
    assert [v["Status"] for v in described["ModelVariants"]] == [removed_shows, "InService"]

    resent = cloud_control_update(cfn, {**promotion(template), "Description": "promoted"})
    assert resent.succeeded, resent.message
    assert mutations(emulator)[len(before) :] == ["StopInferenceExperiment"]
    assert "Not applied: Description." in resent.message, "only what really was not applied is named"


def test_a_promotion_done_outside_is_recognised_when_resent(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, removed_shows: str
) -> None:
    """An operator promoted the shadow by hand; the client's resent promotion finds it done."""
    template = scheduled(clock, 0)
    assert cfn.run("CREATE", template).succeeded
    sagemaker.stop_inference_experiment(Name=NAME, ModelVariantActions={"production": "Remove", "shadow": "Promote"})
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, promotion(template))
    assert outcome.succeeded, outcome.message
    assert mutations(emulator) == before


def test_a_promotion_after_a_stop_that_kept_both_variants_is_refused(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, removed_shows: str
) -> None:
    """Both variants still InService after a Retain-all stop, as perhaps after a promotion:
    the endpoint shows the shadow still a shadow, so the promotion never happened."""
    template = scheduled(clock, 0, DesiredState="Running")
    assert cfn.run("CREATE", template).succeeded
    assert cloud_control_update(cfn, {**template, "DesiredState": "Completed"}).succeeded
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, promotion(template))
    assert refused_promotion(outcome), outcome.message
    assert "endpoint 'shadow-endpoint' serves production variant(s) production" in outcome.message
    assert mutations(emulator) == before
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])


def test_a_full_patch_promotion_of_an_experiment_that_ended_on_its_own_is_refused(
    cfn: CloudFormation, emulator: EmulatorControl, clock: ManualClock, removed_shows: str
) -> None:
    template = scheduled(clock, 0)
    assert cfn.run("CREATE", template).succeeded
    clock.advance(2 * DAY)
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, promotion(template))
    assert refused_promotion(outcome), outcome.message
    assert "shadow variant 'shadow' Deleted" in outcome.message
    assert mutations(emulator) == before


def test_a_promotion_that_cannot_be_confirmed_is_refused(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, removed_shows: str
) -> None:
    """After a real promotion the endpoint was deleted. Where Describe shows the removed
    production variant Deleted, the promotion is known; where it shows it InService, only the
    endpoint could tell, and it is gone: FAILED naming what to check, never SUCCESS."""
    template = scheduled(clock, 0, DesiredState="Running")
    assert cfn.run("CREATE", template).succeeded
    assert cloud_control_update(cfn, promotion(template)).succeeded
    sagemaker.delete_endpoint(EndpointName=ENDPOINT)
    before = mutations(emulator)
    outcome = cloud_control_update(cfn, promotion(template))
    assert mutations(emulator) == before
    if removed_shows == "Deleted":
        assert outcome.succeeded, outcome.message
    else:
        assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
        assert f"endpoint '{ENDPOINT}' no longer exists" in outcome.message
        assert "cannot be confirmed: check the ModelVariantActions of the StopInferenceExperiment" in outcome.message


def test_a_full_patch_to_a_completed_experiment_applies_tags_and_names_the_rest(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    template = scheduled(clock, 0, DesiredState="Completed")
    assert cfn.run("CREATE", template).succeeded
    before = mutations(emulator)
    unchanged = cloud_control_update(cfn, template)
    assert unchanged.succeeded, unchanged.message
    assert unchanged.message == ""
    changed = {**template, "Description": "late", "Tags": [{"Key": "team", "Value": "search"}]}
    outcome = cloud_control_update(cfn, changed)
    assert outcome.succeeded, outcome.message
    assert mutations(emulator)[len(before) :] == ["AddTags"]
    assert outcome.message.endswith("Not applied: Description.")
    assert sagemaker.describe_inference_experiment(Name=NAME)["Description"] == "first"


def test_a_real_change_of_a_started_experiments_schedule_is_still_applied(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    """Judged against SageMaker, a new EndTime is a change; a new StartTime of a started test is history."""
    template = scheduled(clock, DAY, DesiredState="Running")
    assert cfn.run("CREATE", template).succeeded
    started = sagemaker.describe_inference_experiment(Name=NAME)["Schedule"]["StartTime"]
    end = clock.now + 3 * DAY
    longer = {**template, "Schedule": {**template["Schedule"], "EndTime": iso(end)}}
    outcome = cloud_control_update(cfn, longer)
    assert outcome.succeeded, outcome.message
    assert mutations(emulator)[-1] == "UpdateInferenceExperiment"
    schedule = sagemaker.describe_inference_experiment(Name=NAME)["Schedule"]
    assert (schedule["StartTime"], schedule["EndTime"].timestamp()) == (started, end)
    before = mutations(emulator)
    later = {**template, "Schedule": {"StartTime": iso(clock.now + 2 * DAY), "EndTime": iso(end)}}
    moved = cloud_control_update(cfn, later)
    assert moved.succeeded, moved.message
    assert mutations(emulator) == before, "nothing to send: a started test's StartTime is history"
