"""Reliability and security checks through the Lambda stand-in against the emulator."""

from .run import main

__all__ = ["main"]
