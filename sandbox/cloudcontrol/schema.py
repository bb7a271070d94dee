"""What Cloud Control reads from a registered type's schema: model validation, the primary
identifier, create-only and write-only properties. Pointers are schema pointers
(`/properties/Name`, `/properties/Tags/*/Value`)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend, validator_for

from .exceptions import validation

PROPERTIES = "/properties"


def _message(error: ValidationError) -> str:
    """jsonschema's message, worded as Cloud Control's Java validator words the common two."""
    where = "#" + "".join(f"/{part}" for part in error.absolute_path)
    if error.validator == "additionalProperties":
        declared = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        given = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(set(given) - set(declared))
        return f"{where}: extraneous key [{', '.join(extra)}] is not permitted"
    if error.validator == "required":
        return f"{where}: required key [{error.message.split(chr(39))[1]}] not found"
    return f"{where}: {error.message}"


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
    """`pattern` with Unicode property classes (`\\p{L}`), which resource schemas use and
    Python's `re` lacks; Cloud Control's Java validator has them."""
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _parts(pointer: str) -> list[str]:
    return pointer.removeprefix(PROPERTIES).strip("/").split("/")


def _remove(node: Any, parts: list[str]) -> None:
    """Delete the value at `parts` ('*' is every array item) from `node`, if present."""
    head, rest = parts[0], parts[1:]
    children = node if head == "*" and isinstance(node, list) else None
    if children is not None:
        for child in children:
            _remove(child, rest)
    elif isinstance(node, dict) and head in node:
        if rest:
            _remove(node[head], rest)
        else:
            del node[head]


@dataclass(frozen=True)
class TypeSchema:
    """A resource type's schema document and the questions Cloud Control asks of it."""

    document: dict[str, Any]

    @property
    def type_name(self) -> str:
        return str(self.document["typeName"])

    def pointers(self, key: str) -> list[str]:
        return [str(pointer) for pointer in self.document.get(key, [])]

    def validate(self, model: dict[str, Any]) -> None:
        """Raise ValidationException naming every violation, as Cloud Control does."""
        base = validator_for(self.document, default=Draft7Validator)
        validator_class = extend(base, {"pattern": _pattern})  # type: ignore[no-untyped-call]
        problems = sorted(_message(e) for e in validator_class(self.document).iter_errors(model))
        if problems:
            raise validation(f"Model validation failed ({chr(10).join(problems)})")

    def identifier_of(self, model: dict[str, Any]) -> str | None:
        """The primary identifier string (values joined by '|'), or None while any is unknown."""
        values = [model.get(_parts(pointer)[0]) for pointer in self.pointers("primaryIdentifier")]
        return "|".join(str(value) for value in values) if all(v is not None for v in values) else None

    def identifier_model(self, identifier: str) -> dict[str, Any]:
        """The primary identifier as properties, from its string or its JSON form."""
        names = [_parts(pointer)[0] for pointer in self.pointers("primaryIdentifier")]
        if not identifier.startswith("{"):
            values = identifier.split("|")
            if len(values) != len(names):
                raise validation(f"Identifier {identifier} does not match the primary identifier {names}")
            return dict(zip(names, values, strict=True))
        try:
            given = json.loads(identifier)
        except ValueError:
            given = None
        if not isinstance(given, dict) or sorted(given) != sorted(names):
            raise validation(
                "When specifying the identifier as JSON, you must specify exactly one identifier from "
                f"[{self.pointers('primaryIdentifier')}], and no additional properties can be specified"
            )
        return given

    def without_write_only(self, model: dict[str, Any]) -> dict[str, Any]:
        """What GetResource and ListResources may show: the model minus write-only properties."""
        shown = copy.deepcopy(model)
        for pointer in self.pointers("writeOnlyProperties"):
            _remove(shown, _parts(pointer))
        return shown
