"""The sweep table and the targets, as the report and the progress output show them."""

from __future__ import annotations

from .pacing import OPERATIONS
from .stabilization import Measured, Sweep

NOTICE_WITHIN = 5.0  # a transition that settles within this is noticed within it too
DESCRIBE_SHARE = 0.5  # of the published pacing's Describe calls, summed over the sweep


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
        "| invocations, ours / published | overshoot allowed s | ours |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for scale, by_pacing in results.items():
        ours, published = by_pacing["ours"], by_pacing["published"]
        for operation in OPERATIONS:
            o, p = ours[operation], published[operation]
            allowed = NOTICE_WITHIN if o.settle <= NOTICE_WITHIN else allowed_overshoot(o.settle)
            rows.append(
                f"| x{scale:g} | {operation} | {o.settle:g} | {o.overshoot:g} / {p.overshoot:g} "
                f"| {o.describes} / {p.describes} | {o.invocations} / {p.invocations} | {allowed:g} "
                f"| {verdict(operation, o)} |"
            )
    return rows


def totals(results: Sweep) -> dict[str, int]:
    sums = {"ours": 0, "published": 0}
    for by_pacing in results.values():
        for name in sums:
            sums[name] += sum(m.describes for m in by_pacing[name].values())
    return sums


def target_lines(results: Sweep) -> list[str]:
    sums = totals(results)
    share = sums["ours"] / sums["published"]
    lines = [
        f"- Describe calls over the sweep: ours {sums['ours']}, published {sums['published']}, ratio {share:.2f} "
        f"(target at most {DESCRIBE_SHARE:g}): {'met' if share <= DESCRIBE_SHARE else 'NOT met'}",
    ]
    for scale, by_pacing in results.items():
        missed = [op for op, m in by_pacing["ours"].items() if verdict(op, m) == "NOT met"]
        lines.append(f"- x{scale:g}: overshoot targets {'NOT met for ' + ', '.join(missed) if missed else 'met'}")
    return lines


def excess(operation: str, m: Measured) -> float:
    """How far our overshoot went past what its targets allow (0 when within)."""
    allowed = [NOTICE_WITHIN] if m.settle <= NOTICE_WITHIN else []
    if operation != "delete":
        allowed.append(allowed_overshoot(m.settle))
    return max(0.0, m.overshoot - min(allowed)) if allowed else 0.0


def tradeoff_table(current: Sweep, candidates: dict[str, Sweep]) -> list[str]:
    """Each parameter set's Describe total beside how far it misses the overshoot targets."""
    published = totals(current)["published"]
    rows = [
        "| polling parameters | Describe calls over the sweep | ratio vs published | rows over their overshoot "
        "target | worst excess s | x0.05 update (settles in 3 s): overshoot s |",
        "|---|---|---|---|---|---|",
    ]
    measured = {"the policy: 1, 3, 5 s, then max(9 s, 9%)": current, **candidates}
    for name, results in measured.items():
        ours = [(op, m) for by_pacing in results.values() for op, m in by_pacing["ours"].items()]
        excesses = [excess(op, m) for op, m in ours]
        describes = sum(m.describes for _, m in ours)
        rows.append(
            f"| {name} | {describes} | {describes / published:.2f} | {sum(1 for e in excesses if e > 0)} "
            f"| {max(excesses):.1f} | {results[0.05]['ours']['update'].overshoot:g} |"
        )
    return rows
