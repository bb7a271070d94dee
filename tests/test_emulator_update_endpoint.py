"""UpdateEndpoint in the emulator through boto3 (moto has none): Updating, then InService
with the new config's variants; refused for a missing endpoint or config and for an endpoint
that is not InService; validated against botocore's model; and what it does to the shadow
tests on that endpoint (docs/emulator.md)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.sagemaker.models import sagemaker_backends

from sandbox.cloudformation.prerequisites import ensure_model
from sandbox.server import EmulatorControl, ManualClock
from sandbox.suites.seed import shadow_test_request
from tests.helpers import ENDPOINT, endpoint_variants

UPDATING = 120.0


def create_config(sagemaker: Any, name: str, model: str = "model-a", count: int = 3, weight: float = 1.0) -> None:
    sagemaker.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "production",
                "ModelName": model,
                "InitialInstanceCount": count,
                "InstanceType": "ml.g5.xlarge",
                "InitialVariantWeight": weight,
            }
        ],
    )


def endpoint(sagemaker: Any, name: str = ENDPOINT) -> dict[str, Any]:
    described = sagemaker.describe_endpoint(EndpointName=name)
    return {key: value for key, value in described.items() if key != "ResponseMetadata"}


def refusal(call: Any, **parameters: Any) -> tuple[str, str]:
    with pytest.raises(ClientError) as raised:
        call(**parameters)
    return raised.value.response["Error"]["Code"], raised.value.response["Error"]["Message"]


@pytest.fixture
def timed(emulator: EmulatorControl, clock: ManualClock) -> ManualClock:
    emulator.set_durations(EndpointUpdating=UPDATING)
    return clock


def test_endpoint_is_updating_then_in_service_with_the_new_config(
    sagemaker: Any, emulator: EmulatorControl, timed: ManualClock
) -> None:
    create_config(sagemaker, "bigger", count=3)
    before = endpoint(sagemaker)
    arn = sagemaker.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="bigger")["EndpointArn"]
    assert arn == before["EndpointArn"]
    updating = endpoint(sagemaker)
    assert (updating["EndpointStatus"], updating["EndpointConfigName"]) == ("Updating", f"{ENDPOINT}-config")
    assert updating["ProductionVariants"] == before["ProductionVariants"]
    assert refusal(sagemaker.update_endpoint, EndpointName=ENDPOINT, EndpointConfigName="bigger") == (
        "ValidationException",
        f'Cannot update in-progress endpoint "{before["EndpointArn"]}".',
    )
    timed.advance(UPDATING - 1)
    assert endpoint(sagemaker)["EndpointStatus"] == "Updating"
    timed.advance(1)
    after = endpoint(sagemaker)
    assert (after["EndpointStatus"], after["EndpointConfigName"]) == ("InService", "bigger")
    assert [(v["VariantName"], v["CurrentInstanceCount"]) for v in after["ProductionVariants"]] == [("production", 3)]
    assert after["LastModifiedTime"].timestamp() == pytest.approx(timed())
    updates = [c for c in emulator.call_log() if c.operation == "UpdateEndpoint"]  # DescribeEndpoint is logged too
    assert [c.result for c in updates] == ["Success", "ValidationException"]


def test_missing_endpoint_or_config_is_refused_and_changes_nothing(sagemaker: Any) -> None:
    before = endpoint(sagemaker)
    assert refusal(sagemaker.update_endpoint, EndpointName=ENDPOINT, EndpointConfigName="nowhere") == (
        "ValidationException",
        "Could not find endpoint configuration 'arn:aws:sagemaker:us-east-1:123456789012:endpoint-config/nowhere'.",
    )
    create_config(sagemaker, "bigger")
    assert refusal(sagemaker.update_endpoint, EndpointName="nowhere", EndpointConfigName="bigger") == (
        "ValidationException",
        "Could not find endpoint 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/nowhere'.",
    )
    assert endpoint(sagemaker) == before


@pytest.mark.parametrize("status", ["Failed", "OutOfService", "UpdateRollbackFailed"])
def test_an_endpoint_that_is_not_in_service_is_refused(sagemaker: Any, status: str) -> None:
    """moto's endpoints never leave InService by themselves, so the status is set on its backend."""
    sagemaker_backends["123456789012"]["us-east-1"].endpoints[ENDPOINT].endpoint_status = status
    create_config(sagemaker, "bigger")
    arn = endpoint(sagemaker)["EndpointArn"]
    assert refusal(sagemaker.update_endpoint, EndpointName=ENDPOINT, EndpointConfigName="bigger") == (
        "ValidationException",
        f'Cannot update endpoint "{arn}" in status {status}; only an InService endpoint can be updated.',
    )
    assert endpoint(sagemaker)["EndpointConfigName"] == f"{ENDPOINT}-config"


