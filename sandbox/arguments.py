"""argparse value types for the sandbox's command lines: each refuses a bad value with one
`error:` line and exit status 2, as argparse does for every other usage error."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Callable
from pathlib import Path

from sandbox.common import is_endpoint_url

HIGHEST_PORT = 65535


def bounded_float(
    minimum: float, inclusive: bool, meaning: str, maximum: float = float("inf")
) -> Callable[[str], float]:
    """A finite number at least (or above) `minimum` and at most `maximum`, else one clear error line."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        above_minimum = value >= minimum if inclusive else value > minimum
        if not (above_minimum and value <= maximum and math.isfinite(value)):
            raise argparse.ArgumentTypeError(f"expected {meaning}, got {text!r}")
        return value

    return parse


non_negative_float = bounded_float(0.0, True, "a number of seconds, 0 or more")
positive_float = bounded_float(0.0, False, "a number greater than 0")
fraction = bounded_float(0.0, True, "a fraction of calls from 0 to 1", maximum=1.0)


def port(text: str) -> int:
    """A TCP port: 0 (pick a free one) to 65535. A socket would refuse or silently wrap others."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= HIGHEST_PORT:
        raise argparse.ArgumentTypeError(f"expected a port from 0 (any free port) to {HIGHEST_PORT}, got {text!r}")
    return value


def key_value(text: str) -> tuple[str, str]:
    """KEY=VALUE with a non-empty KEY; VALUE may be empty or contain '='."""
    key, separator, value = text.partition("=")
    if not separator or not key:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    return key, value


def endpoint_url(text: str) -> str:
    """Where a server answers: refused here rather than as botocore's traceback later."""
    if not is_endpoint_url(text):
        raise argparse.ArgumentTypeError(f"expected a URL such as http://127.0.0.1:5123, got {text!r}")
    return text


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number 1 or more, got {text!r}")
    return value


def writable_file(make_parents: bool) -> Callable[[str], str]:
    """A file the command can write: checked before a run of minutes rather than after it.
    With `make_parents` the command creates missing directories, so the nearest existing
    one must be writable; otherwise the file's own directory must exist and be writable."""

    def parse(text: str) -> str:
        path = Path(text).absolute()
        if path.is_dir():
            raise argparse.ArgumentTypeError(f"{text!r} is a directory, not a file")
        directory = path.parent
        while make_parents and not directory.exists():
            directory = directory.parent
        if not directory.is_dir() or not os.access(directory, os.W_OK):
            raise argparse.ArgumentTypeError(f"cannot write {text!r}: {directory} is not a writable directory")
        return text

    return parse
