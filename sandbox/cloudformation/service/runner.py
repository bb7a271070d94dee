"""The handlers behind the local CloudFormation API: a Lambda stand-in started on first
use, so `serve` costs nothing until a stack with an experiment is created."""

from __future__ import annotations

import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

import boto3

from sandbox.lambda_runtime import http_invoke
from sandbox.lambda_runtime.processes import free_port, sandbox_process

from .provision import SandboxProvisioner


class HandlerRunner:
    """Provisioners for the stack API; callback delays honoured at `time_scale` (1 = real
    time, as CloudFormation does). `url` is the emulator's, set once it listens."""

    def __init__(self, time_scale: float) -> None:
        self.time_scale = time_scale
        self.url = ""
        self.lambda_url = ""
        self.processes = ExitStack()
        self.lock = threading.Lock()

    def _lambda(self) -> str:
        with self.lock:
            if not self.lambda_url:
                logs = Path(self.processes.enter_context(tempfile.TemporaryDirectory(prefix="sandbox-stacks-")))
                self.lambda_url = self.processes.enter_context(
                    sandbox_process(
                        "lambda",
                        *("--endpoint-url", self.url, "--time-scale", str(self.time_scale)),
                        *("--log-file", str(logs / "handlers.log")),
                        port=free_port(),
                        output=logs / "lambda.log",
                    )
                )
            return self.lambda_url

    def provisioner(self, region: str) -> SandboxProvisioner:
        sagemaker = boto3.client(
            "sagemaker", endpoint_url=self.url, region_name=region, aws_access_key_id="x", aws_secret_access_key="x"
        )
        return SandboxProvisioner.through(http_invoke(self._lambda()), sagemaker, region, self.time_scale)

    def close(self) -> None:
        """Stop the Lambda stand-in, if one was started."""
        self.processes.close()
