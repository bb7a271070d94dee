"""3. Per-invocation cost: handler CPU, building list models, client creation, cold import,
package size."""

from __future__ import annotations

import io
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime import in_process
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import shadow_test_request


def per_invocation(samples: int) -> dict[str, Any]:
    port = free_port()
    figures: dict[str, Any] = {}
    with sandbox_process("serve", port=port) as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        try:
            import boto3

            sagemaker = boto3.client(
                "sagemaker", endpoint_url=url, region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
            )
            ensure_endpoint(sagemaker, "cost-endpoint", "model-a")
            ensure_model(sagemaker, "model-b")
            sagemaker.create_inference_experiment(**shadow_test_request("cost", endpoint_name="cost-endpoint"))
            invoke = in_process()
            driver = CloudFormation(invoke)
            for label, action, desired in (
                ("read", "READ", {"Name": "cost"}),
                ("list (1 experiment)", "LIST", {}),
                ("update, nothing to change", "UPDATE", shadow_test_request("cost", endpoint_name="cost-endpoint")),
            ):
                cpu = []
                for _ in range(samples):
                    payload = driver.payload(action, desired, previous=desired if action == "UPDATE" else None)
                    started = time.process_time()
                    response = invoke(payload)
                    cpu.append(time.process_time() - started)
                    assert response["status"] == "SUCCESS", response
                figures[f"CPU ms per {label} invocation (median of {samples})"] = round(
                    1000 * statistics.median(cpu), 1
                )
        finally:
            os.environ.pop("AWS_ENDPOINT_URL", None)
    figures.update(list_models())
    figures.update(client_creation())
    figures.update(cold_start())
    figures.update(package_size())
    return figures


def list_models() -> dict[str, Any]:
    """Building the list handler's 10,000 result models, the generated way and the direct way."""
    from datetime import UTC, datetime

    from aws_sagemaker_inferenceexperiment.driver import ListedModel, as_model
    from aws_sagemaker_inferenceexperiment.translate import summary_model

    now = datetime.now(UTC)
    summaries = [
        summary_model({"Name": f"exp-{i}", "Type": "ShadowMode", "Status": "Completed", "CreationTime": now})
        for i in range(10_000)
    ]

    def seconds(build: Callable[[dict[str, Any]], Any]) -> float:
        started = time.process_time()
        for summary in summaries:
            build(summary)
        return time.process_time() - started

    return {
        "10,000 list models via ResourceModel._deserialize (before) s": round(seconds(as_model), 2),
        "10,000 list models via ListedModel (after) s": round(seconds(ListedModel), 3),
    }


def client_creation() -> dict[str, Any]:
    """What each invocation spends on its SageMaker client, the three ways it has been built."""
    import botocore.loaders
    import botocore.session

    from aws_sagemaker_inferenceexperiment.sagemaker import _shared_session

    shared = botocore.loaders.create_loader()

    def fresh_session(loader: Any) -> botocore.session.Session:
        session = botocore.session.Session()
        if loader is not None:
            session.register_component("data_loader", loader)
        return session

    def create(session: Callable[[], botocore.session.Session]) -> float:
        started = time.perf_counter()
        session().create_client("sagemaker", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x")
        return time.perf_counter() - started

    create(lambda: fresh_session(shared))
    ways: dict[str, Callable[[], botocore.session.Session]] = {
        "new session and loader (first version)": lambda: fresh_session(None),
        "new session on the shared loader (before)": lambda: fresh_session(shared),
        "the shared session (now)": _shared_session,
    }
    return {
        f"SageMaker client per invocation, {name} ms (median of 5)": round(
            1000 * statistics.median(create(way) for _ in range(5)), 1
        )
        for name, way in ways.items()
    }


COLD_START = """
import time
started = time.perf_counter()
import boto3
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from aws_sagemaker_inferenceexperiment.handlers import resource
from aws_sagemaker_inferenceexperiment.sagemaker import sagemaker_client
caller = boto3.session.Session(aws_access_key_id="x", aws_secret_access_key="x", region_name="us-east-1")
sagemaker_client(SessionProxy(caller))
print(time.perf_counter() - started)
"""
PREVIOUS_COMMIT = "65cc6d6"  # the handlers before the shared botocore session


def cold_start(samples: int = 5) -> dict[str, Any]:
    """A fresh interpreter's import of the handler module plus its first SageMaker client, as
    Lambda's init and first invocation do, now and at PREVIOUS_COMMIT (alternating, same
    run); and the heaviest top-level imports."""

    def once(source: Path, *options: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *options, "-c", COLD_START]
        env = {**os.environ, "PYTHONPATH": str(source)}
        return subprocess.run(command, capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=True)

    with tempfile.TemporaryDirectory() as previous:
        archive = subprocess.run(
            ["git", "archive", PREVIOUS_COMMIT, "src"], cwd=PROJECT_ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", previous], input=archive.stdout, check=True)
        timings: dict[str, list[float]] = {"now": [], "before": []}
        for _ in range(samples):
            timings["now"].append(float(once(PROJECT_ROOT / "src").stdout))
            timings["before"].append(float(once(Path(previous) / "src").stdout))
    cumulative: dict[str, int] = {}
    for line in once(PROJECT_ROOT / "src", "-X", "importtime").stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)", line)
        if match and "." not in match.group(3):
            cumulative[match.group(3)] = int(match.group(1))
    heaviest = Counter(cumulative).most_common(5)
    label = f"cold start: import of the handler module plus the first SageMaker client ms (median of {samples})"
    return {
        label: round(1000 * statistics.median(timings["now"]), 1),
        f"the same at commit {PREVIOUS_COMMIT} (before), same run ms": round(
            1000 * statistics.median(timings["before"]), 1
        ),
        "largest top-level imports ms (one -X importtime run)": {name: round(us / 1000, 1) for name, us in heaviest},
    }


def package_size() -> dict[str, Any]:
    path = PROJECT_ROOT / "build" / "aws-sagemaker-inferenceexperiment.zip"
    if not path.exists():
        subprocess.run(
            ["bash", "scripts/package.sh"],
            cwd=PROJECT_ROOT,
            check=True,
            capture_output=True,
            env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        )
    outer = zipfile.ZipFile(path)
    inner = zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip")))
    by_package: Counter[str] = Counter()
    for info in inner.infolist():
        by_package[info.filename.split("/", 1)[0].split("-")[0]] += info.file_size
    unpacked = sum(by_package.values())
    return {
        "package zip MB": round(path.stat().st_size / 1e6, 1),
        "unpacked MB": round(unpacked / 1e6, 1),
        "largest parts MB": {name: round(size / 1e6, 1) for name, size in by_package.most_common(4)},
    }
