"""The `/_sandbox/*` request bodies, read and checked whole before anything changes: a
field of the wrong type, a negative duration or an unknown name is a `BadRequest` naming
the field, which the routes answer with HTTP 400, never a traceback and a 500."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from sandbox.emulator.settings import DURATION_KEYS, JOB_DURATION_KEYS, REMOVED_PRODUCTION_STATUSES, SCRIPTABLE
from sandbox.emulator.status import Status

CONFIG_FIELDS = (
    "durations",
    "job_durations",
    "faults",
    "stop_before_start",
    "removed_production_status",
    "outcomes",
    "clear_calls",
)
FAULT_FIELDS = ("seed", "throttle_rate", "server_error_rate", "operations")
SEED_FIELDS = ("count", "prefix", "template", "account", "region")
TEMPLATE_FIELDS = {"RoleArn": str, "EndpointName": str, "ModelVariants": list, "ShadowModeConfig": dict}
MOST_SEEDED = 100_000  # bounds one request's memory; the list benchmark seeds a few thousand


class BadRequest(ValueError):
    """A request the server refuses; the message says which field and why."""


@dataclass(frozen=True)
class Faults:
    seed: int
    throttle_rate: float
    server_error_rate: float
    operations: frozenset[str]


@dataclass(frozen=True)
class ConfigChange:
    """What one `/_sandbox/config` request asks for; absent fields change nothing."""

    durations: dict[str, float] = field(default_factory=dict)
    job_durations: dict[str, float] = field(default_factory=dict)
    faults: Faults | None = None
    stop_before_start: bool | None = None
    removed_production_status: str | None = None
    outcomes: dict[str, tuple[Status, str]] = field(default_factory=dict)
    clear_calls: bool = False


def json_object(body: bytes, what: str) -> dict[str, Any]:
    """The body as a JSON object (an empty body is `{}`)."""
    try:
        loaded = json.loads(body or b"{}")
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadRequest(f"the {what} body is not JSON: {error}") from None
    return mapping(loaded, f"the {what} body")


def mapping(value: Any, name: str, known: Collection[str] | None = None) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadRequest(f"{name} must be a JSON object, got {json.dumps(value)}")
    unknown = sorted(set(value) - set(known)) if known is not None else []
    if unknown:
        raise BadRequest(f"{name} has unknown field(s) {', '.join(unknown)}; expected some of {', '.join(known or ())}")
    return value


def number(value: Any, name: str, maximum: float = math.inf) -> float:
    """A finite JSON number from 0 to `maximum` (Python's JSON reads 1e999 as infinity)."""
    numeric = isinstance(value, int | float) and not isinstance(value, bool)
    if not (numeric and math.isfinite(value) and 0 <= value <= maximum):
        bound = f"from 0 to {maximum:g}" if math.isfinite(maximum) else "0 or more"
        raise BadRequest(f"{name} must be a number {bound}, got {json.dumps(value)}")
    return float(value)


def integer(value: Any, name: str, lowest: int, highest: int | None = None) -> int:
    whole = isinstance(value, int) and not isinstance(value, bool)
    if not (whole and value >= lowest and (highest is None or value <= highest)):
        bound = f"{lowest} or more" if highest is None else f"from {lowest} to {highest}"
        raise BadRequest(f"{name} must be a whole number {bound}, got {json.dumps(value)}")
    return int(value)


def text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value:
        raise BadRequest(f"{name} must be a non-empty string, got {json.dumps(value)}")
    return value


def flag(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise BadRequest(f"{name} must be true or false, got {json.dumps(value)}")
    return value


def durations(value: Any, name: str = "durations", keys: Collection[str] = DURATION_KEYS) -> dict[str, float]:
    """Seconds per transition named in `keys`: finite and not negative (a negative one made a
    status end before it began)."""
    return {status: number(seconds, f"{name}.{status}") for status, seconds in mapping(value, name, keys).items()}


def faults(value: Any, operations: Collection[str]) -> Faults:
    """A seeded plan; rates are shares of calls, so each and their sum are at most 1; the
    operations must be ones the emulator answers, or the plan would silently never fire."""
    raw = mapping(value, "faults", FAULT_FIELDS)
    throttle = number(raw.get("throttle_rate", 0), "faults.throttle_rate", maximum=1)
    server_error = number(raw.get("server_error_rate", 0), "faults.server_error_rate", maximum=1)
    if throttle + server_error > 1:
        total = throttle + server_error
        raise BadRequest(f"faults.throttle_rate + faults.server_error_rate must be at most 1, got {total:g}")
    names = raw.get("operations", [])
    if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
        raise BadRequest(f"faults.operations must be a list of operation names, got {json.dumps(names)}")
    unknown = sorted(set(names) - set(operations))
    if unknown:
        raise BadRequest(
            f"faults.operations names no emulated operation: {', '.join(unknown)}; expected some of "
            + ", ".join(sorted(operations))
        )
    return Faults(integer(raw.get("seed", 0), "faults.seed", 0), throttle, server_error, frozenset(names))


def one_of(value: Any, name: str, choices: Collection[str]) -> str:
    if value not in choices:
        raise BadRequest(f"{name} must be one of {', '.join(choices)}, got {json.dumps(value)}")
    return str(value)


def outcomes(value: Any) -> dict[str, tuple[Status, str]]:
    scripted = {}
    for action, outcome in mapping(value, "outcomes", SCRIPTABLE).items():
        raw = mapping(outcome, f"outcomes.{action}", ("status", "reason"))
        status = text(raw.get("status"), f"outcomes.{action}.status")
        if status not in set(Status):
            choices = ", ".join(Status)
            raise BadRequest(f"outcomes.{action}.status must be one of {choices}, got {json.dumps(status)}")
        scripted[action] = (Status(status), text(raw.get("reason"), f"outcomes.{action}.reason"))
    return scripted


def config_change(document: dict[str, Any], operations: Collection[str]) -> ConfigChange:
    """Every field of a `/_sandbox/config` body checked; `operations` are the emulated ones."""
    raw = mapping(document, "the /_sandbox/config body", CONFIG_FIELDS)
    return ConfigChange(
        durations=durations(raw["durations"]) if "durations" in raw else {},
        job_durations=durations(raw["job_durations"], "job_durations", JOB_DURATION_KEYS)
        if "job_durations" in raw
        else {},
        faults=faults(raw["faults"], operations) if "faults" in raw else None,
        stop_before_start=flag(raw["stop_before_start"], "stop_before_start") if "stop_before_start" in raw else None,
        removed_production_status=one_of(
            raw["removed_production_status"], "removed_production_status", REMOVED_PRODUCTION_STATUSES
        )
        if "removed_production_status" in raw
        else None,
        outcomes=outcomes(raw["outcomes"]) if "outcomes" in raw else {},
        clear_calls=flag(raw.get("clear_calls", False), "clear_calls"),
    )


def since(query: dict[str, list[str]]) -> int:
    """`?since=N` of `/_sandbox/calls`: how many logged calls to skip, 0 or more."""
    value = query.get("since", ["0"])[-1]
    if not (value.isascii() and value.isdecimal()):
        raise BadRequest(f"since must be a whole number 0 or more, got {value!r}")
    return int(value)


def seed_request(document: dict[str, Any]) -> dict[str, Any]:
    """A `/_sandbox/seed-finished` body: count, prefix and a CreateInferenceExperiment-shaped
    template with the fields a finished experiment is made from."""
    raw = mapping(document, "the /_sandbox/seed-finished body", SEED_FIELDS)
    integer(raw.get("count"), "count", 0, MOST_SEEDED)
    text(raw.get("prefix"), "prefix")
    template = mapping(raw.get("template"), "template")
    for name, kind in TEMPLATE_FIELDS.items():
        if not isinstance(template.get(name), kind):
            raise BadRequest(f"template.{name} must be a JSON {kind.__name__}, got {json.dumps(template.get(name))}")
    if "account" in raw and not (isinstance(raw["account"], str) and re.fullmatch(r"\d{12}", raw["account"])):
        raise BadRequest(f"account must be a 12-digit AWS account ID, got {json.dumps(raw['account'])}")
    if "region" in raw:
        text(raw["region"], "region")
    return raw
