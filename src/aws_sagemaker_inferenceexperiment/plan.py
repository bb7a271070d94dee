"""Work out what an update asks of SageMaker, from desired, previous and observed models,
and which variants a stop keeps. Pure."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .lifecycle import UpdatePlan
from .properties import FACTS
from .status import FINISHED, Status
from .translate import parse_time

SCHEDULE_KEYS = ("StartTime", "EndTime")
# A variant's deployment status while it serves traffic (botocore's ModelVariantStatus).
IN_SERVICE = "InService"
DELETED = "Deleted"
# Optional properties SageMaker can clear, and the value that clears them.
CLEARED_BY = {"Description": ""}


def changed_create_only(desired: dict[str, Any], previous: dict[str, Any]) -> list[str]:
    if not previous:
        return []
    return [key for key in FACTS.create_only if desired.get(key) != previous.get(key)]


def requested_stop(desired: dict[str, Any], previous: dict[str, Any]) -> str | None:
    state = desired.get("DesiredState")
    return state if state in FINISHED and state != previous.get("DesiredState") else None


def variant_names(model: dict[str, Any]) -> list[str]:
    return [v.get("VariantName") for v in model.get("ModelVariants") or []]


def dropped_by_stop(desired: dict[str, Any], previous: dict[str, Any]) -> frozenset[str]:
    """Variants an update that stops the experiment drops from ModelVariants (its variant choice)."""
    if requested_stop(desired, previous) is None:
        return frozenset()
    return frozenset(variant_names(previous)) - frozenset(variant_names(desired))


def kept_variants(desired: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """An update's variant choice: the variants still listed in ModelVariants."""
    return {v["VariantName"]: v for v in desired.get("ModelVariants") or []}


def production_only(described: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Keep the production variant and remove every shadow: the endpoint ends as it began."""
    source = described["ShadowModeConfig"]["SourceModelVariantName"]
    return {v["VariantName"]: v for v in described["ModelVariants"] if v["VariantName"] == source}


def desired_state_change(desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any]) -> str | None:
    """The DesiredState this update asks for: one that differs from the previous template's or,
    with no previous value (Cloud Control's read model never has one), from what SageMaker shows."""
    state = desired.get("DesiredState")
    before = previous["DesiredState"] if previous.get("DesiredState") is not None else observed.get("Status")
    return state if state is not None and state != before else None


def promotion_pending(desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any]) -> str | None:
    """The shadow variant this update's stop promotes, unless SageMaker shows the experiment
    finished with that promotion done: then the promotion a resent update asks for is done."""
    promoted = promoted_variant(desired, previous)
    if promoted is None or observed.get("Status") not in FINISHED:
        return promoted
    return promoted if promotion_finding(promoted, observed) else None


def needs_endpoint(desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any]) -> bool:
    """Whether only the endpoint can tell if a finished experiment's promotion happened: its
    Describe shows the shadow variant InService and the production variant not Deleted, as it
    does after a stop that retained both, and perhaps after a promotion too (SageMaker does not
    document the status of a production variant that a promoting stop removed)."""
    promoted = promoted_variant(desired, previous)
    if promoted is None or observed.get("Status") not in FINISHED:
        return False
    statuses = observed.get("VariantStatuses") or {}
    return statuses.get(promoted) == IN_SERVICE and statuses.get(source_variant(observed, previous)) != DELETED


def source_variant(observed: dict[str, Any], previous: dict[str, Any]) -> Any:
    config = observed.get("ShadowModeConfig") or previous.get("ShadowModeConfig") or {}
    return config.get("SourceModelVariantName")


