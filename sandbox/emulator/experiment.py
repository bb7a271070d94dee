"""One inference experiment and its state machine: `FakeInferenceExperiment` applies each
transition at its own due time, on the clock and durations of the injected `EmulatorSettings`."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from .endpoints import apply_variant_actions, deploy_shadows, endpoint_metadata, restore
from .settings import EmulatorSettings
from .status import FINISHED, Status, VariantAction
from .utils import THIRTY_DAYS, as_datetime

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
    production_removed: bool = False  # a stop's Remove took the production variant off the endpoint

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
            self.production_removed = actions.get(self.source_variant) == VariantAction.REMOVE
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

    def cancel_for_endpoint_update(self, at: float, config_name: str) -> None:
        """UpdateEndpoint replaced the fleet the shadow variant ran on: the test is over, and
        nothing of it is left to restore or to stop (docs/emulator.md)."""
        self.status = Status.CANCELLED
        self.status_reason = (
            f"Endpoint '{self.endpoint_name}' was updated to endpoint config '{config_name}', "
            "which replaced the instances the shadow test ran on."
        )
        self.completed_at = self.last_modified = at
        self.due = self.resume_status = self.stop_request = self.endpoint_before = self.scripted = None
        self.left_deployed = frozenset()

    def delete(self, now: float) -> None:
        if self.deleting_since is None:
            self.deleting_since = now

    def deleted_by(self, now: float) -> bool:
        return self.deleting_since is not None and now >= self.deleting_since + self.settings.durations["Deleting"]

    # ---- what Describe and List show -------------------------------------------------

    def variant_status(self, name: str) -> str:
        if name not in self.shadow_variants:
            return self.settings.removed_production_status if self.production_removed else "InService"
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
