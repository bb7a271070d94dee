"""The emulator as the sandbox runs it: fault injection, the call log and the `/_sandbox/*`
control routes around it, in-process (`emulated_aws`) and as a loopback HTTP server."""

from .calls import MUTATING_OPERATIONS, Call
from .control import CONTROL, EmulatorControl
from .emulator_server import EmulatorServer
from .inprocess import ManualClock, emulated_aws

__all__ = ["CONTROL", "MUTATING_OPERATIONS", "Call", "EmulatorControl", "EmulatorServer", "ManualClock", "emulated_aws"]
