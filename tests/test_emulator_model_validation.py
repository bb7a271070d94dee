"""The model-driven validation as users meet it: the requests issue 17 found accepted are
refused in SageMaker's message form, current instance types work for endpoint configs and
shadow tests, and every operation moto answers is validated without code of its own."""

from __future__ import annotations

import re
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.core.utils import camelcase_to_underscores
from moto.sagemaker.responses import SageMakerResponse

from sandbox.emulator import constraints
from sandbox.emulator.install import TAG_METHODS, VALIDATED
from sandbox.emulator.responses import RESPONSE_METHODS
from sandbox.server import EmulatorControl
from sandbox.suites.seed import seed_shadow_test, shadow_test_request, variant

CURRENT_INSTANCE_TYPES = ("ml.g5.xlarge", "ml.inf2.xlarge", "ml.trn1.2xlarge", "ml.p4d.24xlarge", "ml.c7g.large")
NAME_PATTERN = "[a-zA-Z0-9](-*[a-zA-Z0-9]){0,119}"


@pytest.fixture
def raw(emulator: EmulatorControl) -> Any:
    """A client that sends what it is given, as the AWS CLI with a hand-written JSON body may."""
    client = boto3.client("sagemaker", region_name="us-east-1", config=Config(parameter_validation=False))
    seed_shadow_test(client)
    return client


def refusal(call: Any, **request: Any) -> str:
    with pytest.raises(ClientError) as caught:
        call(**request)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    return str(caught.value.response["Error"]["Message"])


def with_instance_type(request: dict[str, Any], instance_type: str) -> dict[str, Any]:
    variants = [variant("production", "model-a"), variant("shadow", "model-b")]
    variants[1]["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceType"] = instance_type
    return {**request, "ModelVariants": variants}


ISSUE_PROBES = {
    "name with _ and !": ({"Name": "bad_name!"}, "Value 'bad_name!' at 'name' failed to satisfy constraint: "),
    "121-character name": (  # also breaks the pattern's {0,119}: two errors, as SageMaker counts them
        {"Name": "n" * 121},
        "at 'name' failed to satisfy constraint: Member must have length less than or equal to 120",
    ),
    "1,025-character description": ({"Description": "d" * 1025}, "at 'description' failed to satisfy constraint"),
    "51 tags": (
        {"Tags": [{"Key": f"k{i}", "Value": "v"} for i in range(51)]},
        "at 'tags' failed to satisfy constraint: Member must have length less than or equal to 50",
    ),
    "instance type ml.bogus": (
        with_instance_type({}, "ml.bogus"),
        "Value 'ml.bogus' at 'modelVariants.2.member.infrastructureConfig.realTimeInferenceConfig.instanceType'",
    ),
    "role that is not an ARN": (
        {"RoleArn": "role/not-an-arn-at-all"},
        "Value 'role/not-an-arn-at-all' at 'roleArn' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: ",
    ),
}


@pytest.mark.parametrize(("change", "expected"), ISSUE_PROBES.values(), ids=ISSUE_PROBES.keys())
def test_what_sagemaker_refuses_is_refused_and_nothing_is_created(
    raw: Any, change: dict[str, Any], expected: str
) -> None:
    message = refusal(raw.create_inference_experiment, **{**shadow_test_request("probe"), **change})
    assert re.match(r"\d+ validation errors? detected: Value ", message)
    assert expected in message
    assert raw.list_inference_experiments()["InferenceExperiments"] == []


def test_one_error_in_sagemakers_exact_words(raw: Any) -> None:
    assert refusal(raw.describe_inference_experiment, Name="bad_name!") == (
        "1 validation error detected: Value 'bad_name!' at 'name' failed to satisfy constraint: "
        f"Member must satisfy regular expression pattern: {NAME_PATTERN}"
    )


def test_several_errors_are_counted_and_joined(raw: Any) -> None:
    assert refusal(raw.list_inference_experiments, StatusEquals="Bogus", MaxResults=101) == (
        "2 validation errors detected: "
        "Value 'Bogus' at 'statusEquals' failed to satisfy constraint: Member must satisfy enum value set: "
        "[Creating, Created, Updating, Running, Starting, Stopping, Completed, Cancelled]; "
        "Value '101' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100"
    )


def test_missing_members_and_map_values(raw: Any) -> None:
    message = refusal(raw.stop_inference_experiment, Name="exp", ModelVariantActions={"production": "Keep"})
    assert message == (
        "1 validation error detected: Value '{production=Keep}' at 'modelVariantActions' failed to satisfy "
        "constraint: Map value must satisfy constraint: [Member must satisfy enum value set: [Retain, Remove, Promote]]"
    )
    assert refusal(raw.start_inference_experiment) == (
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null"
    )


