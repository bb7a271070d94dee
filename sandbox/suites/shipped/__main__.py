"""`python -m sandbox.suites.shipped VERSION PACKAGE.zip [...]`: each built package through a whole
lifecycle under awslambdaric on pyenv's Python VERSION (scripts/runtime-venv.sh), against a
fresh emulator server. Exit status 1 when any check fails (or that Python is missing)."""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.shipped_function import ShippedFunction
from sandbox.server import CONTROL, EmulatorServer

from .lifecycle import TRANSITION_SECONDS, run_lifecycle
from .requests import LOG_GROUP, reset_emulator


def runtime_python(version: str) -> Path:
    """The runtime virtualenv's interpreter; exits saying why when pyenv lacks that Python."""
    made = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "runtime-venv.sh"), version], stdout=subprocess.PIPE, text=True
    )
    if made.returncode != 0:
        raise SystemExit(made.returncode)
    return Path(made.stdout.strip()) / "bin" / "python"


def run_package(package: Path, python: Path, index: int) -> bool:
    version = subprocess.run([str(python), "-V"], capture_output=True, text=True).stdout.strip()
    started = time.monotonic()
    with EmulatorServer(0) as server:
        CONTROL.reset()
        reset_emulator(server.url)
        CONTROL.set_durations(TRANSITION_SECONDS)
        with ShippedFunction(package, python, endpoint_url=server.url) as function:
            checks = run_lifecycle(function, server.url, f"{LOG_GROUP}-{index}", f"shipped{index}")
            function_log = function.log()
    where = f"{package} under awslambdaric on {version}"
    for failure in checks.failures:
        print(f"  FAILED {failure}")
    if checks.failures:
        print(f"shipped: {where}: {len(checks.failures)} of {checks.passed + len(checks.failures)} checks failed")
        print("  the function's own log (last lines):\n" + "\n".join(function_log.splitlines()[-30:]))
        return False
    print(f"shipped: {where}: {checks.passed} checks passed in {time.monotonic() - started:.1f} s")
    return True


def main(arguments: list[str]) -> int:
    if len(arguments) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    python = runtime_python(arguments[0])
    results = [run_package(Path(package), python, index) for index, package in enumerate(arguments[1:])]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
