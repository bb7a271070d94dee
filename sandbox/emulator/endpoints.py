"""What a shadow test does to its endpoint, as DescribeEndpoint shows it.

`endpoint` is moto's FakeEndpoint, typed Any: moto's serializer reads its
`shadow_production_variants`, which the class itself does not declare.
"""

from __future__ import annotations

import copy
from typing import Any

from .status import VariantAction

Variant = dict[str, Any]


def variant_summary(variant: Variant) -> Variant:
    """The endpoint-side view of a deployed variant, as DescribeEndpoint shows it."""
    count = variant["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"]
    return {
        "VariantName": variant["VariantName"],
        "CurrentWeight": 1.0,
        "DesiredWeight": 1.0,
        "CurrentInstanceCount": count,
        "DesiredInstanceCount": count,
    }


def endpoint_metadata(endpoint_name: str, endpoint: Any) -> dict[str, Any]:
    if endpoint is None:
        return {"EndpointName": endpoint_name, "EndpointStatus": "OutOfService"}
    return {
        "EndpointName": endpoint_name,
        "EndpointConfigName": endpoint.endpoint_config_name,
        "EndpointStatus": endpoint.endpoint_status,
    }


def shadows_on(endpoint: Any) -> list[Variant]:
    return list(getattr(endpoint, "shadow_production_variants", None) or [])


def resized(variants: list[Variant], configs: dict[str, Variant]) -> list[Variant]:
    """Endpoint variants with the instance counts of the configs named like them."""
    return [{**v, **variant_summary(configs[v["VariantName"]])} if v["VariantName"] in configs else v for v in variants]


def deploy_shadows(endpoint: Any, production: Variant, shadows: list[Variant]) -> dict[str, Any] | None:
    """Add the shadow variants and give the production variant the experiment's configuration
    (AWS's shadow-variant example shows SageMaker doing so at start); return the endpoint's
    variants as they were, to restore at a natural end."""
    if endpoint is None:
        return None
    before = {
        "production": copy.deepcopy(endpoint.production_variants),
        "shadow": copy.deepcopy(getattr(endpoint, "shadow_production_variants", None)),
    }
    endpoint.production_variants = resized(endpoint.production_variants, {production["VariantName"]: production})
    endpoint.shadow_production_variants = shadows_on(endpoint) + [variant_summary(v) for v in shadows]
    return before


def restore(endpoint: Any, before: dict[str, Any] | None) -> None:
    """Put back the variants `deploy_shadows` found (a test that ends at its EndTime)."""
    if endpoint is not None and before is not None:
        endpoint.production_variants = copy.deepcopy(before["production"])
        endpoint.shadow_production_variants = copy.deepcopy(before["shadow"])


def apply_variant_actions(
    endpoint: Any,
    source: str,
    shadows: list[Variant],
    actions: dict[str, str],
    desired: list[Variant] | None,
) -> None:
    """A stop's ModelVariantActions: Retain keeps a variant where it is, Remove drops it,
    Promote moves a shadow into production. DesiredModelVariants, one entry per variant
    deployed after the stop, gives each its configuration."""
    if endpoint is None:
        return
    desired_by_name = {v["VariantName"]: v for v in desired or []}
    shadow_names = [v["VariantName"] for v in shadows]
    production = resized(endpoint.production_variants, desired_by_name)
    if actions.get(source) == VariantAction.REMOVE:
        production = [v for v in production if v["VariantName"] != source]
    kept = [v for v in shadows_on(endpoint) if v["VariantName"] not in shadow_names]
    for shadow in shadows:
        config = desired_by_name.get(shadow["VariantName"], shadow)
        if actions.get(shadow["VariantName"]) == VariantAction.PROMOTE:
            production.append(variant_summary(config))
        elif actions.get(shadow["VariantName"]) == VariantAction.RETAIN:
            kept.append(variant_summary(config))
    endpoint.production_variants = production
    endpoint.shadow_production_variants = kept or None
