"""Pure translation between the resource model (plain dicts) and SageMaker's shapes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from .properties import FACTS, SCHEMA

VARIANT_KEYS = tuple(SCHEMA["definitions"]["ModelVariantConfig"]["properties"])
ENDPOINT_METADATA_KEYS = tuple(SCHEMA["definitions"]["EndpointMetadata"]["properties"])
# Sent as given on create; Schedule and Tags are translated.
CREATE_KEYS = tuple(key for key in FACTS.writable if key not in ("Schedule", FACTS.tags))
# Returned by Read as DescribeInferenceExperiment reports them.
DESCRIBED_KEYS = tuple(key for key in CREATE_KEYS if key not in ("EndpointName", "ModelVariants"))
# What ListInferenceExperiments summaries carry of the model.
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
    request: dict[str, Any] = {key: copy.deepcopy(model[key]) for key in CREATE_KEYS if model.get(key) is not None}
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
    """The changeable properties and the status as SageMaker reports them, in model shape,
    with each variant's deployment status (VariantStatuses: name -> status)."""
    variants = described.get("ModelVariants", [])
    model: dict[str, Any] = {
        "Status": described.get("Status"),
        "ModelVariants": [variant_model(v) for v in variants],
        "VariantStatuses": {v["VariantName"]: v.get("Status") for v in variants},
    }
    for key in FACTS.changeable_before_start:
        if key not in ("ModelVariants", "Schedule") and described.get(key) is not None:
            model[key] = copy.deepcopy(described[key])
    if described.get("Schedule"):
        model["Schedule"] = {k: iso8601(v) for k, v in described["Schedule"].items() if v is not None}
    return model


def endpoint_variants(name: str, described: dict[str, Any] | None) -> dict[str, Any]:
    """The variant names DescribeEndpoint shows on `name` (Exists False when it is gone)."""
    shown = described or {}
    return {
        "EndpointName": name,
        "Exists": described is not None,
        "ProductionVariants": [v["VariantName"] for v in shown.get("ProductionVariants") or []],
        "ShadowProductionVariants": [v["VariantName"] for v in shown.get("ShadowProductionVariants") or []],
    }


def read_model(described: dict[str, Any], tags: list[dict[str, str]]) -> dict[str, Any]:
    """Every non-write-only property from DescribeInferenceExperiment and ListTags."""
    metadata = described.get("EndpointMetadata", {})
    model: dict[str, Any] = {
        "Arn": described["Arn"],
        "Status": described["Status"],
        "EndpointName": metadata.get("EndpointName"),
        "EndpointMetadata": {k: metadata[k] for k in ENDPOINT_METADATA_KEYS if metadata.get(k)},
        "ModelVariants": [variant_model(v) for v in described.get("ModelVariants", [])],
    }
    for key in DESCRIBED_KEYS:
        if described.get(key) not in (None, ""):
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
    is dropped, the shadow variant is promoted in its place. DesiredModelVariants holds,
    as the API reference says, one entry for each variant deployed after the stop.
    """
    source = described["ShadowModeConfig"]["SourceModelVariantName"]
    names = [v["VariantName"] for v in described["ModelVariants"]]
    promoting = source not in kept
    actions = {
        variant: ("Promote" if promoting and variant != source else "Retain") if variant in kept else "Remove"
        for variant in names
    }
    return {
        "Name": name,
        "ModelVariantActions": actions,
        "DesiredModelVariants": [variant_model(kept[n]) for n in names if actions[n] != "Remove"],
        "DesiredState": desired_state,
        "Reason": reason,
    }
