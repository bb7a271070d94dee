"""The stack service: the operations on one account and region's stacks (its store), run in
the caller's thread or in a background one (the stack reads *_IN_PROGRESS until it
finishes), so a command line and a CloudFormation API can share it."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable

from ..engine import changes, drift
from ..engine.changes import Plan
from ..engine.model import Stack, StackEvent
from ..engine.operations import Run, create, delete
from ..engine.provisioner import Provisioner, StackInfo
from ..engine.update import update
from ..template.document import Document, TemplateError
from .changesets import NO_CHANGES, ChangeSet, DriftDetection
from .store import StackStore

STACK_NAME = re.compile(r"[a-zA-Z][-a-zA-Z0-9]{0,127}")
INTERRUPTED = {
    "CREATE_IN_PROGRESS": "CREATE_FAILED",
    "ROLLBACK_IN_PROGRESS": "ROLLBACK_FAILED",
    "DELETE_IN_PROGRESS": "DELETE_FAILED",
}


# What UpdateStack accepts (API Reference, UpdateStack; User Guide, "Stack status codes"):
# a stack in any other state answers "Stack:ID is in STATE state and can not be updated."
UPDATABLE = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "UPDATE_ROLLBACK_COMPLETE")
# What DeleteStack refuses ("Stack [ID] cannot be deleted while in status STATE"): an update
# or its rollback still running. A delete already running is accepted and changes nothing.
UPDATING = (
    "UPDATE_IN_PROGRESS",
    "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS",
    "UPDATE_ROLLBACK_IN_PROGRESS",
    "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
)


class StackError(Exception):
    """A request CloudFormation would refuse: its error code and, as the message, its wording."""

    def __init__(self, message: str, code: str = "ValidationError") -> None:
        super().__init__(message)
        self.code = code


def check_stack_name(name: str) -> None:
    if not STACK_NAME.fullmatch(name):
        raise StackError(
            f"1 validation error detected: Value '{name}' at 'stackName' failed to satisfy constraint: "
            "Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]* (at most 128 characters)"
        )


def check_updatable(stack: Stack) -> None:
    if stack.status not in UPDATABLE:
        raise StackError(f"Stack:{stack.id} is in {stack.status} state and can not be updated.")


class StackService:
    def __init__(self, provisioner: Provisioner, region: str, account: str) -> None:
        self.provisioner = provisioner
        self.region = region
        self.account = account
        self.store = StackStore(region, account)
        self.listeners: list[Callable[[StackEvent], None]] = []
        # Stacks (by ID) whose create is running, and those a DeleteStack arrived for meanwhile.
        self.creating: set[str] = set()
        self.delete_after_create: set[str] = set()
        self.lock = threading.Lock()

    def notify(self, event: StackEvent) -> None:
        for listener in list(self.listeners):
            listener(event)

    def plan(self, stack: Stack, document: Document, text: str, parameters: dict[str, str]) -> Plan:
        """The change set for `document` against the stack as it is; raises TemplateError."""
        exports = self.store.exported_values(stack.name)
        plan = changes.prepare(stack, document, text, parameters, exports, self.provisioner)
        taken = self.store.exported_by_other(plan.export_names, stack)
        if taken:
            raise StackError(f"Export with name {taken[0]} is already exported by stack {taken[1]}")
        return plan

    def new_stack(self, name: str, tags: dict[str, str]) -> Stack:
        check_stack_name(name)
        stacks = self.store.stacks
        if name in stacks and stacks[name].status != "DELETE_COMPLETE":
            raise StackError(f"Stack [{name}] already exists")
        stack = Stack(name, self.region, self.account, dict(tags))
        stacks[name] = stack
        return stack

    def create(self, stack: Stack, plan: Plan) -> Callable[[], bool]:
        """The create; a DeleteStack while it runs stops it between resources and deletes the
        stack once the resource in progress has finished (User Guide, "Delete a stack")."""
        with self.lock:
            self.creating.add(stack.id)
        operation = self.operation(stack, plan, stack.tags, create)

        def create_then_any_delete() -> bool:
            try:
                ok = operation()
            finally:
                with self.lock:
                    self.creating.discard(stack.id)
                    deleting = stack.id in self.delete_after_create
                    self.delete_after_create.discard(stack.id)
            return self.delete(stack)() if deleting else ok

        return create_then_any_delete

    def update(self, stack: Stack, plan: Plan, tags: dict[str, str]) -> Callable[[], bool]:
        check_updatable(stack)
        if not plan.changes and tags == stack.tags:
            raise StackError("No updates are to be performed.")
        previous = dict(stack.tags)
        stack.tags = dict(tags)
        return self.operation(stack, plan, previous, update)

    def delete(self, stack: Stack) -> Callable[[], bool]:
        """The delete; a deleted stack moves to the deleted stacks, found by its ID only."""
        if stack.status in UPDATING:
            raise StackError(f"Stack [{stack.id}] cannot be deleted while in status {stack.status}")
        with self.lock:
            if stack.id in self.creating:
                self.delete_after_create.add(stack.id)
                return lambda: True
        importers = self.importers(stack)
        if importers:
            raise StackError(importers)
        operation = self.operation(stack, changes.empty(stack), stack.tags, delete)

        def delete_and_forget() -> bool:
            ok = operation()
            if ok and self.store.stacks.get(stack.name) is stack:
                self.store.deleted.append(self.store.stacks.pop(stack.name))
            return ok

        return delete_and_forget

    def add_change_set(self, change_set: ChangeSet) -> None:
        """Keep a planned change set; an update that changes nothing is FAILED, as on AWS."""
        stack, plan = change_set.stack, change_set.plan
        if change_set.kind == "UPDATE" and plan is not None and not plan.changes and change_set.tags == stack.tags:
            change_set.fail(NO_CHANGES)
        self.store.change_sets_of(stack)[change_set.name] = change_set

    def execute(self, change_set: ChangeSet) -> Callable[[], bool]:
        """The change set's operation; the stack's other change sets become OBSOLETE."""
        if change_set.execution_status != "AVAILABLE" or change_set.plan is None:
            raise StackError(
                f"ChangeSet [{change_set.id}] cannot be executed in its current status of [{change_set.status}]",
                "InvalidChangeSetStatus",
            )
        stack = change_set.stack
        operation = (
            self.create(stack, change_set.plan)
            if change_set.kind == "CREATE"
            else self.update(stack, change_set.plan, change_set.tags)
        )
        for other in self.store.change_sets_of(stack).values():
            other.execution_status = "OBSOLETE"
        change_set.execution_status = "EXECUTE_IN_PROGRESS"

        def execute() -> bool:
            ok = operation()
            change_set.execution_status = "EXECUTE_COMPLETE" if ok else "EXECUTE_FAILED"
            return ok

        return execute

    def importers(self, stack: Stack) -> str:
        used = self.store.importer_of(stack)
        return f"Export {used[0]} cannot be deleted as it is in use by {used[1]}" if used else ""

    def operation(
        self, stack: Stack, plan: Plan, previous_tags: dict[str, str], action: Callable[[Run], bool]
    ) -> Callable[[], bool]:
        """A callable that runs `action`; call it here, or hand it to `in_background`."""
        info = StackInfo(stack.name, dict(stack.tags), previous_tags)

        def run() -> bool:
            try:
                run = Run(stack, plan, self.provisioner, info, self.notify, exports_in_use=self.store.in_use(stack))
                run.cancelled = lambda: stack.id in self.delete_after_create
                ok = action(run)
            except Exception as error:  # a stand-in process died: the stack must not stay IN_PROGRESS
                status = INTERRUPTED.get(stack.status, "UPDATE_ROLLBACK_FAILED")
                self.notify(stack.stack_event(status, f"Internal failure: {error}"))
                return False
            self.store.publish(stack, set(plan.context.imported) if ok else None)
            return ok

        return run

    def in_background(self, operation: Callable[[], bool]) -> threading.Thread:
        thread = threading.Thread(target=operation, daemon=True)
        thread.start()
        return thread

    def detect_drift(self, stack: Stack) -> list[drift.ResourceDrift]:
        return drift.detect(stack, self.provisioner)

    def record_drift(self, stack: Stack) -> DriftDetection:
        """A drift detection, kept so it can be described later."""
        detection = DriftDetection(stack, self.detect_drift(stack))
        self.store.detections[detection.id] = detection
        return detection


__all__ = ["StackError", "StackService", "TemplateError"]
