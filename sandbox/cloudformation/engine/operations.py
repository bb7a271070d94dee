"""Create, update and delete a stack the way CloudFormation does: resources in dependency
order, rollback on failure, replacement new-before-old with the old one deleted in the
cleanup phase, DeletionPolicy and UpdateReplacePolicy honoured."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from sandbox import schemas

from ..template import intrinsics
from ..template.document import Resource, TemplateError
from .changes import Plan, outputs
from .model import Deployed, Physical, Stack, StackEvent
from .provisioner import Provisioner, Report, ResourceFailure, StackInfo

REPLACING = "Requested update requires the creation of a new physical resource; hence creating one."
NOT_EMULATED = "not emulated by the rehearsal"


@dataclass
class Run:
    """One stack operation in progress: what it touched, so a failure can be undone."""

    stack: Stack
    plan: Plan
    provisioner: Provisioner
    info: StackInfo
    notify: Callable[[StackEvent], None] = lambda _event: None
    created: list[str] = field(default_factory=list)
    modified: dict[str, Deployed] = field(default_factory=dict)
    replaced: dict[str, Deployed] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    half_created: list[Deployed] = field(default_factory=list)
    exports_in_use: dict[str, tuple[Any, str]] = field(default_factory=dict)
    reason: str = ""
    cancelled: Callable[[], bool] = lambda: False  # a DeleteStack arrived during the create

    def context(self) -> intrinsics.Context:
        refs = {k: d.physical.ref for k, d in self.stack.resources.items()}
        attributes = {k: d.physical.attributes for k, d in self.stack.resources.items()}
        return replace(self.plan.context, refs=refs, attributes=attributes)

    def resolve(self, resource: Resource) -> dict[str, Any]:
        where = f"Resources.{resource.logical_id}.Properties"
        resolved: dict[str, Any] = intrinsics.resolve(resource.properties, self.context(), where)
        return resolved

    def event(self, deployed: Deployed, status: str, reason: str = "") -> None:
        deployed.status = status
        self.notify(self.stack.event(deployed.logical_id, deployed.type, status, reason, deployed.physical.ref))

    def stack_event(self, status: str, reason: str = "") -> None:
        self.notify(self.stack.stack_event(status, reason))

    def fail(self, deployed: Deployed, status: str, reason: str) -> bool:
        self.failed.append(deployed.logical_id)
        self.event(deployed, status, reason)
        return False

    # ---- one resource ------------------------------------------------------------------

    def create(self, resource: Resource, status: str = "CREATE") -> bool:
        try:
            properties = self.resolve(resource)
        except TemplateError as error:
            return self.fail(pending(resource, {}), f"{status}_FAILED", str(error))
        deployed = pending(resource, properties)
        name = self.plan.physical_name(resource.logical_id)
        if not self.provisioner.handles(resource.type):
            deployed.physical = self.provisioner.predict(resource.logical_id, resource.type, properties, name)
            self.stack.resources[resource.logical_id] = deployed
            self.created.append(resource.logical_id)
            self.event(deployed, "CREATE_SKIPPED", NOT_EMULATED)
            return True
        self.event(deployed, f"{status}_IN_PROGRESS", REPLACING if status == "UPDATE" else "")
        try:
            deployed.physical = self.provisioner.create(self.info, deployed, name, self.progress(deployed, status))
        except ResourceFailure as error:
            if error.identified is not None:
                deployed.physical = error.identified
                self.half_created.append(deployed)
            return self.fail(deployed, f"{status}_FAILED", str(error))
        self.stack.resources[resource.logical_id] = deployed
        self.created.append(resource.logical_id)
        self.event(deployed, f"{status}_COMPLETE")
        return True

    def progress(self, deployed: Deployed, status: str) -> Report:
        return lambda reason: self.event(deployed, f"{status}_IN_PROGRESS", reason)

    def modify(self, resource: Resource, old: Deployed) -> bool:
        """Update in place through the provider (the handler gets old as previous)."""
        try:
            properties = self.resolve(resource)
        except TemplateError as error:
            return self.fail(old, "UPDATE_FAILED", str(error))
        if properties == old.properties and not self.retags(resource.type):
            return True
        self.modified[resource.logical_id] = old
        if not self.provisioner.handles(resource.type):
            self.stack.resources[resource.logical_id] = replace(old, properties=properties)
            return True
        return self.change(old, properties)

    def retags(self, type_name: str) -> bool:
        """Stack-level tags changed: CloudFormation updates every taggable resource with them,
        through its update handler, even when none of its properties changed."""
        return self.info.tags != self.info.previous_tags and schemas.schema_for(type_name).taggable

    def change(self, old: Deployed, properties: dict[str, Any]) -> bool:
        """One update through the provider; the stack records the new properties either way,
        as CloudFormation does, so a rollback sends the old ones back as desired."""
        updated = replace(old, properties=properties)
        self.stack.resources[old.logical_id] = updated
        self.event(updated, "UPDATE_IN_PROGRESS")
        try:
            updated.physical = self.provisioner.update(self.info, old, properties)
        except ResourceFailure as error:
            return self.fail(updated, "UPDATE_FAILED", str(error))
        self.event(updated, "UPDATE_COMPLETE")
        return True

    def replace_resource(self, resource: Resource, old: Deployed) -> bool:
        """New first; the old one is deleted in the cleanup phase, or kept if the update rolls back."""
        try:
            properties = self.resolve(resource)
        except TemplateError as error:
            return self.fail(old, "UPDATE_FAILED", str(error))
        name_key = schemas.schema_for(resource.type).name_property
        if name_key and name_key in properties and properties.get(name_key) == old.properties.get(name_key):
            return self.fail(
                replace(old, properties=properties),
                "UPDATE_FAILED",
                "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
                f"Rename {properties[name_key]} and update the stack again.",
            )
        self.replaced[resource.logical_id] = old
        del self.stack.resources[resource.logical_id]
        if self.create(resource, "UPDATE"):
            return True
        self.stack.resources[resource.logical_id] = old
        del self.replaced[resource.logical_id]
        return False

    def delete(self, deployed: Deployed, policy: str | None = None, rolling_back: bool = False) -> bool:
        """Delete through the provider, unless its policy retains it. RetainExceptOnCreate retains
        too, except in the rollback of the operation that created it (Template Reference,
        "DeletionPolicy attribute")."""
        policy = policy or deployed.deletion_policy
        if policy == "Retain" or (policy == "RetainExceptOnCreate" and not rolling_back):
            self.event(deployed, "DELETE_SKIPPED", f"retained (DeletionPolicy or UpdateReplacePolicy {policy})")
            return True
        if not self.provisioner.handles(deployed.type):
            self.event(deployed, "DELETE_SKIPPED", NOT_EMULATED)
            return True
        self.event(deployed, "DELETE_IN_PROGRESS")
        try:
            self.provisioner.delete(self.info, deployed)
        except ResourceFailure as error:
            return self.fail(deployed, "DELETE_FAILED", str(error))
        self.event(deployed, "DELETE_COMPLETE")
        return True


def pending(resource: Resource, properties: dict[str, Any]) -> Deployed:
    return Deployed(
        resource.logical_id,
        resource.type,
        properties,
        Physical("", {}, ""),
        "CREATE_IN_PROGRESS",
        resource.deletion_policy,
        resource.update_replace_policy,
    )


def failed_list(run: Run) -> str:
    return "[" + ", ".join(run.failed) + "]"


def publish_outputs(run: Run) -> bool:
    """The new outputs, unless they change or drop an export another stack imports: CloudFormation
    fails that update ("You can't modify or remove an output value that is referenced by another
    stack", User Guide, Get exported outputs from a deployed CloudFormation stack)."""
    try:
        new = outputs(run.plan.document, run.context())
    except TemplateError as error:
        run.failed.append("Outputs")
        run.reason = str(error)
        return False
    exported = {o["ExportName"]: o["Value"] for o in new.values() if "ExportName" in o}
    for name, (value, importer) in sorted(run.exports_in_use.items()):
        if name not in exported or exported[name] != value:
            verb = "deleted" if name not in exported else "updated"
            run.reason = f"Export {name} cannot be {verb} as it is in use by {importer}"
            return False
    run.stack.outputs = new
    return True


def create(run: Run) -> bool:
    stack = run.stack
    stack.document, stack.parameters, stack.template = run.plan.document, run.plan.values, run.plan.text
    run.stack_event("CREATE_IN_PROGRESS", "User Initiated")
    for logical_id in run.plan.order:
        if run.cancelled():
            return False  # no rollback: the stack's delete follows, and deletes what was created
        if not run.create(run.plan.active[logical_id]):
            break
    else:
        if publish_outputs(run):
            run.stack_event("CREATE_COMPLETE")
            return True
    run.stack_event(
        "ROLLBACK_IN_PROGRESS",
        run.reason or f"The following resource(s) failed to create: {failed_list(run)}. Rollback requested by user.",
    )
    run.stack_event("ROLLBACK_COMPLETE" if remove_created(run) else "ROLLBACK_FAILED")
    return False


def remove_created(run: Run) -> bool:
    """A rollback's deletes, newest first: what the operation created, and each resource whose
    create failed once its handler had reported an identifier (its delete handler cleans up)."""
    deleted = [run.delete(deployed, rolling_back=True) for deployed in reversed(run.half_created)]
    deleted += [
        run.delete(run.stack.resources.pop(logical_id), rolling_back=True) for logical_id in reversed(run.created)
    ]
    return all(deleted)


def delete(run: Run) -> bool:
    stack = run.stack
    run.stack_event("DELETE_IN_PROGRESS", "User Initiated")
    for logical_id in reversed(list(stack.resources)):
        if run.delete(stack.resources[logical_id]):
            del stack.resources[logical_id]
    if stack.resources:
        run.stack_event("DELETE_FAILED", f"The following resource(s) failed to delete: {failed_list(run)}. ")
        return False
    stack.outputs = {}
    run.stack_event("DELETE_COMPLETE")
    return True
