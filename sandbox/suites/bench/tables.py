"""The stabilization table, as the report and the progress output show it."""

from __future__ import annotations

from typing import Any

from .pacing import OPERATIONS


def ratio(ours: float, theirs: float) -> str:
    return f"{ours / theirs:.2f}" if theirs else "n/a"


def stabilization_table(block: dict[str, Any], with_previous: bool) -> list[str]:
    ours, baseline = block["ours"], block["published provider"]
    header = (
        "| operation | settle s | overshoot s (% of settle) | invocations | Describe calls "
        "| Describe ratio vs published |"
    )
    rows = [header, "|---|---|---|---|---|---|"]
    for policy, table in block.items():
        if policy == "previous (geometric)" and not with_previous:
            continue
        for operation in OPERATIONS:
            m = table[operation]
            rows.append(
                f"| {operation} ({policy}) | {m['settle s']:g} | {m['overshoot s']} ({m['overshoot %']}%) | "
                f"{m['invocations']:g} | {m['Describe calls']:g} | "
                f"{ratio(m['Describe calls'], baseline[operation]['Describe calls'])} |"
            )
    targets = []
    for operation in OPERATIONS:
        m, base = ours[operation], baseline[operation]
        allowed = max(0.1 * m["settle s"], 5)
        budget = base["Describe calls"] / 3
        met = m["overshoot s"] <= allowed and m["Describe calls"] <= budget
        targets.append(
            f"- {operation}: overshoot {m['overshoot s']} s (allowed {allowed:g} s), "
            f"Describe {m['Describe calls']:g} vs published {base['Describe calls']:g} "
            f"(allowed {budget:.1f}): {'met' if met else 'NOT met'}"
        )
    return [*rows, "", *targets]
