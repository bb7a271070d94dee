"""Performance, measured side by side: `python -m sandbox bench`. Prints the figures and
writes docs/performance.md. A benchmark that reports figures, never a timed test."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sandbox.cloudformation.driver import FAKE_CREDENTIALS

from .alternatives import alternatives
from .cost import per_invocation
from .latency import measured_latency
from .listing import list_at_scale
from .report import Bench, render
from .shipped import shipped_figures
from .stabilization import Costs, overhead_sweep
from .tables import sweep_table, target_lines, tradeoff_table


def main(samples: int, output: Path) -> int:
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", FAKE_CREDENTIALS["accessKeyId"])
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", FAKE_CREDENTIALS["secretAccessKey"])
    started = time.monotonic()
    latency = measured_latency(samples)
    shipped = shipped_figures()
    bench = Bench(latency=latency, costs=Costs(invocation=shipped["warm"], describe=latency.describe), shipped=shipped)
    print(f"bench: one invocation {bench.costs.invocation:.3f} s, one Describe {bench.costs.describe:.3f} s")
    bench.stabilization = overhead_sweep(bench.costs)
    for overhead, results in bench.stabilization.items():
        print("\n".join([f"overhead {overhead:g} s", *sweep_table(results), *target_lines(overhead, results)]))
    bench.alternatives = alternatives(bench.costs)
    print("\n".join(tradeoff_table(bench.stabilization, bench.alternatives)), flush=True)
    bench.listing = list_at_scale((10, 1_000, 10_000))
    bench.cost = per_invocation(samples=30)
    bench.seconds = time.monotonic() - started
    text = render(bench)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"bench: report written to {output}")
    return 0
