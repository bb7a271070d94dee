"""The selection rule, pure: which recommendation becomes the shadow variant.

Rule: with --recommendation-id, that recommendation. Otherwise, among the recommendations
that can host a shadow variant (an instance type, not serverless) and meet every given
constraint (ModelLatency at most --max-latency-ms, MaxInvocations at least
--min-invocations), the lowest CostPerInference; ties go to the lower CostPerHour, then the
RecommendationId. When none qualifies, the error names the one that came closest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import CommandError


@dataclass(frozen=True)
class Recommendation:
    """One entry of DescribeInferenceRecommendationsJob's InferenceRecommendations."""

    recommendation_id: str
    instance_type: str | None  # None: a serverless configuration
    instance_count: int
    cost_per_hour: float | None
    cost_per_inference: float | None
    model_latency_ms: int | None
    max_invocations: int | None


@dataclass(frozen=True)
class Constraints:
    max_latency_ms: int | None = None
    min_invocations: int | None = None

    def __bool__(self) -> bool:
        return self.max_latency_ms is not None or self.min_invocations is not None

    def describe(self) -> str:
        parts = []
        if self.max_latency_ms is not None:
            parts.append(f"--max-latency-ms {self.max_latency_ms}")
        if self.min_invocations is not None:
            parts.append(f"--min-invocations {self.min_invocations}")
        return " and ".join(parts)


@dataclass(frozen=True)
class Choice:
    chosen: Recommendation
    # RecommendationId -> why it was not eligible ("" when it was)
    verdicts: dict[str, str] = field(default_factory=dict)


def shortfalls(recommendation: Recommendation, constraints: Constraints) -> list[tuple[float, str]]:
    """Each unmet constraint as (relative shortfall, sentence); empty when all are met."""
    missed: list[tuple[float, str]] = []
    latency, limit = recommendation.model_latency_ms, constraints.max_latency_ms
    if limit is not None:
        if latency is None:
            missed.append((float("inf"), "reports no ModelLatency"))
        elif latency > limit:
            over = latency - limit
            missed.append((over / limit, f"ModelLatency {latency} ms is {over} ms ({over / limit:.0%}) over {limit}"))
    invocations, floor = recommendation.max_invocations, constraints.min_invocations
    if floor is not None:
        if invocations is None:
            missed.append((float("inf"), "reports no MaxInvocations"))
        elif invocations < floor:
            short = floor - invocations
            missed.append(
                (short / floor, f"MaxInvocations {invocations}/min is {short} ({short / floor:.0%}) short of {floor}")
            )
    return missed


def ineligibility(recommendation: Recommendation) -> str:
    """Why a recommendation cannot be a shadow variant at all ("" when it can)."""
    if recommendation.instance_type is None:
        return "serverless: a shadow variant needs an instance type"
    if recommendation.cost_per_inference is None:
        return "reports no CostPerInference to rank by"
    return ""


def by_id(recommendations: list[Recommendation], recommendation_id: str) -> Choice:
    for recommendation in recommendations:
        if recommendation.recommendation_id == recommendation_id:
            if recommendation.instance_type is None:
                raise CommandError(
                    f"recommendation {recommendation_id} is a serverless configuration; a shadow variant "
                    "needs an instance type (choose another with --recommendation-id)"
                )
            verdicts = {r.recommendation_id: "" if r is recommendation else "not chosen" for r in recommendations}
            return Choice(recommendation, verdicts)
    known = ", ".join(r.recommendation_id for r in recommendations) or "none"
    raise CommandError(f"the job has no recommendation {recommendation_id} (its recommendations: {known})")


def choose(
    recommendations: list[Recommendation], constraints: Constraints, recommendation_id: str | None = None
) -> Choice:
    """Apply the rule above; CommandError when nothing qualifies."""
    if not recommendations:
        raise CommandError("the job has no recommendations")
    if recommendation_id is not None:
        return by_id(recommendations, recommendation_id)
    verdicts: dict[str, str] = {}
    eligible: list[Recommendation] = []
    near: list[tuple[float, Recommendation, list[str]]] = []
    for recommendation in recommendations:
        reason = ineligibility(recommendation)
        missed = [] if reason else shortfalls(recommendation, constraints)
        verdicts[recommendation.recommendation_id] = reason or "; ".join(sentence for _, sentence in missed)
        if missed:
            near.append((sum(amount for amount, _ in missed), recommendation, [s for _, s in missed]))
        elif not reason:
            eligible.append(recommendation)
    if eligible:
        best = min(eligible, key=lambda r: (r.cost_per_inference or 0.0, r.cost_per_hour or 0.0, r.recommendation_id))
        return Choice(best, verdicts)
    if not near:
        raise CommandError(
            "none of the job's recommendations can be a shadow variant: "
            + "; ".join(f"{key}: {reason}" for key, reason in verdicts.items())
        )
    _, closest, unmet = min(near, key=lambda entry: (entry[0], entry[1].recommendation_id))
    raise CommandError(
        f"no recommendation meets {constraints.describe()}; the closest is {closest.recommendation_id} "
        f"({closest.instance_type} x{closest.instance_count}): {'; '.join(unmet)}"
    )
