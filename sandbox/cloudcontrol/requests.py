"""One resource operation request and its state machine:

PENDING -> IN_PROGRESS -> SUCCESS | FAILED, and PENDING | IN_PROGRESS -> CANCEL_IN_PROGRESS
-> CANCEL_COMPLETE. A request is canceled between handler invocations: a cancel during an
invocation waits for it to return, then no further invocation starts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from sandbox.lambda_runtime.callbacks import Outcome

from .exceptions import CloudControlError, progress_error_code
from .invocation import Cancelled

TERMINAL = frozenset({"SUCCESS", "FAILED", "CANCEL_COMPLETE"})
TRANSITIONS = {
    "PENDING": frozenset({"IN_PROGRESS", "CANCEL_IN_PROGRESS"}),
    "IN_PROGRESS": frozenset({"IN_PROGRESS", "SUCCESS", "FAILED", "CANCEL_IN_PROGRESS"}),
    "CANCEL_IN_PROGRESS": frozenset({"CANCEL_COMPLETE"}),
}
# How soon a client should look again while no handler has asked for a delay yet.
DEFAULT_RETRY_SECONDS = 1.0


@dataclass
class ResourceRequest:
    """A CREATE, UPDATE or DELETE request, as GetResourceRequestStatus reports it."""

    token: str
    sequence: int
    type_name: str
    operation: str
    identifier: str | None
    client_token: str
    fingerprint: str
    created: float = field(default_factory=time.time)
    status: str = "PENDING"
    event_time: float = field(default_factory=time.time)
    status_message: str = ""
    error_code: str | None = None
    retry_after: float | None = None
    _cancel: threading.Event = field(default_factory=threading.Event, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def __post_init__(self) -> None:
        self.retry_after = self.created + DEFAULT_RETRY_SECONDS

    @property
    def active(self) -> bool:
        return self.status not in TERMINAL

    def move(self, status: str, message: str | None = None, retry_after: float | None = None) -> None:
        with self._lock:
            if status not in TRANSITIONS.get(self.status, frozenset()):
                raise RuntimeError(f"request {self.token}: {self.status} cannot become {status}")
            self.status = status
            self.event_time = time.time()
            if message is not None:
                self.status_message = message
            self.retry_after = retry_after if status not in TERMINAL else None

    def start(self) -> None:
        """The first handler invocation is about to run."""
        with self._lock:
            if self.status == "PENDING":
                self.move("IN_PROGRESS", retry_after=time.time() + DEFAULT_RETRY_SECONDS)

    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        """CancelResourceRequest: only PENDING or IN_PROGRESS requests; repeating it is harmless."""
        with self._lock:
            if self.status in ("CANCEL_IN_PROGRESS", "CANCEL_COMPLETE"):
                return
            if not self.active:
                raise CloudControlError(
                    "ConcurrentModificationException",
                    f"Request {self.token} already finished with status {self.status}; "
                    "only PENDING or IN_PROGRESS requests can be canceled.",
                )
            self.move("CANCEL_IN_PROGRESS")
            self._cancel.set()

    def wait(self, seconds: float) -> None:
        """Sleep for a callback delay; a cancel ends the wait and the request."""
        if self._cancel.wait(seconds):
            raise Cancelled

    def on_response(self, response: dict[str, Any], time_scale: float) -> None:
        """A handler answered: record IN_PROGRESS and when it asked to be called again."""
        if self._cancel.is_set():
            raise Cancelled
        if response.get("status") == "IN_PROGRESS":
            delay = float(response.get("callbackDelaySeconds") or 0) * time_scale
            self.move("IN_PROGRESS", str(response.get("message") or ""), time.time() + max(delay, 0.0))

    def finish(self, outcome: Outcome | None, identifier: str | None = None) -> None:
        """The handler loop ended: its outcome, or None when it stopped for a cancel."""
        with self._lock:
            if self.status == "CANCEL_IN_PROGRESS" or outcome is None:
                self.move("CANCEL_COMPLETE")
                return
            self.identifier = self.identifier or identifier
            if outcome.succeeded:
                self.move("SUCCESS", outcome.message)
            else:
                self.error_code = progress_error_code(outcome.error_code)
                self.move("FAILED", outcome.message)

    def progress_event(self) -> dict[str, Any]:
        """The ProgressEvent shape; no ResourceModel (see docs/cloudcontrol.md)."""
        with self._lock:
            event: dict[str, Any] = {
                "TypeName": self.type_name,
                "RequestToken": self.token,
                "Operation": self.operation,
                "OperationStatus": self.status,
                "EventTime": self.event_time,
                "StatusMessage": self.status_message,
            }
            optional = {"Identifier": self.identifier, "ErrorCode": self.error_code, "RetryAfter": self.retry_after}
            event.update({key: value for key, value in optional.items() if value is not None})
            return event
