"""Table tests of the polling policy (docs/performance.md measures it end to end)."""

from __future__ import annotations

import pytest

from aws_sagemaker_inferenceexperiment.polling import MAX_DELAY, MAX_RETRIES, poll_delay, retry_delay


@pytest.mark.parametrize(
    ("waited", "delay"),
    [
        (0, 1),  # early looks at 1, 3 and 5 s after the change
        (0.2, 1),
        (1, 2),
        (3, 2),
        (5, 9),  # then every 9 s ...
        (50, 9),
        (200, 18),  # ... or 9% of the wait
        (5000, MAX_DELAY),  # never more than 2 minutes per callback
    ],
)
def test_poll_delay(waited: float, delay: int) -> None:
    assert poll_delay(waited) == delay


def looks_until(settled: float) -> tuple[float, int]:
    """When a transition that settles after `settled` seconds is seen, and after how many looks."""
    waited, looks = 0.0, 0
    while True:
        waited += poll_delay(waited)
        looks += 1
        if waited >= settled:
            return waited, looks


@pytest.mark.parametrize("settled", [0.1, 0.9, 2.5, 4.9, 5.1, 12, 61, 99, 300, 1199, 4800])
def test_overshoot_at_most_ten_seconds_or_ten_percent(settled: float) -> None:
    seen, _ = looks_until(settled)
    assert seen - settled <= max(10, 0.1 * settled)
    if settled <= 5:
        assert seen <= 5, "a transition that settles within 5 s is noticed within 5 s"


def test_slow_transitions_cost_few_looks() -> None:
    _, looks = looks_until(1200)
    assert looks <= 1200 / 5 / 4, "a quarter of a look every 5 s"


def test_retry_delays_grow_and_cap() -> None:
    retries = [retry_delay(n) for n in range(MAX_RETRIES + 3)]
    assert retries == sorted(retries)
    assert retries[-1] == retries[MAX_RETRIES - 1]
