"""2. List at scale: the list handler over 10 to 10,000 experiments in the emulator server."""

from __future__ import annotations

import json
import os
import time
import tracemalloc
import urllib.request
from typing import Any

from sandbox.cloudformation.driver import CloudFormation
from sandbox.lambda_runtime import in_process
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.suites.seed import shadow_test_request


def list_at_scale(sizes: tuple[int, ...]) -> list[dict[str, Any]]:
    rows = []
    port = free_port()
    with sandbox_process("serve", port=port) as url:
        os.environ["AWS_ENDPOINT_URL"] = url
        try:
            invoke = in_process()
            template = shadow_test_request("template", endpoint_name="list-endpoint")
            total = 0
            for size in sizes:
                added = size - total
                post(url, "/_sandbox/seed-finished", {"count": added, "prefix": f"list-{size}", "template": template})
                total = size
                before = len(get(url, "/_sandbox/calls"))
                payload = CloudFormation(invoke).payload("LIST", {})
                tracemalloc.start()
                started, cpu = time.perf_counter(), time.process_time()
                response = invoke(payload)
                seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                calls = get(url, f"/_sandbox/calls?since={before}")
                listed = len(response.get("resourceModels") or [])
                if response["status"] != "SUCCESS" or listed != size:
                    raise RuntimeError(f"list of {size}: {response['status']} with {listed} models")
                rows.append(
                    {
                        "experiments": size,
                        "seconds": round(seconds, 2),
                        "handler CPU s": round(cpu_seconds, 2),
                        "ms per experiment": round(1000 * seconds / size, 3),
                        "peak handler memory MB": round(peak / 1e6, 1),
                        "ListInferenceExperiments calls": sum(
                            c["operation"] == "ListInferenceExperiments" for c in calls
                        ),
                    }
                )
                print(f"bench: list of {size} done", flush=True)
        finally:
            os.environ.pop("AWS_ENDPOINT_URL", None)
    return rows


def post(url: str, path: str, body: dict[str, Any]) -> Any:
    request = urllib.request.Request(f"{url}{path}", data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def get(url: str, path: str) -> Any:
    with urllib.request.urlopen(f"{url}{path}", timeout=120) as response:
        return json.loads(response.read())
