"""Inference experiments in moto's shape: `FakeInferenceExperiment` owns its state machine,
`InferenceExperimentBackend` keeps the experiments of one account and region.

Transitions are applied lazily whenever an experiment is looked at, each at its own due
time, on the clock and durations of the injected `EmulatorSettings`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter
from moto.utilities.paginator import paginate

from . import validators
from .endpoints import apply_variant_actions, deploy_shadows, endpoint_metadata, restore
from .exceptions import InferenceExperimentExists, InferenceExperimentNotFound, InvalidPaginationToken, ValidationError
from .settings import EmulatorSettings
from .status import FINISHED, Status, VariantAction
from .utils import THIRTY_DAYS, as_datetime, merge_tags, within

PAGINATION_MODEL = {
    "list_inference_experiments": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 10,
        "unique_attribute": "name",
        "fail_on_invalid_token": InvalidPaginationToken,
    }
}
NATURAL_END = "The inference experiment reached its scheduled end time."


@dataclass
class FakeInferenceExperiment:
    """One inference experiment and the transition it is waiting for."""

    name: str
    arn: str
    role_arn: str
    endpoint_name: str
    model_variants: list[dict[str, Any]]
    shadow_mode_config: dict[str, Any]
    start_time: float
    end_time: float
    created_at: float
    settings: EmulatorSettings = field(repr=False, compare=False)
    description: str | None = None
    data_storage_config: dict[str, Any] | None = None
    kms_key: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    status: Status = Status.CREATING
    status_reason: str | None = None
    last_modified: float = 0.0
    completed_at: float | None = None
    due: float | None = None
    resume_status: Status | None = None
    stop_request: dict[str, Any] | None = None
    endpoint_before: dict[str, Any] | None = None
    deleting_since: float | None = None
    scripted: tuple[Status, str] | None = None  # how the pending Start or Stop ends instead
    deployed: bool = False  # the shadow variants reached the endpoint (the test started)
    left_deployed: frozenset[str] = frozenset()  # shadow variants still serving after the end

    @property
    def source_variant(self) -> str:
        return str(self.shadow_mode_config["SourceModelVariantName"])

    @property
    def shadow_variants(self) -> list[str]:
        return [v["ShadowModelVariantName"] for v in self.shadow_mode_config["ShadowModelVariants"]]

    def variant(self, name: str) -> dict[str, Any]:
        return next(v for v in self.model_variants if v["VariantName"] == name)

    # ---- the state machine -------------------------------------------------------

    def begin(self, status: Status, at: float) -> None:
        self.status = status
        self.last_modified = at
        self.due = at + self.settings.durations[status]

    def advance(self, now: float, endpoint: Any) -> None:
        """Apply every transition that has come due by `now`, each at its own due time."""
        if self.deleting_since is not None:
            return
        while True:
            if self.due is not None and self.due <= now:
                at, self.due = self.due, None
                self._complete_transition(at, endpoint)
            elif self.status == Status.CREATED and self.start_time <= now:
                self.begin(Status.STARTING, max(self.start_time, self.last_modified))
            elif self.status == Status.RUNNING and self.end_time <= now:
                self._finish_naturally(self.end_time, endpoint)
            else:
                return

    def _complete_transition(self, at: float, endpoint: Any) -> None:
        self.last_modified = at
        if self.scripted is not None and self.status in (Status.STARTING, Status.STOPPING):
            # A failed operation changes nothing on the endpoint: what was deployed stays.
            self.status, self.status_reason = self.scripted
            self.scripted, self.completed_at = None, at
            self.left_deployed = frozenset(self.shadow_variants) if self.deployed else frozenset()
        elif self.status == Status.CREATING:
            if self.start_time <= at:
                self.begin(Status.STARTING, at)
            else:
                self.status = Status.CREATED
        elif self.status == Status.UPDATING:
            self.status = self.resume_status or Status.CREATED
            self.resume_status = None
        elif self.status == Status.STARTING:
            shadows = [self.variant(s) for s in self.shadow_variants]
            self.endpoint_before = deploy_shadows(endpoint, self.variant(self.source_variant), shadows)
            self.status, self.deployed = Status.RUNNING, True
        elif self.status == Status.STOPPING:
            self._apply_stop(endpoint)
            self.completed_at = at

    def _apply_stop(self, endpoint: Any) -> None:
        """A stop's variant actions reach the endpoint only if the test deployed anything:
        a test stopped before it started leaves the endpoint as it is."""
        request = self.stop_request or {}
        actions = request.get("actions", {})
        if self.deployed:
            shadows = [self.variant(s) for s in self.shadow_variants]
            apply_variant_actions(endpoint, self.source_variant, shadows, actions, request.get("desired_variants"))
            kept = (VariantAction.PROMOTE, VariantAction.RETAIN)
            self.left_deployed = frozenset(s for s in self.shadow_variants if actions.get(s) in kept)
        self.status = Status(request.get("desired_state", Status.COMPLETED))

    def _finish_naturally(self, at: float, endpoint: Any) -> None:
        restore(endpoint, self.endpoint_before)
        self.status = Status.COMPLETED
        self.status_reason = NATURAL_END
        self.completed_at = at
        self.last_modified = at

    # ---- what the operations ask of it ---------------------------------------------

    def update(self, request: dict[str, Any], schedule: tuple[float, float], now: float) -> None:
        self.model_variants = copy.deepcopy(request.get("ModelVariants") or self.model_variants)
        self.shadow_mode_config = copy.deepcopy(request.get("ShadowModeConfig") or self.shadow_mode_config)
        self.start_time, self.end_time = schedule
        if request.get("Description") is not None:
            self.description = request["Description"]
        if request.get("DataStorageConfig") is not None:
            self.data_storage_config = copy.deepcopy(request["DataStorageConfig"])
        self.resume_status = self.status
        self.begin(Status.UPDATING, now)

    def start(self, now: float) -> None:
        """Start now, keeping the scheduled length (at most 30 days)."""
        length = self.end_time - self.start_time
        self.start_time = now
        self.end_time = now + min(length, THIRTY_DAYS)
        self.scripted = self.settings.take_outcome("Start")
        self.begin(Status.STARTING, now)

    def stop(self, request: dict[str, Any], actions: dict[str, str], now: float) -> None:
        self.stop_request = {
            "actions": actions,
            "desired_variants": copy.deepcopy(request.get("DesiredModelVariants")),
            "desired_state": request.get("DesiredState") or Status.COMPLETED,
        }
        self.status_reason = request.get("Reason") or self.status_reason
        self.scripted = self.settings.take_outcome("Stop")
        self.begin(Status.STOPPING, now)

    def delete(self, now: float) -> None:
        if self.deleting_since is None:
            self.deleting_since = now

    def deleted_by(self, now: float) -> bool:
        return self.deleting_since is not None and now >= self.deleting_since + self.settings.durations["Deleting"]

    # ---- what Describe and List show -------------------------------------------------

    def variant_status(self, name: str) -> str:
        if name not in self.shadow_variants:
            return "InService"
        if self.status in (Status.CREATING, Status.CREATED, Status.STARTING):
            return "Creating"
        if self.status == Status.STOPPING:
            return "Deleting"
        if self.status in FINISHED:
            return "InService" if name in self.left_deployed else "Deleted"
        return "InService"

    def summary(self) -> dict[str, Any]:
        """What ListInferenceExperiments shows of the experiment."""
        summary: dict[str, Any] = {
            "Name": self.name,
            "Type": "ShadowMode",
            "Schedule": {"StartTime": as_datetime(self.start_time), "EndTime": as_datetime(self.end_time)},
            "Status": self.status,
            "CreationTime": as_datetime(self.created_at),
            "LastModifiedTime": as_datetime(self.last_modified),
            "RoleArn": self.role_arn,
        }
        optional = {
            "StatusReason": self.status_reason,
            "Description": self.description,
            "CompletionTime": as_datetime(self.completed_at) if self.completed_at else None,
        }
        summary.update({k: v for k, v in optional.items() if v is not None})
        return summary

    def describe(self, endpoint: Any) -> dict[str, Any]:
        """What DescribeInferenceExperiment shows: the summary plus variants, endpoint and storage."""
        response = {
            **self.summary(),
            "Arn": self.arn,
            "EndpointMetadata": endpoint_metadata(self.endpoint_name, endpoint),
            "ModelVariants": [
                {**copy.deepcopy(v), "Status": self.variant_status(v["VariantName"])} for v in self.model_variants
            ],
            "ShadowModeConfig": copy.deepcopy(self.shadow_mode_config),
        }
        if self.data_storage_config is not None:
            response["DataStorageConfig"] = copy.deepcopy(self.data_storage_config)
        if self.kms_key is not None:
            response["KmsKey"] = self.kms_key
        return response


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
        max_results: int | None = None,
    ) -> list[FakeInferenceExperiment]:
        validators.check_listing(sort_by or "CreationTime", max_results)
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
