"""`python -m sandbox` as a user runs it: --help names every command, and every usage error
(a value out of range, options that make no sense together) ends the way argparse ends all
of them: one `error:` line, exit status 2, no traceback, nothing started."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import pytest

from sandbox.__main__ import parser
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.processes import free_port

USAGE_ERROR = 2


def test_help_lists_every_command() -> None:
    root = parser()
    commands = next(a for a in root._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert sorted(commands) == sorted(
        [
            "serve",
            "lambda",
            "seed",
            "cfn-test",
            "contract-test",
            "rehearse",
            "reliability",
            "bench",
            "cloudcontrol-demo",
        ]
    )
    help_text = root.format_help()
    assert all(f"\n{name} " in help_text for name in commands)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        # A socket refuses a negative port with a traceback, and werkzeug quietly listened on
        # some other port when given one above 65535.
        (["serve", "--port", "-1"], "argument --port: expected a port from 0 (any free port) to 65535, got '-1'"),
        (["serve", "--port", "99999"], "argument --port: expected a port from 0 (any free port) to 65535"),
        (["lambda", "--port", "70000"], "argument --port: expected a port from 0 (any free port) to 65535"),
        # A share of calls is 0 to 1, with or without a seed.
        (
            ["serve", "--fault-seed", "1", "--throttle-rate", "1.5"],
            "argument --throttle-rate: expected a fraction of calls from 0 to 1, got '1.5'",
        ),
        (["serve", "--throttle-rate", "1.5"], "argument --throttle-rate: expected a fraction of calls from 0 to 1"),
        (["serve", "--server-error-rate", "-0.1"], "argument --server-error-rate: expected a fraction of calls"),
        # Rates without a seed used to be ignored without a word.
        (["serve", "--throttle-rate", "0.2"], "--throttle-rate needs --fault-seed N"),
        (
            ["serve", "--fault-seed", "1", "--throttle-rate", "0.6", "--server-error-rate", "0.6"],
            "--throttle-rate and --server-error-rate add up to more than 1 (got 1.2)",
        ),
        # Exit 1 without `error:` before; now like every other usage error.
        (["rehearse", "examples/minimal.yaml", "--parameter", "K"], "argument --parameter: expected KEY=VALUE"),
        (["rehearse", "examples/minimal.yaml", "--tag", "=v"], "argument --tag: expected KEY=VALUE, got '=v'"),
        # botocore's "Invalid endpoint" traceback, or a Lambda stand-in whose every call fails.
        (
            ["seed", "--endpoint-url", "notaurl"],
            "argument --endpoint-url: expected a URL such as http://127.0.0.1:5123",
        ),
        (["lambda", "--endpoint-url", "localhost:5123"], "argument --endpoint-url: expected a URL such as"),
        (["cfn-test", "--emulator-url", "notaurl"], "argument --emulator-url: expected a URL such as"),
        # A median of no samples was a StatisticsError traceback after the whole run.
        (["bench", "--samples", "0"], "argument --samples: expected a whole number 1 or more, got '0'"),
    ],
)
def test_a_usage_error_is_one_error_line_and_exit_status_2(arguments: list[str], message: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", *arguments], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=30
    )
    assert done.returncode == USAGE_ERROR, done.stdout + done.stderr
    assert f"python -m sandbox {arguments[0]}: error: {message}" in done.stderr
    assert "Traceback" not in done.stderr
    assert "listening" not in done.stdout


def test_key_value_keeps_everything_after_the_first_equals_sign() -> None:
    args = parser().parse_args(["rehearse", "t.yaml", "--parameter", "Url=a=b", "--parameter", "Empty="])
    assert dict(args.parameter) == {"Url": "a=b", "Empty": ""}


def test_seed_where_nothing_listens_is_one_error_line() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "seed", "--endpoint-url", url],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr.splitlines() == [f'error: Could not connect to the endpoint URL: "{url}/"'], done.stderr


@pytest.mark.parametrize("command", [["reliability", "--quick", "--output"], ["bench", "--output"]])
def test_a_report_path_that_cannot_be_written_is_refused_before_the_run(command: list[str], tmp_path: Path) -> None:
    """Both wrote their report only at the end, so the whole run was lost to a traceback."""
    in_a_file = tmp_path / "a-file" / "report.md"
    in_a_file.parent.write_text("")
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", *command, str(in_a_file)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == USAGE_ERROR, done.stdout + done.stderr
    assert f"error: argument --output: cannot write '{in_a_file}'" in done.stderr
    assert done.stdout == ""


def test_a_lambda_log_file_in_a_missing_directory_is_refused() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sandbox", "lambda", "--port", "0", "--log-file", "/nonexistent/dir/handlers.log"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == USAGE_ERROR, done.stdout + done.stderr
    assert "error: argument --log-file: cannot write '/nonexistent/dir/handlers.log'" in done.stderr
    assert "Traceback" not in done.stderr
