"""What a shadow test stands on, created in the emulator when missing: models and an
InService real-time endpoint. The rehearsal seeds what a template names but does not create."""

from __future__ import annotations

import hashlib
from typing import Any

from sandbox.emulator import constraints

ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerShadowTest"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest"
CONFIG_SUFFIX = "-config"


def ensure_model(sagemaker: Any, name: str, role_arn: str = ROLE_ARN) -> list[str]:
    """Create model `name` unless it exists; return what was created."""
    existing = {m["ModelName"] for m in sagemaker.list_models()["Models"]}
    if name in existing:
        return []
    sagemaker.create_model(
        ModelName=name,
        ExecutionRoleArn=role_arn,
        PrimaryContainer={"Image": IMAGE, "ModelDataUrl": f"s3://models/{name}/model.tar.gz"},
    )
    return [f"model {name}"]


def ensure_endpoint(
    sagemaker: Any,
    endpoint_name: str,
    production_model: str,
    production_variant: str = "production",
    instance_type: str = "ml.m5.large",
    instance_count: int = 1,
) -> list[str]:
    """An InService real-time endpoint with one production variant serving `production_model`;
    return what was created."""
    created = ensure_model(sagemaker, production_model)
    if endpoint_name in {e["EndpointName"] for e in sagemaker.list_endpoints()["Endpoints"]}:
        return created
    config_name = seeded_config_name(endpoint_name)
    sagemaker.create_endpoint_config(
        EndpointConfigName=config_name,
        ProductionVariants=[
            {
                "VariantName": production_variant,
                "ModelName": production_model,
                "InitialInstanceCount": instance_count,
                "InstanceType": instance_type,
                "InitialVariantWeight": 1.0,
            }
        ],
    )
    sagemaker.create_endpoint(EndpointName=endpoint_name, EndpointConfigName=config_name)
    return [*created, f"endpoint {endpoint_name}"]


def seeded_config_name(endpoint_name: str) -> str:
    """`<endpoint>-config`, kept within the model's EndpointConfigName length: an endpoint
    name may use all 63 characters, so a longer one is cut and a digest of the whole name
    keeps seeded configs of different endpoints apart."""
    limit = int(constraints.service_model().shape_for("EndpointConfigName").metadata["max"])
    name = f"{endpoint_name}{CONFIG_SUFFIX}"
    if len(name) <= limit:
        return name
    tail = f"-{hashlib.sha256(endpoint_name.encode()).hexdigest()[:8]}{CONFIG_SUFFIX}"
    return endpoint_name[: limit - len(tail)].rstrip("-") + tail


def seed_for_model(sagemaker: Any, model: dict[str, Any]) -> list[str]:
    """Seed the endpoint and models a resource model refers to by name, if they are missing.

    The production variant (ShadowModeConfig.SourceModelVariantName) becomes the
    endpoint's variant, serving that variant's model with its instance settings.
    """
    variants = {v["VariantName"]: v for v in model.get("ModelVariants") or []}
    source = (model.get("ShadowModeConfig") or {}).get("SourceModelVariantName")
    production = variants.get(source) if source else next(iter(variants.values()), None)
    created: list[str] = []
    for variant in variants.values():
        created += ensure_model(sagemaker, variant["ModelName"], model.get("RoleArn") or ROLE_ARN)
    if production is not None and model.get("EndpointName"):
        infrastructure = production["InfrastructureConfig"]["RealTimeInferenceConfig"]
        created += ensure_endpoint(
            sagemaker,
            model["EndpointName"],
            production["ModelName"],
            production["VariantName"],
            infrastructure.get("InstanceType", "ml.m5.large"),
            int(infrastructure.get("InstanceCount", 1)) or 1,
        )
    return created
