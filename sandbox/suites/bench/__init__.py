"""A benchmark, not a test: `python -m sandbox bench` writes docs/performance.md.

1. Stabilization across durations: create -> update -> stop -> delete at x0.05 to x4 of the
   realistic durations, ours beside the published provider's pacing, the handler's real
   entrypoint in-process on a manual clock that advances by each invocation's latency as
   measured through the Lambda stand-in; then what other polling parameters would trade.
2. List at scale: 10, 1,000 and 10,000 experiments.
3. Per-invocation cost: CPU per invocation (emulator in another process), cold start,
   SageMaker client creation, package size.
"""

from .run import main

__all__ = ["main"]