def promotion_finding(promoted: str, observed: dict[str, Any]) -> str:
    """Why a finished experiment does not show `promoted` promoted ("" when it does): the
    shadow variant not InService; or, where Describe cannot tell (`needs_endpoint`), the
    endpoint (observed["Endpoint"], from DescribeEndpoint) not serving it as production."""
    statuses = observed.get("VariantStatuses") or {}
    source = source_variant(observed, {})
    shown = statuses.get(promoted) or "gone"
    if shown != IN_SERVICE:
        return f"SageMaker reports its shadow variant '{promoted}' {shown}: it was not promoted."
    if statuses.get(source) == DELETED:
        return ""
    endpoint = observed.get("Endpoint") or {}
    name = endpoint.get("EndpointName")
    if not endpoint.get("Exists"):
        return (
            f"SageMaker reports both its variants InService, as after a stop that retained them, and endpoint "
            f"'{name}' no longer exists, so whether shadow variant '{promoted}' was promoted cannot be confirmed: "
            "check the ModelVariantActions of the StopInferenceExperiment call that ended it (CloudTrail)."
        )
    production = endpoint.get("ProductionVariants") or []
    if promoted in production and source not in production:
        return ""
    role = "a shadow variant" if promoted in (endpoint.get("ShadowProductionVariants") or []) else "not at all"
    return (
        f"Its shadow variant '{promoted}' was not promoted: endpoint '{name}' serves production variant(s) "
        f"{', '.join(production) or 'none'} and has '{promoted}' {role}."
    )


def promoted_variant(desired: dict[str, Any], previous: dict[str, Any]) -> str | None:
    """The shadow variant an update's stop promotes: production dropped, a shadow kept."""
    if requested_stop(desired, previous) is None:
        return None
    source = (previous.get("ShadowModeConfig") or {}).get("SourceModelVariantName")
    kept = variant_names(desired)
    if source in kept:
        return None
    return next((name for name in kept if name != source), None)


def _moment(value: Any) -> float | None:
    return parse_time(value).timestamp() if value else None


def schedule_changes(
    desired: dict[str, Any] | None, previous: dict[str, Any] | None, observed: dict[str, Any] | None, started: bool
) -> dict[str, Any]:
    """Schedule times the template changed and SageMaker does not already have. A StartTime
    that differs only because the test was started early is not a change. Without a previous
    Schedule (Cloud Control's previous state is the read model, which never has one) the
    times are judged against SageMaker's alone (Update rule 10)."""
    wanted, current = desired or {}, observed or {}
    if previous is None:
        return _changes_from_observed(wanted, current, started)
    changes = {}
    for key in SCHEDULE_KEYS:
        moment = _moment(wanted.get(key))
        if moment is not None and moment not in (_moment(previous.get(key)), _moment(current.get(key))):
            changes[key] = wanted[key]
    return changes


def _changes_from_observed(wanted: dict[str, Any], current: dict[str, Any], started: bool) -> dict[str, Any]:
    """A started test's StartTime is history. Its EndTime is unchanged when it is SageMaker's,
    or when the whole schedule is SageMaker's moved by a start at another time (same length),
    whichever way SageMaker treats the EndTime of a test started before its StartTime."""
    start, end = _moment(wanted.get("StartTime")), _moment(wanted.get("EndTime"))
    now_start, now_end = _moment(current.get("StartTime")), _moment(current.get("EndTime"))
    changes = {}
    if start is not None and start != now_start and not started:
        changes["StartTime"] = wanted["StartTime"]
    if end is None or end == now_end:
        return changes
    moved = (
        started
        and start is not None
        and now_start is not None
        and now_end is not None
        and end - start == now_end - now_start
    )
    if moved:
        return changes
    changes["EndTime"] = wanted["EndTime"]
    return changes


def schedule_to_send(changes: dict[str, Any], desired: dict[str, Any], status: str, now: datetime) -> dict[str, Any]:
    """What UpdateInferenceExperiment gets for Schedule: never a StartTime in the past or
    of a started test; a changed StartTime travels with its EndTime."""
    request = dict(changes)
    start = request.get("StartTime")
    if start is not None and (status != Status.CREATED or parse_time(start) <= now):
        del request["StartTime"]
    if "StartTime" in request and desired.get("EndTime"):
        request["EndTime"] = desired["EndTime"]
    return request


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


