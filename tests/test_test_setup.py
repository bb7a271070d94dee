"""The suite's own setup stays inside the suite: `cfn test` in the project root loads
tests/conftest.py too (pytest's initial conftests), so importing it must leave the process
environment, and so a user's credentials and endpoint, as they were."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from sandbox.common import PROJECT_ROOT

PROBE = """
import json, os, sys
before = dict(os.environ)
sys.path[:0] = ["src", "."]
import tests.conftest
print(json.dumps({"changed": sorted(k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k))}))
"""


def test_importing_conftest_leaves_the_environment_alone() -> None:
    environment = {
        **os.environ,
        "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
        "AWS_PROFILE": "a-users-profile",
        "AWS_ACCESS_KEY_ID": "AKIAUSERSOWNKEY00001",
    }
    probe = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr
    assert json.loads(probe.stdout.splitlines()[-1]) == {"changed": []}


def test_the_suite_runs_with_its_own_fake_credentials_and_no_endpoint() -> None:
    assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIATESTSUITEKEY0001"
    assert "AWS_ENDPOINT_URL" not in os.environ
