"""The emulator as a loopback HTTP server: moto's threaded server plus a control route.

`/_sandbox/calls` (GET; `?since=N` skips the first N) returns the call log; `/_sandbox/config` (POST, JSON) sets
durations and faults; every other path is moto's, so STS, IAM, S3 and the rest of
SageMaker answer on the same port.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from .api import install
from .control import CONTROL

LOOPBACK = "127.0.0.1"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def with_control_route(app: WSGIApp) -> WSGIApp:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if not path.startswith("/_sandbox/"):
            return app(environ, start_response)
        if path == "/_sandbox/calls":
            since = int(parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0])
            body: Any = [call.as_dict() for call in CONTROL.call_log()[since:]]
        elif path == "/_sandbox/config" and environ["REQUEST_METHOD"] == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            CONTROL.configure(json.loads(environ["wsgi.input"].read(length) or b"{}"))
            body = {"durations": CONTROL.durations}
        else:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message": "unknown sandbox route"}']
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return application


class EmulatorServer:
    """Start and stop the emulator on 127.0.0.1 in a background thread (port 0 picks a free one)."""

    def __init__(self, port: int = 0) -> None:
        install()
        self._server: BaseWSGIServer = make_server(
            LOOPBACK,
            port,
            with_control_route(DomainDispatcherApplication(create_backend_app)),
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_port}"

    def start(self) -> EmulatorServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
