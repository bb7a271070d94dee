"""Create what a shadow test needs before it can exist: models and an InService endpoint."""

from __future__ import annotations

from typing import Any

ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerShadowTest"
IMAGE = "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest"


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
    config_name = f"{endpoint_name}-config"
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


def variant(variant_name: str, model_name: str, instance_count: int = 1) -> dict[str, Any]:
    """One ModelVariants entry on ml.m5.large instances."""
    return {
        "VariantName": variant_name,
        "ModelName": model_name,
        "InfrastructureConfig": {
            "InfrastructureType": "RealTimeInference",
            "RealTimeInferenceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": instance_count},
        },
    }


def shadow_test_request(
    name: str,
    endpoint_name: str = "shadow-endpoint",
    production: tuple[str, str] = ("production", "model-a"),
    shadow: tuple[str, str] = ("shadow", "model-b"),
    sampling_percentage: int = 50,
) -> dict[str, Any]:
    """A complete CreateInferenceExperiment request for the seeded endpoint."""
    return {
        "Name": name,
        "Type": "ShadowMode",
        "RoleArn": ROLE_ARN,
        "EndpointName": endpoint_name,
        "ModelVariants": [variant(*production), variant(*shadow)],
        "ShadowModeConfig": {
            "SourceModelVariantName": production[0],
            "ShadowModelVariants": [{"ShadowModelVariantName": shadow[0], "SamplingPercentage": sampling_percentage}],
        },
    }


def seed_shadow_test(sagemaker: Any, endpoint_name: str = "shadow-endpoint") -> None:
    """The endpoint plus both models that `shadow_test_request` refers to."""
    ensure_endpoint(sagemaker, endpoint_name, "model-a")
    ensure_model(sagemaker, "model-b")


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
