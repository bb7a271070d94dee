"""The `/_sandbox/*` control routes, in front of moto's WSGI application.

`/_sandbox/calls` (GET; `?since=N` skips the first N) returns the call log;
`/_sandbox/config` (POST, JSON) sets durations and faults; `/_sandbox/seed-finished`
(POST) adds many finished experiments for benchmarks. Every other path is moto's.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs

from .control import CONTROL
from .fixtures import seed_finished
from .loopback import WSGIApp


def read_json(environ: dict[str, Any]) -> dict[str, Any]:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    loaded: dict[str, Any] = json.loads(environ["wsgi.input"].read(length) or b"{}")
    return loaded


def answer(environ: dict[str, Any]) -> Any:
    """The body for a control route, or None when the path and method name none."""
    path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
    if path == "/_sandbox/calls":
        since = int(parse_qs(environ.get("QUERY_STRING", "")).get("since", ["0"])[0])
        return [call.as_dict() for call in CONTROL.call_log()[since:]]
    if path == "/_sandbox/config" and method == "POST":
        CONTROL.configure(read_json(environ))
        return {"durations": CONTROL.durations}
    if path == "/_sandbox/seed-finished" and method == "POST":
        with CONTROL.lock:
            return {"experiments": seed_finished(read_json(environ))}
    return None


def with_control_routes(app: WSGIApp) -> WSGIApp:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith("/_sandbox/"):
            return app(environ, start_response)
        body = answer(environ)
        if body is None:
            start_response("404 Not Found", [("Content-Type", "application/json")])
            return [b'{"message": "unknown sandbox route"}']
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return application
