"""Pure translation between the resource model (plain dicts) and SageMaker's shapes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

VARIANT_KEYS = ("ModelName", "VariantName", "InfrastructureConfig")
ENDPOINT_METADATA_KEYS = ("EndpointName", "EndpointConfigName", "EndpointStatus")
UPDATABLE = ("Description", "Schedule", "ModelVariants", "DataStorageConfig", "ShadowModeConfig")
SUMMARY_KEYS = ("Name", "Type", "RoleArn", "Description", "Status")


def parse_time(value: Any) -> datetime:
    """ISO 8601 text (or a datetime) as an aware UTC datetime; naive input is taken as UTC."""
    parsed = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def iso8601(value: Any) -> str:
    return parse_time(value).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def schedule_request(schedule: dict[str, Any]) -> dict[str, datetime]:
    return {key: parse_time(schedule[key]) for key in ("StartTime", "EndTime") if schedule.get(key)}


def create_request(model: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    request: dict[str, Any] = {
        key: copy.deepcopy(model[key])
        for key in (
            "Name",
            "Type",
            "RoleArn",
            "EndpointName",
            "ModelVariants",
            "ShadowModeConfig",
            "DataStorageConfig",
            "KmsKey",
            "Description",
        )
        if model.get(key) is not None
    }
    if model.get("Schedule"):
        request["Schedule"] = schedule_request(model["Schedule"])
    if tags:
        request["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
    return request


def update_request(name: str, changes: dict[str, Any]) -> dict[str, Any]:
    request: dict[str, Any] = {"Name": name}
    for key, value in changes.items():
        request[key] = schedule_request(value) if key == "Schedule" else copy.deepcopy(value)
    return request


def variant_model(variant: dict[str, Any]) -> dict[str, Any]:
    return {key: copy.deepcopy(variant[key]) for key in VARIANT_KEYS if key in variant}


def observed_model(described: dict[str, Any]) -> dict[str, Any]:
    """The mutable properties as SageMaker reports them, in model shape (for change detection)."""
    model: dict[str, Any] = {"ModelVariants": [variant_model(v) for v in described.get("ModelVariants", [])]}
    for key in ("Description", "DataStorageConfig", "ShadowModeConfig"):
        if described.get(key) is not None:
            model[key] = copy.deepcopy(described[key])
    if described.get("Schedule"):
        model["Schedule"] = {k: iso8601(v) for k, v in described["Schedule"].items() if v is not None}
    return model


def read_model(described: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
    """Every non-write-only property from DescribeInferenceExperiment and ListTags."""
    metadata = described.get("EndpointMetadata", {})
    model: dict[str, Any] = {
        "Name": described["Name"],
        "Arn": described["Arn"],
        "Type": described["Type"],
        "Status": described["Status"],
        "EndpointName": metadata.get("EndpointName"),
        "EndpointMetadata": {k: metadata[k] for k in ENDPOINT_METADATA_KEYS if metadata.get(k)},
        "ModelVariants": [variant_model(v) for v in described.get("ModelVariants", [])],
    }
    for key in ("RoleArn", "Description", "KmsKey", "DataStorageConfig", "ShadowModeConfig"):
        if described.get(key) is not None:
            model[key] = copy.deepcopy(described[key])
    for key in ("CreationTime", "LastModifiedTime"):
        if described.get(key) is not None:
            model[key] = iso8601(described[key])
    visible = visible_tags(tags)
    if visible:
        model["Tags"] = visible
    return model


def summary_model(summary: dict[str, Any]) -> dict[str, Any]:
    model = {key: summary[key] for key in SUMMARY_KEYS if summary.get(key) is not None}
    for key in ("CreationTime", "LastModifiedTime"):
        if summary.get(key) is not None:
            model[key] = iso8601(summary[key])
    return model


def visible_tags(tags: list[dict[str, str]]) -> list[dict[str, str]]:
    return sorted(
        ({"Key": t["Key"], "Value": t["Value"]} for t in tags if not t["Key"].startswith("aws:")),
        key=lambda t: t["Key"],
    )


def stop_request(
    name: str,
    described: dict[str, Any],
    kept: dict[str, dict[str, Any]],
    desired_state: str,
    reason: str,
) -> dict[str, Any]:
    """StopInferenceExperiment for the variant choice `kept` (variant name -> desired config).

    A kept variant is retained and a dropped one removed; when the production variant
    is dropped, the shadow variant is promoted in its place with its desired config.
    """
    source = described["ShadowModeConfig"]["SourceModelVariantName"]
    names = [v["VariantName"] for v in described["ModelVariants"]]
    shadows = [n for n in names if n != source]
    actions = {source: "Retain" if source in kept else "Remove"}
    promoted = [s for s in shadows if source not in kept and s in kept]
    for shadow in shadows:
        actions[shadow] = "Promote" if shadow in promoted else ("Retain" if shadow in kept else "Remove")
    request: dict[str, Any] = {
        "Name": name,
        "ModelVariantActions": actions,
        "DesiredState": desired_state,
        "Reason": reason,
    }
    if promoted:
        request["DesiredModelVariants"] = [variant_model(kept[s]) for s in promoted]
    return request
