"""AWS's contract test suite (`cfn test`, unmodified) against the emulator, offline.

`cfn test` asks STS at the real regional endpoint for credentials and the account
before anything else; `run_cfn_test` points that one look-up at the emulator (moto
answers STS) and otherwise runs the CloudFormation CLI as it is. By default everything
runs at real time, as a user's `cfn test` does: SageMaker's transitions take
TRANSITION_SECONDS and `cfn test` sleeps every callbackDelaySeconds in full.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from sandbox.cloudformation.prerequisites import seed_for_model
from sandbox.common import PROJECT_ROOT, patched
from sandbox.lambda_runtime.processes import free_port, sandbox_process

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIASANDBOXCONTRACT0",
    "AWS_SECRET_ACCESS_KEY": "sandbox-contract-secret-key-never-real",
    "AWS_DEFAULT_REGION": "us-east-1",
}
TRANSITION_SECONDS = 1.0  # every transitional status, in emulated seconds


def input_models(project_root: Path = PROJECT_ROOT) -> list[dict[str, Any]]:
    models = []
    for path in sorted((project_root / "inputs").glob("inputs_*_create.json")):
        models.append(json.loads(path.read_text(encoding="utf-8")))
    return models


def seed_inputs(emulator_url: str, project_root: Path = PROJECT_ROOT) -> int:
    """Create the endpoints and models every contract input refers to; return how many inputs."""
    sagemaker = boto3.client(
        "sagemaker",
        endpoint_url=emulator_url,
        region_name=FAKE_ENVIRONMENT["AWS_DEFAULT_REGION"],
        aws_access_key_id=FAKE_ENVIRONMENT["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=FAKE_ENVIRONMENT["AWS_SECRET_ACCESS_KEY"],
    )
    models = input_models(project_root)
    for model in models:
        seed_for_model(sagemaker, model)
    return len(models)


def run_cfn_test(emulator_url: str, cfn_arguments: list[str], time_scale: float = 1.0) -> int:
    """`cfn test CFN_ARGUMENTS` in this process with STS answered by the emulator; prints
    each input set's wall time. A `time_scale` other than 1 shortens `cfn test`'s sleeps."""
    from rpdk.core import boto_helpers, test
    from rpdk.core.cli import main as cfn_main
    from rpdk.core.contract import resource_client

    for key, value in FAKE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    os.environ.pop("AWS_PROFILE", None)
    real_endpoint = boto_helpers.get_service_endpoint

    def local_sts(service: str, region: str) -> str:
        return emulator_url if service == "sts" else str(real_endpoint(service, region))

    sets = 0

    def timed_set(*arguments: Any) -> None:
        nonlocal sets
        sets += 1
        started = time.monotonic()
        try:
            invoke_test(*arguments)
        finally:
            print(f"contract tests: input set {sets} took {time.monotonic() - started:.1f} s", flush=True)

    with (
        patched(boto_helpers, "get_service_endpoint", local_sts),
        patched(resource_client, "sleep", lambda seconds: time.sleep(seconds * time_scale)),
        patched(test, "invoke_test", timed_set) as invoke_test,
    ):
        try:
            cfn_main(["test", *cfn_arguments])
        except SystemExit as exit_:
            return int(exit_.code or 0)
    return 0


def contract_test(pytest_arguments: list[str], time_scale: float = 1.0) -> int:
    """Start emulator and Lambda stand-in, seed, run every input set through `cfn test`, stop both."""
    emulator_port, lambda_port = free_port(), free_port()
    handler_log = Path(tempfile.mkdtemp(prefix="contract-")) / "handlers.log"
    transition = str(TRANSITION_SECONDS * time_scale)
    scale = ["--time-scale", str(time_scale)]
    with (
        sandbox_process("serve", "--transition-seconds", transition, port=emulator_port) as emulator_url,
        sandbox_process(
            "lambda", "--endpoint-url", emulator_url, "--log-file", str(handler_log), *scale, port=lambda_port
        ) as lambda_url,
    ):
        count = seed_inputs(emulator_url)
        print(
            f"contract tests: {count} input sets, transitions {TRANSITION_SECONDS:g} s, clock x{time_scale:g} "
            f"({'real time' if time_scale == 1 else 'scaled'}), emulator {emulator_url}, Lambda stand-in {lambda_url}",
            flush=True,
        )
        arguments = ["--endpoint", lambda_url, "--region", FAKE_ENVIRONMENT["AWS_DEFAULT_REGION"]]
        arguments += ["--", "-o", "log_cli=false", "-p", "no:randomly", "-rs", *pytest_arguments]
        status = run_cfn_test(emulator_url, arguments, time_scale)
    print(f"contract tests: handler logs in {handler_log}", flush=True)
    return status
