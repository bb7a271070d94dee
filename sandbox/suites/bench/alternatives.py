"""What other waiting policies would trade: the same sweep of our pacing with each candidate in
place of `polling.next_wait`, at every overhead, same run and costs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aws_sagemaker_inferenceexperiment import driver as handler_driver
from aws_sagemaker_inferenceexperiment.polling import ASSUMED_OVERHEAD, Wait, next_wait, poll_delay
from sandbox.common import patched

from .pacing import OVERHEADS, Ours, Pacing
from .stabilization import Costs, OverheadSweep, sweep

Policy = Callable[[float, float, float | None, float | None], Wait]


@dataclass(frozen=True)
class Candidate:
    """Another way to wait: `policy` takes next_wait's arguments (waited, elapsed in this
    invocation, Lambda time remaining, measured overhead)."""

    name: str
    policy: Policy


def callbacks_only_as_before(waited: float, _elapsed: float, _remaining: float | None, _o: float | None) -> Wait:
    return Wait(float(int(poll_delay(waited, (1, 3, 5), 9, 0.09))), local=False)


CANDIDATES = (
    Candidate(
        "before this policy: every look a callback, 1, 3, 5 s then max(9 s, 9%), overhead ignored",
        callbacks_only_as_before,
    ),
    Candidate(
        "every look a callback, each shortened by the measured overhead",
        lambda waited, elapsed, _remaining, overhead: next_wait(waited, elapsed, None, overhead),
    ),
    Candidate(
        "waits here for 20 s, callbacks not shortened (overhead taken as 0)",
        lambda waited, elapsed, remaining, _overhead: next_wait(waited, elapsed, remaining, 0.0),
    ),
    Candidate(
        f"waits here for 20 s, callbacks always shortened by {ASSUMED_OVERHEAD:g} s (never measured)",
        lambda waited, elapsed, remaining, _overhead: next_wait(waited, elapsed, remaining, ASSUMED_OVERHEAD),
    ),
)


def ours_only(overhead: float) -> tuple[Pacing, ...]:
    return (Ours(overhead),)


def alternatives(costs: Costs, progress: Callable[[str], None] = print) -> dict[str, OverheadSweep]:
    """candidate -> overhead -> the sweep under Ours with the candidate's policy."""
    measured: dict[str, OverheadSweep] = {}
    for candidate in CANDIDATES:
        with patched(handler_driver, "next_wait", candidate.policy):
            measured[candidate.name] = {overhead: sweep(costs, overhead, ours_only) for overhead in OVERHEADS}
        progress(f"bench: alternative measured: {candidate.name}")
    return measured
