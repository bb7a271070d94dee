"""A stand-in for Lambda's Runtime API (the 2018-06-01 interface a runtime interface client such
as awslambdaric polls), for one execution environment on 127.0.0.1: `invoke` queues an event,
the runtime takes it from `GET /runtime/invocation/next` and answers with `.../response` or
`.../error`. Built from the published contract (AWS Lambda Developer Guide, "Using the Lambda
runtime API for custom runtimes"): the next-invocation headers, 202 for each post, and an init
error fails every invocation, as Lambda fails them when a function cannot initialise."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .invoke import FunctionError

PREFIX = "/2018-06-01/runtime"
NEXT = f"{PREFIX}/invocation/next"
ANSWER = re.compile(rf"^{PREFIX}/invocation/(?P<id>[^/]+)/(?P<kind>response|error)$")
INIT_ERROR = f"{PREFIX}/init/error"
POLL_SECONDS = 0.1


@dataclass
class Invocation:
    """One event on its way through the runtime, and what the runtime answered."""

    payload: dict[str, Any]
    deadline_ms: int
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    done: threading.Event = field(default_factory=threading.Event)
    response: Any = None
    error: dict[str, Any] | None = None


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A runtime that exits mid-request (stopped, or crashed: the invocation then fails) is
        not the API's error."""


class RuntimeAPI:
    """Lambda's Runtime API on 127.0.0.1 (a free port) for one function's execution environment."""

    def __init__(self, function_arn: str, timeout_seconds: float) -> None:
        self.function_arn = function_arn
        self.timeout_seconds = timeout_seconds
        self.pending: queue.Queue[Invocation] = queue.Queue()
        self.running: dict[str, Invocation] = {}
        self.init_error: dict[str, Any] | None = None
        self.timed_out = False
        self.next_requests = 0
        self.stopping = threading.Event()
        self.server = QuietServer(("127.0.0.1", 0), self._handler_class())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def address(self) -> str:
        """What AWS_LAMBDA_RUNTIME_API holds: host and port, no scheme."""
        return f"127.0.0.1:{self.server.server_port}"

    def start(self) -> RuntimeAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)

    def invoke(self, payload: dict[str, Any], alive: Callable[[], bool]) -> Any:
        """Queue one event and wait for the runtime's answer; FunctionError when it answers with an
        error, failed to initialise, died (`alive` turns false) or ran past its timeout."""
        deadline = time.time() + self.timeout_seconds
        invocation = Invocation(payload, int(deadline * 1000))
        self.pending.put(invocation)
        while not invocation.done.wait(POLL_SECONDS):
            if self.init_error is not None:
                raise FunctionError(f"init error: {self.init_error.get('errorType')}: {self.init_error}")
            if not alive():
                raise FunctionError("Runtime.ExitError: the runtime process exited")
            if time.time() > deadline + 1:
                self.running.pop(invocation.request_id, None)
                self.timed_out = True
                raise FunctionError(f"Task timed out after {self.timeout_seconds:.0f} seconds")
        if invocation.error is not None:
            raise FunctionError(f"{invocation.error.get('errorType')}: {invocation.error.get('errorMessage')}")
        return invocation.response

    def next_invocation(self) -> Invocation | None:
        """Block until an event is queued (None once the API stops)."""
        self.next_requests += 1
        while not self.stopping.is_set():
            try:
                invocation = self.pending.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            self.running[invocation.request_id] = invocation
            return invocation
        return None

    def answer(self, request_id: str, kind: str, body: Any) -> bool:
        invocation = self.running.pop(request_id, None)
        if invocation is None:
            return False
        if kind == "response":
            invocation.response = body
        else:
            invocation.error = body if isinstance(body, dict) else {"errorType": "Unknown", "errorMessage": str(body)}
        invocation.done.set()
        return True

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the suite reports what matters."""

            def reply(self, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def read_body(self) -> Any:
                data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    return json.loads(data or b"null")
                except ValueError:
                    return data.decode(errors="replace")

            def do_GET(self) -> None:
                if self.path != NEXT:
                    self.reply(404, {"errorType": "NotFound", "errorMessage": f"unknown path {self.path}"})
                    return
                invocation = api.next_invocation()
                if invocation is None:
                    self.close_connection = True
                    return
                headers = {
                    "Lambda-Runtime-Aws-Request-Id": invocation.request_id,
                    "Lambda-Runtime-Deadline-Ms": str(invocation.deadline_ms),
                    "Lambda-Runtime-Invoked-Function-Arn": api.function_arn,
                    "Lambda-Runtime-Trace-Id": f"Root=1-{uuid.uuid4().hex[:8]}-{uuid.uuid4().hex[:24]};Sampled=0",
                }
                self.reply(200, invocation.payload, headers)

            def do_POST(self) -> None:
                body = self.read_body()
                if self.path == INIT_ERROR:
                    api.init_error = body if isinstance(body, dict) else {"errorMessage": str(body)}
                    self.reply(202, {"status": "OK"})
                    return
                match = ANSWER.match(self.path)
                if match is None:
                    self.reply(404, {"errorType": "NotFound", "errorMessage": f"unknown path {self.path}"})
                elif api.answer(match["id"], match["kind"], body):
                    self.reply(202, {"status": "OK"})
                else:
                    message = f"no invocation {match['id']} is in progress"
                    self.reply(400, {"errorType": "InvalidRequestID", "errorMessage": message})

        return Handler
