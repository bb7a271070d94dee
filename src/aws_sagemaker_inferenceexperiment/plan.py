"""Work out what an update asks of SageMaker, from desired, previous and observed models. Pure."""

from __future__ import annotations

from typing import Any

from .lifecycle import STOP_STATES, UpdatePlan
from .translate import UPDATABLE, parse_time

CREATE_ONLY = ("Name", "Type", "RoleArn", "EndpointName", "KmsKey")


def changed_create_only(desired: dict[str, Any], previous: dict[str, Any]) -> list[str]:
    if not previous:
        return []
    return [key for key in CREATE_ONLY if desired.get(key) != previous.get(key)]


def requested_stop(desired: dict[str, Any], previous: dict[str, Any]) -> str | None:
    state = desired.get("DesiredState")
    return state if state in STOP_STATES and state != previous.get("DesiredState") else None


def variant_names(model: dict[str, Any]) -> list[str]:
    return [v.get("VariantName") for v in model.get("ModelVariants") or []]


def dropped_by_stop(desired: dict[str, Any], previous: dict[str, Any]) -> frozenset[str]:
    """Variants an update that stops the experiment drops from ModelVariants (its variant choice)."""
    if requested_stop(desired, previous) is None:
        return frozenset()
    return frozenset(variant_names(previous)) - frozenset(variant_names(desired))


def _schedule_key(schedule: dict[str, Any] | None) -> tuple[float | None, float | None]:
    schedule = schedule or {}

    def at(key: str) -> float | None:
        return parse_time(schedule[key]).timestamp() if schedule.get(key) else None

    return at("StartTime"), at("EndTime")


def same(key: str, left: Any, right: Any) -> bool:
    if key == "Schedule":
        return _schedule_key(left) == _schedule_key(right)
    return bool(left == right)


def stop_choice_only(desired: dict[str, Any], previous: dict[str, Any]) -> bool:
    """True when a ModelVariants change only drops variants, and only a promoted variant
    (the shadow kept while the production variant is dropped) has a new configuration,
    which the stop carries as DesiredModelVariants."""
    wanted = {v.get("VariantName"): v for v in desired.get("ModelVariants") or []}
    before = {v.get("VariantName"): v for v in previous.get("ModelVariants") or []}
    if not set(wanted) < set(before):
        return False
    source = (previous.get("ShadowModeConfig") or {}).get("SourceModelVariantName")
    promoting = source not in wanted
    return all(variant == before[name] or (promoting and name != source) for name, variant in wanted.items())


def running_violations(changes: dict[str, Any], observed: dict[str, Any]) -> tuple[str, ...]:
    """Properties in `changes` that a Running experiment cannot take."""
    violations = []
    for key, value in changes.items():
        if key in ("ModelVariants", "DataStorageConfig"):
            violations.append(key)
        elif key == "Schedule":
            wanted, current = _schedule_key(value)[0], _schedule_key(observed.get("Schedule"))[0]
            if wanted is not None and wanted != current:
                violations.append("Schedule.StartTime")
        elif key == "ShadowModeConfig":
            violations.extend(_shadow_violations(value, observed.get("ShadowModeConfig") or {}))
    return tuple(violations)


def _shadow_violations(wanted: dict[str, Any], current: dict[str, Any]) -> list[str]:
    violations = []
    if wanted.get("SourceModelVariantName") != current.get("SourceModelVariantName"):
        violations.append("ShadowModeConfig.SourceModelVariantName")
    wanted_names = [v.get("ShadowModelVariantName") for v in wanted.get("ShadowModelVariants") or []]
    current_names = [v.get("ShadowModelVariantName") for v in current.get("ShadowModelVariants") or []]
    if wanted_names != current_names:
        violations.append("ShadowModeConfig.ShadowModelVariants.ShadowModelVariantName")
    return violations


def plan_update(
    desired: dict[str, Any],
    previous: dict[str, Any],
    observed: dict[str, Any],
    tags_change: bool,
) -> UpdatePlan:
    """Mutable properties changed since the previous template and not yet in effect, and the rest."""
    stopping = requested_stop(desired, previous) is not None
    changes = {}
    for key in UPDATABLE:
        wanted = desired.get(key)
        if wanted is None or same(key, wanted, previous.get(key)) or same(key, wanted, observed.get(key)):
            continue
        if key == "ModelVariants" and stopping and stop_choice_only(desired, previous):
            continue
        if key == "ShadowModeConfig" and stopping and dropped_by_stop(desired, previous):
            continue
        changes[key] = wanted
    desired_state = desired.get("DesiredState")
    return UpdatePlan(
        changes=changes,
        running_violations=running_violations(changes, observed),
        desired_state=desired_state if desired_state != previous.get("DesiredState") else None,
        tag_changes=tags_change,
    )
