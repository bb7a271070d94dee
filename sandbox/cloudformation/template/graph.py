"""The order CloudFormation works through resources in: each after what it refers to or
DependsOn names; deletion is the reverse."""

from __future__ import annotations

from typing import Any

from .document import Resource, TemplateError
from .intrinsics import SUB_VARIABLE


def references(node: Any) -> set[str]:
    """Names a property tree refers to through Ref, Fn::GetAtt and Fn::Sub."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("Ref"), str):
            found.add(node["Ref"])
        if "Fn::GetAtt" in node:
            target = node["Fn::GetAtt"]
            found.add(str(target[0]) if isinstance(target, list) else str(target).split(".", 1)[0])
        if "Fn::Sub" in node:
            text = node["Fn::Sub"][0] if isinstance(node["Fn::Sub"], list) else node["Fn::Sub"]
            found |= {v.split(".", 1)[0].strip() for v in SUB_VARIABLE.findall(str(text)) if not v.startswith("!")}
        for value in node.values():
            found |= references(value)
    elif isinstance(node, list):
        for item in node:
            found |= references(item)
    return found


def order(resources: dict[str, Resource]) -> list[str]:
    """Logical IDs, each after its dependencies; unknown DependsOn and cycles are refused."""
    ordered: list[str] = []
    visiting: list[str] = []

    def visit(logical_id: str) -> None:
        if logical_id in ordered:
            return
        if logical_id in visiting:
            raise TemplateError(f"Circular dependency between resources: {' -> '.join([*visiting, logical_id])}")
        visiting.append(logical_id)
        resource = resources[logical_id]
        missing = [d for d in resource.depends_on if d not in resources]
        if missing:
            raise TemplateError(f"Resources.{logical_id}.DependsOn: no resource {missing[0]} in the stack")
        for dependency in sorted((references(resource.properties) & set(resources)) | set(resource.depends_on)):
            visit(dependency)
        visiting.pop()
        ordered.append(logical_id)

    for logical_id in resources:
        visit(logical_id)
    return ordered
