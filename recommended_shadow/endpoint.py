"""The endpoint's current production variant, read through DescribeEndpoint,
DescribeEndpointConfig and DescribeModel, and whether the endpoint can host a shadow test
(SageMaker's shadow-test guide: an InService real-time endpoint, single-container models,
no test already running, one production variant beside the shadow)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .aws import call, not_found
from .errors import CommandError


@dataclass(frozen=True)
class ProductionVariant:
    endpoint_name: str
    variant_name: str
    model_name: str
    instance_type: str
    instance_count: int


def describe_endpoint(sagemaker: Any, name: str) -> dict[str, Any]:
    try:
        return call(sagemaker, "describe_endpoint", EndpointName=name)
    except CommandError as error:
        if not_found(error):
            raise CommandError(f"endpoint {name} does not exist in this account and region ({error})") from None
        raise


def pick_variant(endpoint: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    variants = endpoint.get("ProductionVariants") or []
    names = [v["VariantName"] for v in variants]
    if wanted is not None:
        for variant in variants:
            if variant["VariantName"] == wanted:
                return dict(variant)
        raise CommandError(
            f"endpoint {endpoint['EndpointName']} has no production variant {wanted} ({', '.join(names)})"
        )
    if len(variants) != 1:
        raise CommandError(
            f"endpoint {endpoint['EndpointName']} has {len(variants)} production variants ({', '.join(names)}); "
            "name the one to shadow with --production-variant"
        )
    return dict(variants[0])


def check_hosting(endpoint: dict[str, Any], variant: dict[str, Any], test_running: bool) -> None:
    name = endpoint["EndpointName"]
    if endpoint.get("EndpointStatus") != "InService":
        raise CommandError(f"endpoint {name} is {endpoint.get('EndpointStatus')}; a shadow test needs it InService")
    shadows = [v["VariantName"] for v in endpoint.get("ShadowProductionVariants") or []]
    if shadows and not test_running:
        raise CommandError(
            f"endpoint {name} already has shadow variant {', '.join(shadows)}: a shadow test is running there; "
            "stop it first"
        )
    if variant.get("CurrentServerlessConfig") or variant.get("DesiredServerlessConfig"):
        raise CommandError(
            f"endpoint {name} variant {variant['VariantName']} is serverless; shadow tests need real-time instances"
        )


def production_variant(
    sagemaker: Any, endpoint_name: str, variant_name: str | None = None, test_running: bool = False
) -> ProductionVariant:
    """The variant the shadow will mirror, as it is now; CommandError if it cannot host a test.
    `test_running`: the promote stage, written while the test's shadow variant is deployed."""
    endpoint = describe_endpoint(sagemaker, endpoint_name)
    variant = pick_variant(endpoint, variant_name)
    check_hosting(endpoint, variant, test_running)
    config = call(sagemaker, "describe_endpoint_config", EndpointConfigName=endpoint["EndpointConfigName"])
    if config.get("AsyncInferenceConfig"):
        raise CommandError(f"endpoint {endpoint_name} is asynchronous; shadow tests need a real-time endpoint")
    configured = next(v for v in config["ProductionVariants"] if v["VariantName"] == variant["VariantName"])
    if not configured.get("InstanceType") or not configured.get("ModelName"):
        raise CommandError(
            f"endpoint {endpoint_name} variant {variant['VariantName']} has no instance type and model "
            "(serverless or inference components); shadow tests need a real-time model variant"
        )
    model = call(sagemaker, "describe_model", ModelName=configured["ModelName"])
    if len(model.get("Containers") or []) > 1:
        raise CommandError(
            f"model {configured['ModelName']} of endpoint {endpoint_name} has several containers; "
            "shadow tests need single-container models"
        )
    count = variant.get("CurrentInstanceCount") or configured.get("InitialInstanceCount") or 1
    return ProductionVariant(
        endpoint_name, variant["VariantName"], configured["ModelName"], configured["InstanceType"], int(count)
    )


def check_model(sagemaker: Any, model_name: str) -> None:
    try:
        call(sagemaker, "describe_model", ModelName=model_name)
    except CommandError as error:
        if not_found(error):
            raise CommandError(f"model {model_name} (--model-name) does not exist ({error})") from None
        raise


def check_name_free(sagemaker: Any, experiment_name: str) -> None:
    """A new shadow test needs an experiment name not taken (finished experiments keep theirs)."""
    try:
        existing = call(sagemaker, "describe_inference_experiment", Name=experiment_name)
    except CommandError as error:
        if not_found(error):
            return
        raise
    raise CommandError(
        f"an inference experiment named {experiment_name} already exists ({existing['Status']}); "
        "give another --experiment-name, or delete it"
    )
