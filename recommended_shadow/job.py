"""The Inference Recommender job: its status, its recommendations, the model it sized."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .aws import call
from .errors import CommandError
from .selection import Recommendation

COMPLETED = "COMPLETED"
WHAT_TO_DO = {
    "PENDING": "wait for it to finish (aws sagemaker describe-inference-recommendations-job)",
    "IN_PROGRESS": "wait for it to finish (aws sagemaker describe-inference-recommendations-job)",
    "STOPPING": "it was stopped, so it will not recommend anything; run a new job",
    "STOPPED": "it was stopped, so it has no recommendations; run a new job",
    "FAILED": "it failed; fix the cause and run a new job",
}


@dataclass(frozen=True)
class Job:
    name: str
    role_arn: str
    model_package_arn: str | None
    model_name: str | None
    recommendations: list[Recommendation]


def recommendation(entry: dict[str, Any]) -> Recommendation:
    metrics = entry.get("Metrics") or {}
    configuration = entry.get("EndpointConfiguration") or {}
    return Recommendation(
        recommendation_id=str(entry.get("RecommendationId", "")),
        instance_type=configuration.get("InstanceType"),
        instance_count=int(configuration.get("InitialInstanceCount") or 1),
        cost_per_hour=metrics.get("CostPerHour"),
        cost_per_inference=metrics.get("CostPerInference"),
        model_latency_ms=metrics.get("ModelLatency"),
        max_invocations=metrics.get("MaxInvocations"),
    )


def read_job(sagemaker: Any, name: str) -> Job:
    """The job, if COMPLETED; otherwise a CommandError saying its status and what to do."""
    described = call(sagemaker, "describe_inference_recommendations_job", JobName=name)
    status = described["Status"]
    if status != COMPLETED:
        reason = f" ({described['FailureReason']})" if described.get("FailureReason") else ""
        what = WHAT_TO_DO.get(status, "only a COMPLETED job has recommendations")
        raise CommandError(f"job {name} is {status}{reason}, not COMPLETED: {what}")
    input_config = described.get("InputConfig") or {}
    return Job(
        name=name,
        role_arn=described["RoleArn"],
        model_package_arn=input_config.get("ModelPackageVersionArn"),
        model_name=input_config.get("ModelName"),
        recommendations=[recommendation(entry) for entry in described.get("InferenceRecommendations") or []],
    )
