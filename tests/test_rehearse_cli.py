"""`python -m sandbox rehearse` as a user runs it: no traceback for bad input, one line on
Ctrl-C with nothing left behind, and a kept stack to inspect on a running emulator."""

from __future__ import annotations

import http.server
import io
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import rehearse
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import seed_shadow_test, shadow_test_request

EXAMPLES = PROJECT_ROOT / "examples"


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "sandbox", "rehearse", *arguments]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["examples/minimal.yaml", "--time-scale", "0"], "--time-scale must be a finite number greater than 0"),
        (["examples/minimal.yaml", "--time-scale", "inf"], "--time-scale must be a finite number greater than 0"),
        (["examples/minimal.yaml", "--time-scale", "abc"], "invalid float value: 'abc'"),
        (["examples/minimal.yaml", "--parameter", "EndpointName"], "argument --parameter: expected KEY=VALUE"),
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


def test_ctrl_c_while_the_servers_start_leaves_no_directory(tmp_path: Path) -> None:
    environment = {**os.environ, "TMPDIR": str(tmp_path)}
    process = subprocess.Popen(
        command("examples/minimal.yaml"),
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("sandbox-harness-*")):
        assert process.poll() is None, "the rehearsal ended before its servers began to start"
        assert time.monotonic() < deadline, "the servers never began to start"
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    output, errors = process.communicate(timeout=60)
    assert process.returncode == 130, output + errors
    assert "interrupted: stopped the rehearsal and its servers" in output
    assert "Traceback" not in output + errors
    assert list(tmp_path.iterdir()) == []


class NotTheSandbox(http.server.BaseHTTPRequestHandler):
    """Some other web server on the port a user typed."""

    def do_GET(self) -> None:
        self.send_error(404)

    def log_message(self, *_: object) -> None:
        """Quiet: the test reads the rehearsal's output, not this server's."""


@pytest.fixture
def other_web_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), NotTheSandbox)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("notaurl", "error: argument --endpoint-url: expected a URL such as http://127.0.0.1:5123, got 'notaurl'"),
        ("http://127.0.0.1:99999", "error: argument --endpoint-url: expected a URL such as http://127.0.0.1:5123"),
        ("nothing-listens", "error: nothing answers at http://127.0.0.1:"),
        ("other-web-server", "answers, but not as `python -m sandbox serve` does (HTTP 404)"),
    ],
)
def test_an_endpoint_url_that_is_no_sandbox_server_is_one_error_line(
    url: str, message: str, tmp_path: Path, other_web_server: str
) -> None:
    url = {"nothing-listens": f"http://127.0.0.1:{free_port()}", "other-web-server": other_web_server}.get(url, url)
    done = subprocess.run(
        command("examples/minimal.yaml", "--endpoint-url", url),
        cwd=PROJECT_ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stdout + done.stderr
    assert "CREATE_IN_PROGRESS" not in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_server_that_stops_mid_rehearsal_ends_it_with_one_error_line(tmp_path: Path) -> None:
    with sandbox_process("serve", "--time-scale", "0.02", port=free_port()) as url:
        process = subprocess.Popen(
            command("examples/minimal.yaml", "--endpoint-url", url),
            cwd=PROJECT_ROOT,
            env={**os.environ, "TMPDIR": str(tmp_path)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert process.stdout is not None
        deadline = time.monotonic() + 60
        while "CREATE_IN_PROGRESS" not in process.stdout.readline():
            assert time.monotonic() < deadline, "the stack never started creating"
    output, errors = process.communicate(timeout=120)
    assert process.returncode == 1
    assert output.splitlines()[-1].startswith("error: Could not connect to the endpoint URL")
    assert "Traceback" not in output + errors
    assert list(tmp_path.iterdir()) == []


def test_a_retained_experiment_is_reported_as_left_running_not_as_nothing(tmp_path: Path) -> None:
    """CloudFormation's DeletionPolicy attribute: with Retain, "CloudFormation keeps the resource
    without deleting the resource" on stack deletion: it is left, on purpose, and still running."""
    experiment = "    Type: AWS::SageMaker::InferenceExperiment\n"
    retained = f"{experiment}    DeletionPolicy: Retain\n    UpdateReplacePolicy: Retain\n"
    template = tmp_path / "retained.yaml"
    template.write_text((EXAMPLES / "minimal.yaml").read_text().replace(experiment, retained))
    done = subprocess.run(
        command(str(template), "--time-scale", "0.005"), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (
        "left in the emulator: inference experiment recommendations-v2-shadow "
        "(Running, retained by its Retain policy)\n" in done.stdout
    ), done.stdout


def test_other_stacks_shadow_variants_on_a_shared_server_are_not_this_rehearsals_leftovers() -> None:
    """Only what this rehearsal's stack left counts: another stack's running shadow test on
    the same `serve` is not a leak of this one."""
    credentials = {"region_name": "us-east-1", "aws_access_key_id": "x", "aws_secret_access_key": "x"}
    with sandbox_process("serve", "--time-scale", "0.005", port=free_port()) as url:
        sagemaker = boto3.client("sagemaker", endpoint_url=url, **credentials)
        seed_shadow_test(sagemaker, "other-endpoint")
        other_stacks_test = shadow_test_request("other-stacks-test", endpoint_name="other-endpoint")
        sagemaker.create_inference_experiment(**other_stacks_test)
        done = subprocess.run(
            command("examples/minimal.yaml", "--endpoint-url", url),
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        other = sagemaker.describe_endpoint(EndpointName="other-endpoint")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "left in the emulator: nothing\n" in done.stdout
    assert [variant["VariantName"] for variant in other["ShadowProductionVariants"]] == ["shadow"]


def test_sigterm_stops_the_rehearsal_and_its_servers_like_ctrl_c(tmp_path: Path) -> None:
    """`timeout`, `kill` and CI cancellations send SIGTERM: Python's default ended the
    rehearsal at once, leaving its emulator and Lambda stand-in running and their directory."""
    process = subprocess.Popen(
        command("examples/complete.yaml", "--time-scale", "0.05"),
        cwd=PROJECT_ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    deadline = time.monotonic() + 60
    while "CREATE_IN_PROGRESS" not in process.stdout.readline():
        assert time.monotonic() < deadline, "the stack never started creating"
    servers = [int(pid) for pid in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()]
    assert len(servers) == 2
    process.terminate()
    output, errors = process.communicate(timeout=60)
    left_running = [pid for pid in servers if running(pid)]
    for pid in left_running:
        os.kill(pid, signal.SIGKILL)
    assert left_running == []
    assert process.returncode == 130
    assert "interrupted: stopped the rehearsal and its servers" in output
    assert "Traceback" not in output + errors
    assert list(tmp_path.iterdir()) == []


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
