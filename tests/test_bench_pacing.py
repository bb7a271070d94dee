"""The benchmark's model of the published provider's pacing and of CloudFormation's
re-invocation overhead, and how it judges a row."""

from __future__ import annotations

from sandbox.suites.bench.pacing import Ours, Published
from sandbox.suites.bench.stabilization import Measured
from sandbox.suites.bench.tables import excess, verdict


def test_published_polls_every_5_s_for_a_minute_then_calls_back_after_60_s_plus_the_overhead() -> None:
    pacing = Published(overhead=3.0)
    pacing.start()
    waits = [(pacing.wait(9), pacing.fresh) for _ in range(14)]
    assert waits[:12] == [(5.0, False)] * 12
    assert waits[12] == (63.0, True)
    assert waits[13] == (5.0, False)
    assert pacing.invocations == 2


def test_published_counts_the_handlers_own_round_trip_as_a_re_invocation() -> None:
    pacing = Published(overhead=1.0)
    pacing.start()
    assert pacing.wait(0) == 1.0
    assert pacing.fresh
    assert pacing.invocations == 2
    assert not pacing.lambda_context, "the handler stands in for its looks, so it must not wait itself"
    assert pacing.policy is not None
    assert pacing.policy(2, 0, 180, None).local is False


def test_ours_honours_the_requested_delay_plus_the_overhead_with_a_fresh_invocation_each_time() -> None:
    pacing = Ours(overhead=5.0)
    pacing.start()
    assert [pacing.wait(delay) for delay in (0, 2, 9)] == [5.0, 7.0, 14.0]
    assert pacing.fresh
    assert pacing.invocations == 4
    assert pacing.lambda_context


def test_a_row_is_held_to_10_percent_or_10_s_and_a_fast_one_to_5_s() -> None:
    assert verdict("create", Measured(settle=360, overshoot=36, invocations=1, describes=1)) == "met"
    assert verdict("create", Measured(settle=360, overshoot=37, invocations=1, describes=1)) == "NOT met"
    assert verdict("update", Measured(settle=3, overshoot=5.5, invocations=1, describes=1)) == "NOT met"
    assert verdict("delete", Measured(settle=0, overshoot=0.1, invocations=1, describes=1)) == "met"
    assert excess("stop", Measured(settle=60, overshoot=12, invocations=1, describes=1)) == 2
