"""A benchmark, not a test: `python -m sandbox bench` writes docs/performance.md.

1. Stabilization: the emulator's transitions at realistic durations (scaled down by one
   factor), create -> update -> stop -> delete driven as CloudFormation drives them, under
   three pacings of the same handlers: ours (the handler's callbackDelaySeconds), the
   published provider's (a Describe every 5 s inside an invocation, 60 s callbacks between
   invocations), and this project's previous geometric schedule (before/after).
2. List at scale: 10, 1,000 and 10,000 experiments.
3. Per-invocation cost: CPU per invocation (emulator in another process), cold import,
   SageMaker client creation, package size.
"""

from .run import main

__all__ = ["main"]
