"""How CloudFormation's stand-in paces re-invocations: ours against the published provider's
pacing, both counting the Lambda invocations they imply, each re-invocation arriving a fixed
`overhead` after its callback delay (CloudFormation's scheduling, which AWS does not publish)."""

from __future__ import annotations

from collections.abc import Callable

from aws_sagemaker_inferenceexperiment.polling import Wait

OPERATIONS = ("create", "update", "stop", "delete")
SCALES = (0.05, 0.25, 0.5, 1.0, 2.0, 4.0)  # multipliers on the realistic durations
OVERHEADS = (0.1, 1.0, 3.0, 5.0)  # seconds from a callback delay's end to the re-invocation


class Pacing:
    """Decides the wait before each re-invocation, and whether that is a fresh Lambda
    invocation (`fresh`) or another look inside the same one. `lambda_context`: whether the
    handler is given one (and so may wait inside its invocation); `policy`: what the handler
    runs in place of polling.next_wait, if anything."""

    name = ""
    lambda_context = False
    policy: Callable[[float, float, float | None, float | None], Wait] | None = None  # in place of next_wait

    def __init__(self, overhead: float) -> None:
        self.overhead = overhead
        self.invocations = 0
        self.fresh = True

    def start(self) -> None:
        self.invocations = 1
        self.fresh = True

    def wait(self, requested: int) -> float:
        raise NotImplementedError


class Ours(Pacing):
    """The handler's own: it waits for short looks inside its invocation (given a Lambda
    context), and every IN_PROGRESS it returns is a callback."""

    name = "ours"
    lambda_context = True

    def wait(self, requested: int) -> float:
        self.invocations += 1
        return requested + self.overhead


class Published(Pacing):
    """The published provider: poll every 5 s inside the invocation (up to 60 s of local
    waiting), then return with a 60 s callback. Our handler stands in for its looks, so it
    gets no Lambda context and returns after each one."""

    name = "published"
    LOCAL_POLL, LOCAL_BUDGET, CALLBACK = 5, 60, 60

    @staticmethod
    def policy(_waited: float, _elapsed: float, _remaining: float | None, _overhead: float | None) -> Wait:
        """The handler's waits, all returned to this pacing to time (a 0 s delay would read as
        the handler's own round trip)."""
        return Wait(float(Published.LOCAL_POLL), local=False)

    def start(self) -> None:
        super().start()
        self.local = 0

    def wait(self, requested: int) -> float:
        self.fresh = requested == 0 or self.local + self.LOCAL_POLL > self.LOCAL_BUDGET
        if requested == 0:  # not a wait: the handler's own round trip, still a re-invocation
            self.invocations += 1
            return self.overhead
        if not self.fresh:
            self.local += self.LOCAL_POLL
            return float(self.LOCAL_POLL)
        self.local = 0
        self.invocations += 1
        return self.CALLBACK + self.overhead
