"""A stack update as CloudFormation runs it, and its rollback: every resource the update
touched is put back through its provider with the old properties (the handler receives
the old template's properties as desired and the new ones as previous)."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox import schemas

from ..template.document import Resource, TemplateError
from .model import Deployed
from .operations import Run, failed_list, publish_outputs, remove_created
from .provisioner import StackInfo


def update(run: Run) -> bool:
    stack, plan = run.stack, run.plan
    previous = (stack.document, stack.parameters, stack.template)
    stack.updated = datetime.now(UTC)
    run.stack_event("UPDATE_IN_PROGRESS", "User Initiated")
    ok = all(step(run, logical_id) for logical_id in plan.order)
    if ok:
        stack.document, stack.parameters, stack.template = plan.document, plan.values, plan.text
        ok = publish_outputs(run)
    if not ok:
        stack.document, stack.parameters, stack.template = previous
        return roll_back(run)
    run.stack_event("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    cleanup(run)
    run.stack_event("UPDATE_COMPLETE")
    return True


def step(run: Run, logical_id: str) -> bool:
    resource = run.plan.active[logical_id]
    old = run.stack.resources.get(logical_id)
    if old is None:
        return run.create(resource)
    change = run.plan.change(logical_id)
    if change is not None and (change.replacement or (change.conditional and replaced_now(run, resource, old))):
        return run.replace_resource(resource, old)
    return run.modify(resource, old)


def replaced_now(run: Run, resource: Resource, old: Deployed) -> bool:
    """A Conditional replacement decided as CloudFormation decides it: on the values the
    resources it refers to have now."""
    try:
        properties = run.resolve(resource)
    except TemplateError:
        return False  # the in-place update reports the error
    return bool(schemas.schema_for(resource.type).replaced_by(old.properties, properties))


def cleanup(run: Run) -> None:
    """Delete what the new template removed, then the old copies of replaced resources; a
    failure here leaves the resource behind (DELETE_FAILED) but the update stands."""
    for logical_id in [c.logical_id for c in run.plan.changes if c.action == "Remove"]:
        if run.delete(run.stack.resources[logical_id]):
            del run.stack.resources[logical_id]
    for old in reversed(list(run.replaced.values())):
        run.delete(old, old.update_replace_policy)


def roll_back(run: Run) -> bool:
    """Put back every resource the update touched, newest first, then delete what it created."""
    stack = run.stack
    run.stack_event(
        "UPDATE_ROLLBACK_IN_PROGRESS", run.reason or f"The following resource(s) failed to update: {failed_list(run)}. "
    )
    run.failed.clear()
    run.info = StackInfo(stack.name, run.info.previous_tags, run.info.tags)
    stack.tags = dict(run.info.tags)
    for logical_id, old in reversed(list(run.modified.items())):
        current = stack.resources[logical_id]
        if not run.provisioner.handles(current.type):
            stack.resources[logical_id] = old
        elif not run.change(current, old.properties):
            run.stack_event(
                "UPDATE_ROLLBACK_FAILED", f"The following resource(s) failed to update: {failed_list(run)}."
            )
            return False
    run.stack_event("UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS")
    remove_created(run)
    stack.resources.update(run.replaced)
    run.stack_event("UPDATE_ROLLBACK_COMPLETE")
    return False
