"""`python -m recommended_shadow`: the selection rule (pure), then the command against the
emulator through real boto3 clients: the table, the template and parameter file, every
refusal with nothing written, the AWS CLI's --endpoint-url, and the generated templates
passing cfn-lint and a rehearsal (create, stop and promote, delete)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from recommended_shadow.__main__ import main
from recommended_shadow.endpoint import ProductionVariant
from recommended_shadow.errors import CommandError
from recommended_shadow.job import Job
from recommended_shadow.plan import ShadowPlan
from recommended_shadow.selection import Constraints, Recommendation, choose
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.common import PROJECT_ROOT
from sandbox.server import CONTROL, EmulatorControl, EmulatorServer, ManualClock
from sandbox.suites.recommender_demo import main as demo
from sandbox.suites.seed import seed_shadow_test, shadow_test_request
from tests.helpers import FRAUD_INSTANCE_TYPES, register_fraud_package

ROLE = "arn:aws:iam::123456789012:role/SageMakerRecommender"
ENDPOINT = "fraud-detector"
SUPPORTED = FRAUD_INSTANCE_TYPES
CFN_LINT = str(Path(sys.executable).parent / "cfn-lint")


def rec(
    rid: str, cpi: float | None, latency: int | None = 10, invocations: int | None = 1000, **kw: Any
) -> Recommendation:
    return Recommendation(
        recommendation_id=rid,
        instance_type=kw.get("instance_type", "ml.c5.xlarge"),
        instance_count=kw.get("count", 1),
        cost_per_hour=kw.get("cph", 0.2),
        cost_per_inference=cpi,
        model_latency_ms=latency,
        max_invocations=invocations,
    )


# ---- the selection rule --------------------------------------------------------------


def test_without_constraints_the_lowest_cost_per_inference_wins() -> None:
    recommendations = [rec("a", 3e-6), rec("b", 1e-6), rec("c", 2e-6)]
    assert choose(recommendations, Constraints()).chosen.recommendation_id == "b"


def test_constraints_filter_before_cost_ranks() -> None:
    recommendations = [rec("cheap-slow", 1e-6, latency=40, invocations=500), rec("fast", 2e-6, 15, 3000)]
    recommendations.append(rec("fastest", 5e-6, 8, 9000))
    assert choose(recommendations, Constraints(max_latency_ms=20)).chosen.recommendation_id == "fast"
    assert choose(recommendations, Constraints(min_invocations=5000)).chosen.recommendation_id == "fastest"
    assert choose(recommendations, Constraints(40, 500)).chosen.recommendation_id == "cheap-slow"
    verdicts = choose(recommendations, Constraints(max_latency_ms=20)).verdicts
    assert verdicts["cheap-slow"] == "ModelLatency 40 ms is 20 ms (100%) over 20"
    assert verdicts["fast"] == ""


def test_ties_go_to_the_lower_cost_per_hour_then_the_id() -> None:
    recommendations = [rec("b", 1e-6, cph=0.5), rec("a", 1e-6, cph=0.5), rec("c", 1e-6, cph=0.2)]
    assert choose(recommendations, Constraints()).chosen.recommendation_id == "c"
    assert choose(recommendations[:2], Constraints()).chosen.recommendation_id == "a"


def test_serverless_and_unranked_recommendations_are_never_chosen() -> None:
    serverless = rec("serverless", 1e-9, instance_type=None)
    unranked = rec("unranked", None)
    assert choose([serverless, unranked, rec("real", 5e-6)], Constraints()).chosen.recommendation_id == "real"
    with pytest.raises(CommandError, match="none of the job's recommendations can be a shadow variant"):
        choose([serverless, unranked], Constraints())
    with pytest.raises(CommandError, match="serverless configuration"):
        choose([serverless], Constraints(), "serverless")


def test_recommendation_id_takes_that_one_and_unknown_ids_list_the_known() -> None:
    recommendations = [rec("a", 1e-6), rec("b", 9e-6)]
    assert choose(recommendations, Constraints(), "b").chosen.recommendation_id == "b"
    with pytest.raises(CommandError, match=r"no recommendation zzz \(its recommendations: a, b\)"):
        choose(recommendations, Constraints(), "zzz")


def test_when_nothing_qualifies_the_error_names_the_closest_and_by_how_much() -> None:
    recommendations = [
        rec("far", 1e-6, latency=100, invocations=100, instance_type="ml.t2.medium"),
        rec("near", 2e-6, latency=24, invocations=900, instance_type="ml.c5.xlarge"),
    ]
    with pytest.raises(CommandError) as raised:
        choose(recommendations, Constraints(max_latency_ms=20, min_invocations=1000))
    assert str(raised.value) == (
        "no recommendation meets --max-latency-ms 20 and --min-invocations 1000; the closest is near "
        "(ml.c5.xlarge x1): ModelLatency 24 ms is 4 ms (20%) over 20; MaxInvocations 900/min is 100 (10%) short of 1000"
    )
    with pytest.raises(CommandError, match="the job has no recommendations"):
        choose([], Constraints())


# ---- the command against the emulator ------------------------------------------------


@pytest.fixture
def sagemaker(emulator: EmulatorControl) -> Any:
    client = boto3.client("sagemaker", region_name="us-east-1")
    ensure_endpoint(client, ENDPOINT, "fraud-v1", "production", "ml.m5.xlarge", 2)
    return client


@pytest.fixture
def job(sagemaker: Any) -> dict[str, Any]:
    """A COMPLETED Default job on a model package; its description."""
    package = register_fraud_package(sagemaker)
    sagemaker.create_inference_recommendations_job(
        JobName="sizing", JobType="Default", RoleArn=ROLE, InputConfig={"ModelPackageVersionArn": package}
    )
    described: dict[str, Any] = sagemaker.describe_inference_recommendations_job(JobName="sizing")
    return described


def run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str, job_name: str = "sizing"
) -> tuple[int, str, str]:
    status = main([job_name, "--endpoint-name", ENDPOINT, "--output", str(tmp_path / "out.yaml"), *extra])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def cheapest(job: dict[str, Any], max_latency: int | None = None) -> dict[str, Any]:
    candidates = [
        r for r in job["InferenceRecommendations"] if max_latency is None or r["Metrics"]["ModelLatency"] <= max_latency
    ]
    return min(candidates, key=lambda r: r["Metrics"]["CostPerInference"])


def test_template_shadows_the_chosen_recommendation_beside_production_as_it_is(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overall = cheapest(job)
    limit = overall["Metrics"]["ModelLatency"] - 1  # rules the cheapest out, so the constraint decides
    expected = cheapest(job, limit)
    status, out, err = run(tmp_path, capsys, "--max-latency-ms", str(limit), "--sampling", "30")
    assert (status, err) == (0, "")
    marked = [line for line in out.splitlines() if line.startswith("*")]
    assert len(marked) == 1
    assert expected["RecommendationId"] in marked[0]
    rows = [line for line in out.splitlines() if line[3:].startswith("sizing/")]
    assert len(rows) == len(job["InferenceRecommendations"])
    excluded = next(line for line in rows if overall["RecommendationId"] in line)
    assert excluded.endswith(f"(ModelLatency {limit + 1} ms is 1 ms ({1 / limit:.0%}) over {limit})")
    template = yaml.safe_load((tmp_path / "out.yaml").read_text())
    model = template["Resources"]["CandidateModel"]["Properties"]
    assert model["PrimaryContainer"] == {"ModelPackageName": job["InputConfig"]["ModelPackageVersionArn"]}
    experiment = template["Resources"]["ShadowTest"]["Properties"]
    production, shadow = experiment["ModelVariants"]
    assert production["VariantName"] == "production"
    assert production["ModelName"] == "fraud-v1"
    assert production["InfrastructureConfig"]["RealTimeInferenceConfig"] == {
        "InstanceType": "ml.m5.xlarge",
        "InstanceCount": 2,
    }
    assert shadow["ModelName"] == {"Fn::GetAtt": ["CandidateModel", "ModelName"]}
    assert shadow["InfrastructureConfig"]["RealTimeInferenceConfig"] == {
        "InstanceType": expected["EndpointConfiguration"]["InstanceType"],
        "InstanceCount": expected["EndpointConfiguration"]["InitialInstanceCount"],
    }
    assert experiment["ShadowModeConfig"] == {
        "SourceModelVariantName": "production",
        "ShadowModelVariants": [{"ShadowModelVariantName": shadow["VariantName"], "SamplingPercentage": 30}],
    }
    assert experiment["EndpointName"] == ENDPOINT
    assert experiment["DesiredState"] == "Running"
    assert template["Parameters"]["ExecutionRoleArn"]["Default"] == ROLE
    lint = subprocess.run([CFN_LINT, str(tmp_path / "out.yaml")], capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout


def test_promote_stage_drops_production_and_completes(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sagemaker.create_model(ModelName="fraud-v2", ExecutionRoleArn=ROLE, PrimaryContainer={"Image": "img"})
    status, _, _ = run(tmp_path, capsys, "--promote", "--model-name", "fraud-v2", "--experiment-name", "v2-shadow")
    assert status == 0
    template = yaml.safe_load((tmp_path / "out.yaml").read_text())
    assert "CandidateModel" not in template["Resources"]
    experiment = template["Resources"]["ShadowTest"]["Properties"]
    assert experiment["Name"] == "v2-shadow"
    assert [v["ModelName"] for v in experiment["ModelVariants"]] == ["fraud-v2"]
    assert experiment["DesiredState"] == "Completed"
    assert experiment["StatusReason"]
    assert experiment["ShadowModeConfig"]["SourceModelVariantName"] == "production"


class CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short-form intrinsics (!Ref, !If ...) read as plain values."""


