"""The emulator as a loopback HTTP server: moto's threaded server behind the control routes,
so STS, IAM, S3 and the rest of SageMaker answer on the same port."""

from __future__ import annotations

from collections.abc import Callable

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app

from .loopback import LoopbackServer, WSGIApp
from .routes import with_control_routes
from .wiring import install


class EmulatorServer(LoopbackServer):
    """The emulator on 127.0.0.1 in a background thread (port 0 picks a free one)."""

    def __init__(self, port: int = 0, wrap: Callable[[WSGIApp], WSGIApp] | None = None) -> None:
        """`wrap` composes another service in front of the emulator (the CLI adds Cloud Control)."""
        install()
        app = with_control_routes(DomainDispatcherApplication(create_backend_app))
        super().__init__(port, wrap(app) if wrap else app, threaded=True, request_handler=MotoRequestHandler)
