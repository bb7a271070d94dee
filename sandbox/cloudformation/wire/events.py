"""Stack events in CloudFormation's vocabulary, with colour and a live progress line on a
terminal and plain lines everywhere else."""

from __future__ import annotations

import itertools
import sys
import time
from datetime import UTC, datetime
from typing import TextIO

COLOURS = {"COMPLETE": "\033[32m", "FAILED": "\033[31m", "IN_PROGRESS": "\033[33m", "SKIPPED": "\033[90m"}
RESET = "\033[0m"
SPINNER = "|/-\\"


class EventLog:
    def __init__(self, stream: TextIO = sys.stdout, colour: bool | None = None) -> None:
        self.stream = stream
        self.terminal = stream.isatty()
        self.colour = self.terminal if colour is None else colour
        self._live = False

    def _paint(self, status: str) -> str:
        if not self.colour:
            return status
        for suffix, code in COLOURS.items():
            if status.endswith(suffix):
                return f"{code}{status}{RESET}"
        return status

    def _clear_live(self) -> None:
        if self._live:
            self.stream.write("\r\033[K")
            self._live = False

    def event(self, logical_id: str, type_name: str, status: str, reason: str = "") -> None:
        self._clear_live()
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp}  {logical_id:<22} {type_name:<37} {self._paint(status):<20}"
        self.stream.write(f"{line}  {reason}".rstrip() + "\n")
        self.stream.flush()

    def note(self, text: str) -> None:
        self._clear_live()
        self.stream.write(f"{text}\n")
        self.stream.flush()

    def waiting(self, logical_id: str, message: str, seconds: float) -> None:
        """Wait `seconds`, showing `message`: a spinner on a terminal, one line otherwise."""
        if not self.terminal:
            self.stream.write(f"    ... {logical_id}: {message}\n")
            self.stream.flush()
            time.sleep(seconds)
            return
        deadline = time.monotonic() + seconds
        for frame in itertools.cycle(SPINNER):
            self.stream.write(f"\r\033[K    {frame} {logical_id}: {message}")
            self.stream.flush()
            self._live = True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            time.sleep(min(0.1, remaining))
