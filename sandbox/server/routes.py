"""The `/_sandbox/*` control routes, in front of moto's WSGI application.

`/_sandbox/calls` (GET; `?since=N` skips the first N) returns the call log;
`/_sandbox/config` (POST, JSON) sets durations and faults; `/_sandbox/seed-finished`
(POST) adds many finished experiments for benchmarks. Every other path is moto's.
A request the routes cannot use is answered 400 (or 404, 405) with a JSON `message`
naming what is wrong, and changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from .control import CONTROL
from .fixtures import seed_finished
from .loopback import WSGIApp
from .requests import BadRequest, json_object, seed_request, since

METHODS = {"/_sandbox/calls": "GET", "/_sandbox/config": "POST", "/_sandbox/seed-finished": "POST"}


class Refusal(Exception):
    """A control request answered with an HTTP error status and a message."""

    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status


def read_json(environ: dict[str, Any], path: str) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise BadRequest("Content-Length is not a number") from None
    return json_object(environ["wsgi.input"].read(length), path)


def answer(environ: dict[str, Any]) -> Any:
    """The body for a control route; Refusal or BadRequest when there is none."""
    path, method = environ.get("PATH_INFO", ""), environ["REQUEST_METHOD"]
    if path not in METHODS:
        raise Refusal(HTTPStatus.NOT_FOUND, f"unknown sandbox route {path}; the routes are {', '.join(METHODS)}")
    if method != METHODS[path]:
        raise Refusal(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers {METHODS[path]}, not {method}")
    if path == "/_sandbox/calls":
        skipped = since(parse_qs(environ.get("QUERY_STRING", "")))
        return [call.as_dict() for call in CONTROL.call_log()[skipped:]]
    if path == "/_sandbox/config":
        CONTROL.configure(read_json(environ, path))
        return {"durations": CONTROL.durations}
    request = seed_request(read_json(environ, path))
    with CONTROL.lock:
        return {"experiments": seed_finished(request)}


def with_control_routes(app: WSGIApp) -> WSGIApp:
    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if not environ.get("PATH_INFO", "").startswith("/_sandbox/"):
            return app(environ, start_response)
        try:
            body, status = answer(environ), HTTPStatus.OK
        except Refusal as refusal:
            body, status = {"message": str(refusal)}, refusal.status
        except BadRequest as error:
            body, status = {"message": str(error)}, HTTPStatus.BAD_REQUEST
        start_response(f"{status.value} {status.phrase}", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    return application
