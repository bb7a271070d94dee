"""What CreateInferenceRecommendationsJob refuses beyond botocore's model: the model or model
package and endpoint it names must exist, and the cross-field rules of the API reference.
Lengths, patterns, enums and required members are the model-driven validator's job."""

from __future__ import annotations

from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter

from .exceptions import ValidationError

PERCENTILES = ("P95", "P99")  # ModelLatencyThreshold.Percentile: "Acceptable values are P95 and P99."


def model_identity(sagemaker: SageMakerModelBackend, input_config: dict[str, Any]) -> tuple[str, list[str] | None]:
    """The model the job sizes (its package version ARN or model name) and the real-time
    instance types it declares it supports, if any."""
    package_arn, model_name = input_config.get("ModelPackageVersionArn"), input_config.get("ModelName")
    if bool(package_arn) == bool(model_name):
        raise ValidationError("InputConfig must name exactly one of ModelPackageVersionArn and ModelName.")
    declared = (input_config.get("ContainerConfig") or {}).get("SupportedInstanceTypes")
    if model_name:
        if model_name not in sagemaker._models:
            arn = arn_formatter("model", model_name, sagemaker.account_id, sagemaker.region_name)
            raise ValidationError(f"Could not find model '{arn}'.")
        return str(model_name), declared
    package_arn = str(package_arn)
    package = sagemaker.model_packages.get(sagemaker.model_package_name_mapping.get(package_arn, package_arn))
    if package is None or package.arn != package_arn:
        raise ValidationError(f"Could not find model package '{package_arn}'.")
    specification = package.inference_specification or {}
    return str(package_arn), declared or specification.get("SupportedRealtimeInferenceInstanceTypes")


def check_endpoint_configurations(job_type: str, input_config: dict[str, Any]) -> list[dict[str, Any]]:
    """An Advanced job tests the EndpointConfigurations it is given, each an instance type or a
    serverless configuration, never both; a Default job chooses its own."""
    configurations: list[dict[str, Any]] = input_config.get("EndpointConfigurations") or []
    if job_type == "Advanced" and not configurations:
        raise ValidationError("An Advanced job needs InputConfig.EndpointConfigurations: the configurations to test.")
    for index, configuration in enumerate(configurations):
        if bool(configuration.get("InstanceType")) == bool(configuration.get("ServerlessConfig")):
            raise ValidationError(
                f"InputConfig.EndpointConfigurations[{index}] must give exactly one of InstanceType and "
                "ServerlessConfig."
            )
    limit = (input_config.get("ResourceLimit") or {}).get("MaxNumberOfTests")
    return configurations[:limit] if limit else configurations


def latency_threshold(job_type: str, stopping_conditions: dict[str, Any] | None) -> tuple[str, int] | None:
    """The ModelLatencyThresholds entry (at most one, by the model) as (percentile, ms). The
    API reference: "Acceptable values are P95 and P99. For custom load tests, specify the
    value as P95." """
    thresholds = (stopping_conditions or {}).get("ModelLatencyThresholds") or []
    if not thresholds:
        return None
    percentile, value = thresholds[0].get("Percentile"), thresholds[0].get("ValueInMilliseconds")
    if percentile not in PERCENTILES:
        raise ValidationError(
            f"ModelLatencyThresholds Percentile '{percentile}' is not one of {', '.join(PERCENTILES)}."
        )
    if job_type == "Advanced" and percentile != "P95":
        raise ValidationError(f"ModelLatencyThresholds Percentile must be P95 for an Advanced job, got '{percentile}'.")
    return None if value is None else (str(percentile), int(value))


def hosting_instance_type(sagemaker: SageMakerModelBackend, input_config: dict[str, Any]) -> tuple[str, str] | None:
    """The endpoint an EndpointPerformances benchmark measures (InputConfig.Endpoints, at most
    one) and the instance type of its first production variant."""
    endpoints = input_config.get("Endpoints") or []
    if not endpoints:
        return None
    name = endpoints[0]["EndpointName"]
    endpoint = sagemaker.endpoints.get(name)
    if endpoint is None:
        arn = arn_formatter("endpoint", name, sagemaker.account_id, sagemaker.region_name)
        raise ValidationError(f"Could not find endpoint '{arn}'.")
    config = sagemaker.endpoint_configs.get(endpoint.endpoint_config_name)
    variants = getattr(config, "production_variants", None) or [{}]
    return str(name), str(variants[0].get("InstanceType") or "ml.m5.large")
