"""The service's behaviour checks: what SageMaker refuses before it changes anything beyond
the constraints its model states (those are `constraints`, checked before these run):
statuses, the endpoint and models a test stands on, and the rules between members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter

from .exceptions import StatusConflict, ValidationError
from .experiment import FakeInferenceExperiment
from .status import ACTIVE, UNDELETABLE, Status, VariantAction
from .utils import SEVEN_DAYS, THIRTY_DAYS, epoch

# operation -> (statuses that allow it, what the ConflictException says instead)
STATUS_RULES: dict[str, tuple[frozenset[Status], str]] = {
    "update": (frozenset({Status.CREATED, Status.RUNNING}), "UpdateInferenceExperiment requires Created or Running"),
    "start": (frozenset({Status.CREATED}), "StartInferenceExperiment requires Created"),
    "stop": (frozenset({Status.RUNNING}), "StopInferenceExperiment requires Running"),
    "delete": (frozenset(Status) - UNDELETABLE, "stop it first or wait for it to settle"),
}


def check_status(operation: str, experiment: FakeInferenceExperiment) -> None:
    allowed, remedy = STATUS_RULES[operation]
    if operation == "stop" and experiment.settings.stop_before_start:
        allowed, remedy = allowed | {Status.CREATED}, "StopInferenceExperiment requires Created or Running"
    if experiment.status not in allowed:
        raise StatusConflict(operation, experiment.arn, experiment.status, remedy)


def check_create(
    sagemaker: SageMakerModelBackend, request: dict[str, Any], others: Iterable[FakeInferenceExperiment]
) -> Any:
    """Everything CreateInferenceExperiment checks; returns the endpoint that will host the test."""
    endpoint = hosting_endpoint(sagemaker, request["EndpointName"])
    check_variants(sagemaker, request["ModelVariants"], request["ShadowModeConfig"])
    production_names = {v["VariantName"] for v in endpoint.production_variants}
    source = request["ShadowModeConfig"]["SourceModelVariantName"]
    if source not in production_names:
        raise ValidationError(
            f"SourceModelVariantName '{source}' is not a production variant of endpoint "
            f"'{endpoint.endpoint_name}' (its variants: {', '.join(sorted(production_names))})."
        )
    for other in others:
        if other.endpoint_name == endpoint.endpoint_name and other.status in ACTIVE:
            raise ValidationError(
                f"Endpoint '{endpoint.endpoint_name}' already has an active inference experiment "
                f"'{other.name}' in status {other.status}."
            )
    return endpoint


def check_update(
    sagemaker: SageMakerModelBackend, experiment: FakeInferenceExperiment, request: dict[str, Any]
) -> None:
    check_status("update", experiment)
    if experiment.status == Status.RUNNING:
        check_running_changes(experiment, request)
    variants = request.get("ModelVariants") or experiment.model_variants
    check_variants(sagemaker, variants, request.get("ShadowModeConfig") or experiment.shadow_mode_config)


def hosting_endpoint(sagemaker: SageMakerModelBackend, endpoint_name: str) -> Any:
    """The endpoint, if it can host a shadow test: InService, real-time, single-container models."""
    endpoint = sagemaker.endpoints.get(endpoint_name)
    if endpoint is None:
        arn = arn_formatter("endpoint", endpoint_name, sagemaker.account_id, sagemaker.region_name)
        raise ValidationError(f"Could not find endpoint '{arn}'.")
    if endpoint.endpoint_status != "InService":
        raise ValidationError(
            f"Endpoint '{endpoint_name}' is {endpoint.endpoint_status}; a shadow test needs an InService endpoint."
        )
    config = sagemaker.endpoint_configs.get(endpoint.endpoint_config_name)
    if config is not None and getattr(config, "async_inference_config", None):
        raise ValidationError(
            f"Endpoint '{endpoint_name}' is an asynchronous inference endpoint; "
            "shadow tests support real-time endpoints only."
        )
    for variant in endpoint.production_variants:
        if variant.get("CurrentServerlessConfig"):
            raise ValidationError(
                f"Endpoint '{endpoint_name}' hosts serverless variant '{variant['VariantName']}'; "
                "shadow tests support real-time endpoints only."
            )
    for variant in getattr(config, "production_variants", None) or []:
        check_single_container(sagemaker, variant.get("ModelName"), f"endpoint '{endpoint_name}'")
    return endpoint


def check_single_container(sagemaker: SageMakerModelBackend, model_name: str | None, where: str) -> None:
    model = sagemaker._models.get(model_name or "")
    if model is not None and len(getattr(model, "containers", None) or []) > 1:
        raise ValidationError(
            f"Model '{model_name}' used by {where} has multiple containers; "
            "shadow tests support single-container models only."
        )


def check_variants(
    sagemaker: SageMakerModelBackend, variants: list[dict[str, Any]], shadow_config: dict[str, Any]
) -> None:
    """ModelVariants name existing single-container models; ShadowModeConfig uses each once."""
    names = [v["VariantName"] for v in variants]
    if len(set(names)) != len(names):
        raise ValidationError(f"ModelVariants contains duplicate variant names: {', '.join(names)}.")
    for variant in variants:
        if variant["ModelName"] not in sagemaker._models:
            arn = arn_formatter("model", variant["ModelName"], sagemaker.account_id, sagemaker.region_name)
            raise ValidationError(f"Could not find model '{arn}'.")
        check_single_container(sagemaker, variant["ModelName"], f"variant '{variant['VariantName']}'")
    check_shadow_config(names, shadow_config)


def check_shadow_config(names: list[str], shadow_config: dict[str, Any]) -> None:
    shadows = shadow_config.get("ShadowModelVariants") or []
    source = shadow_config["SourceModelVariantName"]
    if source not in names:
        raise ValidationError(
            f"SourceModelVariantName '{source}' is not one of the ModelVariants ({', '.join(names)})."
        )
    for shadow in shadows:
        shadow_name = shadow["ShadowModelVariantName"]
        if shadow_name not in names:
            raise ValidationError(
                f"ShadowModelVariantName '{shadow_name}' is not one of the ModelVariants ({', '.join(names)})."
            )
        if shadow_name == source:
            raise ValidationError(f"Variant '{source}' cannot be both the production and the shadow variant.")
    unused = set(names) - {source} - {s["ShadowModelVariantName"] for s in shadows}
    if unused:
        raise ValidationError(
            f"ModelVariants {', '.join(sorted(unused))} are neither the production nor the shadow variant."
        )


def shadow_names(config: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    return config["SourceModelVariantName"], tuple(v["ShadowModelVariantName"] for v in config["ShadowModelVariants"])


def check_running_changes(experiment: FakeInferenceExperiment, request: dict[str, Any]) -> None:
    """A started test may change only Description, SamplingPercentage and Schedule EndTime."""
    current = {"ModelVariants": experiment.model_variants, "DataStorageConfig": experiment.data_storage_config}
    changed = [key for key, value in current.items() if request.get(key) is not None and request[key] != value]
    requested_shadow = request.get("ShadowModeConfig")
    if requested_shadow is not None and shadow_names(requested_shadow) != shadow_names(experiment.shadow_mode_config):
        changed.append("ShadowModeConfig")
    schedule = request.get("Schedule") or {}
    if "StartTime" in schedule and abs(epoch(schedule["StartTime"]) - experiment.start_time) >= 1:
        changed.append("Schedule.StartTime")
    if changed:
        raise ValidationError(
            f"Inference experiment '{experiment.name}' is Running; only Description, "
            f"ShadowModelVariants SamplingPercentage and Schedule EndTime can change. Requested changes to: "
            f"{', '.join(changed)}."
        )


def check_stop(experiment: FakeInferenceExperiment, actions: dict[str, str], request: dict[str, Any]) -> None:
    """An action for every variant, only a shadow promoted (replacing production)."""
    names = [v["VariantName"] for v in experiment.model_variants]
    for variant in actions:
        if variant not in names:
            raise ValidationError(
                f"ModelVariantActions names '{variant}', which is not a variant of inference experiment "
                f"'{experiment.name}' ({', '.join(names)})."
            )
    missing = [n for n in names if n not in actions]
    if missing:
        raise ValidationError(
            f"ModelVariantActions must give an action for every variant; missing: {', '.join(missing)}."
        )
    check_promotion(experiment, actions, request.get("DesiredModelVariants"))


def check_promotion(
    experiment: FakeInferenceExperiment, actions: dict[str, str], desired: list[dict[str, Any]] | None
) -> None:
    source = experiment.source_variant
    if actions[source] == VariantAction.PROMOTE:
        raise ValidationError(f"Production variant '{source}' cannot be promoted.")
    promoted = [n for n in experiment.shadow_variants if actions[n] == VariantAction.PROMOTE]
    if promoted and actions[source] != VariantAction.REMOVE:
        raise ValidationError(
            f"Promoting shadow variant '{promoted[0]}' replaces production variant '{source}', "
            "whose action must be Remove."
        )
    if desired is not None:
        check_desired_variants(experiment, actions, [v["VariantName"] for v in desired])


def check_desired_variants(experiment: FakeInferenceExperiment, actions: dict[str, str], named: list[str]) -> None:
    """DesiredModelVariants holds one entry for each variant deployed after the stop (the API
    reference's wording), so exactly the Retained and Promoted variants, each once."""
    deployed = [
        v["VariantName"] for v in experiment.model_variants if actions[v["VariantName"]] != VariantAction.REMOVE
    ]
    if sorted(named) != sorted(deployed):
        raise ValidationError(
            f"DesiredModelVariants must hold one entry for each variant deployed after the stop "
            f"({', '.join(deployed)}); it names: {', '.join(named)}."
        )


def schedule(requested: dict[str, Any] | None, now: float) -> tuple[float, float]:
    """StartTime and EndTime in epoch seconds: no StartTime is now, no EndTime seven days later."""
    requested = requested or {}
    start = epoch(requested["StartTime"]) if requested.get("StartTime") is not None else now
    end = epoch(requested["EndTime"]) if requested.get("EndTime") is not None else start + SEVEN_DAYS
    if end <= start:
        raise ValidationError("Schedule EndTime must be after StartTime.")
    if end - start > THIRTY_DAYS:
        raise ValidationError("Schedule may span at most 30 days between StartTime and EndTime.")
    return start, end