def test_tag_values_in_any_script_but_not_any_character(raw: Any) -> None:
    arn = raw.describe_model(ModelName="model-a")["ModelArn"]
    raw.add_tags(ResourceArn=arn, Tags=[{"Key": "équipe", "Value": "données 2024 / ML-Ops"}])
    assert {"Key": "équipe", "Value": "données 2024 / ML-Ops"} in raw.list_tags(ResourceArn=arn)["Tags"]
    message = refusal(raw.add_tags, ResourceArn=arn, Tags=[{"Key": "team", "Value": "a;b"}])
    assert "at 'tags.1.member.value' failed to satisfy constraint: Member must satisfy regular expression" in message


@pytest.mark.parametrize("instance_type", CURRENT_INSTANCE_TYPES)
def test_current_instance_types_host_endpoints_and_shadow_variants(sagemaker: Any, instance_type: str) -> None:
    """The model's 277 instance types, where moto's fixed list of 66 refused these."""
    production = {
        "VariantName": "production",
        "ModelName": "model-a",
        "InitialInstanceCount": 1,
        "InstanceType": instance_type,
        "InitialVariantWeight": 1.0,
    }
    shadow = {**production, "VariantName": "shadow", "ModelName": "model-b"}
    sagemaker.create_endpoint_config(
        EndpointConfigName="current", ProductionVariants=[production], ShadowProductionVariants=[shadow]
    )
    described = sagemaker.describe_endpoint_config(EndpointConfigName="current")
    assert described["ProductionVariants"][0]["InstanceType"] == instance_type
    sagemaker.create_inference_experiment(**with_instance_type(shadow_test_request("current"), instance_type))
    assert sagemaker.describe_inference_experiment(Name="current")["Status"] == "Running"


def test_an_instance_type_outside_the_model_is_refused_for_endpoint_configs(raw: Any) -> None:
    message = refusal(
        raw.create_endpoint_config,
        EndpointConfigName="old",
        ProductionVariants=[{"VariantName": "p", "ModelName": "model-a", "InstanceType": "ml.bogus.xlarge"}],
    )
    assert "Value 'ml.bogus.xlarge' at 'productionVariants.1.member.instanceType' failed to satisfy" in message
    assert "old" not in str(raw.list_endpoint_configs())


def test_every_operation_moto_answers_is_validated(emulator: EmulatorControl) -> None:
    """RESPONSE_METHODS, the tag operations and moto's own: a method registered under an
    operation of the model gets the model's validation from `install`, with no code of its own."""
    registered = {*RESPONSE_METHODS, *TAG_METHODS}
    answered = {
        operation
        for operation in constraints.service_model().operation_names
        if hasattr(SageMakerResponse, camelcase_to_underscores(operation))
    }
    assert registered <= answered
    unvalidated = sorted(
        operation
        for operation in answered
        if not getattr(getattr(SageMakerResponse, camelcase_to_underscores(operation)), VALIDATED, False)
    )
    assert unvalidated == []
    assert {"CreateModel", "CreateEndpointConfig", "CreateEndpoint", "DescribeEndpoint"} <= answered


def test_add_tags_overwrites_a_key_on_other_sagemaker_resources_too(sagemaker: Any) -> None:
    """docs/emulator.md: AddTags overwrites on every resource (moto alone appends a duplicate key)."""
    arn = sagemaker.describe_model(ModelName="model-a")["ModelArn"]
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "test"}])
    sagemaker.add_tags(ResourceArn=arn, Tags=[{"Key": "stage", "Value": "prod"}])
    assert sagemaker.list_tags(ResourceArn=arn)["Tags"] == [{"Key": "stage", "Value": "prod"}]


def test_every_pattern_of_the_model_compiles_with_java_meaning() -> None:
    """Validation covers every operation, so every pattern of the model must work in Python,
    with Java's meaning for what Python's `re` lacks."""
    model = constraints.service_model()
    patterns = {model.shape_for(name).metadata.get("pattern") for name in model.shape_names} - {None}
    assert len(patterns) > 200
    for pattern in patterns:
        constraints.compiled(str(pattern))
    text = constraints.compiled(r"[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*")
    assert text.fullmatch("emoji \U0001f600\tok")
    assert not text.fullmatch("bell \x07")
    tag = constraints.compiled(r"([\p{L}\p{Z}\p{N}_.:\/=+\-@]*)${1,256}")
    assert tag.fullmatch("東京 2024")
    assert not tag.fullmatch("a;b")
    assert not constraints.compiled(r"\d{12}").fullmatch("١٢٣٤٥٦٧٨٩٠١٢")
    assert not constraints.compiled(".*").fullmatch("carriage\rreturn")
    assert constraints.compiled("[.]a.").fullmatch(".ab")
