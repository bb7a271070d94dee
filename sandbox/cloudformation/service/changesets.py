"""Change sets and drift detections as the service keeps them: data a CloudFormation API
can describe, list and execute."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ..engine.changes import Plan
from ..engine.drift import ResourceDrift
from ..engine.model import Stack

NO_CHANGES = "The submitted information didn't contain changes. Submit different information to create a change set."


@dataclass
class ChangeSet:
    name: str
    stack: Stack
    kind: str  # CREATE or UPDATE
    plan: Plan | None
    tags: dict[str, str]
    given: dict[str, str]
    template: str
    description: str = ""
    status: str = "CREATE_COMPLETE"
    status_reason: str = ""
    execution_status: str = "AVAILABLE"
    created: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __post_init__(self) -> None:
        arn = self.stack.id.replace(":stack/", ":changeSet/").rsplit("/", 2)[0]
        self.id = f"{arn}/{self.name}/{uuid.uuid4()}"

    def fail(self, reason: str) -> None:
        self.status, self.status_reason, self.execution_status = "FAILED", reason, "UNAVAILABLE"


@dataclass
class DriftDetection:
    stack: Stack
    results: list[ResourceDrift]
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def drifted(self) -> int:
        return sum(1 for r in self.results if r.status in ("MODIFIED", "DELETED"))
