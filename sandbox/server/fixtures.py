"""Benchmark fixture: many finished experiments at once, straight into a backend, without
endpoint checks or transitions (the service has no such call; list benchmarks need one)."""

from __future__ import annotations

import copy
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.sagemaker.models import sagemaker_backends

from sandbox.emulator import FakeInferenceExperiment, InferenceExperimentBackend, Status, inference_experiment_backends
from sandbox.emulator.utils import SEVEN_DAYS

from .requests import BadRequest


def finished(
    backend: InferenceExperimentBackend, name: str, template: dict[str, Any], now: float
) -> FakeInferenceExperiment:
    return FakeInferenceExperiment(
        name=name,
        arn=backend.arn(name),
        role_arn=template["RoleArn"],
        endpoint_name=template["EndpointName"],
        model_variants=copy.deepcopy(template["ModelVariants"]),
        shadow_mode_config=copy.deepcopy(template["ShadowModeConfig"]),
        start_time=now,
        end_time=now + SEVEN_DAYS,
        created_at=now,
        settings=backend.settings,
        status=Status.COMPLETED,
        last_modified=now,
        completed_at=now,
    )


def seed_finished(request: dict[str, Any]) -> int:
    """`count` Completed experiments named PREFIX-00000.. in the request's account and region,
    from `template` (a CreateInferenceExperiment request). Returns how many now exist there."""
    account = sagemaker_backends[request.get("account", DEFAULT_ACCOUNT_ID)]
    region = request.get("region", "us-east-1")
    if region not in account.regions:
        raise BadRequest(f"region {region!r} is not a region SageMaker is offered in")
    sagemaker = account[region]
    backend = inference_experiment_backends.of(sagemaker)
    now = backend.settings.now()
    for index in range(int(request["count"])):
        name = f"{request['prefix']}-{index:05d}"
        experiment = finished(backend, name, request["template"], now)
        experiment.created_at = now + index * 1e-3
        backend.experiments[name] = experiment
    return len(backend.experiments)
