"""Performance, measured side by side: `python -m sandbox bench`. Prints the figures and
writes docs/performance.md. A benchmark that reports figures, never a timed test."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sandbox.cloudformation.driver import FAKE_CREDENTIALS

from .cost import per_invocation
from .latency import measured_latency
from .listing import list_at_scale
from .report import Bench, render
from .shipped import shipped_figures
from .stabilization import alternatives, sweep
from .tables import sweep_table, target_lines, tradeoff_table


def main(samples: int, output: Path) -> int:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", FAKE_CREDENTIALS["accessKeyId"])
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", FAKE_CREDENTIALS["secretAccessKey"])
    started = time.monotonic()
    bench = Bench(latency=measured_latency(samples))
    print(f"bench: one invocation {bench.latency.invocation:.3f} s, one Describe {bench.latency.describe:.3f} s")
    bench.stabilization = sweep(bench.latency)
    print("\n".join([*sweep_table(bench.stabilization), "", *target_lines(bench.stabilization)]), flush=True)
    bench.alternatives = alternatives(bench.latency)
    print("\n".join(tradeoff_table(bench.stabilization, bench.alternatives)), flush=True)
    bench.listing = list_at_scale((10, 1_000, 10_000))
    bench.cost = per_invocation(samples=30)
    bench.shipped = shipped_figures()
    bench.seconds = time.monotonic() - started
    text = render(bench)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"bench: report written to {output}")
    return 0