def test_request_is_validated_against_the_model(sagemaker: Any) -> None:
    client = boto3.client("sagemaker", region_name="us-east-1", config=Config(parameter_validation=False))
    code, message = refusal(client.update_endpoint, EndpointName="bad_name!", EndpointConfigName="x" * 64)
    assert code == "ValidationException"
    assert message.startswith("3 validation errors detected: ")
    assert "Value 'bad_name!' at 'endpointName' failed to satisfy constraint: Member must satisfy regular" in message
    assert "at 'endpointConfigName' failed to satisfy constraint: Member must have length less than or equal to 63" in (
        message
    )


def test_retain_all_variant_properties_keeps_instance_counts_unless_excluded(sagemaker: Any) -> None:
    scaled = {"VariantName": "production", "DesiredInstanceCount": 4, "DesiredWeight": 1.0}
    sagemaker.update_endpoint_weights_and_capacities(EndpointName=ENDPOINT, DesiredWeightsAndCapacities=[scaled])
    create_config(sagemaker, "retained", count=2, weight=0.5)
    sagemaker.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="retained", RetainAllVariantProperties=True)
    variant = endpoint(sagemaker)["ProductionVariants"][0]
    assert (variant["CurrentInstanceCount"], variant["DesiredInstanceCount"]) == (4, 4)
    create_config(sagemaker, "counted", count=2, weight=0.5)
    sagemaker.update_endpoint(
        EndpointName=ENDPOINT,
        EndpointConfigName="counted",
        RetainAllVariantProperties=True,
        ExcludeRetainedVariantProperties=[{"VariantPropertyType": "DesiredInstanceCount"}],
    )
    variant = endpoint(sagemaker)["ProductionVariants"][0]
    assert (variant["CurrentInstanceCount"], variant["CurrentWeight"]) == (2, 1.0)


def test_running_shadow_test_is_cancelled_when_the_update_replaces_its_fleet(
    sagemaker: Any, timed: ManualClock
) -> None:
    sagemaker.create_inference_experiment(**shadow_test_request("exp"))
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    create_config(sagemaker, "bigger")
    sagemaker.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="bigger")
    assert sagemaker.describe_inference_experiment(Name="exp")["Status"] == "Running"
    timed.advance(UPDATING)
    described = sagemaker.describe_inference_experiment(Name="exp")
    assert described["Status"] == "Cancelled"
    assert described["StatusReason"] == (
        f"Endpoint '{ENDPOINT}' was updated to endpoint config 'bigger', which replaced the instances the "
        "shadow test ran on."
    )
    assert described["CompletionTime"].timestamp() == pytest.approx(timed())
    assert [v["Status"] for v in described["ModelVariants"]] == ["InService", "Deleted"]
    assert described["EndpointMetadata"]["EndpointConfigName"] == "bigger"
    assert endpoint_variants(sagemaker) == (["production"], [])
    # Past its EndTime nothing is restored: the endpoint keeps the config it was updated to.
    timed.advance(8 * 24 * 3600)
    assert endpoint(sagemaker)["EndpointConfigName"] == "bigger"
    assert sagemaker.describe_inference_experiment(Name="exp")["Status"] == "Cancelled"
    sagemaker.delete_inference_experiment(Name="exp")


def test_scheduled_shadow_test_is_untouched_and_later_starts_on_the_new_config(
    sagemaker: Any, timed: ManualClock
) -> None:
    ensure_model(sagemaker, "model-c")
    start = timed() + 3600
    sagemaker.create_inference_experiment(**shadow_test_request("later"), Schedule={"StartTime": start})
    create_config(sagemaker, "bigger", model="model-c")
    sagemaker.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="bigger")
    timed.advance(UPDATING)
    assert sagemaker.describe_inference_experiment(Name="later")["Status"] == "Created"
    timed.advance(3600)
    assert sagemaker.describe_inference_experiment(Name="later")["Status"] == "Running"
    assert endpoint_variants(sagemaker) == (["production"], ["shadow"])
    assert endpoint(sagemaker)["EndpointConfigName"] == "bigger"


def test_shadow_test_cannot_start_on_an_updating_endpoint(sagemaker: Any, timed: ManualClock) -> None:
    create_config(sagemaker, "bigger")
    sagemaker.update_endpoint(EndpointName=ENDPOINT, EndpointConfigName="bigger")
    code, message = refusal(sagemaker.create_inference_experiment, **shadow_test_request("exp"))
    assert (code, message) == (
        "ValidationException",
        f"Endpoint '{ENDPOINT}' is Updating; a shadow test needs an InService endpoint.",
    )
    timed.advance(UPDATING)
    sagemaker.create_inference_experiment(**shadow_test_request("exp"))
