"""In-process use of the emulator: moto's `mock_aws` with inference experiments installed,
on the wall clock or on a manual one."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto import mock_aws

from .control import CONTROL, EmulatorControl
from .wiring import install


class ManualClock:
    """Emulated time, moved only by whoever holds it (a test, or a driver's sleeps)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@contextmanager
def emulated_aws() -> Iterator[EmulatorControl]:
    """Every AWS API moto has, plus inference experiments; a fresh emulator each time."""
    install()
    CONTROL.reset()
    with mock_aws():
        yield CONTROL
    CONTROL.reset()