def changed_paths(wanted: Any, current: Any, path: str) -> set[str]:
    """Dotted paths (list positions left out) where `wanted` differs from `current`."""
    if isinstance(wanted, dict) and isinstance(current, dict):
        keys = set(wanted) | set(current)
        return {p for key in keys for p in changed_paths(wanted.get(key), current.get(key), f"{path}.{key}")}
    if isinstance(wanted, list) and isinstance(current, list) and len(wanted) == len(current):
        return {p for w, c in zip(wanted, current, strict=True) for p in changed_paths(w, c, path)}
    return set() if wanted == current else {path}


def running_violations(changes: dict[str, Any], observed: dict[str, Any]) -> tuple[str, ...]:
    """What in `changes` a Running experiment cannot take (FACTS.changeable_while_running):
    the property where nothing under it may change, the exact path otherwise."""
    allowed = FACTS.changeable_while_running
    violations: set[str] = set()
    for key, value in changes.items():
        current = {} if key == "Schedule" else observed.get(key)
        for path in changed_paths(value, current, key):
            if path in allowed:
                continue
            partly_allowed = any(rule.startswith(f"{key}.") for rule in allowed)
            violations.add(path if partly_allowed else key)
    return tuple(sorted(violations))


def property_changes(desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any]) -> dict[str, Any]:
    """Changeable properties the template changed and SageMaker does not already have,
    leaving out what a stop in the same update expresses as its variant choice."""
    stopping = requested_stop(desired, previous) is not None
    started = observed.get("Status") not in (None, Status.CREATING, Status.CREATED)
    changes: dict[str, Any] = {}
    for key in FACTS.changeable_before_start:
        if key == "Schedule":
            schedule = schedule_changes(desired.get(key), previous.get(key), observed.get(key), started)
            if schedule:
                changes[key] = schedule
            continue
        wanted = desired.get(key)
        if wanted is None or wanted in (previous.get(key), observed.get(key)):
            continue
        if key == "ModelVariants" and stopping and stop_choice_only(desired, previous):
            continue
        if key == "ShadowModeConfig" and stopping and dropped_by_stop(desired, previous):
            continue
        changes[key] = wanted
    return changes


def removals(
    desired: dict[str, Any], previous: dict[str, Any], observed: dict[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Optional properties the template dropped: (what clears them, what SageMaker cannot clear)."""
    clears: dict[str, Any] = {}
    uncleared: list[str] = []
    for key in FACTS.changeable_before_start:
        if previous.get(key) is None or desired.get(key) is not None:
            continue
        if key in CLEARED_BY:
            if observed.get(key):
                clears[key] = CLEARED_BY[key]
        else:
            uncleared.append(key)
    for key in SCHEDULE_KEYS:
        if desired.get("Schedule") and (previous.get("Schedule") or {}).get(key) and not desired["Schedule"].get(key):
            uncleared.append(f"Schedule.{key}")
    return clears, uncleared


def plan_update(
    desired: dict[str, Any],
    previous: dict[str, Any],
    observed: dict[str, Any],
    tags_change: bool,
    now: datetime,
) -> UpdatePlan:
    """Everything an update asks for, measured against what SageMaker reports now
    (`observed` in model shape, with its Status)."""
    changes = property_changes(desired, previous, observed)
    violations = running_violations(changes, observed)
    if "Schedule" in changes:
        sent = schedule_to_send(changes["Schedule"], desired["Schedule"], str(observed.get("Status")), now)
        changes = {k: v for k, v in changes.items() if k != "Schedule"} | ({"Schedule": sent} if sent else {})
    clears, uncleared = removals(desired, previous, observed)
    changes.update(clears)
    promoted = promotion_pending(desired, previous, observed)
    finished = observed.get("Status") in FINISHED
    return UpdatePlan(
        changes=changes,
        running_violations=violations,
        uncleared=tuple(uncleared),
        desired_state=desired_state_change(desired, previous, observed),
        tag_changes=tags_change,
        promoted=promoted,
        promotion_finding=promotion_finding(promoted, observed) if promoted and finished else "",
    )
