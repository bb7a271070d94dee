"""Every path of SPEC section 2 through the provider's real Lambda entrypoint, in-process,
against the emulator. The driver's callback sleeps advance the emulator's clock."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest

from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.prerequisites import ensure_endpoint
from sandbox.emulator import inference_experiment_backends
from sandbox.lambda_runtime import in_process
from sandbox.server import MUTATING_OPERATIONS, EmulatorControl, ManualClock
from tests.helpers import RETURNED_AS_GIVEN, endpoint_variants, experiment

NAME = "shadow-test"


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat().replace("+00:00", "Z")


def mutations(emulator: EmulatorControl) -> list[str]:
    return [c.operation for c in emulator.call_log() if c.operation in MUTATING_OPERATIONS and c.result == "Success"]


def describe(sagemaker: Any, name: str = NAME) -> dict[str, Any]:
    return dict(sagemaker.describe_inference_experiment(Name=name))


def created(cfn: CloudFormation, model: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    outcome = cfn.run("CREATE", model, **kwargs)
    assert outcome.succeeded, outcome.message
    assert outcome.model is not None
    return outcome.model


# ---- create -------------------------------------------------------------------------


def test_create_accepts_what_the_service_settles_on(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl
) -> None:
    model = created(cfn, experiment(NAME, Description="shadow v2"))
    assert model["Status"] == "Running"
    assert model["Description"] == "shadow v2"
    assert model["Arn"].endswith(f"inference-experiment/{NAME}")
    assert model["EndpointMetadata"]["EndpointStatus"] == "InService"
    assert not {"DesiredState", "StatusReason", "Schedule"} & set(model)
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_create_waits_through_creating_and_starting(
    cfn: CloudFormation, emulator: EmulatorControl, clock: ManualClock
) -> None:
    emulator.set_durations(Creating=40, Starting=90)
    began = clock.now
    outcome = cfn.run("CREATE", experiment(NAME))
    assert outcome.succeeded
    assert outcome.model is not None
    assert outcome.model["Status"] == "Running"
    statuses = [e.get("message", "") for e in outcome.events if e["status"] == "IN_PROGRESS"]
    assert any("Creating" in s for s in statuses)
    assert any("Starting" in s for s in statuses)
    delays = [e["callbackDelaySeconds"] for e in outcome.events if e["status"] == "IN_PROGRESS"]
    assert delays[0] == 0, "the name reservation comes straight back"
    assert all(1 <= d <= 120 for d in delays[1:])
    assert clock.now - began >= 130


def test_create_with_future_schedule_settles_created(cfn: CloudFormation, clock: ManualClock) -> None:
    schedule = {"StartTime": iso(clock.now + 86400), "EndTime": iso(clock.now + 2 * 86400)}
    assert created(cfn, experiment(NAME, Schedule=schedule))["Status"] == "Created"


def test_create_desired_running_starts_a_scheduled_test(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    emulator.set_durations(Starting=60)
    schedule = {"StartTime": iso(clock.now + 86400), "EndTime": iso(clock.now + 2 * 86400)}
    model = created(cfn, experiment(NAME, Schedule=schedule, DesiredState="Running"))
    assert model["Status"] == "Running"
    assert mutations(emulator) == ["CreateInferenceExperiment", "StartInferenceExperiment"]
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])


@pytest.mark.parametrize("state", ["Completed", "Cancelled"])
def test_create_desired_finished_stops_once_running(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, state: str
) -> None:
    emulator.set_durations(Stopping=30)
    model = created(cfn, experiment(NAME, DesiredState=state, StatusReason="one-off comparison"))
    assert model["Status"] == state
    assert describe(sagemaker)["StatusReason"] == "one-off comparison"
    assert mutations(emulator) == ["CreateInferenceExperiment", "StopInferenceExperiment"]
    assert experiment_store().experiments[NAME].stop_request["actions"] == {"production": "Retain", "shadow": "Remove"}
    assert endpoint_variants(sagemaker) == (["production"], []), "no shadow variant is left behind"


def test_create_with_tags_merges_stack_tags(cfn: CloudFormation, sagemaker: Any) -> None:
    model = created(
        cfn,
        experiment(NAME, Tags=[{"Key": "team", "Value": "template"}]),
        stack_tags={"team": "stack", "env": "prod", "aws:cloudformation:stack-name": "s"},
    )
    assert model["Tags"] == [{"Key": "env", "Value": "prod"}, {"Key": "team", "Value": "template"}]
    listed = sagemaker.list_tags(ResourceArn=model["Arn"])["Tags"]
    assert not any(t["Key"].startswith("aws:") for t in listed)


def test_create_name_taken(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    created(cfn, experiment(NAME))
    again = cfn.run("CREATE", experiment(NAME))
    assert (again.status, again.error_code) == ("FAILED", "AlreadyExists")
    assert NAME in again.message
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_create_invalid_input_makes_no_call(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    model = experiment(NAME)
    model["ShadowModeConfig"]["ShadowModelVariants"][0]["ShadowModelVariantName"] = "canary"
    outcome = cfn.run("CREATE", model)
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert "ShadowModeConfig.ShadowModelVariants[0].ShadowModelVariantName 'canary'" in outcome.message
    assert emulator.call_log() == []


def test_create_service_validation_reaches_the_user(cfn: CloudFormation) -> None:
    outcome = cfn.run("CREATE", experiment(NAME, EndpointName="missing-endpoint"))
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert outcome.message.startswith("CreateInferenceExperiment failed (ValidationException)")
    assert "missing-endpoint" in outcome.message


def test_create_settling_in_an_unexpected_terminal_status(
    cfn: CloudFormation, emulator: EmulatorControl, clock: ManualClock
) -> None:
    emulator.set_durations(Creating=30, Starting=40)
    schedule = {"StartTime": iso(clock.now), "EndTime": iso(clock.now + 60)}
    outcome = cfn.run("CREATE", experiment(NAME, Schedule=schedule))
    assert (outcome.status, outcome.error_code) == ("FAILED", "NotStabilized")
    assert "Completed" in outcome.message
    assert "scheduled end time" in outcome.message


def test_create_reinvoked_with_the_same_context_does_not_create_twice(
    cfn: CloudFormation, emulator: EmulatorControl
) -> None:
    emulator.set_durations(Creating=30)
    invoke = in_process()
    payload = cfn.payload("CREATE", experiment(NAME))
    reserved = invoke(payload)
    assert reserved["status"] == "IN_PROGRESS"
    payload["callbackContext"] = reserved["callbackContext"]
    first = invoke(copy.deepcopy(payload))
    assert first["status"] == "IN_PROGRESS"
    second = invoke(copy.deepcopy(payload))
    assert second["status"] == "IN_PROGRESS", second.get("message")
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_create_notices_out_of_band_deletion(cfn: CloudFormation, emulator: EmulatorControl, sagemaker: Any) -> None:
    emulator.set_durations(Creating=30)
    invoke = in_process()
    payload = cfn.payload("CREATE", experiment(NAME))
    payload["callbackContext"] = invoke(payload)["callbackContext"]
    waiting = invoke(payload)
    experiment_store().experiments.pop(NAME)
    payload["callbackContext"] = waiting["callbackContext"]
    gone = invoke(payload)
    assert (gone["status"], gone["errorCode"]) == ("FAILED", "NotStabilized")
    assert "disappeared" in gone["message"]


def experiment_store() -> Any:
    from moto.sagemaker.models import sagemaker_backends

    return inference_experiment_backends.of(sagemaker_backends["123456789012"]["us-east-1"])


# ---- read and list ---------------------------------------------------------------------


def test_read_returns_every_readable_property(cfn: CloudFormation, sagemaker: Any) -> None:
    capture = {
        "Destination": "s3://capture/shadow",
        "KmsKey": "capture-key",
        "ContentType": {"JsonContentTypes": ["application/json"]},
    }
    model = experiment(
        NAME, Description="d", KmsKey="volume-key", DataStorageConfig=capture, Tags=[{"Key": "a", "Value": "1"}]
    )
    created(cfn, model)
    read = cfn.run("READ", {"Name": NAME})
    assert read.succeeded
    assert read.model is not None
    for key in (*RETURNED_AS_GIVEN, "Tags"):
        assert read.model[key] == model[key], key
    for key in ("CreationTime", "LastModifiedTime"):
        assert read.model[key].endswith("Z")
        assert datetime.fromisoformat(read.model[key]).tzinfo is not None
    assert read.model["Status"] == "Running"
    assert read.model["EndpointMetadata"]["EndpointName"] == "shadow-endpoint"


def test_read_and_delete_and_update_of_missing(cfn: CloudFormation) -> None:
    for action in ("READ", "DELETE", "UPDATE"):
        outcome = cfn.run(action, experiment("ghost"), previous=experiment("ghost") if action == "UPDATE" else None)
        assert (outcome.status, outcome.error_code) == ("FAILED", "NotFound"), action
        assert "'ghost'" in outcome.message


def test_read_and_delete_need_a_name(cfn: CloudFormation) -> None:
    for action in ("READ", "DELETE"):
        outcome = cfn.run(action, {})
        assert outcome.error_code == "InvalidRequest"


def test_list_every_page_in_one_invocation(cfn: CloudFormation, sagemaker: Any) -> None:
    request = experiment("x")
    for index in range(205):
        sagemaker.create_inference_experiment(**{**request, "Name": f"exp-{index:03d}"})
        sagemaker.stop_inference_experiment(
            Name=f"exp-{index:03d}", ModelVariantActions={"production": "Retain", "shadow": "Remove"}
        )
    outcome = cfn.run("LIST", {})
    assert outcome.invocations == 1
    assert sorted(m["Name"] for m in outcome.models) == [f"exp-{i:03d}" for i in range(205)]
    assert all(m["Status"] == "Completed" for m in outcome.models)


# ---- update --------------------------------------------------------------------------


def test_update_running_experiment_allowed_fields(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    began = clock.now
    schedule = {"StartTime": iso(began), "EndTime": iso(began + 86400)}
    previous = experiment(NAME, Description="v1", Schedule=schedule)
    created(cfn, previous)
    desired = copy.deepcopy(previous)
    desired["Description"] = "v2"
    desired["Schedule"] = {"StartTime": schedule["StartTime"], "EndTime": iso(began + 2 * 86400)}
    desired["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 20
    emulator.set_durations(Updating=30)
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert outcome.succeeded, outcome.message
    described = describe(sagemaker)
    assert described["Description"] == "v2"
    assert described["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] == 20
    assert described["Schedule"]["EndTime"].timestamp() == began + 2 * 86400
    assert mutations(emulator) == ["CreateInferenceExperiment", "UpdateInferenceExperiment"]


def test_update_running_experiment_forbidden_change(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    previous = experiment(NAME)
    created(cfn, previous)
    desired = copy.deepcopy(previous)
    desired["ModelVariants"][1]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 4
    desired["Description"] = "and a description"
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert "ModelVariants" in outcome.message
    assert "Running" in outcome.message
    assert mutations(emulator) == ["CreateInferenceExperiment"]


def test_update_created_experiment_any_field_then_start(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    schedule = {"StartTime": iso(clock.now + 86400), "EndTime": iso(clock.now + 2 * 86400)}
    previous = experiment(NAME, Schedule=schedule)
    created(cfn, previous)
    desired = copy.deepcopy(previous)
    desired["ModelVariants"][1]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 2
    desired["DataStorageConfig"] = {"Destination": "s3://capture/later"}
    desired["DesiredState"] = "Running"
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert outcome.succeeded, outcome.message
    assert outcome.model is not None
    assert outcome.model["Status"] == "Running"
    assert describe(sagemaker)["DataStorageConfig"] == {"Destination": "s3://capture/later"}
    assert mutations(emulator) == ["CreateInferenceExperiment", "UpdateInferenceExperiment", "StartInferenceExperiment"]


def test_update_waits_for_a_transitional_status_then_applies(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl
) -> None:
    previous = experiment(NAME, Description="v1")
    created(cfn, previous)
    emulator.set_durations(Updating=45)
    sagemaker.update_inference_experiment(Name=NAME, Description="outside")
    outcome = cfn.run("UPDATE", experiment(NAME, Description="v2"), previous=previous)
    assert outcome.succeeded
    assert outcome.invocations > 1
    assert describe(sagemaker)["Description"] == "v2"


@pytest.mark.parametrize(
    ("kept", "production", "shadows", "actions"),
    [
        (["production", "shadow"], ["production"], ["shadow"], {"production": "Retain", "shadow": "Retain"}),
        (["production"], ["production"], [], {"production": "Retain", "shadow": "Remove"}),
        (["shadow"], ["shadow"], [], {"production": "Remove", "shadow": "Promote"}),
    ],
)
def test_update_stop_applies_the_variant_choice(
    cfn: CloudFormation,
    sagemaker: Any,
    emulator: EmulatorControl,
    kept: list[str],
    production: list[str],
    shadows: list[str],
    actions: dict[str, str],
) -> None:
    previous = experiment(NAME, DesiredState="Running")
    created(cfn, previous)
    desired = copy.deepcopy(previous)
    desired["DesiredState"] = "Completed"
    desired["ModelVariants"] = [v for v in desired["ModelVariants"] if v["VariantName"] in kept]
    emulator.set_durations(Stopping=60)
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert outcome.succeeded, outcome.message
    assert outcome.model is not None
    assert outcome.model["Status"] == "Completed"
    assert endpoint_variants(sagemaker) == (production, shadows)
    assert mutations(emulator) == ["CreateInferenceExperiment", "StopInferenceExperiment"]
    assert experiment_store().experiments[NAME].stop_request["actions"] == actions


def test_update_rollback_after_a_stop_succeeds_and_says_what_was_not_applied(
    cfn: CloudFormation, emulator: EmulatorControl
) -> None:
    """Item 1: CloudFormation rolls a failed update back by sending the old template."""
    running = experiment(NAME, Description="before")
    created(cfn, running)
    stopped = experiment(NAME, DesiredState="Completed", Description="after")
    forward = cfn.run("UPDATE", stopped, previous=running)
    assert forward.succeeded, forward.message
    before = mutations(emulator)
    rollback = cfn.run("UPDATE", running, previous=stopped)
    assert rollback.succeeded, rollback.message
    assert "Not applied: Description" in str(rollback.message)
    assert mutations(emulator) == before, "a finished experiment gets no SageMaker call but tags"
    restart = cfn.run("UPDATE", experiment(NAME, DesiredState="Running"), previous=stopped)
    assert restart.succeeded
    assert "DesiredState Running" in str(restart.message)


def test_update_after_a_natural_end_applies_tags_only(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    """Item 2: after the schedule ends, template changes are history, tags still apply."""
    previous = experiment(NAME, Schedule={"EndTime": iso(clock.now + 3600)})
    created(cfn, previous)
    clock.advance(7200)
    assert describe(sagemaker)["Status"] == "Completed"
    desired = experiment(NAME, Description="late", Tags=[{"Key": "team", "Value": "ml"}])
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert outcome.succeeded, outcome.message
    assert outcome.model is not None
    assert outcome.model["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert "Description" in str(outcome.message)
    assert "UpdateInferenceExperiment" not in mutations(emulator)


def test_promotion_on_an_experiment_that_already_ended_is_refused(
    cfn: CloudFormation, sagemaker: Any, clock: ManualClock
) -> None:
    previous = experiment(NAME, Schedule={"EndTime": iso(clock.now + 3600)})
    created(cfn, previous)
    clock.advance(7200)
    promote = experiment(NAME, DesiredState="Completed", Schedule=previous["Schedule"])
    promote["ModelVariants"] = promote["ModelVariants"][1:]
    outcome = cfn.run("UPDATE", promote, previous=previous)
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert "not promoted" in outcome.message
    rollback = cfn.run("UPDATE", previous, previous=promote)
    assert rollback.succeeded, rollback.message


@pytest.mark.parametrize("action", ["Stop", "Start"])
def test_stop_or_start_that_sagemaker_ends_cancelled_is_not_success(
    cfn: CloudFormation, emulator: EmulatorControl, action: str, clock: ManualClock
) -> None:
    """Item 3: SageMaker shows Cancelled when an operation fails; its StatusReason is the cause."""
    emulator.settings.script_outcome(action, "Cancelled", "Promotion failed: insufficient capacity for ml.m5.xlarge")
    if action == "Stop":
        previous = experiment(NAME)
        created(cfn, previous)
        outcome = cfn.run("UPDATE", experiment(NAME, DesiredState="Completed"), previous=previous)
    else:
        outcome = cfn.run("CREATE", experiment(NAME, DesiredState="Running", Schedule=future_schedule(clock)))
    assert (outcome.status, outcome.error_code) == ("FAILED", "NotStabilized")
    assert "insufficient capacity" in outcome.message


def future_schedule(clock: ManualClock) -> dict[str, str]:
    return {"StartTime": iso(clock.now + 86400), "EndTime": iso(clock.now + 2 * 86400)}


@pytest.mark.parametrize("stop_before_start", [True, False])
def test_desired_finished_on_a_scheduled_experiment(
    cfn: CloudFormation, emulator: EmulatorControl, sagemaker: Any, stop_before_start: bool, clock: ManualClock
) -> None:
    """Item 4: never SUCCESS while it is still scheduled to start; both answers of the
    undocumented 'may Stop be called on a Created experiment' are handled."""
    emulator.settings.stop_before_start = stop_before_start
    outcome = cfn.run("CREATE", experiment(NAME, DesiredState="Completed", Schedule=future_schedule(clock)))
    if stop_before_start:
        assert outcome.succeeded, outcome.message
        assert describe(sagemaker)["Status"] == "Completed"
    else:
        assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
        assert "scheduled to start at" in outcome.message
        assert "delete the resource" in outcome.message
    assert endpoint_variants(sagemaker) == (["production"], [])


def test_update_after_an_early_start_extends_end_time_without_resending_start(
    cfn: CloudFormation, emulator: EmulatorControl, sagemaker: Any, clock: ManualClock
) -> None:
    """Item 5: DesiredState Running started the test early; its StartTime is SageMaker's now."""
    schedule = future_schedule(clock)
    previous = experiment(NAME, DesiredState="Running", Schedule=schedule)
    created(cfn, previous)
    longer = experiment(
        NAME, DesiredState="Running", Schedule={**schedule, "EndTime": iso(parse(schedule["EndTime"]) + 3600)}
    )
    outcome = cfn.run("UPDATE", longer, previous=previous)
    assert outcome.succeeded, outcome.message
    assert describe(sagemaker)["Schedule"]["EndTime"].timestamp() == parse(longer["Schedule"]["EndTime"])
    assert mutations(emulator)[-1] == "UpdateInferenceExperiment"


