"""The built zip run as Lambda runs it: its ResourceProvider.zip unpacked as the task root,
`python -m awslambdaric ENTRYPOINT` in a virtualenv of the runtime's Python that holds nothing
but AWS's runtime interface client, talking to a Runtime API stand-in. One instance is one
execution environment: it stays warm across invocations until stopped."""

from __future__ import annotations

import io
import json
import os
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .invoke import FunctionError
from .runtime_api import RuntimeAPI

FUNCTION_NAME = "ResourceProviderFunction"
RELAUNCHES = 3
EXECUTION_ROLE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIASANDBOXEXECROLE0",
    "AWS_SECRET_ACCESS_KEY": "sandbox-execution-role-secret-never-real0",
    "AWS_SESSION_TOKEN": "sandbox-execution-role-token-never-real",
}


def fast_scratch() -> str | None:
    """Memory-backed scratch where there is one: unpacking some 2,600 files is then no disk work."""
    return "/dev/shm" if os.access("/dev/shm", os.W_OK) else None


def package_facts(package: Path) -> dict[str, Any]:
    """The type name and entrypoint the package carries (schema.json and .rpdk-config)."""
    with zipfile.ZipFile(package) as outer:
        schema = json.loads(outer.read("schema.json"))
        config = json.loads(outer.read(".rpdk-config"))
    return {"type_name": schema["typeName"], "entrypoint": config["entrypoint"], "runtime": config["runtime"]}


def unpack_task_root(package: Path, task_root: Path) -> None:
    with zipfile.ZipFile(package) as outer, zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip"))) as inner:
        inner.extractall(task_root)


@dataclass
class ShippedFunction:
    """The package's handler function under awslambdaric on `python` (a runtime virtualenv's)."""

    package: Path
    python: Path
    region: str = "us-east-1"
    endpoint_url: str | None = None
    timeout_seconds: float = 60.0
    memory_mb: int = 256
    facts: dict[str, Any] = field(init=False)

    def __post_init__(self) -> None:
        self.python = Path(os.path.abspath(self.python))
        self.facts = package_facts(self.package)
        self.scratch = tempfile.TemporaryDirectory(prefix="shipped-function-", dir=fast_scratch())
        self.task_root = Path(self.scratch.name) / "task"
        self.log_path = Path(self.scratch.name) / "function.log"
        arn = f"arn:aws:lambda:{self.region}:123456789012:function:{FUNCTION_NAME}"
        self.api = RuntimeAPI(arn, self.timeout_seconds)
        self.process: subprocess.Popen[bytes] | None = None
        self.relaunches = 0

    def environment(self) -> dict[str, str]:
        """What Lambda sets for a python3.x function, with the SDK pointed at the emulator."""
        environment = {
            "PATH": f"{self.python.parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": self.scratch.name,
            "LANG": "en_US.UTF-8",
            "TZ": ":UTC",
            "PYTHONPATH": str(self.task_root),
            "PYTHONDONTWRITEBYTECODE": "1",
            "LAMBDA_TASK_ROOT": str(self.task_root),
            "AWS_LAMBDA_RUNTIME_API": self.api.address,
            "AWS_EXECUTION_ENV": f"AWS_Lambda_{self.facts['runtime']}",
            "AWS_LAMBDA_FUNCTION_NAME": FUNCTION_NAME,
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(self.memory_mb),
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{FUNCTION_NAME}",
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            **EXECUTION_ROLE_CREDENTIALS,
        }
        if self.endpoint_url:
            environment["AWS_ENDPOINT_URL"] = self.endpoint_url
        return environment

    def start(self) -> ShippedFunction:
        unpack_task_root(self.package, self.task_root)
        self.api.start()
        self.launch()
        return self

    def launch(self) -> None:
        """A new execution environment's runtime process on the same task root (a cold start)."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(self.python), "-m", "awslambdaric", self.facts["entrypoint"]],
                cwd=self.task_root,
                env=self.environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def invoke(self, payload: dict[str, Any]) -> dict[str, Any]:
        """One invocation. When the runtime process died or timed out, Lambda serves the next
        invocation from a new environment: so does this, at most RELAUNCHES times, so a function
        that always crashes or hangs fails fast afterwards instead of costing a cold start (or a
        timeout) per retry."""
        try:
            response: dict[str, Any] = self.api.invoke(payload, self.alive)
        except FunctionError:
            if self.alive() and not self.api.timed_out:
                raise
            self.end_process()
            if self.relaunches < RELAUNCHES:
                self.relaunches += 1
                self.api.timed_out, self.api.init_error = False, None
                self.launch()
            raise
        return response

    def cpu_seconds(self) -> float:
        """CPU the function's process has used so far (user and system), from /proc."""
        assert self.process is not None
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def log(self) -> str:
        """What the function wrote to its own log (stdout and stderr, as Lambda's log group gets it)."""
        return self.log_path.read_text(errors="replace")

    def end_process(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def stop(self) -> None:
        self.end_process()
        self.api.stop()
        self.scratch.cleanup()

    def __enter__(self) -> ShippedFunction:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
