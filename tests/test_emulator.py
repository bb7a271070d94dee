"""The emulator through boto3, not through the handlers: operations, validation, statuses,
schedule, endpoint effects, tags, fault injection and the call log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.server import EmulatorControl, ManualClock
from sandbox.suites.seed import shadow_test_request, variant
from tests.helpers import ENDPOINT, endpoint_variants, error_code


def status(sagemaker: Any, name: str = "exp") -> str:
    return str(sagemaker.describe_inference_experiment(Name=name)["Status"])


def at(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def test_every_operation_round_trip(sagemaker: Any, emulator: EmulatorControl) -> None:
    arn = sagemaker.create_inference_experiment(**shadow_test_request("exp"), Description="first", KmsKey="key-1")[
        "InferenceExperimentArn"
    ]
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:inference-experiment/exp"
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert described["Status"] == "Running"
    assert described["Description"] == "first"
    assert described["KmsKey"] == "key-1"
    assert described["EndpointMetadata"] == {
        "EndpointName": ENDPOINT,
        "EndpointConfigName": f"{ENDPOINT}-config",
        "EndpointStatus": "InService",
    }
    assert [v["Status"] for v in described["ModelVariants"]] == ["InService", "InService"]
    assert (described["Schedule"]["EndTime"] - described["Schedule"]["StartTime"]).days == 7

    sagemaker.update_inference_experiment(Name="exp", Description="second")
    assert sagemaker.describe_inference_experiment(Name="exp")["Description"] == "second"
    summaries = sagemaker.list_inference_experiments()["InferenceExperiments"]
    assert [s["Name"] for s in summaries] == ["exp"]
    sagemaker.stop_inference_experiment(Name="exp", ModelVariantActions={"production": "Retain", "shadow": "Remove"})
    assert status(sagemaker) == "Completed"
    sagemaker.delete_inference_experiment(Name="exp")
    assert error_code(sagemaker.describe_inference_experiment, Name="exp") == "ResourceNotFound"
    assert [c.operation for c in emulator.call_log()] == [
        "CreateInferenceExperiment",
        "DescribeInferenceExperiment",
        "UpdateInferenceExperiment",
        "DescribeInferenceExperiment",
        "ListInferenceExperiments",
        "StopInferenceExperiment",
        "DescribeInferenceExperiment",
        "DeleteInferenceExperiment",
        "DescribeInferenceExperiment",
    ]
    assert emulator.call_log()[-1].result == "ResourceNotFound"
    assert emulator.call_log()[0].name == "exp"


def test_start_from_created(sagemaker: Any, clock: ManualClock) -> None:
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**shadow_test_request("exp"), Schedule=future)
    assert status(sagemaker) == "Created"
    assert endpoint_variants(sagemaker) == (["production"], [])
    sagemaker.start_inference_experiment(Name="exp")
    assert status(sagemaker) == "Running"
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    schedule = sagemaker.describe_inference_experiment(Name="exp")["Schedule"]
    assert schedule["StartTime"].timestamp() == clock.now


def broken(request: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return {**request, **changes}


def shadow(source: str, name: str, percentage: int = 50) -> dict[str, Any]:
    return {
        "SourceModelVariantName": source,
        "ShadowModelVariants": [{"ShadowModelVariantName": name, "SamplingPercentage": percentage}],
    }


BASE = shadow_test_request("exp")
INVALID_CREATES = {
    "unknown endpoint": broken(BASE, EndpointName="nowhere"),
    "unknown model": broken(BASE, ModelVariants=[BASE["ModelVariants"][0], variant("shadow", "missing-model")]),
    "source not a variant": broken(BASE, ShadowModeConfig=shadow("elsewhere", "shadow")),
    "shadow not a variant": broken(BASE, ShadowModeConfig=shadow("production", "elsewhere")),
    "duplicate variants": broken(
        BASE, ModelVariants=[variant("production", "model-a"), variant("production", "model-b")]
    ),
    "sampling above 100": broken(BASE, ShadowModeConfig=shadow("production", "shadow", 101)),
    "shadow is the source": broken(BASE, ShadowModeConfig=shadow("production", "production")),
    "three variants": broken(BASE, ModelVariants=[*BASE["ModelVariants"], variant("third", "model-a")]),
    "two shadow variants": broken(
        BASE,
        ShadowModeConfig={
            "SourceModelVariantName": "production",
            "ShadowModelVariants": [
                {"ShadowModelVariantName": "shadow", "SamplingPercentage": 50},
                {"ShadowModelVariantName": "production", "SamplingPercentage": 50},
            ],
        },
    ),
    "unused variant": broken(
        BASE,
        ModelVariants=[variant("production", "model-a"), variant("spare", "model-b")],
        ShadowModeConfig=shadow("production", "production"),
    ),
    "source not on endpoint": broken(
        BASE,
        ModelVariants=[variant("other", "model-a"), variant("shadow", "model-b")],
        ShadowModeConfig=shadow("other", "shadow"),
    ),
    "wrong type": broken(BASE, Type="AbTest"),
    "end before start": broken(BASE, Schedule={"StartTime": at(2_000_000_000), "EndTime": at(1_999_999_000)}),
    "longer than 30 days": broken(
        BASE, Schedule={"StartTime": at(2_000_000_000), "EndTime": at(2_000_000_000 + 31 * 86400)}
    ),
}


@pytest.mark.parametrize("request_", INVALID_CREATES.values(), ids=INVALID_CREATES.keys())
def test_create_validation(sagemaker: Any, emulator: EmulatorControl, request_: dict[str, Any]) -> None:
    assert error_code(sagemaker.create_inference_experiment, **request_) == "ValidationException"
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []


def test_endpoints_that_cannot_host_a_shadow_test(sagemaker: Any) -> None:
    ensure_model(sagemaker, "model-a")
    sagemaker.create_endpoint_config(
        EndpointConfigName="serverless-config",
        ProductionVariants=[
            {
                "VariantName": "production",
                "ModelName": "model-a",
                "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName="serverless", EndpointConfigName="serverless-config")
    sagemaker.create_endpoint_config(
        EndpointConfigName="async-config",
        ProductionVariants=[
            {
                "VariantName": "production",
                "ModelName": "model-a",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.m5.large",
            }
        ],
        AsyncInferenceConfig={"OutputConfig": {"S3OutputPath": "s3://bucket/out"}},
    )
    sagemaker.create_endpoint(EndpointName="async", EndpointConfigName="async-config")
    sagemaker.create_model(
        ModelName="pipeline",
        ExecutionRoleArn=BASE["RoleArn"],
        Containers=[{"Image": "a"}, {"Image": "b"}],
    )
    for endpoint in ("serverless", "async"):
        assert (
            error_code(sagemaker.create_inference_experiment, **broken(BASE, EndpointName=endpoint))
            == "ValidationException"
        )
    multi = broken(BASE, ModelVariants=[BASE["ModelVariants"][0], variant("shadow", "pipeline")])
    assert error_code(sagemaker.create_inference_experiment, **multi) == "ValidationException"


def test_name_taken_and_endpoint_busy(sagemaker: Any) -> None:
    sagemaker.create_inference_experiment(**BASE)
    assert error_code(sagemaker.create_inference_experiment, **BASE) == "ResourceInUse"
    other = broken(BASE, Name="other")
    assert error_code(sagemaker.create_inference_experiment, **other) == "ValidationException"


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("describe_inference_experiment", {}),
        ("update_inference_experiment", {"Description": "x"}),
        ("start_inference_experiment", {}),
        ("stop_inference_experiment", {"ModelVariantActions": {"production": "Retain"}}),
        ("delete_inference_experiment", {}),
    ],
)
def test_unknown_name_is_resource_not_found(sagemaker: Any, operation: str, kwargs: dict[str, Any]) -> None:
    assert error_code(getattr(sagemaker, operation), Name="ghost", **kwargs) == "ResourceNotFound"


STOP = {"ModelVariantActions": {"production": "Retain", "shadow": "Remove"}}
FORBIDDEN = {
    # status -> operations that must answer ConflictException there
    "Creating": ["update", "start", "stop", "delete"],
    "Created": ["stop"],
    "Updating": ["update", "start", "stop", "delete"],
    "Starting": ["update", "start", "stop", "delete"],
    "Running": ["start", "delete"],
    "Stopping": ["update", "start", "stop", "delete"],
    "Completed": ["update", "start", "stop"],
    "Cancelled": ["update", "start", "stop"],
}
CALLS = {
    "update": ("update_inference_experiment", {"Description": "x"}),
    "start": ("start_inference_experiment", {}),
    "stop": ("stop_inference_experiment", STOP),
    "delete": ("delete_inference_experiment", {}),
}


def bring_to(sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, target: str) -> None:
    """Create an experiment and leave it in `target` (transitions take 10 s each)."""
    emulator.set_durations(10)
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**BASE, Schedule=future)
    if target == "Creating":
        return
    clock.advance(10)
    if target == "Created":
        return
    if target == "Updating":
        sagemaker.update_inference_experiment(Name="exp", Description="u")
        return
    sagemaker.start_inference_experiment(Name="exp")
    if target == "Starting":
        return
    clock.advance(10)
    if target == "Running":
        return
    sagemaker.stop_inference_experiment(
        Name="exp", DesiredState="Cancelled" if target == "Cancelled" else "Completed", **STOP
    )
    if target != "Stopping":
        clock.advance(10)


@pytest.mark.parametrize(
    ("state", "operation"), [(s, o) for s, ops in FORBIDDEN.items() for o in ops], ids=lambda v: str(v)
)
def test_wrong_status_is_conflict(
    sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, state: str, operation: str
) -> None:
    bring_to(sagemaker, emulator, clock, state)
    assert status(sagemaker) == state
    method, kwargs = CALLS[operation]
    assert error_code(getattr(sagemaker, method), Name="exp", **kwargs) == "ConflictException"


@pytest.mark.parametrize("seconds", [0, 30])
def test_transitions_follow_the_clock(
    sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, seconds: int
) -> None:
    emulator.set_durations(seconds)
    sagemaker.create_inference_experiment(**BASE)
    seen = [status(sagemaker)]
    for _ in range(2):
        clock.advance(seconds)
        seen.append(status(sagemaker))
    expected = ["Running"] * 3 if seconds == 0 else ["Creating", "Starting", "Running"]
    assert seen == expected
    sagemaker.update_inference_experiment(Name="exp", Description="d")
    assert status(sagemaker) == ("Running" if seconds == 0 else "Updating")
    clock.advance(seconds)
    assert status(sagemaker) == "Running"
    sagemaker.stop_inference_experiment(Name="exp", DesiredState="Cancelled", Reason="enough", **STOP)
    assert status(sagemaker) == ("Cancelled" if seconds == 0 else "Stopping")
    clock.advance(seconds)
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert (described["Status"], described["StatusReason"]) == ("Cancelled", "enough")


def test_deletion_can_take_time(sagemaker: Any, emulator: EmulatorControl, clock: ManualClock) -> None:
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.stop_inference_experiment(Name="exp", **STOP)
    emulator.set_durations(Deleting=20)
    sagemaker.delete_inference_experiment(Name="exp")
    assert status(sagemaker) == "Completed"
    clock.advance(20)
    assert error_code(sagemaker.describe_inference_experiment, Name="exp") == "ResourceNotFound"


def test_schedule_starts_and_ends_the_test(sagemaker: Any, emulator: EmulatorControl, clock: ManualClock) -> None:
    emulator.set_durations(Starting=5)
    start, end = clock.now + 100, clock.now + 1000
    sagemaker.create_inference_experiment(**BASE, Schedule={"StartTime": at(start), "EndTime": at(end)})
    assert status(sagemaker) == "Created"
    clock.advance(100)
    assert status(sagemaker) == "Starting"
    clock.advance(5)
    assert status(sagemaker) == "Running"
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    sagemaker.update_inference_experiment(Name="exp", Schedule={"EndTime": at(end + 500)})
    clock.advance(1000)
    assert status(sagemaker) == "Running"
    clock.advance(500)
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert described["Status"] == "Completed"
    assert described["CompletionTime"].timestamp() == end + 500
    assert endpoint_variants(sagemaker) == (["production"], [])


def test_running_experiment_changes(sagemaker: Any) -> None:
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.update_inference_experiment(
        Name="exp", Description="ok", ShadowModeConfig=shadow("production", "shadow", 10)
    )
    assert sagemaker.describe_inference_experiment(Name="exp")["ShadowModeConfig"] == shadow("production", "shadow", 10)
    bigger = [
        BASE["ModelVariants"][0],
        {
            **variant("shadow", "model-b"),
            "InfrastructureConfig": {
                "InfrastructureType": "RealTimeInference",
                "RealTimeInferenceConfig": {"InstanceType": "ml.m5.xlarge", "InstanceCount": 2},
            },
        },
    ]
    forbidden = [
        {"ModelVariants": bigger},
        {"DataStorageConfig": {"Destination": "s3://bucket/capture"}},
        {"Schedule": {"StartTime": at(2_100_000_000)}},
    ]
    for change in forbidden:
        assert error_code(sagemaker.update_inference_experiment, Name="exp", **change) == "ValidationException"


def test_created_experiment_accepts_every_change(sagemaker: Any, clock: ManualClock) -> None:
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**BASE, Schedule=future)
    later = {"StartTime": at(clock.now + 7200), "EndTime": at(clock.now + 9000)}
    sagemaker.update_inference_experiment(
        Name="exp", Schedule=later, DataStorageConfig={"Destination": "s3://bucket/capture"}
    )
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert described["Schedule"]["StartTime"].timestamp() == clock.now + 7200
    assert described["DataStorageConfig"] == {"Destination": "s3://bucket/capture"}


@pytest.mark.parametrize(
    ("actions", "desired", "production", "shadows"),
    [
        ({"production": "Retain", "shadow": "Remove"}, None, ["production"], []),
        ({"production": "Retain", "shadow": "Retain"}, None, ["production"], ["shadow"]),
        ({"production": "Remove", "shadow": "Promote"}, None, ["shadow"], []),
        ({"production": "Remove", "shadow": "Promote"}, [variant("shadow", "model-b")], ["shadow"], []),
    ],
)
def test_stop_variant_actions_reach_the_endpoint(
    sagemaker: Any, actions: dict[str, str], desired: Any, production: list[str], shadows: list[str]
) -> None:
    sagemaker.create_inference_experiment(**BASE)
    extra = {"DesiredModelVariants": desired} if desired else {}
    sagemaker.stop_inference_experiment(Name="exp", ModelVariantActions=actions, **extra)
    assert endpoint_variants(sagemaker) == (production, shadows)


@pytest.mark.parametrize(
    "actions",
    [
        {"production": "Retain"},
        {"production": "Promote", "shadow": "Remove"},
        {"production": "Retain", "shadow": "Promote"},
        {"production": "Retain", "shadow": "Remove", "ghost": "Remove"},
    ],
)
def test_invalid_variant_actions(sagemaker: Any, actions: dict[str, str]) -> None:
    sagemaker.create_inference_experiment(**BASE)
    assert (
        error_code(sagemaker.stop_inference_experiment, Name="exp", ModelVariantActions=actions)
        == "ValidationException"
    )
    assert status(sagemaker) == "Running"


def test_tags_on_experiment_arns(sagemaker: Any) -> None:
    arn = sagemaker.create_inference_experiment(**BASE, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])[
        "InferenceExperimentArn"
    ]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "overwritten"}, {"Key": "c", "Value": "3"}])
    sagemaker.delete_tags(ResourceArn=arn, TagKeys=["b"])
    tags = sagemaker.list_tags(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("a", "overwritten"), ("c", "3")]
    missing = arn.replace("/exp", "/ghost")
    assert error_code(sagemaker.list_tags, ResourceArn=missing) == "ValidationException"


def test_list_pages_filters_and_sorts(sagemaker: Any, clock: ManualClock) -> None:
    for index in range(25):
        sagemaker.create_inference_experiment(**broken(BASE, Name=f"exp-{index:02d}"))
        sagemaker.stop_inference_experiment(Name=f"exp-{index:02d}", **STOP)
        clock.advance(1)
    names: list[str] = []
    kwargs: dict[str, Any] = {"MaxResults": 10, "SortBy": "Name", "SortOrder": "Ascending"}
    pages = 0
    while True:
        page = sagemaker.list_inference_experiments(**kwargs)
        names += [s["Name"] for s in page["InferenceExperiments"]]
        pages += 1
        if "NextToken" not in page:
            break
        kwargs["NextToken"] = page["NextToken"]
    assert names == [f"exp-{i:02d}" for i in range(25)]
    assert pages == 3
    newest_first = sagemaker.list_inference_experiments(MaxResults=3)["InferenceExperiments"]
    assert [s["Name"] for s in newest_first] == ["exp-24", "exp-23", "exp-22"]
    filtered = sagemaker.list_inference_experiments(NameContains="exp-1", StatusEquals="Completed")
    assert len(filtered["InferenceExperiments"]) == 10
    assert sagemaker.list_inference_experiments(StatusEquals="Running")["InferenceExperiments"] == []


def fault_sequence(seed: int) -> list[str]:
    with_faults = []
    from sandbox.server import emulated_aws

    with emulated_aws() as control:
        client = boto3.client("sagemaker", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1}))
        control.set_faults(seed, throttle_rate=0.3, server_error_rate=0.2)
        for _ in range(40):
            try:
                client.list_inference_experiments()
                with_faults.append("ok")
            except ClientError as error:
                with_faults.append(error.response["Error"]["Code"])
        assert [c.result for c in control.call_log()] == [r if r != "ok" else "Success" for r in with_faults]
    return with_faults


def test_fault_injection_is_reproducible_from_its_seed() -> None:
    first, again, other = fault_sequence(7), fault_sequence(7), fault_sequence(8)
    assert first == again
    assert first != other
    assert {"ok", "ThrottlingException", "InternalFailure"} == set(first)


def test_faults_limited_to_named_operations(sagemaker: Any, emulator: EmulatorControl) -> None:
    emulator.set_faults(1, throttle_rate=1.0, operations={"StartInferenceExperiment"})
    sagemaker.list_inference_experiments()
    assert emulator.faults.draw("StartInferenceExperiment") == "throttle"
    with pytest.raises(ValueError, match="at most 1"):
        emulator.set_faults(1, throttle_rate=0.8, server_error_rate=0.5)


def test_second_endpoint_and_other_services_still_work(emulator: EmulatorControl) -> None:
    client = boto3.client("sagemaker", region_name="us-east-1")
    ensure_endpoint(client, "another", "model-x", production_variant="main")
    assert client.describe_endpoint(EndpointName="another")["EndpointStatus"] == "InService"
    assert boto3.client("sts", region_name="us-east-1").get_caller_identity()["Account"] == "123456789012"
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="capture")


def instance_counts(sagemaker: Any) -> dict[str, int]:
    endpoint = sagemaker.describe_endpoint(EndpointName=ENDPOINT)
    variants = endpoint["ProductionVariants"] + (endpoint.get("ShadowProductionVariants") or [])
    return {v["VariantName"]: v["CurrentInstanceCount"] for v in variants}


RESIZED = broken(BASE, ModelVariants=[variant("production", "model-a", 3), variant("shadow", "model-b", 2)])


def test_start_deploys_production_with_the_experiments_configuration(sagemaker: Any, clock: ManualClock) -> None:
    """AWS's shadow-variant example: the test's start deploys production as the experiment configures it."""
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**RESIZED, Schedule=future)
    assert instance_counts(sagemaker) == {"production": 1}
    sagemaker.start_inference_experiment(Name="exp")
    assert instance_counts(sagemaker) == {"production": 3, "shadow": 2}


def test_natural_end_restores_the_endpoint_as_it_was(sagemaker: Any, clock: ManualClock) -> None:
    sagemaker.create_inference_experiment(**RESIZED, Schedule={"EndTime": at(clock.now + 600)})
    assert instance_counts(sagemaker) == {"production": 3, "shadow": 2}
    clock.advance(600)
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert described["Status"] == "Completed"
    assert instance_counts(sagemaker) == {"production": 1}
    assert [v["Status"] for v in described["ModelVariants"]] == ["InService", "Deleted"]


def test_retain_keeps_the_configuration_the_test_deployed(sagemaker: Any) -> None:
    """Retain keeps a variant as it is: production stays as the experiment resized it."""
    sagemaker.create_inference_experiment(**RESIZED)
    sagemaker.stop_inference_experiment(Name="exp", ModelVariantActions={"production": "Retain", "shadow": "Remove"})
    assert instance_counts(sagemaker) == {"production": 3}


@pytest.mark.parametrize(
    ("actions", "desired", "counts"),
    [
        (
            {"production": "Retain", "shadow": "Retain"},
            [variant("production", "model-a", 4), variant("shadow", "model-b", 5)],
            {"production": 4, "shadow": 5},
        ),
        ({"production": "Retain", "shadow": "Remove"}, [variant("production", "model-a", 2)], {"production": 2}),
        ({"production": "Remove", "shadow": "Promote"}, [variant("shadow", "model-b", 6)], {"shadow": 6}),
    ],
)
def test_desired_model_variants_configure_every_variant_deployed_after_the_stop(
    sagemaker: Any, actions: dict[str, str], desired: list[dict[str, Any]], counts: dict[str, int]
) -> None:
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.stop_inference_experiment(Name="exp", ModelVariantActions=actions, DesiredModelVariants=desired)
    assert instance_counts(sagemaker) == counts


KEEP_BOTH = {"production": "Retain", "shadow": "Retain"}
PROMOTE = {"production": "Remove", "shadow": "Promote"}


@pytest.mark.parametrize("removed_shows", ["Deleted", "InService"])
@pytest.mark.parametrize(
    ("actions", "statuses"),
    [
        (KEEP_BOTH, ["InService", "InService"]),
        ({"production": "Retain", "shadow": "Remove"}, ["InService", "Deleted"]),
        (PROMOTE, ["removed", "InService"]),
    ],
    ids=["retain both", "remove the shadow", "promote"],
)
def test_variant_statuses_after_a_stop(
    sagemaker: Any, emulator: EmulatorControl, removed_shows: str, actions: dict[str, str], statuses: list[str]
) -> None:
    """A removed production variant shows as the setting says (undocumented; docs/emulator.md),
    every other variant as the endpoint has it."""
    emulator.settings.removed_production_status = removed_shows
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.stop_inference_experiment(Name="exp", ModelVariantActions=actions)
    described = sagemaker.describe_inference_experiment(Name="exp")
    expected = [removed_shows if s == "removed" else s for s in statuses]
    assert [v["Status"] for v in described["ModelVariants"]] == expected


@pytest.mark.parametrize(
    ("actions", "desired"),
    [
        (STOP["ModelVariantActions"], [variant("shadow", "model-b")]),
        (STOP["ModelVariantActions"], [variant("production", "model-a"), variant("production", "model-a")]),
        (KEEP_BOTH, [variant("production", "model-a")]),
    ],
    ids=["a removed variant", "a duplicate", "a retained variant missing"],
)
def test_desired_model_variants_must_match_the_variants_deployed_after_the_stop(
    sagemaker: Any, actions: dict[str, str], desired: list[dict[str, Any]]
) -> None:
    sagemaker.create_inference_experiment(**BASE)
    code = error_code(
        sagemaker.stop_inference_experiment, Name="exp", ModelVariantActions=actions, DesiredModelVariants=desired
    )
    assert code == "ValidationException"
    assert status(sagemaker) == "Running"


def test_stop_reason_becomes_the_status_reason(sagemaker: Any) -> None:
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.stop_inference_experiment(Name="exp", Reason="candidate is slower", **STOP)
    assert sagemaker.describe_inference_experiment(Name="exp")["StatusReason"] == "candidate is slower"


def test_scripted_stop_ends_cancelled_and_leaves_the_endpoint(sagemaker: Any, emulator: EmulatorControl) -> None:
    """SageMaker shows Cancelled when an operation fails; the failed stop changed nothing."""
    sagemaker.create_inference_experiment(**BASE)
    emulator.settings.script_outcome("Stop", "Cancelled", "Endpoint update failed")
    sagemaker.stop_inference_experiment(Name="exp", **STOP)
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert (described["Status"], described["StatusReason"]) == ("Cancelled", "Endpoint update failed")
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    assert [v["Status"] for v in described["ModelVariants"]] == ["InService", "InService"]
    sagemaker.delete_inference_experiment(Name="exp")
    sagemaker.create_inference_experiment(**BASE)
    sagemaker.stop_inference_experiment(Name="exp", **STOP)
    assert status(sagemaker) == "Completed", "a scripted outcome applies once"


def test_scripted_start_ends_cancelled_without_deploying(
    sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**BASE, Schedule=future)
    emulator.settings.script_outcome("Start", "Cancelled", "Shadow variant failed to deploy")
    sagemaker.start_inference_experiment(Name="exp")
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert (described["Status"], described["StatusReason"]) == ("Cancelled", "Shadow variant failed to deploy")
    assert endpoint_variants(sagemaker) == (["production"], [])
    with pytest.raises(ValueError, match="only Start and Stop"):
        emulator.settings.script_outcome("Update", "Cancelled", "x")


@pytest.mark.parametrize("stop_before_start", [False, True])
def test_stop_before_start_is_a_setting(
    sagemaker: Any, emulator: EmulatorControl, clock: ManualClock, stop_before_start: bool
) -> None:
    """Undocumented: may Stop end a test that has not started? Both answers, one setting."""
    emulator.settings.stop_before_start = stop_before_start
    future = {"StartTime": at(clock.now + 3600), "EndTime": at(clock.now + 7200)}
    sagemaker.create_inference_experiment(**RESIZED, Schedule=future)
    keep_both = {"ModelVariantActions": KEEP_BOTH}
    if not stop_before_start:
        assert error_code(sagemaker.stop_inference_experiment, Name="exp", **keep_both) == "ConflictException"
        assert status(sagemaker) == "Created"
        return
    sagemaker.stop_inference_experiment(Name="exp", **keep_both)
    clock.advance(3600)
    assert status(sagemaker) == "Completed", "a stopped test never starts on its schedule"
    assert instance_counts(sagemaker) == {"production": 1}, "nothing was deployed, so nothing is retained"
