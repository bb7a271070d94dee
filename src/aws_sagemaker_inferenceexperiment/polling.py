"""When to look again, and whether to wait for it here or go back to CloudFormation: pure,
table-tested (docs/performance.md measures it end to end at several re-invocation overheads).

Where the next look falls needs no guess of how long SageMaker will take: 1, 3 and 5 seconds
after the last change, so a fast transition is noticed within seconds, then every 9.5
seconds or 9.8% of the time waited, whichever is longer (at most 2 minutes). The stack
therefore finishes at most about 10 seconds or 10% after SageMaker settles.

How to wait for it: every IN_PROGRESS costs a round trip through CloudFormation whose
overhead is not published (it re-invokes after callbackDelaySeconds plus its own
scheduling, perhaps into a cold container). So an invocation waits for its next looks
itself while it has been running under LOCAL_BUDGET seconds and the Lambda context leaves
TIME_RESERVE seconds after the wait; then it goes back to CloudFormation with a callback
delay shortened by the overhead this operation has measured (ASSUMED_OVERHEAD until it has
measured one), so the next look still falls when it is due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EARLY_LOOKS = (1, 3, 5)  # seconds after the last change
STEADY_INTERVAL = 9.5  # then at least this far apart ...
GROWTH = 0.098  # ... or this share of the time waited so far
MAX_DELAY = 120  # never more than 2 minutes between looks
RETRY_DELAYS = (5, 10, 20, 40, 60)  # after throttling, 5xx or network errors
MAX_RETRIES = len(RETRY_DELAYS)

LOCAL_BUDGET = 20.0  # an invocation waits for its looks only in its first 20 s (SPEC section 2)
TIME_RESERVE = 10.0  # Lambda time kept after a local wait, for the look, a call and the reply
MIN_LOCAL_WAIT = 0.5  # a shorter stretch of budget is not worth a look
ASSUMED_OVERHEAD = 5.0  # re-invocation overhead assumed before this operation has measured one


def poll_delay(
    waited: float,
    early_looks: tuple[int, ...] = EARLY_LOOKS,
    steady_interval: float = STEADY_INTERVAL,
    growth: float = GROWTH,
) -> float:
    """Seconds until the next look, `waited` seconds after the last change was made. (The
    benchmark passes other parameters to measure the alternatives it reports.)"""
    for look in early_looks:
        if waited < look - 0.5:
            return float(max(1, round(look - waited)))
    return min(MAX_DELAY, max(steady_interval, growth * waited))


@dataclass(frozen=True)
class Wait:
    """Wait `seconds` here (`local`) and look again, or return IN_PROGRESS with `seconds`
    as callbackDelaySeconds."""

    seconds: float
    local: bool


def next_wait(waited: float, elapsed: float, remaining: float | None, overhead: float | None) -> Wait:
    """How to wait for the next look, `waited` seconds after the last change, `elapsed` seconds
    into this invocation, with `remaining` seconds of Lambda time left (None: unknown, so never
    wait here) and CloudFormation's re-invocation `overhead` as measured (None: not yet)."""
    gap = poll_delay(waited)
    room = 0.0 if remaining is None else min(LOCAL_BUDGET - elapsed, remaining - TIME_RESERVE)
    if room >= MIN_LOCAL_WAIT:
        return Wait(min(gap, room), local=True)
    expected = ASSUMED_OVERHEAD if overhead is None else overhead
    return Wait(float(max(0, math.floor(gap - expected))), local=False)


def measured_overhead(previous: float | None, returned_at: float, delay: float, now: float) -> float | None:
    """The re-invocation overhead to plan with: the largest seen so far in this operation,
    where one is seen as the time since the last invocation returned, less its callback
    delay. A clock that went backwards measures nothing, nor does a gap longer than any
    callback (a lost response CloudFormation re-sent, not its scheduling)."""
    seen = now - returned_at - delay
    if not 0 <= seen <= MAX_DELAY:
        return previous
    return seen if previous is None else max(previous, seen)


def retry_delay(retries: int) -> int:
    return RETRY_DELAYS[min(retries, len(RETRY_DELAYS) - 1)]
