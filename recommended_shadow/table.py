"""The job's recommendations as a table, the chosen one marked and the others' verdicts."""

from __future__ import annotations

from .selection import Choice, Recommendation

HEADERS = ("", "RecommendationId", "InstanceType", "Count", "$/hour", "$/inference", "Latency ms", "Invocations/min")


def cells(recommendation: Recommendation, chosen: bool) -> tuple[str, ...]:
    def shown(value: object, pattern: str) -> str:
        return "-" if value is None else format(value, pattern)

    return (
        "*" if chosen else "",
        recommendation.recommendation_id,
        recommendation.instance_type or "serverless",
        str(recommendation.instance_count),
        shown(recommendation.cost_per_hour, ".4f"),
        shown(recommendation.cost_per_inference, ".3g"),
        shown(recommendation.model_latency_ms, "d"),
        shown(recommendation.max_invocations, "d"),
    )


def table(recommendations: list[Recommendation], choice: Choice | None) -> list[str]:
    """Lines of the table; `choice` None marks nothing (nothing qualified)."""
    rows = [HEADERS] + [cells(r, choice is not None and r is choice.chosen) for r in recommendations]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(rows):
        line = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        verdict = choice.verdicts.get(recommendations[index - 1].recommendation_id, "") if choice and index else ""
        lines.append(f"{line}  ({verdict})" if verdict else line)
    return lines
