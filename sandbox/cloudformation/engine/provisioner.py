"""What the engine needs from whoever makes resources real: the provisioner interface, the
failure it raises (a handler error code and a message, never a message to parse), and the
one generator of CloudFormation physical names."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from .model import Deployed, Physical

Report = Callable[[str], None]
REASON_WITH_CODE = re.compile(r"^\[(\w+)\] ")


class ResourceFailure(Exception):
    """A resource operation that failed: `code` is the handler error code (NotFound,
    InvalidRequest, ...) and the text is the event's status reason, `[code] message`."""

    def __init__(self, reason: str, code: str | None = None, identified: Physical | None = None) -> None:
        super().__init__(reason)
        found = REASON_WITH_CODE.match(reason)
        self.code = code or (found.group(1) if found else None)
        # A create that failed after its handler reported the primary identifier: CloudFormation
        # knows the resource, so the rollback calls its delete handler.
        self.identified = identified

    @classmethod
    def of(cls, code: str | None, message: str) -> ResourceFailure:
        return cls(f"[{code}] {message}", code)


@dataclass
class StackInfo:
    name: str
    tags: dict[str, str]
    previous_tags: dict[str, str]


class Predicts(Protocol):
    def predict(self, logical_id: str, type_name: str, properties: dict[str, Any], name: str) -> Physical: ...


class Provisioner(Predicts, Protocol):
    def handles(self, type_name: str) -> bool: ...

    def create(self, stack: StackInfo, deployed: Deployed, name: str, report: Report) -> Physical: ...

    def update(self, stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical: ...

    def delete(self, stack: StackInfo, deployed: Deployed) -> None: ...

    def read(self, deployed: Deployed) -> dict[str, Any]: ...


def generated_name(stack_name: str, logical_id: str, limit: int = 63) -> str:
    """CloudFormation's physical name: stack-logical-RANDOM, letters, digits and hyphens. The
    planner calls it once per new resource and the operation uses what the plan holds, so a
    change set's predicted names are the names the resources get."""
    suffix = uuid.uuid4().hex[:12].upper()
    base = f"{stack_name}-{logical_id}"[: limit - len(suffix) - 1]
    return "".join(c if c.isalnum() else "-" for c in base).strip("-") + f"-{suffix}"
