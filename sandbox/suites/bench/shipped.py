"""4. The shipped zip as Lambda runs it: cold start, warm invocation CPU and size.

Everything here runs the built package (`make package`) under awslambdaric on the runtime's
Python (`ShippedFunction`): a fresh process with no bytecode cache and PYTHONDONTWRITEBYTECODE=1,
as on Lambda's read-only task root. `warm_invocation_cpu_seconds` is the per-invocation cost
other benchmarks take for a warm invocation."""

from __future__ import annotations

import io
import json
import statistics
import subprocess
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import boto3

from sandbox.common import PROJECT_ROOT
from sandbox.lambda_runtime.shipped_function import ShippedFunction
from sandbox.server import CONTROL, EmulatorServer
from sandbox.suites.seed import seed_shadow_test, shadow_test_request
from sandbox.suites.shipped.requests import StackRequests, reset_emulator

PACKAGE = PROJECT_ROOT / "build" / "aws-sagemaker-inferenceexperiment.zip"
EXPERIMENT = "bench-shipped"


def runtime_python(version: str | None = None) -> Path:
    """The runtime virtualenv's interpreter (scripts/runtime-venv.sh; .rpdk-config's runtime by default)."""
    if version is None:
        config = json.loads((PROJECT_ROOT / ".rpdk-config").read_text(encoding="utf-8"))
        version = str(config["runtime"]).removeprefix("python")
    made = subprocess.run(
        ["bash", str(PROJECT_ROOT / "scripts" / "runtime-venv.sh"), version],
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return Path(made.stdout.strip()) / "bin" / "python"


def without_bytecode(package: Path, destination: Path) -> Path:
    """The same package as `cfn submit` alone uploads it: its .pyc files left out."""
    with zipfile.ZipFile(package) as outer, zipfile.ZipFile(destination, "w", zipfile.ZIP_DEFLATED) as stripped:
        for info in outer.infolist():
            data = outer.read(info)
            if info.filename == "ResourceProvider.zip":
                data = stripped_inner(data)
            stripped.writestr(info, data)
    return destination


def stripped_inner(data: bytes) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as inner, zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bare:
        for info in inner.infolist():
            if not info.filename.endswith(".pyc"):
                bare.writestr(info, inner.read(info))
    return output.getvalue()


def cold_start(package: Path, python: Path, samples: int) -> dict[str, float]:
    """Median seconds from starting the runtime process to its first request for an event (Lambda's
    init duration: interpreter, awslambdaric, the handler module and its imports), and its CPU."""
    walls, cpus = [], []
    for _ in range(samples):
        with ShippedFunction(package, python) as function:
            started = time.monotonic()
            while function.api.next_requests == 0 and function.alive() and time.monotonic() - started < 60:
                time.sleep(0.005)
            walls.append(time.monotonic() - started)
            cpus.append(function.cpu_seconds())
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def warm_invocation_cpu_seconds(
    samples: int = 15, provider_credentials: bool = True, package: Path = PACKAGE, python: Path | None = None
) -> float:
    """Mean CPU seconds one warm invocation (a read) of the shipped package costs its Lambda
    process, with CloudFormation's providerCredentials and provider log group (as every
    `cfn submit`-registered type gets them) or without. Needs `make package` first."""
    with EmulatorServer(0) as server:
        CONTROL.reset()
        reset_emulator(server.url)
        sagemaker = boto3.client(
            "sagemaker",
            endpoint_url=server.url,
            region_name="us-east-1",
            aws_access_key_id="x",
            aws_secret_access_key="x",
        )
        seed_shadow_test(sagemaker)
        sagemaker.create_inference_experiment(**shadow_test_request(EXPERIMENT))
        with ShippedFunction(package, python or runtime_python(), endpoint_url=server.url) as function:
            requests = StackRequests(function.invoke, time_scale=0)
            payload = requests.payload("READ", {"Name": EXPERIMENT})
            if not provider_credentials:
                del payload["requestData"]["providerCredentials"], payload["requestData"]["providerLogGroupName"]
            function.invoke(payload)
            before = function.cpu_seconds()
            for _ in range(samples):
                response = function.invoke(payload)
                assert response["status"] == "SUCCESS", response
            return (function.cpu_seconds() - before) / samples


def package_size(package: Path) -> dict[str, Any]:
    with zipfile.ZipFile(package) as outer, zipfile.ZipFile(io.BytesIO(outer.read("ResourceProvider.zip"))) as inner:
        parts: Counter[str] = Counter()
        for info in inner.infolist():
            parts[info.filename.split("/", 1)[0]] += info.file_size
        unpacked = sum(parts.values())
    return {
        "zip MB": round(package.stat().st_size / 1e6, 1),
        "unpacked MB": round(unpacked / 1e6, 1),
        "largest parts MB": {name: round(size / 1e6, 1) for name, size in parts.most_common(4)},
    }


def shipped_figures(samples: int = 5) -> dict[str, Any]:
    """Every figure of the section, from the package `make package` built."""
    python = runtime_python()
    with tempfile.TemporaryDirectory() as scratch:
        bare = without_bytecode(PACKAGE, Path(scratch) / "bare.zip")
        figures: dict[str, Any] = {
            "python": subprocess.run([str(python), "-V"], capture_output=True, text=True).stdout.strip(),
            "cold": cold_start(PACKAGE, python, samples),
            "cold without bytecode": cold_start(bare, python, samples),
            "size": package_size(PACKAGE),
            "size without bytecode": package_size(bare),
        }
    figures["warm"] = warm_invocation_cpu_seconds(samples=15)
    figures["warm without provider credentials"] = warm_invocation_cpu_seconds(samples=15, provider_credentials=False)
    return figures


def shipped_section(figures: dict[str, Any]) -> list[str]:
    """The report's section: this run's figures next to those of the package as built before."""
    if not figures:
        return []
    cold, bare, size = figures["cold"], figures["cold without bytecode"], figures["size"]
    return [
        "## 4. The shipped zip under Lambda's runtime interface client",
        "",
        f"The package `make package` built, run by awslambdaric on the runtime's {figures['python']} "
        "(`sandbox/lambda_runtime/shipped_function.py`: its ResourceProvider.zip unpacked as the task root, "
        "a virtualenv holding only awslambdaric, a Runtime API stand-in, PYTHONDONTWRITEBYTECODE=1, no "
        "bytecode cache). Cold start is Lambda's init: from starting the process to its first request for an "
        "event (interpreter, awslambdaric, the handler module and everything it imports, the SageMaker model "
        "parsed by `sagemaker.warm_up`), median of 5 fresh processes. Warm CPU is the function process's own "
        "(user + system, from /proc) per read invocation, the mean of 30 after one warm-up, with "
        "CloudFormation's providerCredentials and providerLogGroupName (every type registered by `cfn "
        "submit` gets them) and without. `sandbox.suites.bench.shipped.warm_invocation_cpu_seconds` "
        "gives that figure to other benchmarks.",
        "",
        "| | before (packaging as at 66b1d80) | now, without its bytecode | now, as `make package` ships it |",
        "|---|---|---|---|",
        f"| cold start, wall s | {BEFORE['cold wall']} | {bare['wall']:.2f} | {cold['wall']:.2f} |",
        f"| cold start, CPU s | {BEFORE['cold cpu']} | {bare['cpu']:.2f} | {cold['cpu']:.2f} |",
        f"| warm read, CPU ms, with providerCredentials | {BEFORE['warm']} | | {1000 * figures['warm']:.0f} |",
        f"| warm read, CPU ms, without | {BEFORE['warm bare']} | | "
        f"{1000 * figures['warm without provider credentials']:.0f} |",
        f"| zip MB | {BEFORE['zip']} | {figures['size without bytecode']['zip MB']} | {size['zip MB']} |",
        f"| unpacked MB | {BEFORE['unpacked']} | {figures['size without bytecode']['unpacked MB']} | "
        f"{size['unpacked MB']} |",
        "",
        f"- largest parts now, MB: {size['largest parts MB']}; before: {BEFORE['parts']}",
        "- Before: built by the development virtualenv's Python 3.11 (its compiled modules could not load on "
        "3.12), stored uncompressed, with setuptools (never imported) and pip's `bin/`, and no bytecode: "
        "Lambda's task root is read-only, so every cold start compiled every module. The library's log and "
        "metrics clients parsed their service models on every invocation. Section 3's in-process cold import "
        "(a warm development virtualenv with its own bytecode) is not what users get; this section is.",
        "- Now: built by the runtime's Python from the complete pinned requirements.txt (no setuptools), "
        "`bin/` dropped, bytecode for the runtime (unchecked-hash; Python 3.13 ignores it and compiles, "
        "`make test` runs the zip there too), compressed; the library's sessions use the shared loader.",
        "",
    ]


# The package as scripts/package.sh and requirements.txt built it at commit 66b1d80, measured with this section's
# functions on the same machine (2026-11-30), before the changes this section reports.
BEFORE = {
    "cold wall": "1.40",
    "cold cpu": "0.70",
    "warm": "173",
    "warm bare": "27",
    "zip": "28.9",
    "unpacked": "28.3",
    "parts": "{'botocore': 20.9, 'setuptools': 3.0, 'boto3': 1.0, 'charset_normalizer': 0.7}",
}
