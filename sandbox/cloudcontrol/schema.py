"""What Cloud Control asks of a registered type's schema beyond the sandbox's schema object
(`sandbox.schemas`): model validation worded as Cloud Control words it, identifiers given as
strings or JSON, and the create-only properties a patch reaches. Pointers are schema pointers
(`/properties/Name`, `/properties/Tags/*/Value`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import regex
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend, validator_for

from sandbox.schemas import ResourceSchema

from .exceptions import validation


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


@dataclass(frozen=True)
class TypeSchema(ResourceSchema):
    """A registered type's schema and the questions only Cloud Control asks of it."""

    def validate(self, model: dict[str, Any]) -> None:
        """Raise ValidationException naming every violation, as Cloud Control does."""
        base = validator_for(self.document, default=Draft7Validator)
        validator_class = extend(base, {"pattern": _pattern})  # type: ignore[no-untyped-call]
        problems = sorted(_message(e) for e in validator_class(self.document).iter_errors(model))
        if problems:
            raise validation(f"Model validation failed ({chr(10).join(problems)})")

    def identifier_model(self, identifier: str) -> dict[str, Any]:
        """The primary identifier as properties, from its string or its JSON form."""
        names = self.primary_identifier
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
