"""AWS's contract test suite (`cfn test`, unmodified) against the emulator, offline.

`cfn test` asks STS at the real regional endpoint for credentials and the account
before anything else; `run_cfn_test` points that one look-up at the emulator (moto
answers STS) and otherwise runs the CloudFormation CLI as it is.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import boto3

from sandbox.cloudformation.prerequisites import seed_for_model
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.processes import free_port, sandbox_process

FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "AKIASANDBOXCONTRACT0",
    "AWS_SECRET_ACCESS_KEY": "sandbox-contract-secret-key-never-real",
    "AWS_DEFAULT_REGION": "us-east-1",
}


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


def run_cfn_test(emulator_url: str, cfn_arguments: list[str]) -> int:
    """`cfn test CFN_ARGUMENTS` in this process with STS answered by the emulator."""
    from rpdk.core import boto_helpers
    from rpdk.core.cli import main as cfn_main

    for key, value in FAKE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    os.environ.pop("AWS_PROFILE", None)
    real_endpoint = boto_helpers.get_service_endpoint

    def local_sts(service: str, region: str) -> str:
        return emulator_url if service == "sts" else str(real_endpoint(service, region))

    boto_helpers.get_service_endpoint = local_sts
    try:
        cfn_main(["test", *cfn_arguments])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    finally:
        boto_helpers.get_service_endpoint = real_endpoint
    return 0


def contract_test(pytest_arguments: list[str]) -> int:
    """Start emulator and Lambda stand-in, seed, run every input set through `cfn test`, stop both."""
    emulator_port, lambda_port = free_port(), free_port()
    handler_log = Path(tempfile.mkdtemp(prefix="contract-")) / "handlers.log"
    with (
        sandbox_process("serve", port=emulator_port) as emulator_url,
        sandbox_process(
            "lambda", "--endpoint-url", emulator_url, "--log-file", str(handler_log), port=lambda_port
        ) as lambda_url,
    ):
        count = seed_inputs(emulator_url)
        print(f"contract tests: {count} input sets, emulator {emulator_url}, Lambda stand-in {lambda_url}", flush=True)
        arguments = ["--endpoint", lambda_url, "--region", FAKE_ENVIRONMENT["AWS_DEFAULT_REGION"]]
        arguments += ["--", "-o", "log_cli=false", "-p", "no:randomly", "-rs", *pytest_arguments]
        status = run_cfn_test(emulator_url, arguments)
    print(f"contract tests: handler logs in {handler_log}", flush=True)
    return status