def parse(text: str) -> float:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_sdk_parameter_validation_is_invalid_request_at_once(cfn: CloudFormation) -> None:
    """Item 6: botocore's own validation is not a network failure retried for minutes."""
    previous = experiment(NAME)
    created(cfn, previous)
    desired = experiment(NAME, DesiredState="Completed", StatusReason="x" * 1025)
    outcome = cfn.run("UPDATE", desired, previous=previous)
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert "Reason" in outcome.message
    assert len(outcome.events) == 1


def test_conflict_from_sagemakers_scheduler_is_decided_again(
    cfn: CloudFormation, emulator: EmulatorControl, sagemaker: Any, clock: ManualClock
) -> None:
    """Item 7: the schedule starts the test between the Describe and the Start call."""
    schedule = future_schedule(clock)
    previous = experiment(NAME, Schedule=schedule)
    created(cfn, previous)
    emulator.before_call("StartInferenceExperiment", lambda: clock.advance(86400 + 1))
    outcome = cfn.run("UPDATE", experiment(NAME, DesiredState="Running", Schedule=schedule), previous=previous)
    assert outcome.succeeded, outcome.message
    assert describe(sagemaker)["Status"] == "Running"


def test_removed_description_is_cleared_and_data_storage_refused(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    """Item 8: a property removed from the template is cleared, or refused before any call."""
    previous = experiment(NAME, Description="to clear", Schedule=future_schedule(clock))
    created(cfn, previous)
    cleared = cfn.run("UPDATE", experiment(NAME, Schedule=previous["Schedule"]), previous=previous)
    assert cleared.succeeded, cleared.message
    assert not describe(sagemaker).get("Description")
    with_storage = experiment(NAME, Schedule=previous["Schedule"], DataStorageConfig={"Destination": "s3://b/p"})
    assert cfn.run("UPDATE", with_storage, previous=previous).succeeded
    before = mutations(emulator)
    refused = cfn.run("UPDATE", experiment(NAME, Schedule=previous["Schedule"]), previous=with_storage)
    assert (refused.status, refused.error_code) == ("FAILED", "InvalidRequest")
    assert "DataStorageConfig" in refused.message
    assert mutations(emulator) == before


def test_update_create_only_property(cfn: CloudFormation, sagemaker: Any) -> None:
    previous = experiment(NAME)
    created(cfn, previous)
    ensure_endpoint(sagemaker, "another-endpoint", "model-a")
    outcome = cfn.run("UPDATE", experiment(NAME, EndpointName="another-endpoint"), previous=previous)
    assert (outcome.status, outcome.error_code) == ("FAILED", "NotUpdatable")
    assert outcome.message.startswith("EndpointName cannot change")


def test_update_tags_template_and_stack(cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl) -> None:
    previous = experiment(NAME, Tags=[{"Key": "keep", "Value": "1"}, {"Key": "drop", "Value": "2"}])
    model = created(cfn, previous, stack_tags={"stack-old": "x", "shared": "stack"})
    sagemaker.add_tags(ResourceArn=model["Arn"], Tags=[{"Key": "unmanaged", "Value": "hands-off"}])
    desired = experiment(
        NAME, Tags=[{"Key": "keep", "Value": "1"}, {"Key": "new", "Value": "3"}, {"Key": "shared", "Value": "template"}]
    )
    outcome = cfn.run(
        "UPDATE",
        desired,
        previous=previous,
        stack_tags={"stack-new": "y", "shared": "stack"},
        previous_stack_tags={"stack-old": "x", "shared": "stack"},
    )
    assert outcome.succeeded
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=model["Arn"])["Tags"]}
    assert tags == {"keep": "1", "new": "3", "shared": "template", "stack-new": "y", "unmanaged": "hands-off"}
    assert mutations(emulator)[-2:] == ["DeleteTags", "AddTags"]


