"""A benchmark, not a test: `python -m sandbox bench` writes docs/performance.md.

1. Stabilization across re-invocation overheads and durations: create -> update -> stop ->
   delete at 0.1 to 5 s of CloudFormation overhead and x0.05 to x4 of the realistic
   durations, ours beside the published provider's pacing, the handler's real entrypoint
   in-process on a manual clock that advances by each wait, each overhead and each
   invocation's cost as measured through the Lambda stand-in; then the alternatives.
2. List at scale: 10, 1,000 and 10,000 experiments.
3. Per-invocation cost: CPU per invocation (emulator in another process), cold start,
   SageMaker client creation, package size.
"""

from .run import main

__all__ = ["main"]