CfnLoader.add_multi_constructor("!", lambda _loader, _suffix, _node: None)


def test_parameter_file_fills_the_example(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    chosen = job["InferenceRecommendations"][-1]
    status, _, _ = run(tmp_path, capsys, "--format", "parameters", "--recommendation-id", chosen["RecommendationId"])
    assert status == 0
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in json.loads((tmp_path / "out.yaml").read_text())}
    example = yaml.load((PROJECT_ROOT / "examples" / "recommended-shadow.yaml").read_text(), Loader=CfnLoader)
    assert set(parameters) == set(example["Parameters"])
    assert parameters["CandidateInstanceType"] == chosen["EndpointConfiguration"]["InstanceType"]
    assert parameters["CandidateInstanceCount"] == str(chosen["EndpointConfiguration"]["InitialInstanceCount"])
    assert parameters["ProductionInstanceType"] == "ml.m5.xlarge"
    assert parameters["ProductionInstanceCount"] == "2"
    assert parameters["Stage"] == "shadow"
    assert parameters["CandidateModelName"] == ""
    assert parameters["CandidateModelPackageArn"] == job["InputConfig"]["ModelPackageVersionArn"]


# ---- refusals: a clear error, exit 1, nothing written --------------------------------


def refused(tmp_path: Path, capsys: pytest.CaptureFixture[str], *extra: str, job_name: str = "sizing") -> str:
    """Run the command over an existing output file; check it failed cleanly and left the file alone."""
    (tmp_path / "out.yaml").write_text("previous\n")
    status, _, err = run(tmp_path, capsys, *extra, job_name=job_name)
    assert status == 1
    assert "Traceback" not in err
    assert err.endswith(f"nothing was written to {tmp_path / 'out.yaml'}\n")
    assert (tmp_path / "out.yaml").read_text() == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]
    return err


