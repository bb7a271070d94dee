"""The emulator and the Lambda stand-in as child processes, with distinctive fake
credentials, for suites that drive many operations: the reliability checks and the
benchmark. Each handler operation is attributed the emulator calls made while it ran.
"""

from __future__ import annotations

import json
import tempfile
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from sandbox.lambda_runtime import http_invoke
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.server import Call

from .driver import ACCOUNT, CloudFormation, Outcome

# Distinctive values, so a leak into any log or response is found by a plain search.
SECRET_CREDENTIALS = {
    "accessKeyId": "AKIALEAKCANARY7Q4Z2X",
    "secretAccessKey": "leak-canary-secret/Zq8vW3+never-log-this-0xC0FFEE",
    "sessionToken": "leak-canary-session-token/FwoGZXIvYXdzEJr-never-log-this",
}
REGION = "us-east-1"
# How long SageMaker typically spends in each transitional status for a small real-time
# endpoint: what the rehearsal and the benchmark emulate (a finished experiment's
# deletion is immediate).
REALISTIC_DURATIONS = {"Creating": 60.0, "Starting": 300.0, "Updating": 60.0, "Stopping": 120.0, "Deleting": 0.0}
# An UpdateEndpoint deploys a new fleet before it retires the old one: as long as a start,
# which deploys the shadow variant's instances. Rehearsals only; the benchmark updates no endpoint.
REALISTIC_ENDPOINT_UPDATE = {"EndpointUpdating": 300.0}


@dataclass
class Operation:
    """One CloudFormation operation on the resource and the SageMaker calls it made."""

    action: str
    outcome: Outcome
    calls: list[Call]


@dataclass
class Harness:
    emulator_url: str
    lambda_url: str
    workdir: Path
    time_scale: float
    operations: list[Operation] = field(default_factory=list)
    crash_plan: Callable[[], int | None] | None = None
    seen: int = 0

    def __post_init__(self) -> None:
        self.sagemaker = boto3.client(
            "sagemaker",
            endpoint_url=self.emulator_url,
            region_name=REGION,
            aws_access_key_id="harness",
            aws_secret_access_key="harness",
            config=Config(retries={"mode": "standard", "total_max_attempts": 10}),
        )

    # ---- emulator control ----------------------------------------------------------

    def _post(self, path: str, body: dict[str, Any]) -> Any:
        request = urllib.request.Request(f"{self.emulator_url}{path}", data=json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def configure(
        self,
        durations: dict[str, float] | None = None,
        faults: dict[str, Any] | None = None,
        stop_before_start: bool | None = None,
    ) -> None:
        body: dict[str, Any] = {}
        if durations is not None:
            body["durations"] = durations
        if faults is not None:
            body["faults"] = faults
        if stop_before_start is not None:
            body["stop_before_start"] = stop_before_start
        self._post("/_sandbox/config", body)

    def pending_calls(self) -> int:
        """How many calls the emulator logged since the last look, without taking them."""
        with urllib.request.urlopen(f"{self.emulator_url}/_sandbox/calls?since={self.seen}", timeout=30) as response:
            return len(json.loads(response.read()))

    def new_calls(self) -> list[Call]:
        """Calls the emulator logged since the last look."""
        with urllib.request.urlopen(f"{self.emulator_url}/_sandbox/calls?since={self.seen}", timeout=30) as response:
            raw = json.loads(response.read())
        self.seen += len(raw)
        return [Call.from_dict(c) for c in raw]

    # ---- handler operations ---------------------------------------------------------

    def driver(self, on_event: Callable[[str, dict[str, Any]], None] | None = None) -> CloudFormation:
        invoke = http_invoke(self.lambda_url, crash_after=lambda: self.crash_plan() if self.crash_plan else None)
        return CloudFormation(
            invoke,
            region=REGION,
            credentials=dict(SECRET_CREDENTIALS),
            time_scale=self.time_scale,
            on_event=on_event,
        )

    def run(
        self,
        action: str,
        desired: dict[str, Any],
        on_event: Callable[[str, dict[str, Any]], None] | None = None,
        **kwargs: Any,
    ) -> Outcome:
        self.new_calls()
        outcome = self.driver(on_event).run(action, desired, **kwargs)
        self.operations.append(Operation(action, outcome, self.new_calls()))
        return outcome

    def log_texts(self) -> dict[str, str]:
        """Everything the processes wrote, by file name."""
        return {path.name: path.read_text(errors="replace") for path in sorted(self.workdir.glob("*.log"))}


@contextmanager
def harness(time_scale: float = 0.01) -> Iterator[Harness]:
    """Emulator and Lambda stand-in on free loopback ports, their output kept in a work dir
    that is removed after both stop, however the block ends (Ctrl-C while they start too)."""
    emulator_port, lambda_port = free_port(), free_port()
    with tempfile.TemporaryDirectory(prefix="sandbox-harness-") as directory, ExitStack() as stack:
        workdir = Path(directory)
        emulator_url = stack.enter_context(
            sandbox_process("serve", port=emulator_port, output=workdir / "emulator.log")
        )
        lambda_url = stack.enter_context(
            sandbox_process(
                "lambda",
                "--endpoint-url",
                emulator_url,
                "--time-scale",
                str(time_scale),
                "--log-file",
                str(workdir / "handlers.log"),
                port=lambda_port,
                output=workdir / "lambda.log",
            )
        )
        yield Harness(emulator_url, lambda_url, workdir, time_scale)


__all__ = ["ACCOUNT", "SECRET_CREDENTIALS", "Harness", "Operation", "harness"]
