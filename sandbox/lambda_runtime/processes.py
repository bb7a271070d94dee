"""Start the sandbox's servers as child processes on free loopback ports, and stop them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sandbox.common import PROJECT_ROOT

START_TIMEOUT_SECONDS = 30


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = START_TIMEOUT_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before listening on {port}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.args!r} did not listen on 127.0.0.1:{port} within {timeout}s")


@contextmanager
def sandbox_process(*arguments: str, port: int, output: Path | None = None) -> Iterator[str]:
    """Run `python -m sandbox ARGUMENTS --port PORT`; yield its URL; always stop it.
    With `output`, the child's stdout and stderr go to that file."""
    command = [sys.executable, "-m", "sandbox", *arguments, "--port", str(port)]
    sink = output.open("w") if output else None
    process = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        stdout=sink or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if sink else None,
    )
    try:
        wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if sink:
            sink.close()
