"""Change sets as data: what an operation will do to each resource, worked out before
anything is touched, from the new template resolved against what the stack has now."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from sandbox import schemas

from ..template import intrinsics, lint, names, parameters
from ..template.document import LANGUAGE_EXTENSIONS, Document, Resource, TemplateError
from ..template.graph import order, references
from .model import Physical, Stack
from .provisioner import Predicts, generated_name


@dataclass(frozen=True)
class Change:
    action: str  # Add, Modify, Remove
    logical_id: str
    type: str
    replacement: bool = False
    properties: tuple[str, ...] = ()
    # Properties whose new value is known only when the operation runs (they refer to a
    # resource it creates or replaces): DescribeChangeSet's Evaluation "Dynamic".
    dynamic: tuple[str, ...] = ()
    # Only a dynamic create-only property changes: Replacement "Conditional", decided on apply.
    conditional: bool = False

    @property
    def replacement_text(self) -> str:
        return "Conditional" if self.conditional else str(self.replacement)

    def __str__(self) -> str:
        text = f"{self.action:<7} {self.logical_id:<22} {self.type}"
        if self.action == "Modify":
            text += f"  Replacement: {self.replacement_text}  ({', '.join(self.properties)})"
        return text


@dataclass
class Plan:
    """A change set: the resolved template and each resource's change."""

    stack_name: str
    document: Document
    values: dict[str, Any]
    context: intrinsics.Context
    active: dict[str, Resource]
    order: list[str]
    changes: list[Change] = field(default_factory=list)
    warnings: list[lint.Finding] = field(default_factory=list)
    export_names: list[str] = field(default_factory=list)
    text: str = ""
    names: dict[str, str] = field(default_factory=dict)

    def physical_name(self, logical_id: str) -> str:
        """The generated name of a resource this plan creates, made once: the change set's
        prediction and the creation both use it."""
        if logical_id not in self.names:
            self.names[logical_id] = generated_name(self.stack_name, logical_id)
        return self.names[logical_id]

    def change(self, logical_id: str) -> Change | None:
        return next((c for c in self.changes if c.logical_id == logical_id), None)


def pseudo_parameters(stack: Stack) -> dict[str, Any]:
    return {
        "AWS::AccountId": stack.account,
        "AWS::NotificationARNs": [],
        "AWS::Partition": "aws",
        "AWS::Region": stack.region,
        "AWS::StackId": stack.id,
        "AWS::StackName": stack.name,
        "AWS::URLSuffix": "amazonaws.com",
    }


def context_for(stack: Stack, document: Document, given: dict[str, str], exports: dict[str, Any]) -> intrinsics.Context:
    """Parameters, pseudo parameters, mappings and conditions: what needs no resource."""
    unsupported = [t for t in document.transforms if t != LANGUAGE_EXTENSIONS]
    if unsupported:
        raise TemplateError(f"Transform {unsupported[0]}: the engine supports only {LANGUAGE_EXTENSIONS}")
    context = intrinsics.Context(
        parameters.resolve(document.parameters, given),
        pseudo_parameters(stack),
        document.mappings,
        exports=dict(exports),
        language_extensions=document.language_extensions,
        types={logical_id: resource.type for logical_id, resource in document.resources.items()},
    )
    context.conditions = intrinsics.evaluate_conditions(document.conditions, context)
    return context


def active_resources(document: Document, context: intrinsics.Context) -> dict[str, Resource]:
    return {
        logical_id: resource
        for logical_id, resource in document.resources.items()
        if resource.condition is None
        or intrinsics.condition(resource.condition, context, f"Resources.{logical_id}.Condition")
    }


