"""A benchmark, not a test: `python -m sandbox bench` writes docs/performance.md."""

from .stabilization import main

__all__ = ["main"]
