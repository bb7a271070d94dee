"""In-process use of the emulator: moto's `mock_aws` with inference experiments installed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto import mock_aws

from .control import CONTROL, EmulatorControl
from .wiring import install


@contextmanager
def emulated_aws() -> Iterator[EmulatorControl]:
    """Every AWS API moto has, plus inference experiments; a fresh emulator each time."""
    install()
    CONTROL.reset()
    with mock_aws():
        yield CONTROL
    CONTROL.reset()
