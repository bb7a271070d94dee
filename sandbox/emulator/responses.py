"""Response methods for moto's `SageMakerResponse`: parse the request, call the backend,
serialise the result. `install` attaches them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.core.responses import ActionResult
from moto.sagemaker.responses import SageMakerResponse

from .endpoint_updates import endpoint_update_backends
from .models import InferenceExperimentBackend, inference_experiment_backends
from .recommendations import RESPONSE_METHODS as RECOMMENDATION_JOB_METHODS

ResponseMethod = Callable[[SageMakerResponse], Any]


def backend(response: SageMakerResponse) -> InferenceExperimentBackend:
    return inference_experiment_backends.of(response.sagemaker_backend)


def arn_result(arn: str) -> ActionResult:
    return ActionResult({"InferenceExperimentArn": arn})


def create_inference_experiment(self: SageMakerResponse) -> ActionResult:
    return arn_result(backend(self).create_inference_experiment(dict(self.params)).arn)


def describe_inference_experiment(self: SageMakerResponse) -> ActionResult:
    experiments = backend(self)
    experiment = experiments.describe_inference_experiment(self._get_param("Name"))
    return ActionResult(experiment.describe(experiments.endpoint(experiment)))


def update_inference_experiment(self: SageMakerResponse) -> ActionResult:
    return arn_result(backend(self).update_inference_experiment(dict(self.params)).arn)


def start_inference_experiment(self: SageMakerResponse) -> ActionResult:
    return arn_result(backend(self).start_inference_experiment(self._get_param("Name")).arn)


def stop_inference_experiment(self: SageMakerResponse) -> ActionResult:
    return arn_result(backend(self).stop_inference_experiment(dict(self.params)).arn)


def delete_inference_experiment(self: SageMakerResponse) -> ActionResult:
    return arn_result(backend(self).delete_inference_experiment(self._get_param("Name")).arn)


def update_endpoint(self: SageMakerResponse) -> ActionResult:
    endpoint = endpoint_update_backends.of(self.sagemaker_backend).update_endpoint(dict(self.params))
    return ActionResult({"EndpointArn": endpoint.arn})


def list_inference_experiments(self: SageMakerResponse) -> ActionResult:
    experiments, next_token = backend(self).list_inference_experiments(
        name_contains=self._get_param("NameContains"),
        status_equals=self._get_param("StatusEquals"),
        creation_time_after=self._get_param("CreationTimeAfter"),
        creation_time_before=self._get_param("CreationTimeBefore"),
        last_modified_time_after=self._get_param("LastModifiedTimeAfter"),
        last_modified_time_before=self._get_param("LastModifiedTimeBefore"),
        sort_by=self._get_param("SortBy"),
        sort_order=self._get_param("SortOrder"),
        next_token=self._get_param("NextToken"),
        max_results=self._get_int_param("MaxResults"),
    )
    result: dict[str, Any] = {"InferenceExperiments": [e.summary() for e in experiments]}
    if next_token:
        result["NextToken"] = next_token
    return ActionResult(result)


# Operation name -> response method; the method's name is the one moto's dispatch looks up.
RESPONSE_METHODS: dict[str, ResponseMethod] = {
    "CreateInferenceExperiment": create_inference_experiment,
    "DescribeInferenceExperiment": describe_inference_experiment,
    "UpdateInferenceExperiment": update_inference_experiment,
    "StartInferenceExperiment": start_inference_experiment,
    "StopInferenceExperiment": stop_inference_experiment,
    "DeleteInferenceExperiment": delete_inference_experiment,
    "ListInferenceExperiments": list_inference_experiments,
    "UpdateEndpoint": update_endpoint,
    **RECOMMENDATION_JOB_METHODS,
}
