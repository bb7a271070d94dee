"""A stand-in for `sam local start-lambda`: the Lambda Invoke API on 127.0.0.1.

Function names map to the `.rpdk-config` entrypoints (TypeFunction -> entrypoint,
TestEntrypoint -> testEntrypoint). Each invocation runs in a forked child (see
`isolation`), with AWS_REGION from the payload, the SDK pointed at the emulator, and a
Lambda context whose remaining time counts down from the function's Timeout in
template.yml, as `sam local start-lambda` sets it.
"""

from __future__ import annotations

import importlib
import json
import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

from sandbox.common import PROJECT_ROOT
from sandbox.server.loopback import LoopbackServer

from .invoke import CRASH_HEADER, INVOKE_PREFIX
from .isolation import DEFAULT_TIMEOUT_SECONDS, Entrypoint, Isolation, invoke_isolated, package_modules

CRASH_ENVIRON_KEY = "HTTP_" + CRASH_HEADER.upper().replace("-", "_")


def load_entrypoints(project_root: Path = PROJECT_ROOT) -> dict[str, Entrypoint]:
    """Import the handler module named by .rpdk-config (from src/) and return its entrypoints."""
    config = json.loads((project_root / ".rpdk-config").read_text(encoding="utf-8"))

    def resolve(dotted: str) -> Entrypoint:
        module_name, attribute = dotted.rsplit(".", 1)
        function: Entrypoint = getattr(importlib.import_module(module_name), attribute)
        return function

    return {"TypeFunction": resolve(config["entrypoint"]), "TestEntrypoint": resolve(config["testEntrypoint"])}


def function_timeouts(project_root: Path = PROJECT_ROOT) -> dict[str, float]:
    """Each function's Timeout in the SAM template (its own, else the Globals', else Lambda's default)."""
    template = yaml.safe_load((project_root / "template.yml").read_text(encoding="utf-8")) or {}
    default = ((template.get("Globals") or {}).get("Function") or {}).get("Timeout", DEFAULT_TIMEOUT_SECONDS)
    return {
        name: float((resource.get("Properties") or {}).get("Timeout", default))
        for name, resource in (template.get("Resources") or {}).items()
        if resource.get("Type") == "AWS::Serverless::Function"
    }


class LocalLambda(LoopbackServer):
    """Serve the Invoke API for the provider's functions on 127.0.0.1 (port 0 picks a free one)."""

    def __init__(
        self, port: int, sdk_endpoint_url: str | None, time_scale: float = 1.0, project_root: Path = PROJECT_ROOT
    ) -> None:
        self.entrypoints = load_entrypoints(project_root)
        self.handler_modules = package_modules(self.entrypoints["TypeFunction"])
        self.timeouts = function_timeouts(project_root)
        self.sdk_endpoint_url = sdk_endpoint_url
        self.time_scale = time_scale
        self.clock_origin = time.time()
        self.invocations = 0
        super().__init__(port, self.application, threaded=False)

    def environment(self, payload: dict[str, Any]) -> dict[str, str]:
        region = str(payload.get("region") or os.environ.get("AWS_REGION") or "us-east-1")
        environment = {"AWS_REGION": region, "AWS_DEFAULT_REGION": region}
        if self.sdk_endpoint_url:
            environment["AWS_ENDPOINT_URL"] = self.sdk_endpoint_url
        return environment

    def isolation(self, name: str, payload: dict[str, Any], environ: dict[str, Any]) -> Isolation:
        crash = environ.get(CRASH_ENVIRON_KEY)
        return Isolation(
            self.environment(payload),
            self.time_scale,
            self.clock_origin,
            self.handler_modules,
            int(crash) if crash else None,
            self.timeouts.get(name, DEFAULT_TIMEOUT_SECONDS),
        )

    def application(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        name = path[len(INVOKE_PREFIX) :].split("/", 1)[0] if path.startswith(INVOKE_PREFIX) else ""
        if environ["REQUEST_METHOD"] != "POST" or not path.endswith("/invocations") or name not in self.entrypoints:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            message = f"Function not found: {name or path}. Known: {', '.join(self.entrypoints)}"
            return [json.dumps({"Type": "User", "message": message}).encode()]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        payload = json.loads(environ["wsgi.input"].read(length) or b"{}")
        self.invocations += 1
        ok, body = invoke_isolated(self.entrypoints[name], name, payload, self.isolation(name, payload, environ))
        headers = [("Content-Type", "application/json")]
        if not ok:
            headers.append(("X-Amz-Function-Error", "Unhandled"))
        start_response("200 OK", headers)
        return [json.dumps(body).encode()]
