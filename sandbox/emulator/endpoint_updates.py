"""UpdateEndpoint, which moto lacks, as the API reference describes it: the endpoint is
Updating while the new config's fleet is deployed, then InService with that config, its
variants and data capture; the old fleet is gone. Only an InService endpoint can be
updated, and only to an endpoint config that exists (ValidationException otherwise).

A shadow test whose shadow variant is deployed on the endpoint (Running, or Updating or
Stopping after it started) ran on the old fleet, so it ends Cancelled when the update
completes, with the update as its StatusReason (a choice, docs/emulator.md). Updates are
applied lazily, each at its own due time, before any SageMaker operation is answered
(`settle`), on the clock and the EndpointUpdating duration of `EmulatorSettings`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter

from .exceptions import ValidationError
from .experiment import FakeInferenceExperiment
from .models import AttachedBackends, inference_experiment_backends
from .settings import ENDPOINT_UPDATING, EmulatorSettings
from .status import FINISHED
from .utils import as_datetime

IN_PROGRESS = frozenset({"Creating", "Updating", "SystemUpdating", "RollingBack", "Deleting"})
# ExcludeRetainedVariantProperties names -> the DescribeEndpoint fields they keep.
RETAINED_FIELDS = {
    "DesiredInstanceCount": ("CurrentInstanceCount", "DesiredInstanceCount"),
    "DesiredWeight": ("CurrentWeight", "DesiredWeight"),
}


@dataclass
class PendingUpdate:
    """An UpdateEndpoint in progress: what the endpoint will look like at `due`."""

    endpoint_name: str
    config_name: str
    production_variants: list[dict[str, Any]]
    data_capture_config: Any
    due: float


class EndpointUpdateBackend:
    """The endpoint updates in progress of one account and region, beside moto's backend."""

    def __init__(self, sagemaker: SageMakerModelBackend, settings: EmulatorSettings) -> None:
        self.sagemaker = sagemaker
        self.settings = settings
        self.pending: dict[str, PendingUpdate] = {}

    def update_endpoint(self, request: dict[str, Any]) -> Any:
        name, config_name = request["EndpointName"], request["EndpointConfigName"]
        endpoint = self.sagemaker.endpoints.get(name)
        if endpoint is None:
            raise ValidationError(f"Could not find endpoint '{self.arn('endpoint', name)}'.")
        if endpoint.endpoint_status in IN_PROGRESS:
            raise ValidationError(f'Cannot update in-progress endpoint "{endpoint.arn}".')
        if endpoint.endpoint_status != "InService":
            raise ValidationError(
                f'Cannot update endpoint "{endpoint.arn}" in status {endpoint.endpoint_status}; '
                "only an InService endpoint can be updated."
            )
        config = self.sagemaker.endpoint_configs.get(config_name)
        if config is None:
            raise ValidationError(
                f"Could not find endpoint configuration '{self.arn('endpoint-config', config_name)}'."
            )
        now = self.settings.now()
        self.pending[name] = PendingUpdate(
            name,
            config_name,
            variants_after(endpoint, config.production_variants, request),
            endpoint.data_capture_config if retains(request, "DataCaptureConfig") else config.data_capture_config,
            now + self.settings.durations[ENDPOINT_UPDATING],
        )
        endpoint.endpoint_status = "Updating"
        endpoint.last_modified_time = moto_time(now)
        self.settle()
        return endpoint

    def arn(self, kind: str, name: str) -> str:
        return arn_formatter(kind, name, self.sagemaker.account_id, self.sagemaker.region_name)

    def settle(self) -> None:
        """Complete every update that has come due, in the order they came due."""
        now = self.settings.now()
        for update in sorted(self.pending.values(), key=lambda u: u.due):
            if update.due <= now and self.pending.pop(update.endpoint_name, None) is update:
                self.complete(update)

    def complete(self, update: PendingUpdate) -> None:
        endpoint: Any = self.sagemaker.endpoints.get(update.endpoint_name)
        if endpoint is None:  # deleted while it was updating
            return
        experiments = [
            e
            for e in inference_experiment_backends.of(self.sagemaker).experiments.values()
            if e.endpoint_name == update.endpoint_name
        ]
        for experiment in experiments:  # whatever happened to them before the update completed
            experiment.advance(update.due, endpoint)
        endpoint.endpoint_config_name = update.config_name
        endpoint.production_variants = copy.deepcopy(update.production_variants)
        endpoint.shadow_production_variants = None
        endpoint.data_capture_config = update.data_capture_config
        endpoint.endpoint_status = "InService"
        endpoint.last_modified_time = moto_time(update.due)
        for experiment in experiments:
            if on_the_old_fleet(experiment):
                experiment.cancel_for_endpoint_update(update.due, update.config_name)


def on_the_old_fleet(experiment: FakeInferenceExperiment) -> bool:
    """The test's shadow variant serves on the endpoint: it started and has not finished."""
    return experiment.deployed and experiment.deleting_since is None and experiment.status not in FINISHED


def retains(request: dict[str, Any], prop: str) -> bool:
    """RetainAllVariantProperties keeps `prop` from the endpoint unless it is excluded."""
    excluded = {p["VariantPropertyType"] for p in request.get("ExcludeRetainedVariantProperties") or []}
    return bool(request.get("RetainAllVariantProperties")) and prop not in excluded


def variants_after(endpoint: Any, config_variants: list[dict[str, Any]], request: dict[str, Any]) -> list[Any]:
    """The new config's production variants as DescribeEndpoint shows them; with
    RetainAllVariantProperties, a variant already on the endpoint keeps its instance count
    and weight (those not excluded)."""
    variants: list[dict[str, Any]] = endpoint._process_production_variants(config_variants)
    current = {v["VariantName"]: v for v in endpoint.production_variants}
    for variant in variants:
        before = current.get(variant["VariantName"])
        for prop, fields in RETAINED_FIELDS.items():
            if before is not None and retains(request, prop):
                variant.update({f: before[f] for f in fields if f in before})
    return variants


def moto_time(seconds: float) -> datetime:
    """moto keeps endpoint times as naive UTC datetimes."""
    return as_datetime(seconds).replace(tzinfo=None)


endpoint_update_backends = AttachedBackends("_endpoint_updates", EndpointUpdateBackend)
