"""Response methods for the five Inference Recommender operations on moto's
`SageMakerResponse`: parse the request, call the backend, serialise the result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from .models import RecommendationJobBackend, recommendation_job_backends

ResponseMethod = Callable[[SageMakerResponse], Any]
LIST_FILTERS = (
    "NameContains",
    "StatusEquals",
    "CreationTimeAfter",
    "CreationTimeBefore",
    "LastModifiedTimeAfter",
    "LastModifiedTimeBefore",
    "ModelNameEquals",
    "ModelPackageVersionArnEquals",
)


def backend(response: SageMakerResponse) -> RecommendationJobBackend:
    return recommendation_job_backends.of(response.sagemaker_backend)


def page(key: str, items: list[dict[str, Any]], next_token: str | None, internal: str) -> ActionResult:
    result: dict[str, Any] = {key: [{k: v for k, v in item.items() if k != internal} for item in items]}
    if next_token:
        result["NextToken"] = next_token
    return ActionResult(result)


def create_inference_recommendations_job(self: SageMakerResponse) -> ActionResult:
    return ActionResult({"JobArn": backend(self).create_job(dict(self.params)).arn})


def describe_inference_recommendations_job(self: SageMakerResponse) -> ActionResult:
    return ActionResult(backend(self).describe_job(self._get_param("JobName")))


def stop_inference_recommendations_job(self: SageMakerResponse) -> ActionResult:
    backend(self).stop_job(self._get_param("JobName"))
    return ActionResult({})


def list_inference_recommendations_jobs(self: SageMakerResponse) -> ActionResult:
    jobs, next_token = backend(self).list_jobs(
        filters={name: self._get_param(name) for name in LIST_FILTERS},
        sort_by=self._get_param("SortBy"),
        sort_order=self._get_param("SortOrder"),
        next_token=self._get_param("NextToken"),
        max_results=self._get_int_param("MaxResults"),
    )
    return page("InferenceRecommendationsJobs", jobs, next_token, "name")


def list_inference_recommendations_job_steps(self: SageMakerResponse) -> ActionResult:
    steps, next_token = backend(self).list_steps(
        name=self._get_param("JobName"),
        status=self._get_param("Status"),
        step_type=self._get_param("StepType"),
        next_token=self._get_param("NextToken"),
        max_results=self._get_int_param("MaxResults"),
    )
    return page("Steps", steps, next_token, "index")


# Operation name -> response method, merged into the emulator's table of operations.
RESPONSE_METHODS: dict[str, ResponseMethod] = {
    "CreateInferenceRecommendationsJob": create_inference_recommendations_job,
    "DescribeInferenceRecommendationsJob": describe_inference_recommendations_job,
    "ListInferenceRecommendationsJobs": list_inference_recommendations_jobs,
    "StopInferenceRecommendationsJob": stop_inference_recommendations_job,
    "ListInferenceRecommendationsJobSteps": list_inference_recommendations_job_steps,
}
