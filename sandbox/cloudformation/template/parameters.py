"""Parameter values checked the way CloudFormation checks them before anything is created:
types, AllowedValues, AllowedPattern, length and value limits, with its error wording."""

from __future__ import annotations

import re
from typing import Any

from .document import TemplateError
from .intrinsics import text as as_text

SSM_PREFIX = "AWS::SSM::Parameter::Value<"


def resolve(declared: dict[str, dict[str, Any]], given: dict[str, str]) -> dict[str, Any]:
    """Every declared parameter's value: given, else its Default; raise on the first violation."""
    unknown = sorted(set(given) - set(declared))
    if unknown:
        raise TemplateError(f"Parameters: {unknown} do not exist in the template")
    missing = [name for name in declared if name not in given and "Default" not in declared[name]]
    if missing:
        raise TemplateError(f"Parameters: {missing} must have values")
    return {name: value(name, spec, given.get(name, spec.get("Default"))) for name, spec in declared.items()}


def value(name: str, spec: dict[str, Any], raw: Any) -> Any:
    kind = str(spec.get("Type", "String"))
    if kind.startswith(SSM_PREFIX) or kind == "AWS::SSM::Parameter::Name":
        raise TemplateError(
            f"Parameter '{name}': type {kind} needs Systems Manager, which the rehearsal has no store for"
        )
    given = ",".join(as_text(v) for v in raw) if isinstance(raw, list) else as_text(raw)
    if kind.startswith("List<") or kind == "CommaDelimitedList":
        items = [item.strip() for item in given.split(",")]
        for item in items:
            check(name, spec, item, kind == "List<Number>")
        return items
    check(name, spec, given, kind == "Number")
    return given


def check(name: str, spec: dict[str, Any], text: str, numeric: bool) -> None:
    described = spec.get("ConstraintDescription")
    if numeric and not is_number(text):
        raise TemplateError(f"Parameter '{name}' must be a number")
    allowed = spec.get("AllowedValues")
    if allowed is not None and text not in [as_text(a) for a in allowed]:
        raise TemplateError(f"Parameter '{name}' must be one of AllowedValues")
    pattern = spec.get("AllowedPattern")
    if pattern is not None and not re.fullmatch(str(pattern), text):
        raise TemplateError(
            f"Parameter '{name}' failed to satisfy constraint: "
            + (described or f"Malformed input-Parameter {name} must match pattern {pattern}")
        )
    if "MinLength" in spec and len(text) < int(spec["MinLength"]):
        raise TemplateError(described or f"Parameter '{name}' must contain at least {spec['MinLength']} characters")
    if "MaxLength" in spec and len(text) > int(spec["MaxLength"]):
        raise TemplateError(described or f"Parameter '{name}' must contain at most {spec['MaxLength']} characters")
    if numeric:
        number = float(text)
        if "MinValue" in spec and number < float(spec["MinValue"]):
            raise TemplateError(described or f"Parameter '{name}' must be a number not less than {spec['MinValue']}")
        if "MaxValue" in spec and number > float(spec["MaxValue"]):
            raise TemplateError(described or f"Parameter '{name}' must be a number not greater than {spec['MaxValue']}")


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