def prepare(
    stack: Stack,
    document: Document,
    text: str,
    given: dict[str, str],
    exports: dict[str, Any],
    provisioner: Predicts,
) -> Plan:
    """Lint, resolve and compare, so every error a template can have surfaces before any change."""
    findings = lint.check(text, stack.region)
    errors = [f for f in findings if f.error]
    if errors:
        raise TemplateError("; ".join(str(e) for e in errors))
    context = context_for(stack, document, given, exports)
    active = active_resources(document, context)
    plan = Plan(stack.name, document, context.parameters, context, active, order(active), text=text)
    plan.warnings = [f for f in findings if not f.error]
    preview = replace(context, refs={}, attributes={})
    unknown: set[str] = set()  # resources whose Ref and attributes are new when the operation runs
    for logical_id in plan.order:
        resource = active[logical_id]
        where = f"Resources.{logical_id}.Properties"
        properties = intrinsics.resolve(resource.properties, preview, where)
        if resource.type == schemas.TYPE_NAME:
            names.check_experiment(where, properties, preview.refs)
        physical = predicted(stack, plan, resource, properties, provisioner)
        dynamic = {key for key, value in resource.properties.items() if references(value) & unknown}
        found = compare(stack, resource, properties, dynamic)
        if logical_id not in stack.resources or any(c.replacement or c.conditional for c in found):
            unknown.add(logical_id)
        plan.changes += found
        preview.refs[logical_id], preview.attributes[logical_id] = physical.ref, physical.attributes
    plan.changes += [
        Change("Remove", logical_id, deployed.type)
        for logical_id, deployed in reversed(stack.resources.items())
        if logical_id not in active
    ]
    plan.export_names = [o["ExportName"] for o in outputs(document, preview).values() if "ExportName" in o]
    return plan


def empty(stack: Stack) -> Plan:
    """The plan a delete runs under: nothing to create, nothing to resolve."""
    document = stack.document or Document(stack.name, {}, {}, {}, {}, {})
    return Plan(stack.name, document, {}, intrinsics.Context({}, pseudo_parameters(stack)), {}, [])


def predicted(
    stack: Stack, plan: Plan, resource: Resource, properties: dict[str, Any], provisioner: Predicts
) -> Physical:
    deployed = stack.resources.get(resource.logical_id)
    if deployed is not None and not schemas.schema_for(resource.type).replaced_by(deployed.properties, properties):
        return deployed.physical
    return provisioner.predict(resource.logical_id, resource.type, properties, plan.physical_name(resource.logical_id))


def compare(stack: Stack, resource: Resource, properties: dict[str, Any], dynamic: set[str]) -> list[Change]:
    deployed = stack.resources.get(resource.logical_id)
    if deployed is None:
        return [Change("Add", resource.logical_id, resource.type)]
    if deployed.type != resource.type:
        raise TemplateError(
            f"Resources.{resource.logical_id}: Update of resource type is not permitted "
            f"({deployed.type} to {resource.type})"
        )
    changed = sorted(k for k in {*properties, *deployed.properties} if properties.get(k) != deployed.properties.get(k))
    if not changed:
        return []
    recreated = schemas.schema_for(resource.type).replaced_by(deployed.properties, properties)
    static = [key for key in recreated if key not in dynamic]
    shown_dynamic = tuple(key for key in changed if key in dynamic)
    conditional = bool(recreated) and not static
    return [
        Change("Modify", resource.logical_id, resource.type, bool(static), tuple(changed), shown_dynamic, conditional)
    ]


def outputs(document: Document, context: intrinsics.Context) -> dict[str, dict[str, Any]]:
    """Each output whose condition holds: its value and export name, resolved."""
    values: dict[str, dict[str, Any]] = {}
    for name, output in document.outputs.items():
        where = f"Outputs.{name}"
        if "Condition" in output and not intrinsics.condition(output["Condition"], context, f"{where}.Condition"):
            continue
        values[name] = {"Value": intrinsics.resolve(output.get("Value"), context, f"{where}.Value")}
        if "Export" in output:
            values[name]["ExportName"] = intrinsics.resolve(output["Export"].get("Name"), context, f"{where}.Export")
        if "Description" in output:
            values[name]["Description"] = output["Description"]
    return values
