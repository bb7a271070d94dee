"""The emulator as a loopback HTTP server: moto's threaded server plus a control route.

Requests signed for CloudFormation go to the stack engine (sandbox.stacks): stacks
with inference experiments are provisioned through the handlers, run by a Lambda
stand-in this server starts on first use. `/_sandbox/calls` (GET; `?since=N` skips the first N) returns the call log;
`/_sandbox/config` (POST, JSON) sets durations and faults; `/_sandbox/seed-finished`
(POST) adds many finished experiments for benchmarks. Every other path is moto's, so
STS, IAM, S3 and the rest of SageMaker answer on the same port.
"""

from __future__ import annotations

import json
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import boto3
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.sagemaker.models import sagemaker_backends

from .api import install
from .control import CONTROL
from .driver import ACCOUNT, CloudFormation
from .experiments import store_of
from .local_lambda import http_invoke
from .loopback import LoopbackServer, WSGIApp
from .processes import free_port, sandbox_process
from .stacks.provision import SandboxProvisioner
from .stacks.wsgi import StackEndpoint


def read_json(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    loaded: dict[str, Any] = json.loads(environ["wsgi.input"].read(length) or b"{}")
    return loaded


def seed_finished(request: dict[str, Any]) -> int:
    """Benchmark fixture: many finished experiments at once (see ExperimentStore.seed_finished)."""
    backend = sagemaker_backends[request.get("account", DEFAULT_ACCOUNT_ID)][request.get("region", "us-east-1")]
    with CONTROL.lock:
        return store_of(backend).seed_finished(int(request["count"]), str(request["prefix"]), request["template"])


def with_control_route(app: WSGIApp) -> WSGIApp:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_sandbox/"):
            return app(environ, start_response)
        if path == "/_sandbox/calls":
            since = int(parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0])
            body: Any = [call.as_dict() for call in CONTROL.call_log()[since:]]
        elif path == "/_sandbox/config" and environ["REQUEST_METHOD"] == "POST":
            CONTROL.configure(read_json(environ))
            body = {"durations": CONTROL.durations}
        elif path == "/_sandbox/seed-finished" and environ["REQUEST_METHOD"] == "POST":
            body = {"experiments": seed_finished(read_json(environ))}
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message": "unknown sandbox route"}']
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return application


class HandlerRunner:
    """The handlers behind the stack API: a Lambda stand-in started on first use, callback
    delays honoured at `time_scale` (1 = real time, as CloudFormation does)."""

    def __init__(self, time_scale: float) -> None:
        self.time_scale = time_scale
        self.url = ""
        self.lambda_url = ""
        self.processes = ExitStack()
        self.lock = threading.Lock()

    def provisioner(self, region: str) -> SandboxProvisioner:
        with self.lock:
            if not self.lambda_url:
                logs = Path(self.processes.enter_context(tempfile.TemporaryDirectory(prefix="sandbox-stacks-")))
                self.lambda_url = self.processes.enter_context(
                    sandbox_process(
                        "lambda",
                        *("--endpoint-url", self.url, "--time-scale", str(self.time_scale)),
                        *("--log-file", str(logs / "handlers.log")),
                        port=free_port(),
                        output=logs / "lambda.log",
                    )
                )
        sagemaker = boto3.client(
            "sagemaker", endpoint_url=self.url, region_name=region, aws_access_key_id="x", aws_secret_access_key="x"
        )
        driver = CloudFormation(http_invoke(self.lambda_url), region=region, time_scale=self.time_scale)
        return SandboxProvisioner(ACCOUNT, region, sagemaker, driver, lambda _id, _note, seconds: time.sleep(seconds))


class EmulatorServer(LoopbackServer):
    """The emulator on 127.0.0.1 in a background thread (port 0 picks a free one)."""

    def __init__(self, port: int = 0, time_scale: float = 1.0) -> None:
        install()
        self.handlers = HandlerRunner(time_scale)
        app = with_control_route(DomainDispatcherApplication(create_backend_app))
        super().__init__(
            port, StackEndpoint(app, self.handlers.provisioner), threaded=True, request_handler=MotoRequestHandler
        )
        self.handlers.url = self.url

    def stop(self) -> None:
        super().stop()
        self.handlers.processes.close()
