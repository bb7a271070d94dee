"""A stack, its resources and its events as the engine records them: plain data, so a
command line can print them and an API can serialise them."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from ..template.document import Document

STACK_TYPE = "AWS::CloudFormation::Stack"


@dataclass
class Physical:
    """What CloudFormation knows of a created resource: Ref value and GetAtt attributes."""

    ref: str
    attributes: dict[str, Any]
    name: str


@dataclass(frozen=True)
class StackEvent:
    stack_name: str
    stack_id: str
    logical_id: str
    physical_id: str
    type: str
    status: str
    reason: str
    timestamp: datetime
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class Deployed:
    """A resource as the stack knows it: the properties it was last given and what it became."""

    logical_id: str
    type: str
    properties: dict[str, Any]
    physical: Physical
    status: str
    deletion_policy: str = "Delete"
    update_replace_policy: str = "Delete"


@dataclass
class Stack:
    name: str
    region: str
    account: str
    tags: dict[str, str] = field(default_factory=dict)
    status: str = "REVIEW_IN_PROGRESS"
    status_reason: str = ""
    document: Document | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    template: str = ""
    resources: dict[str, Deployed] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)
    events: list[StackEvent] = field(default_factory=list)
    created: datetime = field(default_factory=lambda: datetime.now(UTC))
    updated: datetime | None = None  # when the last update began; never set on a stack not updated
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.id = f"arn:aws:cloudformation:{self.region}:{self.account}:stack/{self.name}/{uuid.uuid4()}"

    @property
    def busy(self) -> bool:
        return self.status.endswith("_IN_PROGRESS") and self.status != "REVIEW_IN_PROGRESS"

    def event(
        self, logical_id: str, type_name: str, status: str, reason: str = "", physical_id: str = ""
    ) -> StackEvent:
        """Record an event; a stack-level one also sets the stack's status."""
        if type_name == STACK_TYPE:
            self.status, self.status_reason, physical_id = status, reason, self.id
        event = StackEvent(self.name, self.id, logical_id, physical_id, type_name, status, reason, datetime.now(UTC))
        with self.lock:
            self.events.append(event)
        return event

    def stack_event(self, status: str, reason: str = "") -> StackEvent:
        return self.event(self.name, STACK_TYPE, status, reason)
