"""The sweep tables and the targets, as the report and the progress output show them."""

from __future__ import annotations

from .pacing import OPERATIONS
from .stabilization import Measured, OverheadSweep, Sweep

NOTICE_WITHIN = 5.0  # a transition that settles within this is noticed within it too
INVOCATION_SHARE = 2.0  # of the published pacing's invocations, summed over a sweep
DESCRIBE_SHARE = 1.0  # of the published pacing's Describe calls, summed over a sweep
LONGEST_INVOCATION = 30.0  # seconds; CloudFormation bills third-party handler time above this


def allowed_overshoot(settle: float) -> float:
    return max(0.1 * settle, 10.0)


def verdict(operation: str, m: Measured) -> str:
    """Whether our row meets its overshoot targets ('-' when none applies: delete of 0 s is
    held to the 5 s notice only)."""
    checks = []
    if operation != "delete":
        checks.append(m.overshoot <= allowed_overshoot(m.settle))
    if m.settle <= NOTICE_WITHIN:
        checks.append(m.overshoot <= NOTICE_WITHIN)
    if not checks:
        return "-"
    return "met" if all(checks) else "NOT met"


def sweep_table(results: Sweep) -> list[str]:
    rows = [
        "| scale | operation | settle s | overshoot s, ours / published | Describe calls, ours / published "
        "| invocations, ours / published | longest invocation s, ours / published | overshoot allowed s | ours |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for scale, by_pacing in results.items():
        ours, published = by_pacing["ours"], by_pacing["published"]
        for operation in OPERATIONS:
            o, p = ours[operation], published[operation]
            allowed = NOTICE_WITHIN if o.settle <= NOTICE_WITHIN else allowed_overshoot(o.settle)
            rows.append(
                f"| x{scale:g} | {operation} | {o.settle:g} | {o.overshoot:g} / {p.overshoot:g} "
                f"| {o.describes} / {p.describes} | {o.invocations} / {p.invocations} "
                f"| {o.longest:g} / {p.longest:g} | {allowed:g} | {verdict(operation, o)} |"
            )
    return rows


def rows(results: Sweep, pacing: str = "ours") -> list[tuple[str, Measured]]:
    return [(operation, m) for by_pacing in results.values() for operation, m in by_pacing[pacing].items()]


def total(results: Sweep, pacing: str, figure: str) -> int:
    return sum(int(getattr(m, figure)) for _, m in rows(results, pacing))


def longest(results: Sweep, pacing: str = "ours") -> float:
    return max(m.longest for _, m in rows(results, pacing))


def judged(value: float, limit: float) -> str:
    return "met" if value <= limit else "NOT met"


def target_lines(overhead: float, results: Sweep) -> list[str]:
    """The sweep's targets at one overhead, each with its figure and verdict."""
    describes = total(results, "ours", "describes") / total(results, "published", "describes")
    invocations = total(results, "ours", "invocations") / total(results, "published", "invocations")
    missed = sorted(
        {
            f"x{scale:g} {op}"
            for scale, by in results.items()
            for op, m in by["ours"].items()
            if verdict(op, m) == "NOT met"
        }
    )
    return [
        f"- overhead {overhead:g} s: overshoot targets {'NOT met for ' + ', '.join(missed) if missed else 'met'} "
        f"in every row; invocations ours {total(results, 'ours', 'invocations')}, published "
        f"{total(results, 'published', 'invocations')}, ratio {invocations:.2f} (at most {INVOCATION_SHARE:g}): "
        f"{judged(invocations, INVOCATION_SHARE)}; Describe calls ours {total(results, 'ours', 'describes')}, "
        f"published {total(results, 'published', 'describes')}, ratio {describes:.2f} (at most "
        f"{DESCRIBE_SHARE:g}): {judged(describes, DESCRIBE_SHARE)}; longest invocation {longest(results):g} s "
        f"(at most {LONGEST_INVOCATION:g}): {judged(longest(results), LONGEST_INVOCATION)}",
    ]


def excess(operation: str, m: Measured) -> float:
    """How far our overshoot went past what its targets allow (0 when within)."""
    allowed = [NOTICE_WITHIN] if m.settle <= NOTICE_WITHIN else []
    if operation != "delete":
        allowed.append(allowed_overshoot(m.settle))
    return max(0.0, m.overshoot - min(allowed)) if allowed else 0.0


def tradeoff_table(current: OverheadSweep, candidates: dict[str, OverheadSweep]) -> list[str]:
    """Each policy at each overhead: invocations and Describe calls against the published
    pacing's (same overhead, same run), beside how far it misses the overshoot targets."""
    lines = [
        "| policy | overhead s | invocations, ratio vs published | Describe calls, ratio vs published "
        "| rows over their overshoot target | worst excess s | longest invocation s "
        "| x0.05 update (settles in 3 s): overshoot s |",
        "|---|---|---|---|---|---|---|---|",
    ]
    measured = {"the policy (polling.next_wait)": current, **candidates}
    for name, by_overhead in measured.items():
        for overhead, results in by_overhead.items():
            published = current[overhead]
            excesses = [excess(op, m) for op, m in rows(results)]
            invocations = total(results, "ours", "invocations")
            describes = total(results, "ours", "describes")
            lines.append(
                f"| {name} | {overhead:g} "
                f"| {invocations} ({invocations / total(published, 'published', 'invocations'):.2f}) "
                f"| {describes} ({describes / total(published, 'published', 'describes'):.2f}) "
                f"| {sum(1 for e in excesses if e > 0)} | {max(excesses):.1f} | {longest(results):g} "
                f"| {results[0.05]['ours']['update'].overshoot:g} |"
            )
    return lines
