"""Performance, measured side by side: `python -m sandbox bench`. Prints a table and writes
docs/performance.md. A benchmark that reports figures, never a timed test."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sandbox.cloudformation.driver import FAKE_CREDENTIALS

from .cost import per_invocation
from .listing import list_at_scale
from .report import Bench, render
from .stabilization import stabilization


def main(runs: int, output: Path) -> int:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", FAKE_CREDENTIALS["accessKeyId"])
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", FAKE_CREDENTIALS["secretAccessKey"])
    started = time.monotonic()
    bench = Bench()
    bench.stabilization = stabilization(runs)
    bench.listing = list_at_scale((10, 1_000, 10_000))
    bench.cost = per_invocation(samples=30)
    bench.seconds = time.monotonic() - started
    text = render(bench)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"bench: report written to {output}")
    return 0
