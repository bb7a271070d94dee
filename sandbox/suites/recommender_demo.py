"""`make demo-recommender`: from an Inference Recommender job to a promoted shadow test, offline.

On a private `python -m sandbox serve` (SageMaker, Cloud Control and the CloudFormation
stack API on 127.0.0.1, realistic durations scaled through /_sandbox/config): register a model package beside a live
endpoint, run a Default recommendation job on the emulator's clock, turn it into a template
with `python -m recommended_shadow` (a child process, through the AWS CLI's --endpoint-url,
exactly as against AWS), cfn-lint the templates, then rehearse the stack: create (the
shadow test starts), update (stop it and promote the shadow), delete.

Run it as `python -m sandbox.suites.recommender_demo [--time-scale S] [--output-dir DIR]`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import boto3

from sandbox.cloudformation.harness import REALISTIC_DURATIONS
from sandbox.cloudformation.prerequisites import ensure_endpoint
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.processes import free_port, sandbox_process

REGION = "us-east-1"
ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerShadowTest"
IMAGE = "763104351884.dkr.ecr.us-east-1.amazonaws.com/pytorch-inference:2.3.0-cpu-py311"
ENDPOINT, PRODUCTION_MODEL, PACKAGE_GROUP, JOB = (
    "fraud-detector",
    "fraud-detector-v1",
    "fraud-detector",
    "fraud-v2-sizing",
)
SUPPORTED = ["ml.t2.medium", "ml.m5.large", "ml.m5.xlarge", "ml.c5.xlarge", "ml.c5.2xlarge", "ml.g4dn.xlarge"]
# What a Default job takes on AWS, roughly: a couple of minutes queued, a quarter hour per benchmark.
REALISTIC_JOB = {"PENDING": 120.0, "BENCHMARK": 900.0, "STOPPING": 60.0}
MAX_LATENCY_MS = 18  # rules out the cheapest recommendation, so the rule visibly matters
JOB_DEADLINE_SECONDS = 600


def configure(url: str, time_scale: float) -> None:
    """Realistic experiment and job durations, scaled, on the running server."""
    settings = {
        "durations": {k: v * time_scale for k, v in REALISTIC_DURATIONS.items()},
        "job_durations": {k: v * time_scale for k, v in REALISTIC_JOB.items()},
    }
    request = urllib.request.Request(f"{url}/_sandbox/config", data=json.dumps(settings).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def credentials() -> dict[str, str]:
    return {"aws_access_key_id": "demo", "aws_secret_access_key": "demo", "region_name": REGION}


def register_model_package(sagemaker: Any) -> str:
    """The candidate, as a model registry would hold it: a versioned, approved package."""
    sagemaker.create_model_package_group(ModelPackageGroupName=PACKAGE_GROUP)
    arn: str = sagemaker.create_model_package(
        ModelPackageGroupName=PACKAGE_GROUP,
        ModelApprovalStatus="Approved",
        InferenceSpecification={
            "Containers": [{"Image": IMAGE, "ModelDataUrl": "s3://example-models/fraud-detector/v2/model.tar.gz"}],
            "SupportedContentTypes": ["text/csv"],
            "SupportedResponseMIMETypes": ["text/csv"],
            "SupportedRealtimeInferenceInstanceTypes": SUPPORTED,
        },
    )["ModelPackageArn"]
    return arn


def run_job(sagemaker: Any, package_arn: str) -> None:
    """A Default job, followed until it settles, with a line whenever its progress changes."""
    sagemaker.create_inference_recommendations_job(
        JobName=JOB, JobType="Default", RoleArn=ROLE_ARN, InputConfig={"ModelPackageVersionArn": package_arn}
    )
    started, deadline, seen = time.monotonic(), time.monotonic() + JOB_DEADLINE_SECONDS, None
    while time.monotonic() < deadline:
        status = sagemaker.describe_inference_recommendations_job(JobName=JOB)["Status"]
        steps = sagemaker.list_inference_recommendations_job_steps(JobName=JOB)["Steps"]
        done = sum(step["Status"] in ("COMPLETED", "FAILED") for step in steps)
        if (status, done) != seen:
            print(
                f"    {time.monotonic() - started:5.1f}s  job {status}, {done}/{len(steps)} benchmarks done", flush=True
            )
            seen = (status, done)
        if status not in ("PENDING", "IN_PROGRESS", "STOPPING"):
            return
        time.sleep(0.2)
    raise RuntimeError(f"job {JOB} did not finish within {JOB_DEADLINE_SECONDS}s")


def recommended_shadow(url: str, output: Path, *extra: str) -> None:
    """The user-facing command, as a user runs it against AWS, pointed at the emulator."""
    command = [sys.executable, "-m", "recommended_shadow", JOB, "--endpoint-name", ENDPOINT, "--output", str(output)]
    command += ["--region", REGION, "--endpoint-url", url, *extra]
    print("$ " + " ".join(["python", *command[1:]]), flush=True)
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "demo", "AWS_SECRET_ACCESS_KEY": "demo"}
    subprocess.run(command, check=True, cwd=PROJECT_ROOT, env=env)


def lint(*paths: Path) -> None:
    command = [str(Path(sys.executable).parent / "cfn-lint"), *map(str, paths)]
    print("$ cfn-lint " + " ".join(map(str, paths)), flush=True)
    subprocess.run(command, check=True)
    print("    cfn-lint found no errors or warnings", flush=True)


def endpoint_variants(sagemaker: Any) -> str:
    described = sagemaker.describe_endpoint(EndpointName=ENDPOINT)
    production = [f"{v['VariantName']} x{v['CurrentInstanceCount']}" for v in described["ProductionVariants"]]
    shadows = [v["VariantName"] for v in described.get("ShadowProductionVariants") or []]
    return f"production [{', '.join(production)}], shadow [{', '.join(shadows)}]"


def demo(time_scale: float, output_dir: Path) -> int:
    output_dir.mkdir(parents=True, exist_ok=True)
    shadow, promote = output_dir / "shadow-test.yaml", output_dir / "promote.yaml"
    print(f"python -m sandbox serve --time-scale {time_scale:g}   (durations x{time_scale:g} via /_sandbox/config)")
    with sandbox_process("serve", "--time-scale", str(time_scale), port=free_port()) as url:
        configure(url, time_scale)
        sagemaker = boto3.client("sagemaker", endpoint_url=url, **credentials())
        print(f"1. Endpoint {ENDPOINT} serves {PRODUCTION_MODEL}; register the candidate as a model package")
        ensure_endpoint(sagemaker, ENDPOINT, PRODUCTION_MODEL, "production", "ml.m5.xlarge", 2)
        package_arn = register_model_package(sagemaker)
        print(f"    {package_arn}")
        print(f"2. Inference Recommender job {JOB} (Default; emulated durations x{time_scale:g})")
        run_job(sagemaker, package_arn)
        print(f"3. Choose a recommendation with ModelLatency at most {MAX_LATENCY_MS} ms and write the templates")
        recommended_shadow(url, shadow, "--max-latency-ms", str(MAX_LATENCY_MS), "--sampling", "50")
        recommended_shadow(url, promote, "--max-latency-ms", str(MAX_LATENCY_MS), "--sampling", "50", "--promote")
        lint(shadow, promote)
        print(f"4. Rehearse: create (shadow test runs), update (stop, promote the shadow), delete; x{time_scale:g}")
        print(f"    before: {endpoint_variants(sagemaker)}")
        status = rehearse(
            str(shadow), str(promote), endpoint_url=url, time_scale=time_scale, stack_name="recommended-shadow"
        )
        after = endpoint_variants(sagemaker)
        print(f"    after: {after}")
    promoted = after.startswith("production [recommended x")
    print("demo-recommender: " + ("the recommendation is in production" if status == 0 and promoted else "FAILED"))
    return status if status else int(not promoted)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sandbox.suites.recommender_demo", description=__doc__)
    parser.add_argument(
        "--time-scale", type=float, default=0.01, help="multiplier on emulated durations and callback delays"
    )
    parser.add_argument("--output-dir", type=Path, default=PROJECT_ROOT / "build" / "recommender")
    args = parser.parse_args(argv)
    if not args.time_scale > 0:
        parser.error("--time-scale must be greater than 0")
    try:
        return demo(args.time_scale, args.output_dir)
    except subprocess.CalledProcessError as error:
        print(f"demo-recommender: {error.cmd[0]} ... exited with {error.returncode}", file=sys.stderr)
        return 1
    except RuntimeError as error:
        print(f"demo-recommender: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
