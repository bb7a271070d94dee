"""CloudFormation on the emulator's port: requests signed for the `cloudformation` service
go to the stack API; everything else goes on to the emulator."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from sandbox.query import ApiError, action_of, credential_scope, parse, serialize
from sandbox.server.loopback import WSGIApp

from ..driver import ACCOUNT
from ..engine.provisioner import Provisioner
from ..service.stacks import StackService
from .api import CloudFormationApi

XML = [("Content-Type", "text/xml")]


class StackEndpoint:
    """A WSGI layer; `provisioner(region)` makes the region's provisioner on first use."""

    def __init__(self, app: WSGIApp, provisioner: Callable[[str], Provisioner]) -> None:
        self.app = app
        self.provisioner = provisioner
        self.apis: dict[str, CloudFormationApi] = {}
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        scope = credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
        if scope is None or scope[1] != "cloudformation":
            return self.app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length).decode()
        action = action_of(body)
        try:
            result: dict[str, Any] | ApiError = self.api(scope[0]).handle(action, parse(action, body))
        except ApiError as failure:
            result = failure
        status, xml = serialize(action, result)
        start_response(f"{status} {HTTPStatus(status).phrase}", XML)
        return [xml.encode()]

    def api(self, region: str) -> CloudFormationApi:
        with self.lock:
            if region not in self.apis:
                self.apis[region] = CloudFormationApi(StackService(self.provisioner(region), region, ACCOUNT))
            return self.apis[region]
