"""How long CloudFormation's stand-in waits before re-invoking: ours against the published
provider's pacing, both counting the Lambda invocations they imply."""

from __future__ import annotations

OPERATIONS = ("create", "update", "stop", "delete")
SCALES = (0.05, 0.25, 0.5, 1.0, 2.0, 4.0)  # multipliers on the realistic durations


class Pacing:
    """Decides the wait before each re-invocation, and whether that is a fresh Lambda
    invocation (`fresh`) or another look inside the same one."""

    name = ""

    def __init__(self) -> None:
        self.invocations = 0
        self.fresh = True

    def start(self) -> None:
        self.invocations = 1
        self.fresh = True

    def wait(self, requested: int) -> float:
        raise NotImplementedError


class Ours(Pacing):
    name = "ours"

    def wait(self, requested: int) -> float:
        self.invocations += 1
        return float(requested)


class Published(Pacing):
    """The published provider: poll every 5 s inside the invocation (up to 60 s of local
    waiting), then return with a 60 s callback."""

    name = "published"
    LOCAL_POLL, LOCAL_BUDGET, CALLBACK = 5, 60, 60

    def start(self) -> None:
        super().start()
        self.local = 0

    def wait(self, requested: int) -> float:
        self.fresh = requested == 0 or self.local + self.LOCAL_POLL > self.LOCAL_BUDGET
        if requested == 0:  # not a wait: the handler's own round trip
            self.invocations += 1
            return 0.0
        if not self.fresh:
            self.local += self.LOCAL_POLL
            return float(self.LOCAL_POLL)
        self.local = 0
        self.invocations += 1
        return float(self.CALLBACK)
