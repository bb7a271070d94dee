"""The emulator as a loopback HTTP server: moto's threaded server plus a control route.

`/_sandbox/calls` (GET; `?since=N` skips the first N) returns the call log;
`/_sandbox/config` (POST, JSON) sets durations and faults; `/_sandbox/seed-finished`
(POST) adds many finished experiments for benchmarks. Every other path is moto's, so
STS, IAM, S3 and the rest of SageMaker answer on the same port.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.sagemaker.models import sagemaker_backends

from .api import install
from .control import CONTROL
from .experiments import store_of
from .loopback import LoopbackServer, WSGIApp


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


class EmulatorServer(LoopbackServer):
    """The emulator on 127.0.0.1 in a background thread (port 0 picks a free one)."""

    def __init__(self, port: int = 0, wrap: Callable[[WSGIApp], WSGIApp] | None = None) -> None:
        """`wrap` composes another service in front of the emulator (the CLI adds Cloud Control)."""
        install()
        app = with_control_route(DomainDispatcherApplication(create_backend_app))
        super().__init__(port, wrap(app) if wrap else app, threaded=True, request_handler=MotoRequestHandler)
