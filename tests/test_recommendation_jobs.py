"""The emulator's Inference Recommender jobs through a real boto3 client: statuses on the
emulator's clock, Default and Advanced jobs, stopping conditions, stop, listing, errors,
and the synthetic metrics' promises (deterministic, a costlier instance answers faster)."""

from __future__ import annotations

import itertools
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from moto.sagemaker.responses import SageMakerResponse

from sandbox.emulator.recommendations import RESPONSE_METHODS, JobStatus
from sandbox.emulator.recommendations.metrics import benchmark, default_candidates, instance_types
from sandbox.emulator.responses import RESPONSE_METHODS as EMULATED
from sandbox.server import EmulatorControl, ManualClock
from tests.helpers import FRAUD_INSTANCE_TYPES, register_fraud_package

ROLE = "arn:aws:iam::123456789012:role/SageMakerRecommender"
SUPPORTED = FRAUD_INSTANCE_TYPES
TIMING = {"PENDING": 60.0, "BENCHMARK": 600.0, "STOPPING": 30.0}


@pytest.fixture
def sagemaker(emulator: EmulatorControl) -> Any:
    return boto3.client("sagemaker", region_name="us-east-1")


@pytest.fixture
def package(sagemaker: Any) -> str:
    return register_fraud_package(sagemaker)


@pytest.fixture
def timed(clock: ManualClock, emulator: EmulatorControl) -> ManualClock:
    emulator.settings.set_job_durations(**TIMING)
    return clock


def create(sagemaker: Any, name: str, package: str, **extra: Any) -> Any:
    input_config = {"ModelPackageVersionArn": package, **extra.pop("input", {})}
    return sagemaker.create_inference_recommendations_job(
        JobName=name, JobType=extra.pop("job_type", "Default"), RoleArn=ROLE, InputConfig=input_config, **extra
    )


