"""The emulator package as a moto service: one status vocabulary equal to botocore's,
moto's paginator, an idempotent install, and AddTags overwriting as SageMaker's does."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest

from sandbox.emulator import Status, VariantAction
from sandbox.server import EmulatorControl
from sandbox.server.wiring import install
from sandbox.suites.seed import shadow_test_request
from tests.helpers import error_code


def botocore_enum(shape: str) -> list[str]:
    model = botocore.session.get_session().get_service_model("sagemaker")
    return list(model.shape_for(shape).enum)


def test_status_vocabulary_is_botocores() -> None:
    assert sorted(Status) == sorted(botocore_enum("InferenceExperimentStatus"))
    assert sorted(VariantAction) == sorted(botocore_enum("ModelVariantAction"))


def test_install_twice_wraps_once(sagemaker: Any, emulator: EmulatorControl) -> None:
    install()
    install()
    sagemaker.list_inference_experiments()
    assert [c.operation for c in emulator.call_log()] == ["ListInferenceExperiments"]


def test_foreign_next_token_is_a_validation_error(sagemaker: Any) -> None:
    code = error_code(sagemaker.list_inference_experiments, NextToken="not-a-token")
    assert code == "ValidationException"


def test_add_tags_overwrites_on_every_resource(sagemaker: Any) -> None:
    arn = sagemaker.create_inference_experiment(**shadow_test_request("exp"), Tags=[{"Key": "a", "Value": "1"}])[
        "InferenceExperimentArn"
    ]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "a", "Value": "2"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "a", "Value": "2"}]
    model_arn = sagemaker.describe_model(ModelName="model-a")["ModelArn"]
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "a", "Value": "1"}])
    sagemaker.add_tags(ResourceArn=model_arn, Tags=[{"Key": "a", "Value": "2"}])
    assert sagemaker.list_tags(ResourceArn=model_arn)["Tags"] == [{"Key": "a", "Value": "2"}]


@pytest.mark.parametrize("max_results", [101, 500])
def test_page_size_is_at_most_100(sagemaker: Any, max_results: int) -> None:
    assert error_code(sagemaker.list_inference_experiments, MaxResults=max_results) == "ValidationException"
