"""Inference experiments for moto's SageMaker backend: validation, clock-driven
state machine and the effect of each transition on the endpoint.

Everything here works on one `SageMakerModelBackend` (one account and region) and
raises moto `ServiceException`s with the codes the real service uses, so the API
layer only has to parse parameters and serialize results.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from moto.sagemaker.exceptions import ConflictException, ResourceInUseException, ResourceNotFound, ValidationError
from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter

from sandbox.server.control import CONTROL

SEVEN_DAYS = 7 * 24 * 3600.0
THIRTY_DAYS = 30 * 24 * 3600.0
ACTIVE_STATUSES = ("Creating", "Created", "Updating", "Starting", "Running", "Stopping")
UNDELETABLE_STATUSES = ("Creating", "Updating", "Starting", "Running", "Stopping")
VARIANT_ACTIONS = ("Retain", "Remove", "Promote")


def epoch(value: Any) -> float:
    """Accept what moto's parser hands over for a timestamp: number, datetime or ISO text."""
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as error:
        raise ValidationError(f"Value '{text}' is not a valid timestamp.") from error
    return epoch(parsed)


def as_datetime(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


@dataclass
class Experiment:
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
    description: str | None = None
    data_storage_config: dict[str, Any] | None = None
    kms_key: str | None = None
    tags: list[dict[str, str]] = field(default_factory=list)
    status: str = "Creating"
    status_reason: str | None = None
    last_modified: float = 0.0
    completed_at: float | None = None
    due: float | None = None
    resume_status: str | None = None
    stop_request: dict[str, Any] | None = None
    endpoint_before: dict[str, Any] | None = None
    deleting_since: float | None = None

    @property
    def source_variant(self) -> str:
        return str(self.shadow_mode_config["SourceModelVariantName"])

    @property
    def shadow_variants(self) -> list[str]:
        return [v["ShadowModelVariantName"] for v in self.shadow_mode_config["ShadowModelVariants"]]

    def variant(self, name: str) -> dict[str, Any]:
        return next(v for v in self.model_variants if v["VariantName"] == name)

    def variant_status(self, name: str) -> str:
        if self.status in ("Creating", "Created"):
            return "Creating" if name in self.shadow_variants else "InService"
        if self.status == "Starting":
            return "Creating" if name in self.shadow_variants else "InService"
        if self.status == "Stopping":
            return "Deleting" if name in self.shadow_variants else "InService"
        if self.status in ("Completed", "Cancelled") and name in self.shadow_variants:
            actions = (self.stop_request or {}).get("actions", {})
            return "InService" if actions.get(name) in ("Promote", "Retain") else "Deleted"
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


def endpoint_metadata(endpoint_name: str, endpoint: Any) -> dict[str, Any]:
    if endpoint is None:
        return {"EndpointName": endpoint_name, "EndpointStatus": "OutOfService"}
    return {
        "EndpointName": endpoint_name,
        "EndpointConfigName": endpoint.endpoint_config_name,
        "EndpointStatus": endpoint.endpoint_status,
    }


class ExperimentStore:
    """The inference experiments of one backend, advanced lazily on every access."""

    def __init__(self, backend: SageMakerModelBackend) -> None:
        self.backend = backend
        self.items: dict[str, Experiment] = {}

    # ---- lookup and clock -------------------------------------------------------

    def arn(self, name: str) -> str:
        return arn_formatter("inference-experiment", name, self.backend.account_id, self.backend.region_name)

    def get(self, name: str) -> Experiment:
        self.advance_all()
        try:
            return self.items[name]
        except KeyError:
            raise ResourceNotFound(f"Could not find inference experiment '{self.arn(name)}'.") from None

    def advance_all(self) -> None:
        now = CONTROL.now()
        for experiment in list(self.items.values()):
            self.advance(experiment, now)

    def advance(self, experiment: Experiment, now: float) -> None:
        """Apply every transition that has come due by `now`, each at its own due time."""
        durations = CONTROL.durations
        if experiment.deleting_since is not None:
            if now >= experiment.deleting_since + durations["Deleting"]:
                self.items.pop(experiment.name, None)
            return
        while True:
            if experiment.due is not None and experiment.due <= now:
                at = experiment.due
                experiment.due = None
                self._complete_transition(experiment, at)
            elif experiment.status == "Created" and experiment.start_time <= now:
                self._begin(experiment, "Starting", max(experiment.start_time, experiment.last_modified))
            elif experiment.status == "Running" and experiment.end_time <= now:
                self._finish_naturally(experiment, experiment.end_time)
            else:
                return

    def _begin(self, experiment: Experiment, status: str, at: float) -> None:
        experiment.status = status
        experiment.last_modified = at
        experiment.due = at + CONTROL.durations[status]

    def _complete_transition(self, experiment: Experiment, at: float) -> None:
        status = experiment.status
        experiment.last_modified = at
        if status == "Creating":
            if experiment.start_time <= at:
                self._begin(experiment, "Starting", at)
            else:
                experiment.status = "Created"
        elif status == "Updating":
            experiment.status = experiment.resume_status or "Created"
            experiment.resume_status = None
        elif status == "Starting":
            self._deploy_shadow(experiment)
            experiment.status = "Running"
        elif status == "Stopping":
            request = experiment.stop_request or {}
            self._apply_variant_actions(experiment, request.get("actions", {}), request.get("desired_variants"))
            experiment.status = request.get("desired_state", "Completed")
            experiment.completed_at = at

    def _finish_naturally(self, experiment: Experiment, at: float) -> None:
        endpoint = self.backend.endpoints.get(experiment.endpoint_name)
        if endpoint is not None and experiment.endpoint_before is not None:
            endpoint.production_variants = copy.deepcopy(experiment.endpoint_before["production"])
            endpoint.shadow_production_variants = copy.deepcopy(experiment.endpoint_before["shadow"])
        experiment.status = "Completed"
        experiment.status_reason = "The inference experiment reached its scheduled end time."
        experiment.completed_at = at
        experiment.last_modified = at

    # ---- endpoint effects -------------------------------------------------------

    def _deploy_shadow(self, experiment: Experiment) -> None:
        endpoint = self.backend.endpoints.get(experiment.endpoint_name)
        if endpoint is None:
            return
        experiment.endpoint_before = {
            "production": copy.deepcopy(endpoint.production_variants),
            "shadow": copy.deepcopy(getattr(endpoint, "shadow_production_variants", None)),
        }
        shadows = list(getattr(endpoint, "shadow_production_variants", None) or [])
        for shadow in experiment.shadow_variants:
            shadows.append(variant_summary(experiment.variant(shadow)))
        endpoint.shadow_production_variants = shadows

    def _apply_variant_actions(
        self, experiment: Experiment, actions: dict[str, str], desired: list[dict[str, Any]] | None
    ) -> None:
        endpoint = self.backend.endpoints.get(experiment.endpoint_name)
        if endpoint is None:
            return
        desired_by_name = {v["VariantName"]: v for v in desired or []}
        production = list(endpoint.production_variants)
        if actions.get(experiment.source_variant) == "Remove":
            production = [v for v in production if v["VariantName"] != experiment.source_variant]
        shadows = [
            v
            for v in getattr(endpoint, "shadow_production_variants", None) or []
            if v["VariantName"] not in experiment.shadow_variants
        ]
        for shadow in experiment.shadow_variants:
            config = desired_by_name.get(shadow, experiment.variant(shadow))
            if actions.get(shadow) == "Promote":
                production.append(variant_summary(config))
            elif actions.get(shadow) == "Retain":
                shadows.append(variant_summary(config))
        endpoint.production_variants = production
        endpoint.shadow_production_variants = shadows or None

    # ---- operations -------------------------------------------------------------

    def create(self, request: dict[str, Any]) -> Experiment:
        self.advance_all()
        name = request["Name"]
        if name in self.items:
            raise ResourceInUseException(f"Inference experiment '{self.arn(name)}' already exists.")
        if request.get("Type") != "ShadowMode":
            raise ValidationError(
                f"Value '{request.get('Type')}' at 'type' failed to satisfy constraint: "
                "Member must satisfy enum value set: [ShadowMode]"
            )
        endpoint = self._hosting_endpoint(request["EndpointName"])
        variants = request["ModelVariants"]
        self._validate_variants(variants, request["ShadowModeConfig"])
        production_names = {v["VariantName"] for v in endpoint.production_variants}
        source = request["ShadowModeConfig"]["SourceModelVariantName"]
        if source not in production_names:
            raise ValidationError(
                f"SourceModelVariantName '{source}' is not a production variant of endpoint "
                f"'{endpoint.endpoint_name}' (its variants: {', '.join(sorted(production_names))})."
            )
        for other in self.items.values():
            if other.endpoint_name == endpoint.endpoint_name and other.status in ACTIVE_STATUSES:
                raise ValidationError(
                    f"Endpoint '{endpoint.endpoint_name}' already has an active inference experiment "
                    f"'{other.name}' in status {other.status}."
                )
        now = CONTROL.now()
        start, end = self._schedule(request.get("Schedule"), now)
        experiment = Experiment(
            name=name,
            arn=self.arn(name),
            role_arn=request["RoleArn"],
            endpoint_name=endpoint.endpoint_name,
            model_variants=copy.deepcopy(variants),
            shadow_mode_config=copy.deepcopy(request["ShadowModeConfig"]),
            start_time=start,
            end_time=end,
            created_at=now,
            description=request.get("Description"),
            data_storage_config=copy.deepcopy(request.get("DataStorageConfig")),
            kms_key=request.get("KmsKey"),
            tags=merge_tags([], request.get("Tags") or []),
        )
        self._begin(experiment, "Creating", now)
        self.items[name] = experiment
        self.advance(experiment, now)
        return experiment

    def update(self, request: dict[str, Any]) -> Experiment:
        experiment = self.get(request["Name"])
        if experiment.status not in ("Created", "Running"):
            raise ConflictException(
                f"Cannot update inference experiment '{experiment.arn}' while its status is "
                f"{experiment.status}; UpdateInferenceExperiment requires Created or Running."
            )
        if experiment.status == "Running":
            self._reject_running_changes(experiment, request)
        variants = request.get("ModelVariants") or experiment.model_variants
        shadow_config = request.get("ShadowModeConfig") or experiment.shadow_mode_config
        self._validate_variants(variants, shadow_config)
        now = CONTROL.now()
        start, end = experiment.start_time, experiment.end_time
        if request.get("Schedule"):
            schedule = {"StartTime": start, "EndTime": end, **request["Schedule"]}
            start, end = self._schedule(schedule, now)
        experiment.model_variants = copy.deepcopy(variants)
        experiment.shadow_mode_config = copy.deepcopy(shadow_config)
        experiment.start_time, experiment.end_time = start, end
        if request.get("Description") is not None:
            experiment.description = request["Description"]
        if request.get("DataStorageConfig") is not None:
            experiment.data_storage_config = copy.deepcopy(request["DataStorageConfig"])
        experiment.resume_status = experiment.status
        self._begin(experiment, "Updating", now)
        self.advance(experiment, now)
        return experiment

    def start(self, name: str) -> Experiment:
        experiment = self.get(name)
        if experiment.status != "Created":
            raise ConflictException(
                f"Cannot start inference experiment '{experiment.arn}' while its status is "
                f"{experiment.status}; StartInferenceExperiment requires Created."
            )
        now = CONTROL.now()
        length = experiment.end_time - experiment.start_time
        experiment.start_time = now
        experiment.end_time = now + min(length, THIRTY_DAYS)
        self._begin(experiment, "Starting", now)
        self.advance(experiment, now)
        return experiment

    def stop(self, request: dict[str, Any]) -> Experiment:
        experiment = self.get(request["Name"])
        if experiment.status != "Running":
            raise ConflictException(
                f"Cannot stop inference experiment '{experiment.arn}' while its status is "
                f"{experiment.status}; StopInferenceExperiment requires Running."
            )
        actions: dict[str, str] = dict(request.get("ModelVariantActions") or {})
        self._validate_actions(experiment, actions, request.get("DesiredModelVariants"))
        desired_state = request.get("DesiredState") or "Completed"
        if desired_state not in ("Completed", "Cancelled"):
            raise ValidationError(
                f"Value '{desired_state}' at 'desiredState' failed to satisfy constraint: "
                "Member must satisfy enum value set: [Completed, Cancelled]"
            )
        experiment.stop_request = {
            "actions": actions,
            "desired_variants": copy.deepcopy(request.get("DesiredModelVariants")),
            "desired_state": desired_state,
        }
        experiment.status_reason = request.get("Reason") or experiment.status_reason
        now = CONTROL.now()
        self._begin(experiment, "Stopping", now)
        self.advance(experiment, now)
        return experiment

    def delete(self, name: str) -> Experiment:
        experiment = self.get(name)
        if experiment.deleting_since is None and experiment.status in UNDELETABLE_STATUSES:
            raise ConflictException(
                f"Cannot delete inference experiment '{experiment.arn}' while its status is "
                f"{experiment.status}; stop it first or wait for it to settle."
            )
        if experiment.deleting_since is None:
            experiment.deleting_since = CONTROL.now()
        self.advance(experiment, CONTROL.now())
        return experiment

    def seed_finished(self, count: int, prefix: str, template: dict[str, Any]) -> int:
        """Benchmark fixture: `count` Completed experiments named PREFIX-00000.., without
        endpoint checks or transitions. Returns how many now exist in the store."""
        now = CONTROL.now()
        for index in range(count):
            name = f"{prefix}-{index:05d}"
            self.items[name] = Experiment(
                name=name,
                arn=self.arn(name),
                role_arn=template["RoleArn"],
                endpoint_name=template["EndpointName"],
                model_variants=copy.deepcopy(template["ModelVariants"]),
                shadow_mode_config=copy.deepcopy(template["ShadowModeConfig"]),
                start_time=now,
                end_time=now + SEVEN_DAYS,
                created_at=now + index * 1e-3,
                status="Completed",
                last_modified=now,
                completed_at=now,
            )
        return len(self.items)

    def listing(self, filters: dict[str, Any]) -> list[Experiment]:
        self.advance_all()
        selected = []
        for experiment in self.items.values():
            if filters.get("NameContains") and filters["NameContains"] not in experiment.name:
                continue
            if filters.get("StatusEquals") and experiment.status != filters["StatusEquals"]:
                continue
            if not within(experiment.created_at, filters.get("CreationTimeAfter"), filters.get("CreationTimeBefore")):
                continue
            if not within(
                experiment.last_modified, filters.get("LastModifiedTimeAfter"), filters.get("LastModifiedTimeBefore")
            ):
                continue
            selected.append(experiment)
        sort_by = filters.get("SortBy") or "CreationTime"
        keys = {
            "Name": lambda e: e.name,
            "CreationTime": lambda e: (e.created_at, e.name),
            "Status": lambda e: (e.status, e.name),
        }
        if sort_by not in keys:
            raise ValidationError(
                f"Value '{sort_by}' at 'sortBy' failed to satisfy constraint: "
                "Member must satisfy enum value set: [Name, CreationTime, Status]"
            )
        selected.sort(key=keys[sort_by], reverse=(filters.get("SortOrder") or "Descending") == "Descending")
        return selected

    # ---- validation -------------------------------------------------------------

    def _hosting_endpoint(self, endpoint_name: str) -> Any:
        endpoint = self.backend.endpoints.get(endpoint_name)
        if endpoint is None:
            arn = arn_formatter("endpoint", endpoint_name, self.backend.account_id, self.backend.region_name)
            raise ValidationError(f"Could not find endpoint '{arn}'.")
        if endpoint.endpoint_status != "InService":
            raise ValidationError(
                f"Endpoint '{endpoint_name}' is {endpoint.endpoint_status}; a shadow test needs an InService endpoint."
            )
        config = self.backend.endpoint_configs.get(endpoint.endpoint_config_name)
        if config is not None and getattr(config, "async_inference_config", None):
            raise ValidationError(
                f"Endpoint '{endpoint_name}' is an asynchronous inference endpoint; "
                "shadow tests support real-time endpoints only."
            )
        for variant in endpoint.production_variants:
            if variant.get("CurrentServerlessConfig"):
                raise ValidationError(
                    f"Endpoint '{endpoint_name}' hosts serverless variant '{variant['VariantName']}'; "
                    "shadow tests support real-time endpoints only."
                )
        for variant in getattr(config, "production_variants", None) or []:
            self._single_container_model(variant.get("ModelName"), f"endpoint '{endpoint_name}'")
        return endpoint

    def _single_container_model(self, model_name: str | None, where: str) -> None:
        model = self.backend._models.get(model_name or "")
        if model is not None and len(getattr(model, "containers", None) or []) > 1:
            raise ValidationError(
                f"Model '{model_name}' used by {where} has multiple containers; "
                "shadow tests support single-container models only."
            )

    def _validate_variants(self, variants: list[dict[str, Any]], shadow_config: dict[str, Any]) -> None:
        names = [v["VariantName"] for v in variants]
        if not 1 <= len(variants) <= 2:
            raise ValidationError(
                "1 validation error detected: Value at 'modelVariants' failed to satisfy constraint: "
                "Member must have length less than or equal to 2"
            )
        if len(set(names)) != len(names):
            raise ValidationError(f"ModelVariants contains duplicate variant names: {', '.join(names)}.")
        for variant in variants:
            if variant["ModelName"] not in self.backend._models:
                arn = arn_formatter("model", variant["ModelName"], self.backend.account_id, self.backend.region_name)
                raise ValidationError(f"Could not find model '{arn}'.")
            self._single_container_model(variant["ModelName"], f"variant '{variant['VariantName']}'")
        shadows = shadow_config.get("ShadowModelVariants") or []
        if len(shadows) != 1:
            raise ValidationError(
                "1 validation error detected: Value at 'shadowModeConfig.shadowModelVariants' failed to satisfy "
                "constraint: Member must have length less than or equal to 1"
            )
        source = shadow_config["SourceModelVariantName"]
        if source not in names:
            raise ValidationError(
                f"SourceModelVariantName '{source}' is not one of the ModelVariants ({', '.join(names)})."
            )
        for shadow in shadows:
            shadow_name = shadow["ShadowModelVariantName"]
            if shadow_name not in names:
                raise ValidationError(
                    f"ShadowModelVariantName '{shadow_name}' is not one of the ModelVariants ({', '.join(names)})."
                )
            if shadow_name == source:
                raise ValidationError(f"Variant '{source}' cannot be both the production and the shadow variant.")
            percentage = shadow.get("SamplingPercentage")
            if not isinstance(percentage, int) or not 1 <= percentage <= 100:
                raise ValidationError(
                    f"SamplingPercentage {percentage} of shadow variant '{shadow_name}' must be between 1 and 100."
                )
        unused = set(names) - {source} - {s["ShadowModelVariantName"] for s in shadows}
        if unused:
            raise ValidationError(
                f"ModelVariants {', '.join(sorted(unused))} are neither the production nor the shadow variant."
            )

    def _reject_running_changes(self, experiment: Experiment, request: dict[str, Any]) -> None:
        """A started test may change only Description, SamplingPercentage and Schedule EndTime."""

        def differs(key: str, current: Any) -> bool:
            return request.get(key) is not None and request[key] != current

        changed = [
            key
            for key, current in (
                ("ModelVariants", experiment.model_variants),
                ("DataStorageConfig", experiment.data_storage_config),
            )
            if differs(key, current)
        ]
        requested_shadow = request.get("ShadowModeConfig")
        if requested_shadow is not None:
            current_shape = shadow_names(experiment.shadow_mode_config)
            if shadow_names(requested_shadow) != current_shape:
                changed.append("ShadowModeConfig")
        schedule = request.get("Schedule") or {}
        if "StartTime" in schedule and abs(epoch(schedule["StartTime"]) - experiment.start_time) >= 1:
            changed.append("Schedule.StartTime")
        if changed:
            raise ValidationError(
                f"Inference experiment '{experiment.name}' is Running; only Description, "
                f"ShadowModelVariants SamplingPercentage and Schedule EndTime can change. Requested changes to: "
                f"{', '.join(changed)}."
            )

    def _validate_actions(
        self, experiment: Experiment, actions: dict[str, str], desired: list[dict[str, Any]] | None
    ) -> None:
        names = [v["VariantName"] for v in experiment.model_variants]
        for variant, action in actions.items():
            if variant not in names:
                raise ValidationError(
                    f"ModelVariantActions names '{variant}', which is not a variant of inference experiment "
                    f"'{experiment.name}' ({', '.join(names)})."
                )
            if action not in VARIANT_ACTIONS:
                raise ValidationError(
                    f"Value '{action}' at 'modelVariantActions.{variant}' failed to satisfy constraint: "
                    "Member must satisfy enum value set: [Retain, Remove, Promote]"
                )
        missing = [n for n in names if n not in actions]
        if missing:
            raise ValidationError(
                f"ModelVariantActions must give an action for every variant; missing: {', '.join(missing)}."
            )
        if actions[experiment.source_variant] == "Promote":
            raise ValidationError(f"Production variant '{experiment.source_variant}' cannot be promoted.")
        promoted = [n for n in experiment.shadow_variants if actions[n] == "Promote"]
        if promoted and actions[experiment.source_variant] != "Remove":
            raise ValidationError(
                f"Promoting shadow variant '{promoted[0]}' replaces production variant "
                f"'{experiment.source_variant}', whose action must be Remove."
            )
        for variant in desired or []:
            if variant["VariantName"] not in promoted:
                raise ValidationError(
                    f"DesiredModelVariants names '{variant['VariantName']}', which is not a promoted variant."
                )

    def _schedule(self, schedule: dict[str, Any] | None, now: float) -> tuple[float, float]:
        schedule = schedule or {}
        start = epoch(schedule["StartTime"]) if schedule.get("StartTime") is not None else now
        end = epoch(schedule["EndTime"]) if schedule.get("EndTime") is not None else start + SEVEN_DAYS
        if end <= start:
            raise ValidationError("Schedule EndTime must be after StartTime.")
        if end - start > THIRTY_DAYS:
            raise ValidationError("Schedule may span at most 30 days between StartTime and EndTime.")
        return start, end


def shadow_names(config: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    return config["SourceModelVariantName"], tuple(v["ShadowModelVariantName"] for v in config["ShadowModelVariants"])


def variant_summary(variant: dict[str, Any]) -> dict[str, Any]:
    """The endpoint-side view of a deployed variant, as DescribeEndpoint shows it."""
    count = variant["InfrastructureConfig"]["RealTimeInferenceConfig"]["InstanceCount"]
    return {
        "VariantName": variant["VariantName"],
        "CurrentWeight": 1.0,
        "DesiredWeight": 1.0,
        "CurrentInstanceCount": count,
        "DesiredInstanceCount": count,
    }


def merge_tags(existing: list[dict[str, str]], added: list[dict[str, str]]) -> list[dict[str, str]]:
    """AddTags semantics: a key already present takes the new value."""
    merged = {t["Key"]: t["Value"] for t in existing}
    merged.update({t["Key"]: t["Value"] for t in added})
    return [{"Key": k, "Value": v} for k, v in merged.items()]


def within(moment: float, after: Any, before: Any) -> bool:
    return (after is None or moment > epoch(after)) and (before is None or moment < epoch(before))


def store_of(backend: SageMakerModelBackend) -> ExperimentStore:
    store = backend.__dict__.get("_inference_experiments")
    if store is None:
        store = ExperimentStore(backend)
        backend.__dict__["_inference_experiments"] = store
    return store
