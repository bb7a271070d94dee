"""`python -m sandbox rehearse` as a user runs it: no traceback for bad input, one line on
Ctrl-C with nothing left behind, and a kept stack to inspect on a running emulator."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest

from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.processes import free_port, sandbox_process

EXAMPLES = PROJECT_ROOT / "examples"


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sandbox", "rehearse", *arguments]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["examples/minimal.yaml", "--time-scale", "0"], "--time-scale must be a number greater than 0"),
        (["examples/minimal.yaml", "--time-scale", "abc"], "invalid float value: 'abc'"),
        (["examples/minimal.yaml", "--parameter", "EndpointName"], "--parameter takes KEY=VALUE"),
        (["examples/minimal.yaml", "--bogus"], "unrecognized arguments: --bogus"),
        (["examples"], "examples: not a file"),
        (["sandbox/__init__.py"], "cannot read the template"),
    ],
)
def test_bad_flags_values_and_files_end_without_a_traceback(arguments: list[str], message: str) -> None:
    done = subprocess.run(command(*arguments), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert message in done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_ctrl_c_ends_with_one_line_and_removes_temporary_files(tmp_path: Path) -> None:
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        command("examples/complete.yaml", "--time-scale", "0.05"),
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if "ShadowTest" in line and "CREATE_IN_PROGRESS" in line:
            break
    process.send_signal(signal.SIGINT)
    rest, errors = process.communicate(timeout=60)
    assert process.returncode == 130
    assert [line for line in rest.splitlines() if line.startswith("interrupted")] == [
        "interrupted: stopped the rehearsal and its servers"
    ]
    assert "Traceback" not in rest + errors
    assert list(tmp_path.iterdir()) == []


def test_keep_against_a_running_emulator_leaves_the_stack_to_inspect() -> None:
    output = io.StringIO()
    credentials = {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    with sandbox_process("serve", "--time-scale", "0.005", port=free_port()) as url:
        status = rehearse(
            str(EXAMPLES / "minimal.yaml"), keep=True, endpoint_url=url, stack_name="kept", log=EventLog(output)
        )
        described = boto3.client("sagemaker", endpoint_url=url, **credentials).describe_inference_experiment(
            Name="recommendations-v2-shadow"
        )
        stack = boto3.client("cloudformation", endpoint_url=url, **credentials).describe_stacks(StackName="kept")
    assert status == 0, output.getvalue()
    assert described["Status"] in ("Created", "Running")
    assert stack["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    assert "DELETE" not in output.getvalue()
    assert "duration: create" in output.getvalue()


def test_a_failed_update_rolls_back_on_a_running_emulator_too() -> None:
    output = io.StringIO()
    with sandbox_process("serve", "--time-scale", "0.005", port=free_port()) as url:
        status = rehearse(
            str(EXAMPLES / "rollback.yaml"), str(EXAMPLES / "rollback-v2.yaml"), endpoint_url=url, log=EventLog(output)
        )
    assert status == 1
    assert "UPDATE_ROLLBACK_COMPLETE\n" in output.getvalue()
    assert "left in the emulator: nothing" in output.getvalue()