def test_a_job_that_is_not_completed_is_refused(
    sagemaker: Any, clock: ManualClock, emulator: EmulatorControl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    emulator.settings.set_job_durations(PENDING=60, BENCHMARK=600)
    package = register_fraud_package(sagemaker)
    sagemaker.create_inference_recommendations_job(
        JobName="running", JobType="Default", RoleArn=ROLE, InputConfig={"ModelPackageVersionArn": package}
    )
    err = refused(tmp_path, capsys, job_name="running")
    assert "error: job running is PENDING, not COMPLETED: wait for it to finish" in err
    clock.advance(100)
    sagemaker.stop_inference_recommendations_job(JobName="running")
    clock.advance(1)
    assert "job running is STOPPED, not COMPLETED" in refused(tmp_path, capsys, job_name="running")
    assert "ResourceNotFound" in refused(tmp_path, capsys, job_name="no-such-job")


def test_no_recommendation_meeting_the_constraints_is_refused_naming_the_closest(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fastest = min(job["InferenceRecommendations"], key=lambda r: r["Metrics"]["ModelLatency"])
    latency = fastest["Metrics"]["ModelLatency"]
    err = refused(tmp_path, capsys, "--max-latency-ms", str(latency - 1))
    assert f"the closest is {fastest['RecommendationId']}" in err
    assert f"ModelLatency {latency} ms is 1 ms" in err


def test_endpoints_that_cannot_host_a_shadow_test_are_refused(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "endpoint absent does not exist" in refused(tmp_path, capsys, "--endpoint-name", "absent")
    ensure_model(sagemaker, "other")
    sagemaker.create_endpoint_config(
        EndpointConfigName="two-config",
        ProductionVariants=[
            {"VariantName": v, "ModelName": "other", "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
            for v in ("blue", "green")
        ],
    )
    sagemaker.create_endpoint(EndpointName="two", EndpointConfigName="two-config")
    err = refused(tmp_path, capsys, "--endpoint-name", "two")
    assert "has 2 production variants (blue, green); name the one to shadow with --production-variant" in err
    assert "no production variant red" in refused(
        tmp_path, capsys, "--endpoint-name", "two", "--production-variant", "red"
    )
    ensure_model(sagemaker, "model-b")
    running = {**shadow_test_request("busy"), "EndpointName": ENDPOINT}
    running["ModelVariants"][0]["ModelName"] = "fraud-v1"
    sagemaker.create_inference_experiment(**running)
    assert sagemaker.describe_inference_experiment(Name="busy")["Status"] == "Running"
    assert "already has shadow variant shadow: a shadow test is running there" in refused(tmp_path, capsys)
    # the promote stage is written while the test runs: its shadow variant is expected there
    assert run(tmp_path, capsys, "--promote")[0] == 0


def test_a_missing_model_name_is_refused(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "model absent (--model-name) does not exist" in refused(tmp_path, capsys, "--model-name", "absent")


def test_conflicting_options_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "sizing",
                "--endpoint-name",
                ENDPOINT,
                "--output",
                "x.yaml",
                "--recommendation-id",
                "x",
                "--min-invocations",
                "5",
            ]
        )
    assert exited.value.code == 2
    assert "--recommendation-id chooses by itself" in capsys.readouterr().err


def test_bad_arguments_exit_2_without_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["sizing", "--endpoint-name", ENDPOINT, "--output", "x.yaml", "--sampling", "0"])
    assert exited.value.code == 2
    assert "expected a whole number 1 to 100, got '0'" in capsys.readouterr().err


# ---- the AWS CLI's conventions, and the templates rehearsed --------------------------


@pytest.fixture
def server() -> Iterator[str]:
    CONTROL.reset()
    with EmulatorServer(port=0) as running:
        yield running.url
    CONTROL.reset()


def test_the_command_runs_as_a_program_against_an_endpoint_url(server: str, tmp_path: Path) -> None:
    """As a user runs it: a child process, region and endpoint from the AWS CLI's options
    and environment, no credentials beyond the environment's."""
    sagemaker = boto3.client("sagemaker", endpoint_url=server, region_name="eu-west-1")
    ensure_endpoint(sagemaker, ENDPOINT, "fraud-v1", "production", "ml.m5.xlarge", 2)
    package = register_fraud_package(sagemaker)
    sagemaker.create_inference_recommendations_job(
        JobName="sizing", JobType="Default", RoleArn=ROLE, InputConfig={"ModelPackageVersionArn": package}
    )
    command = [sys.executable, "-m", "recommended_shadow", "sizing", "--endpoint-name", ENDPOINT]
    command += ["--output", str(tmp_path / "t.yaml"), "--region", "eu-west-1", "--endpoint-url", server]
    done = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert "Wrote the shadow test template" in done.stdout
    wrong_region = [*command[:-4], "--region", "us-east-1", "--endpoint-url", server]
    missing = subprocess.run(wrong_region, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert missing.returncode == 1
    assert "ResourceNotFound" in missing.stderr
    assert "Traceback" not in missing.stderr
    env = {**os.environ, "AWS_ENDPOINT_URL": server, "AWS_REGION": "eu-west-1"}
    env.pop("AWS_DEFAULT_REGION", None)
    by_environment = [*command[:-4], "--output", str(tmp_path / "p.json"), "--format", "parameters"]
    done = subprocess.run(by_environment, cwd=PROJECT_ROOT, capture_output=True, text=True, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "p.json").read_text())


def test_the_example_rehearses_with_the_parameter_file_in_both_stages(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Create with Stage shadow, update with Stage promote (the example's own default in the
    copy, since a rehearsal passes one parameter set to both templates), delete."""
    assert run(tmp_path, capsys, "--format", "parameters", "--sampling", "20")[0] == 0
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in json.loads((tmp_path / "out.yaml").read_text())}
    assert parameters.pop("Stage") == "shadow"
    example = PROJECT_ROOT / "examples" / "recommended-shadow.yaml"
    promote = tmp_path / "promote.yaml"
    promote.write_text(example.read_text().replace("    Default: shadow\n", "    Default: promote\n"))
    output = io.StringIO()
    status = rehearse(str(example), str(promote), parameters, log=EventLog(output), time_scale=0.005)
    log = output.getvalue()
    assert status == 0, log
    assert "StopInferenceExperiment 1" in log
    assert "output ShadowTestStatus = Completed" in log
    assert "CandidateModel         CREATE_COMPLETE -> DELETE_SKIPPED" in log


def test_the_demo_goes_from_a_job_to_a_promoted_shadow_test(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`make demo-recommender` at a tenth of its pace: the generated templates of both stages
    pass cfn-lint and rehearse (create, stop and promote, delete) on a running server."""
    assert demo(["--time-scale", "0.001", "--output-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "job COMPLETED, 5/5 benchmarks done" in out
    assert "cfn-lint found no errors or warnings" in out
    assert "after: production [recommended x1], shadow []" in out
    assert out.rstrip().endswith("demo-recommender: the recommendation is in production")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["promote.yaml", "shadow-test.yaml"]


def test_a_job_on_a_model_name_shadows_that_model(
    sagemaker: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ensure_model(sagemaker, "fraud-v3")
    sagemaker.create_inference_recommendations_job(
        JobName="by-model", JobType="Default", RoleArn=ROLE, InputConfig={"ModelName": "fraud-v3"}
    )
    status, _, err = run(tmp_path, capsys, "--role-arn", "arn:aws:iam::123456789012:role/Shadow", job_name="by-model")
    assert (status, err) == (0, "")
    template = yaml.safe_load((tmp_path / "out.yaml").read_text())
    assert list(template["Resources"]) == ["ShadowTest"]
    assert template["Resources"]["ShadowTest"]["Properties"]["ModelVariants"][1]["ModelName"] == "fraud-v3"
    assert template["Parameters"]["ExecutionRoleArn"]["Default"] == "arn:aws:iam::123456789012:role/Shadow"


def test_a_taken_experiment_name_is_refused_before_any_stack_fails_on_it(
    sagemaker: Any, job: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_shadow_test(sagemaker)
    sagemaker.create_inference_experiment(**shadow_test_request(f"{ENDPOINT}-shadow"))
    err = refused(tmp_path, capsys)
    assert f"an inference experiment named {ENDPOINT}-shadow already exists (Running)" in err
    assert run(tmp_path, capsys, "--experiment-name", "fraud-v2-shadow")[0] == 0
    assert run(tmp_path, capsys, "--promote")[0] == 0


def test_the_shadow_variant_never_takes_the_production_variants_name() -> None:
    job = Job("j", ROLE, None, "m", [])
    production = ProductionVariant(ENDPOINT, "recommended", "m1", "ml.m5.large", 1)
    plan = ShadowPlan(job, rec("a", 1e-6), production, "e", ROLE, 10, "m", None)
    assert plan.candidate_variant == "recommended-2"
    assert replace(plan, production=replace(production, variant_name="prod")).candidate_variant == "recommended"