def steps(sagemaker: Any, name: str, **filters: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = sagemaker.list_inference_recommendations_job_steps(JobName=name, **filters)["Steps"]
    return result


def error_code(call: Any, **parameters: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**parameters)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


def test_status_vocabulary_is_botocores() -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    assert [s.value for s in JobStatus] == model.shape_for("RecommendationJobStatus").enum


def test_default_job_moves_through_pending_in_progress_completed_on_the_clock(
    sagemaker: Any, package: str, timed: ManualClock
) -> None:
    arn = create(sagemaker, "sizing", package)["JobArn"]
    assert arn == "arn:aws:sagemaker:us-east-1:123456789012:inference-recommendations-job/sizing"
    seen = []
    for _ in range(4):
        described = sagemaker.describe_inference_recommendations_job(JobName="sizing")
        recommends = "InferenceRecommendations" in described
        seen.append((described["Status"], recommends, [s["Status"] for s in steps(sagemaker, "sizing")]))
        timed.advance(600)
    # 60 s queued, then three benchmarks at a time of 600 s each: done at 60 + 2 * 600
    assert seen == [
        ("PENDING", False, ["PENDING"] * 5),
        ("IN_PROGRESS", False, ["IN_PROGRESS"] * 3 + ["PENDING"] * 2),
        ("IN_PROGRESS", False, ["COMPLETED"] * 3 + ["IN_PROGRESS"] * 2),
        ("COMPLETED", True, ["COMPLETED"] * 5),
    ]
    described = sagemaker.describe_inference_recommendations_job(JobName="sizing")
    assert described["CompletionTime"].timestamp() == described["CreationTime"].timestamp() + 1260


def test_completed_default_job_recommends_supported_instance_types_cheapest_per_inference_first(
    sagemaker: Any, package: str
) -> None:
    create(sagemaker, "sizing", package, JobDescription="v2 sizing")
    described = sagemaker.describe_inference_recommendations_job(JobName="sizing")
    assert described["Status"] == "COMPLETED"
    assert described["JobDescription"] == "v2 sizing"
    assert described["InputConfig"] == {"ModelPackageVersionArn": package}
    recommendations = described["InferenceRecommendations"]
    assert 1 <= len(recommendations) <= 5
    assert {r["EndpointConfiguration"]["InstanceType"] for r in recommendations} <= set(SUPPORTED)
    costs = [r["Metrics"]["CostPerInference"] for r in recommendations]
    assert costs == sorted(costs)
    for recommendation in recommendations:
        metrics = recommendation["Metrics"]
        assert recommendation["EndpointConfiguration"]["InitialInstanceCount"] == 1
        assert metrics["CostPerInference"] == pytest.approx(
            metrics["CostPerHour"] / (metrics["MaxInvocations"] * 60), rel=1e-3
        )
    assert len({r["RecommendationId"] for r in recommendations}) == len(recommendations)


def test_metrics_are_deterministic_and_a_costlier_instance_answers_faster() -> None:
    model = "arn:aws:sagemaker:us-east-1:123456789012:model-package/fraud/1"
    assert benchmark(model, "ml.c5.xlarge") == benchmark(model, "ml.c5.xlarge")
    assert default_candidates(model, None) == default_candidates(model, None)
    results = sorted((benchmark(model, t) for t in instance_types()), key=lambda b: b.cost_per_hour)
    for cheaper, costlier in itertools.pairwise(results):
        assert costlier.model_latency_ms <= cheaper.model_latency_ms, (cheaper, costlier)
    assert results[0].model_latency_ms > results[-1].model_latency_ms
    assert all(b.cost_per_hour > 0 and b.max_invocations > 0 for b in results)


def test_advanced_job_tests_the_configurations_given_and_sizes_for_max_invocations(
    sagemaker: Any, package: str
) -> None:
    create(
        sagemaker,
        "load-test",
        package,
        job_type="Advanced",
        input={
            "EndpointConfigurations": [
                {"InstanceType": "ml.c5.xlarge"},
                {"InstanceType": "ml.m5.large"},
                {"ServerlessConfig": {"MemorySizeInMB": 4096, "MaxConcurrency": 10}},
            ],
            "TrafficPattern": {
                "TrafficType": "PHASES",
                "Phases": [{"InitialNumberOfUsers": 1, "SpawnRate": 1, "DurationInSeconds": 120}],
            },
            "ResourceLimit": {"MaxNumberOfTests": 3, "MaxParallelOfTests": 2},
        },
        StoppingConditions={"MaxInvocations": 5000},
    )
    described = sagemaker.describe_inference_recommendations_job(JobName="load-test")
    assert described["JobType"] == "Advanced"
    assert described["StoppingConditions"] == {"MaxInvocations": 5000}
    assert described["InputConfig"]["TrafficPattern"]["Phases"][0]["DurationInSeconds"] == 120
    by_type = {
        r["EndpointConfiguration"].get("InstanceType", "serverless"): r for r in described["InferenceRecommendations"]
    }
    assert set(by_type) == {"ml.c5.xlarge", "ml.m5.large", "serverless"}
    assert by_type["serverless"]["EndpointConfiguration"]["ServerlessConfig"]["MemorySizeInMB"] == 4096
    for instance_type in ("ml.c5.xlarge", "ml.m5.large"):
        recommendation = by_type[instance_type]
        count = recommendation["EndpointConfiguration"]["InitialInstanceCount"]
        single = benchmark(package, instance_type).max_invocations
        assert recommendation["Metrics"]["MaxInvocations"] == single * count >= 5000
        assert single * (count - 1) < 5000


def test_latency_threshold_fails_slow_benchmarks_and_a_job_with_none_left_fails(sagemaker: Any, package: str) -> None:
    fastest = min(benchmark(package, t).model_latency_ms for t in SUPPORTED)
    slowest = max(benchmark(package, t).model_latency_ms for t in SUPPORTED)
    create(
        sagemaker,
        "tight",
        package,
        StoppingConditions={"ModelLatencyThresholds": [{"Percentile": "P95", "ValueInMilliseconds": slowest - 1}]},
    )
    failed = steps(sagemaker, "tight", Status="FAILED")
    assert failed
    assert all("exceeds the ModelLatencyThresholds" in s["InferenceBenchmark"]["FailureReason"] for s in failed)
    described = sagemaker.describe_inference_recommendations_job(JobName="tight")
    assert described["Status"] == "COMPLETED"
    assert all(r["Metrics"]["ModelLatency"] < slowest for r in described["InferenceRecommendations"])
    create(
        sagemaker,
        "impossible",
        package,
        StoppingConditions={"ModelLatencyThresholds": [{"Percentile": "P99", "ValueInMilliseconds": fastest - 1}]},
    )
    impossible = sagemaker.describe_inference_recommendations_job(JobName="impossible")
    assert impossible["Status"] == "FAILED"
    assert impossible["FailureReason"]
    assert "InferenceRecommendations" not in impossible


def test_stop_moves_through_stopping_to_stopped_and_unfinished_benchmarks_stop(
    sagemaker: Any, package: str, timed: ManualClock
) -> None:
    create(sagemaker, "stopped", package)
    timed.advance(700)
    sagemaker.stop_inference_recommendations_job(JobName="stopped")
    assert sagemaker.describe_inference_recommendations_job(JobName="stopped")["Status"] == "STOPPING"
    timed.advance(31)
    described = sagemaker.describe_inference_recommendations_job(JobName="stopped")
    assert described["Status"] == "STOPPED"
    assert "CompletionTime" in described
    assert "InferenceRecommendations" not in described
    # the first wave (three benchmarks) ended at 660 s, before the stop at 700 s
    assert [s["Status"] for s in steps(sagemaker, "stopped")] == ["COMPLETED"] * 3 + ["STOPPED"] * 2
    code, message = error_code(sagemaker.stop_inference_recommendations_job, JobName="stopped")
    assert code == "ValidationException"
    assert "STOPPED" in message


def test_job_duration_limit_fails_benchmarks_that_would_end_after_it(
    sagemaker: Any, package: str, timed: ManualClock
) -> None:
    create(sagemaker, "short", package, input={"JobDurationInSeconds": 700})
    timed.advance(10_000)
    statuses = [s["Status"] for s in steps(sagemaker, "short")]
    assert statuses == ["COMPLETED"] * 3 + ["FAILED"] * 2
    assert sagemaker.describe_inference_recommendations_job(JobName="short")["Status"] == "COMPLETED"


def test_errors_in_the_services_shapes(sagemaker: Any, package: str) -> None:
    create(sagemaker, "taken", package)
    assert error_code(create, sagemaker=sagemaker, name="taken", package=package)[0] == "ResourceInUse"
    assert error_code(sagemaker.describe_inference_recommendations_job, JobName="nope")[0] == "ResourceNotFound"
    assert error_code(sagemaker.stop_inference_recommendations_job, JobName="nope")[0] == "ResourceNotFound"
    assert error_code(sagemaker.list_inference_recommendations_job_steps, JobName="nope")[0] == "ResourceNotFound"
    missing = package.replace("fraud/1", "fraud/9")
    code, message = error_code(create, sagemaker=sagemaker, name="missing", package=missing)
    assert (code, message) == ("ValidationException", f"Could not find model package '{missing}'.")
    code, message = error_code(
        sagemaker.create_inference_recommendations_job,
        JobName="no-model",
        JobType="Default",
        RoleArn=ROLE,
        InputConfig={"ModelName": "absent"},
    )
    assert code == "ValidationException"
    assert "Could not find model" in message
    p99 = {"ModelLatencyThresholds": [{"Percentile": "P99", "ValueInMilliseconds": 100}]}
    load_test = {"EndpointConfigurations": [{"InstanceType": "ml.c5.xlarge"}]}
    code, message = error_code(
        create,
        sagemaker=sagemaker,
        name="p99",
        package=package,
        job_type="Advanced",
        input=load_test,
        StoppingConditions=p99,
    )
    assert code == "ValidationException"
    assert "must be P95 for an Advanced job" in message
    p90 = {"ModelLatencyThresholds": [{"Percentile": "P90", "ValueInMilliseconds": 100}]}
    code, message = error_code(create, sagemaker=sagemaker, name="p90", package=package, StoppingConditions=p90)
    assert code == "ValidationException"
    assert "'P90' is not one of P95, P99" in message
    code, message = error_code(create, sagemaker=sagemaker, name="advanced", package=package, job_type="Advanced")
    assert code == "ValidationException"
    assert "EndpointConfigurations" in message


def test_list_filters_sorts_and_pages(sagemaker: Any, package: str, timed: ManualClock) -> None:
    for name in ("a-job", "b-job", "c-other"):
        create(sagemaker, name, package)
        timed.advance(1)
    sagemaker.stop_inference_recommendations_job(JobName="b-job")
    listed = sagemaker.list_inference_recommendations_jobs()["InferenceRecommendationsJobs"]
    assert [j["JobName"] for j in listed] == ["c-other", "b-job", "a-job"]
    assert listed[0]["ModelPackageVersionArn"] == package
    assert listed[0]["JobType"] == "Default"
    by_name = sagemaker.list_inference_recommendations_jobs(NameContains="job", SortBy="Name", SortOrder="Ascending")
    assert [j["JobName"] for j in by_name["InferenceRecommendationsJobs"]] == ["a-job", "b-job"]
    stopping = sagemaker.list_inference_recommendations_jobs(StatusEquals="STOPPING")["InferenceRecommendationsJobs"]
    assert [j["JobName"] for j in stopping] == ["b-job"]
    first = sagemaker.list_inference_recommendations_jobs(MaxResults=2)
    second = sagemaker.list_inference_recommendations_jobs(MaxResults=2, NextToken=first["NextToken"])
    paged = [j["JobName"] for page in (first, second) for j in page["InferenceRecommendationsJobs"]]
    assert paged == ["c-other", "b-job", "a-job"]
    assert "NextToken" not in second
    none = sagemaker.list_inference_recommendations_jobs(ModelPackageVersionArnEquals=package + "0")
    assert none["InferenceRecommendationsJobs"] == []


def test_calls_reach_the_call_log(sagemaker: Any, package: str, emulator: EmulatorControl) -> None:
    create(sagemaker, "logged", package)
    sagemaker.describe_inference_recommendations_job(JobName="logged")
    operations = [call.operation for call in emulator.call_log()]
    assert operations[-2:] == ["CreateInferenceRecommendationsJob", "DescribeInferenceRecommendationsJob"]


def test_job_durations_are_settings_like_the_experiments(emulator: EmulatorControl) -> None:
    emulator.configure({"job_durations": {"PENDING": 5, "BENCHMARK": 30}})
    assert emulator.settings.job_durations == {"PENDING": 5.0, "BENCHMARK": 30.0, "STOPPING": 0.0}
    with pytest.raises(ValueError, match="unknown job phase 'Running'"):
        emulator.settings.set_job_durations(Running=1)
    emulator.reset()
    assert set(emulator.settings.job_durations.values()) == {0.0}


def test_the_five_operations_are_botocores_and_installed(emulator: EmulatorControl) -> None:
    model = botocore.session.get_session().get_service_model("sagemaker")
    recommender = {name for name in model.operation_names if "InferenceRecommendationsJob" in name}
    assert set(RESPONSE_METHODS) == recommender
    assert set(RESPONSE_METHODS) <= set(EMULATED)
    for method in RESPONSE_METHODS.values():
        assert hasattr(SageMakerResponse, method.__name__)
