"""When to look again: pure, table-tested (docs/performance.md has the measurements).

The policy needs no guess of how long SageMaker will take. It looks early (1, 3 and
5 seconds after the last change), so a fast transition is noticed within seconds, then
every 9 seconds or 9% of the time waited, whichever is longer. The stack therefore
finishes at most about 10 seconds or 10% after SageMaker settles (the margin under 10
covers one invocation's own latency), and a slow transition costs few looks: about 25
per tenfold growth of the wait.
"""

from __future__ import annotations

EARLY_LOOKS = (1, 3, 5)  # seconds after the last change
STEADY_INTERVAL = 9  # then at least this far apart ...
GROWTH = 0.09  # ... or this share of the time waited so far
MAX_DELAY = 120  # never more than 2 minutes per callback
RETRY_DELAYS = (5, 10, 20, 40, 60)  # after throttling, 5xx or network errors
MAX_RETRIES = len(RETRY_DELAYS)


def poll_delay(
    waited: float,
    early_looks: tuple[int, ...] = EARLY_LOOKS,
    steady_interval: int = STEADY_INTERVAL,
    growth: float = GROWTH,
) -> int:
    """Seconds until the next look, `waited` seconds after the last change was made. (The
    benchmark passes other parameters to measure the alternatives it reports.)"""
    for look in early_looks:
        if waited < look - 0.5:
            return max(1, round(look - waited))
    return int(min(MAX_DELAY, max(steady_interval, growth * waited)))


def retry_delay(retries: int) -> int:
    return RETRY_DELAYS[min(retries, len(RETRY_DELAYS) - 1)]
