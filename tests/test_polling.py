"""Table tests of the polling policy (docs/performance.md measures it end to end)."""

from __future__ import annotations

import pytest

from aws_sagemaker_inferenceexperiment.polling import (
    ASSUMED_OVERHEAD,
    LOCAL_BUDGET,
    MAX_DELAY,
    MAX_RETRIES,
    TIME_RESERVE,
    Wait,
    measured_overhead,
    next_wait,
    poll_delay,
    retry_delay,
)


@pytest.mark.parametrize(
    ("waited", "delay"),
    [
        (0, 1),  # early looks at 1, 3 and 5 s after the change
        (0.2, 1),
        (1, 2),
        (3, 2),
        (5, 9.5),  # then every 9.5 s ...
        (50, 9.5),
        (200, 19.6),  # ... or 9.8% of the wait
        (5000, MAX_DELAY),  # never more than 2 minutes between looks
    ],
)
def test_poll_delay(waited: float, delay: float) -> None:
    assert poll_delay(waited) == pytest.approx(delay)


@pytest.mark.parametrize(
    ("waited", "elapsed", "remaining", "overhead", "expected"),
    [
        # Inside the first 20 s of an invocation with Lambda time to spare: wait here.
        (0, 0, 180, None, Wait(1, local=True)),
        (5, 5, 180, None, Wait(9.5, local=True)),
        (19.25, 19.25, 180, None, Wait(0.75, local=True)),
        (300, 0, 180, None, Wait(20, local=True)),  # a long gap: wait out the budget, look, go back
        (14.5, 14.5, 180, None, Wait(5.5, local=True)),  # the budget's last stretch still earns a look
        # Budget spent (under half a second left): back to CloudFormation, the delay shortened by
        # the overhead measured so far, or by ASSUMED_OVERHEAD before one is measured.
        (20, 19.6, 180, None, Wait(4, local=False)),
        (20, 20, 180, 0.2, Wait(9, local=False)),
        (20, 20, 180, 5.2, Wait(4, local=False)),
        (1000, 20, 180, 1.0, Wait(97, local=False)),
        (6000, 20, 180, 3.0, Wait(MAX_DELAY - 3, local=False)),
        (2, 20, 180, 5.0, Wait(0, local=False)),  # an early look cannot come sooner than the overhead
        (20, 20, 180, 30.0, Wait(0, local=False)),
        # The Lambda context decides too: no wait that would leave less than TIME_RESERVE.
        (5, 0, TIME_RESERVE + 3, None, Wait(3, local=True)),
        (5, 0, TIME_RESERVE + 0.4, 0.1, Wait(9, local=False)),
        (5, 0, 2, 0.1, Wait(9, local=False)),
        # No context (remaining time unknown): never wait here.
        (5, 0, None, None, Wait(4, local=False)),
    ],
)
def test_next_wait(
    waited: float, elapsed: float, remaining: float | None, overhead: float | None, expected: Wait
) -> None:
    assert next_wait(waited, elapsed, remaining, overhead) == expected


@pytest.mark.parametrize(
    ("previous", "returned_at", "delay", "now", "expected"),
    [
        (None, 100.0, 10, 113.0, 3.0),  # re-invoked 3 s after the delay ran out
        (1.0, 100.0, 10, 113.0, 3.0),  # the largest seen so far ...
        (4.0, 100.0, 10, 113.0, 4.0),  # ... is kept
        (None, 100.0, 0, 100.25, 0.25),
        (2.0, 100.0, 10, 105.0, 2.0),  # a clock that went backwards measures nothing
        (None, 100.0, 10, 105.0, None),
        (2.0, 100.0, 10, 100.0 + 10 + 600, 2.0),  # ten minutes late: a lost response, not scheduling
    ],
)
def test_measured_overhead(
    previous: float | None, returned_at: float, delay: float, now: float, expected: float | None
) -> None:
    assert measured_overhead(previous, returned_at, delay, now) == (
        None if expected is None else pytest.approx(expected)
    )


def looks_until(settled: float, overhead: float, remaining: float = 180.0) -> tuple[float, int, int, float]:
    """Follow the policy, as the driver does, until a transition that settles `settled` seconds
    after the change is seen, each re-invocation costing `overhead` seconds: when it is seen,
    after how many looks and invocations, and the longest any invocation ran."""
    waited, looks, invocations, began, measured, longest = 0.0, 1, 1, 0.0, None, 0.0
    while waited < settled:
        wait = next_wait(waited, waited - began, remaining - (waited - began), measured)
        if wait.local:
            waited += wait.seconds
        else:
            longest = max(longest, waited - began)
            returned_at = waited
            waited += wait.seconds + overhead
            invocations += 1
            began, measured = waited, measured_overhead(measured, returned_at, wait.seconds, waited)
        looks += 1
    return waited, looks, invocations, max(longest, waited - began)


SETTLE_TIMES = [0.1, 0.9, 2.5, 4.9, 5.1, 12, 19.9, 20.5, 33, 61, 99, 150, 300, 1199, 4800]


@pytest.mark.parametrize("overhead", [0.1, 1, 3, 5])
@pytest.mark.parametrize("settled", SETTLE_TIMES)
def test_overshoot_at_most_ten_seconds_or_ten_percent_at_every_overhead(settled: float, overhead: float) -> None:
    seen, _, _, longest = looks_until(settled, overhead)
    assert seen - settled <= max(10, 0.1 * settled) - 0.4, "a margin for the reply's own latency"
    if settled <= 5:
        assert seen <= 5, "a transition that settles within 5 s is noticed within 5 s"
    assert longest <= LOCAL_BUDGET


@pytest.mark.parametrize("overhead", [0.1, 5])
def test_slow_transitions_cost_few_looks_and_invocations(overhead: float) -> None:
    _, looks, invocations, _ = looks_until(1200, overhead)
    assert looks <= 1200 / 5 / 3, "a third of a look every 5 s"
    assert invocations <= 1200 / 30, "an invocation covers at least 30 s"


def test_a_short_lambda_timeout_waits_nothing_here() -> None:
    _, looks, invocations, longest = looks_until(60, 1.0, remaining=TIME_RESERVE)
    assert longest == 0
    assert invocations == looks


def test_overhead_is_assumed_until_measured() -> None:
    assert next_wait(20, LOCAL_BUDGET, 180, None).seconds == int(poll_delay(20) - ASSUMED_OVERHEAD)


def test_retry_delays_grow_and_cap() -> None:
    retries = [retry_delay(n) for n in range(MAX_RETRIES + 3)]
    assert retries == sorted(retries)
    assert retries[-1] == retries[MAX_RETRIES - 1]
