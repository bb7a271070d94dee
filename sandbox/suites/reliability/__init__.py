"""Reliability and security checks through the Lambda stand-in against the emulator; see `run`."""

from .common import Findings
from .run import CHECKS, main, run_all

__all__ = ["CHECKS", "Findings", "main", "run_all"]
