"""Inference experiments in moto's shape: `InferenceExperimentBackend` keeps the experiments
(`experiment.FakeInferenceExperiment`, each owning its state machine) of one account and
region, checks each request with `validators` and applies it.

Transitions are applied lazily whenever an experiment is looked at, each at its own due
time, on the clock and durations of the injected `EmulatorSettings`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter
from moto.utilities.paginator import paginate

from . import validators
from .exceptions import InferenceExperimentExists, InferenceExperimentNotFound, InvalidPaginationToken, ValidationError
from .experiment import FakeInferenceExperiment
from .settings import EmulatorSettings
from .status import Status
from .utils import merge_tags, within

PAGINATION_MODEL = {
    "list_inference_experiments": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 10,
        "unique_attribute": "name",
        "fail_on_invalid_token": InvalidPaginationToken,
    }
}
SORT_KEYS: dict[str, Callable[[FakeInferenceExperiment], Any]] = {
    "Name": lambda e: e.name,
    "CreationTime": lambda e: (e.created_at, e.name),
    "Status": lambda e: (e.status, e.name),
}


class InferenceExperimentBackend:
    """The inference experiments of one account and region, beside moto's SageMaker backend."""

    def __init__(self, sagemaker: SageMakerModelBackend, settings: EmulatorSettings) -> None:
        self.sagemaker = sagemaker
        self.settings = settings
        self.experiments: dict[str, FakeInferenceExperiment] = {}

    def arn(self, name: str) -> str:
        return arn_formatter("inference-experiment", name, self.sagemaker.account_id, self.sagemaker.region_name)

    def endpoint(self, experiment: FakeInferenceExperiment) -> Any:
        return self.sagemaker.endpoints.get(experiment.endpoint_name)

    def advance_all(self) -> None:
        now = self.settings.now()
        for experiment in list(self.experiments.values()):
            self._advance(experiment, now)

    def _advance(self, experiment: FakeInferenceExperiment, now: float) -> None:
        if experiment.deleted_by(now):
            self.experiments.pop(experiment.name, None)
        else:
            experiment.advance(now, self.endpoint(experiment))

    def describe_inference_experiment(self, name: str) -> FakeInferenceExperiment:
        self.advance_all()
        try:
            return self.experiments[name]
        except KeyError:
            raise InferenceExperimentNotFound(self.arn(name)) from None

    def create_inference_experiment(self, request: dict[str, Any]) -> FakeInferenceExperiment:
        self.advance_all()
        name = request["Name"]
        if name in self.experiments:
            raise InferenceExperimentExists(self.arn(name))
        endpoint = validators.check_create(self.sagemaker, request, self.experiments.values())
        now = self.settings.now()
        start, end = validators.schedule(request.get("Schedule"), now)
        experiment = FakeInferenceExperiment(
            name=name,
            arn=self.arn(name),
            role_arn=request["RoleArn"],
            endpoint_name=endpoint.endpoint_name,
            model_variants=copy.deepcopy(request["ModelVariants"]),
            shadow_mode_config=copy.deepcopy(request["ShadowModeConfig"]),
            start_time=start,
            end_time=end,
            created_at=now,
            settings=self.settings,
            description=request.get("Description"),
            data_storage_config=copy.deepcopy(request.get("DataStorageConfig")),
            kms_key=request.get("KmsKey"),
            tags=merge_tags([], request.get("Tags") or []),
        )
        experiment.begin(Status.CREATING, now)
        self.experiments[name] = experiment
        self._advance(experiment, now)
        return experiment

    def update_inference_experiment(self, request: dict[str, Any]) -> FakeInferenceExperiment:
        experiment = self.describe_inference_experiment(request["Name"])
        validators.check_update(self.sagemaker, experiment, request)
        now = self.settings.now()
        schedule = experiment.start_time, experiment.end_time
        if request.get("Schedule"):
            schedule = validators.schedule(
                {"StartTime": schedule[0], "EndTime": schedule[1], **request["Schedule"]}, now
            )
        experiment.update(request, schedule, now)
        self._advance(experiment, now)
        return experiment

    def start_inference_experiment(self, name: str) -> FakeInferenceExperiment:
        experiment = self.describe_inference_experiment(name)
        validators.check_status("start", experiment)
        now = self.settings.now()
        experiment.start(now)
        self._advance(experiment, now)
        return experiment

    def stop_inference_experiment(self, request: dict[str, Any]) -> FakeInferenceExperiment:
        experiment = self.describe_inference_experiment(request["Name"])
        validators.check_status("stop", experiment)
        actions: dict[str, str] = dict(request.get("ModelVariantActions") or {})
        validators.check_stop(experiment, actions, request)
        now = self.settings.now()
        experiment.stop(request, actions, now)
        self._advance(experiment, now)
        return experiment

    def delete_inference_experiment(self, name: str) -> FakeInferenceExperiment:
        experiment = self.describe_inference_experiment(name)
        if experiment.deleting_since is None:
            validators.check_status("delete", experiment)
        experiment.delete(self.settings.now())
        self._advance(experiment, self.settings.now())
        return experiment

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_inference_experiments(
        self,
        name_contains: str | None = None,
        status_equals: str | None = None,
        creation_time_after: Any = None,
        creation_time_before: Any = None,
        last_modified_time_after: Any = None,
        last_modified_time_before: Any = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> list[FakeInferenceExperiment]:
        self.advance_all()
        selected = [
            e
            for e in self.experiments.values()
            if (not name_contains or name_contains in e.name)
            and (not status_equals or e.status == status_equals)
            and within(e.created_at, creation_time_after, creation_time_before)
            and within(e.last_modified, last_modified_time_after, last_modified_time_before)
        ]
        selected.sort(key=SORT_KEYS[sort_by or "CreationTime"], reverse=(sort_order or "Descending") == "Descending")
        return selected

    def tagged_experiment(self, arn: str) -> FakeInferenceExperiment:
        """The experiment an AddTags/ListTags/DeleteTags ARN names."""
        self.advance_all()
        name = arn.split(":")[-1].partition("/")[2]
        experiment = self.experiments.get(name)
        if experiment is None:
            raise ValidationError(f"Could not find inference-experiment with name {name} (ARN {arn}).")
        return experiment


class InferenceExperimentBackends:
    """One `InferenceExperimentBackend` per moto SageMaker backend (account and region). Each
    lives on moto's backend, so moto's reset clears it with everything else."""

    KEY = "_inference_experiments"

    def __init__(self, settings: EmulatorSettings | None = None) -> None:
        self.settings = settings or EmulatorSettings()

    def of(self, sagemaker: SageMakerModelBackend) -> InferenceExperimentBackend:
        backend = self.existing(sagemaker)
        if backend is None:
            backend = InferenceExperimentBackend(sagemaker, self.settings)
            sagemaker.__dict__[self.KEY] = backend
        return backend

    def existing(self, sagemaker: SageMakerModelBackend) -> InferenceExperimentBackend | None:
        backend: InferenceExperimentBackend | None = sagemaker.__dict__.get(self.KEY)
        return backend


inference_experiment_backends = InferenceExperimentBackends()


Attached = TypeVar("Attached")


class AttachedBackends(Generic[Attached]):
    """One backend of another emulated SageMaker feature per moto SageMaker backend, kept on
    it under `key` so moto's reset clears it, built with the settings `install` gave the
    experiments (clock, durations)."""

    def __init__(self, key: str, build: Callable[[SageMakerModelBackend, EmulatorSettings], Attached]) -> None:
        self.key = key
        self.build = build

    def of(self, sagemaker: SageMakerModelBackend) -> Attached:
        if self.key not in sagemaker.__dict__:
            sagemaker.__dict__[self.key] = self.build(sagemaker, inference_experiment_backends.settings)
        backend: Attached = sagemaker.__dict__[self.key]
        return backend