def test_update_invalid_input_names_the_field(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    previous = experiment(NAME)
    created(cfn, previous)
    outcome = cfn.run("UPDATE", experiment(NAME, Description=""), previous=previous)
    assert outcome.error_code == "InvalidRequest"
    assert "Description" in outcome.message
    assert mutations(emulator) == ["CreateInferenceExperiment"]


# ---- delete --------------------------------------------------------------------------


def test_delete_running_experiment_stops_and_restores_the_endpoint(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl
) -> None:
    model = created(cfn, experiment(NAME))
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    emulator.set_durations(Stopping=60, Deleting=20)
    outcome = cfn.run("DELETE", model)
    assert outcome.succeeded
    assert outcome.model is None
    assert endpoint_variants(sagemaker) == (["production"], [])
    assert mutations(emulator) == ["CreateInferenceExperiment", "StopInferenceExperiment", "DeleteInferenceExperiment"]
    assert NAME not in experiment_store().experiments
    again = cfn.run("CREATE", experiment(NAME))
    assert again.succeeded, "an immediate re-create of the same name works"


def test_delete_after_a_resize_keeps_the_experiments_production_config(
    cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl
) -> None:
    """docs/desired-state.md: the start deploys production with the experiment's configuration,
    and delete retains it; only when the two match does the endpoint end as it began."""
    model = experiment(NAME)
    model["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = 3
    created(cfn, model)
    assert cfn.run("DELETE", model).succeeded
    endpoint = sagemaker.describe_endpoint(EndpointName="shadow-endpoint")
    assert [(v["VariantName"], v["CurrentInstanceCount"]) for v in endpoint["ProductionVariants"]] == [
        ("production", 3)
    ]
    assert not endpoint.get("ShadowProductionVariants")


def test_delete_created_experiment_without_stopping(
    cfn: CloudFormation, emulator: EmulatorControl, clock: ManualClock
) -> None:
    schedule = {"StartTime": iso(clock.now + 86400), "EndTime": iso(clock.now + 2 * 86400)}
    model = created(cfn, experiment(NAME, Schedule=schedule))
    assert cfn.run("DELETE", model).succeeded
    assert mutations(emulator) == ["CreateInferenceExperiment", "DeleteInferenceExperiment"]


def test_delete_waits_for_transitional_status(cfn: CloudFormation, sagemaker: Any, emulator: EmulatorControl) -> None:
    model = created(cfn, experiment(NAME))
    emulator.set_durations(Updating=50)
    sagemaker.update_inference_experiment(Name=NAME, Description="busy")
    outcome = cfn.run("DELETE", model)
    assert outcome.succeeded
    assert outcome.events[0]["status"] == "IN_PROGRESS"
    assert "is Updating" in outcome.events[0]["message"]


def test_delete_reinvoked_after_delete_call(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    model = created(cfn, experiment(NAME, DesiredState="Completed"))
    emulator.set_durations(Deleting=30)
    invoke = in_process()
    payload = cfn.payload("DELETE", model)
    first = invoke(payload)
    assert first["status"] == "IN_PROGRESS"
    payload["callbackContext"] = first["callbackContext"]
    assert invoke(copy.deepcopy(payload))["status"] == "IN_PROGRESS"
    assert mutations(emulator).count("DeleteInferenceExperiment") == 1


# ---- transient and transport failures ---------------------------------------------


def test_throttling_is_retried_with_backoff(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    emulator.set_faults(11, throttle_rate=0.5)
    outcome = cfn.run("CREATE", experiment(NAME, DesiredState="Running"))
    assert outcome.succeeded, outcome.message
    assert any(c.result == "ThrottlingException" for c in emulator.call_log())


@pytest.mark.parametrize(
    ("throttle", "server_error", "code"), [(1.0, 0.0, "Throttling"), (0.0, 1.0, "ServiceInternalError")]
)
def test_persistent_faults_fail_after_bounded_retries(
    cfn: CloudFormation, emulator: EmulatorControl, throttle: float, server_error: float, code: str
) -> None:
    emulator.set_faults(5, throttle_rate=throttle, server_error_rate=server_error)
    outcome = cfn.run("CREATE", experiment(NAME))
    assert (outcome.status, outcome.error_code) == ("FAILED", code)
    assert "DescribeInferenceExperiment failed" in outcome.message
    assert 2 < outcome.invocations <= 10


def test_read_fails_at_once_on_throttling(cfn: CloudFormation, emulator: EmulatorControl) -> None:
    emulator.set_faults(5, throttle_rate=1.0)
    outcome = cfn.run("READ", {"Name": NAME})
    assert (outcome.status, outcome.error_code, outcome.invocations) == ("FAILED", "Throttling", 1)


def test_unreachable_service_is_network_failure(cfn: CloudFormation, monkeypatch: pytest.MonkeyPatch) -> None:
    from sandbox.lambda_runtime.processes import free_port

    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    outcome = cfn.run("LIST", {})
    assert (outcome.status, outcome.error_code) == ("FAILED", "NetworkFailure")
    assert "ListInferenceExperiments could not reach SageMaker" in outcome.message


def test_missing_credentials_are_reported(cfn: CloudFormation) -> None:
    payload = cfn.payload("READ", {"Name": NAME})
    payload["requestData"]["callerCredentials"] = None
    response = in_process()(payload)
    assert (response["status"], response["errorCode"]) == ("FAILED", "InvalidCredentials")


@pytest.mark.parametrize(
    ("path", "value", "named"),
    [
        (
            ("ModelVariants", 0, "InfrastructureConfig", "RealTimeInferenceConfig", "InstanceCount"),
            "abc",
            "ModelVariants[0].InfrastructureConfig.RealTimeInferenceConfig.InstanceCount",
        ),
        (("ModelVariants",), "oops", "ModelVariants must be of type array"),
        (("Tags",), {"a": "b"}, "Tags must be of type array"),
        (("Schedule",), ["x"], "Schedule must be of type object"),
    ],
)
def test_wrong_types_are_named_before_the_library_recasts(
    cfn: CloudFormation, emulator: EmulatorControl, path: tuple[Any, ...], value: Any, named: str
) -> None:
    model = experiment(NAME)
    target: Any = model
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    outcome = cfn.run("CREATE", model)
    assert (outcome.status, outcome.error_code) == ("FAILED", "InvalidRequest")
    assert named in outcome.message
    assert emulator.call_log() == []


def test_numbers_as_cloudformation_sends_them(cfn: CloudFormation) -> None:
    model = experiment(NAME)
    model["ModelVariants"][0]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"] = "1"
    model["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = "30"
    created_model = created(cfn, model)
    assert created_model["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] == 30
