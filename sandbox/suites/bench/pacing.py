"""How long CloudFormation's stand-in waits before re-invoking: three policies compared."""

from __future__ import annotations

TIME_SCALE = 1 / 25
OPERATIONS = ("create", "update", "stop", "delete")
PREVIOUS_DELAYS = (3, 5, 5, 10, 10, 15, 20, 30, 45)


class Pacing:
    """Decides the wait before each re-invocation; counts Lambda invocations it implies."""

    name = ""

    def __init__(self) -> None:
        self.invocations = 0

    def start(self) -> None:
        self.invocations = 1

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

    name = "published provider"
    LOCAL_POLL, LOCAL_BUDGET, CALLBACK = 5, 60, 60

    def start(self) -> None:
        super().start()
        self.local = 0

    def wait(self, requested: int) -> float:
        if requested == 0:  # not a wait: the handler's own round trip
            self.invocations += 1
            return 0.0
        if self.local + self.LOCAL_POLL <= self.LOCAL_BUDGET:
            self.local += self.LOCAL_POLL
            return float(self.LOCAL_POLL)
        self.local = 0
        self.invocations += 1
        return float(self.CALLBACK)


class Previous(Pacing):
    """This project's first policy: 3, 5, 5, 10, 10, 15, 20, 30, 45 s, then every 60 s."""

    name = "previous (geometric)"

    def start(self) -> None:
        super().start()
        self.polls = 0

    def wait(self, requested: int) -> float:
        self.invocations += 1
        if requested == 0:
            return 0.0
        delay = PREVIOUS_DELAYS[self.polls] if self.polls < len(PREVIOUS_DELAYS) else 60
        self.polls += 1
        return float(delay)
