"""UpdateResource's PatchDocument: which schema properties it may reach, and applying it.

Cloud Control refuses, before it reads the resource, any patch operation whose path (or a
`move`'s `from`) reaches a create-only property (NotUpdatableException) or a read-only one
(ValidationException), whatever the value, as AWS answers both (see docs/cloudcontrol.md)."""

from __future__ import annotations

from typing import Any

import jsonpatch

from .exceptions import CloudControlError, validation
from .schema import TypeSchema

PROPERTIES = "/properties"


def _reaches(path: Any, target: str) -> bool:
    """True when patching `path` changes the value at `target` (the same member, one inside
    it, or one that holds it)."""
    return isinstance(path, str) and (path == target or path.startswith(target + "/") or target.startswith(path + "/"))


def touched(pointers: list[str], patch: list[Any]) -> list[str]:
    """The schema pointers (`/properties/Arn`) that some operation of `patch` reaches."""
    reached = []
    for pointer in pointers:
        target = pointer.removeprefix(PROPERTIES)
        for operation in patch:
            if not isinstance(operation, dict):
                continue
            paths = [operation.get("path"), operation.get("from") if operation.get("op") == "move" else None]
            if any(_reaches(path, target) for path in paths):
                reached.append(pointer)
                break
    return reached


def refuse_fixed_properties(schema: TypeSchema, patch: list[Any]) -> None:
    """Raise as Cloud Control does for a patch that reaches create-only or read-only properties."""
    create_only = touched(schema.pointers("createOnlyProperties"), patch)
    if create_only:
        raise CloudControlError(
            "NotUpdatableException",
            f"Invalid patch update: createOnlyProperties [{', '.join(create_only)}] cannot be updated",
        )
    read_only = touched(schema.pointers("readOnlyProperties"), patch)
    if read_only:
        raise validation(f"Invalid patch update: readOnlyProperties [{', '.join(read_only)}] cannot be updated")


def patched(current: dict[str, Any], patch: list[Any]) -> dict[str, Any]:
    """RFC 6902, one operation after another; a failure names the operation, not the model
    (Properties are sensitive)."""
    state = current
    for number, operation in enumerate(patch, 1):
        try:
            state = jsonpatch.apply_patch(state, [operation])
        except (jsonpatch.JsonPatchException, jsonpatch.JsonPointerException, TypeError) as error:
            reason = str(error).split(" in {", 1)[0]
            where = f"{operation.get('op')} {operation.get('path')}" if isinstance(operation, dict) else operation
            raise validation(f"Invalid patch document: operation {number} ({where}): {reason}") from None
    return state
