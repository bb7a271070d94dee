"""A WSGI application served on 127.0.0.1 from a background thread."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

LOOPBACK = "127.0.0.1"
WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def interrupt(_signum: int, _frame: Any) -> None:
    """SIGTERM (as `terminate()` sends it) ends the server as Ctrl-C does."""
    raise KeyboardInterrupt


class LoopbackServer:
    """Serve `app` on 127.0.0.1:port (0 picks a free port) until stopped."""

    def __init__(
        self, port: int, app: WSGIApp, threaded: bool, request_handler: type[WSGIRequestHandler] | None = None
    ) -> None:
        self._server: BaseWSGIServer = make_server(
            LOOPBACK, port, app, threaded=threaded, request_handler=request_handler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self._server.server_port}"

    def start(self) -> LoopbackServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> LoopbackServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def serve_until_interrupted(self, *banner: str) -> int:
        """Start, print `banner`, and serve until Ctrl-C or SIGTERM ends the process; either way
        `stop` runs, so whatever the server started (a Lambda stand-in) stops with it."""
        signal.signal(signal.SIGTERM, interrupt)
        self.start()
        for line in banner:
            print(line, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
        finally:
            self.stop()
        return 0
