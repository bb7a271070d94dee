"""Read a CloudFormation template and resolve what the rehearsal needs of it: parameters,
Ref, Fn::Sub, Fn::GetAtt, Fn::Join and Fn::Select where they point inside the template,
and an order of resources that respects their dependencies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfnlint.decode import decode

NO_VALUE = object()
SUB_VARIABLE = re.compile(r"\$\{([^!}][^}]*)\}")


class TemplateError(Exception):
    """A template the rehearsal cannot read or resolve; the message says where."""


@dataclass
class Resource:
    logical_id: str
    type: str
    properties: dict[str, Any]
    depends_on: list[str]


@dataclass
class Template:
    path: Path
    parameters: dict[str, Any]
    resources: dict[str, Resource]
    outputs: dict[str, Any] = field(default_factory=dict)


def load(path: str | Path, overrides: dict[str, str] | None = None) -> Template:
    """Parse YAML (short-form intrinsics included) or JSON and fix parameter values."""
    raw, problems = decode(str(path))
    if problems or raw is None:
        details = "; ".join(str(p) for p in problems) or "empty template"
        raise TemplateError(f"{path}: cannot read the template: {details}")
    document = json.loads(json.dumps(raw))
    parameters = resolve_parameters(document.get("Parameters") or {}, overrides or {}, path)
    resources = {}
    for logical_id, body in (document.get("Resources") or {}).items():
        depends = body.get("DependsOn") or []
        resources[logical_id] = Resource(
            logical_id,
            str(body.get("Type")),
            body.get("Properties") or {},
            [depends] if isinstance(depends, str) else list(depends),
        )
    return Template(Path(path), parameters, resources, document.get("Outputs") or {})


def resolve_parameters(declared: dict[str, Any], overrides: dict[str, str], path: str | Path) -> dict[str, Any]:
    unknown = sorted(set(overrides) - set(declared))
    if unknown:
        raise TemplateError(f"{path}: --parameter {', '.join(unknown)} is not declared in Parameters")
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        if name in overrides:
            value: Any = overrides[name]
        elif "Default" in spec:
            value = spec["Default"]
        else:
            raise TemplateError(f"{path}: parameter {name} has no Default; pass --parameter {name}=VALUE")
        allowed = spec.get("AllowedValues")
        if allowed and value not in allowed:
            raise TemplateError(f"{path}: parameter {name}={value!r} is not one of {allowed}")
        if spec.get("Type") == "Number":
            value = float(value) if "." in str(value) else int(value)
        elif str(spec.get("Type", "")).startswith("List<") or spec.get("Type") == "CommaDelimitedList":
            value = value if isinstance(value, list) else [v.strip() for v in str(value).split(",")]
        values[name] = value
    return values


def references(node: Any) -> set[str]:
    """Logical IDs (or parameters) a property tree refers to through Ref, GetAtt and Sub."""
    found: set[str] = set()
    if isinstance(node, dict):
        if "Ref" in node and isinstance(node["Ref"], str):
            found.add(node["Ref"])
        if "Fn::GetAtt" in node:
            target = node["Fn::GetAtt"]
            found.add(target[0] if isinstance(target, list) else str(target).split(".", 1)[0])
        if "Fn::Sub" in node:
            text = node["Fn::Sub"][0] if isinstance(node["Fn::Sub"], list) else node["Fn::Sub"]
            found |= {v.split(".", 1)[0] for v in SUB_VARIABLE.findall(str(text))}
        for value in node.values():
            found |= references(value)
    elif isinstance(node, list):
        for item in node:
            found |= references(item)
    return found


def creation_order(resources: dict[str, Resource]) -> list[str]:
    """Logical IDs with every resource after the resources it refers to or depends on."""
    ordered: list[str] = []
    visiting: set[str] = set()

    def visit(logical_id: str, chain: Iterable[str]) -> None:
        if logical_id in ordered:
            return
        if logical_id in visiting:
            raise TemplateError(f"circular dependency: {' -> '.join([*chain, logical_id])}")
        visiting.add(logical_id)
        resource = resources[logical_id]
        needs = (references(resource.properties) | set(resource.depends_on)) & set(resources)
        for dependency in sorted(needs):
            visit(dependency, [*chain, logical_id])
        visiting.discard(logical_id)
        ordered.append(logical_id)

    for logical_id in resources:
        visit(logical_id, [])
    return ordered


@dataclass
class Resolver:
    """Resolve intrinsics against parameters, pseudo parameters and created resources."""

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    refs: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)

    def lookup(self, name: str, where: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.refs:
            return self.refs[name]
        raise TemplateError(f"{where}: Ref {name} names no parameter or created resource")

    def attribute(self, logical_id: str, name: str, where: str) -> Any:
        values = self.attributes.get(logical_id)
        if values is None:
            raise TemplateError(
                f"{where}: Fn::GetAtt {logical_id}.{name}: {logical_id} is not created (or not emulated)"
            )
        value = values
        for part in name.split("."):
            if not isinstance(value, dict) or part not in value:
                raise TemplateError(f"{where}: Fn::GetAtt {logical_id}.{name}: no such attribute")
            value = value[part]
        return value

    def substitute(self, text: str, local: dict[str, Any], where: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name in local:
                return str(local[name])
            if "." in name and not name.startswith("AWS::"):
                logical_id, attribute = name.split(".", 1)
                return str(self.attribute(logical_id, attribute, where))
            return str(self.lookup(name, where))

        return SUB_VARIABLE.sub(replace, text).replace("${!", "${")

    def resolve(self, node: Any, where: str) -> Any:
        if isinstance(node, list):
            return [value for value in (self.resolve(item, where) for item in node) if value is not NO_VALUE]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Ref":
                return NO_VALUE if argument == "AWS::NoValue" else self.lookup(argument, where)
            if key == "Fn::GetAtt":
                logical_id, name = argument if isinstance(argument, list) else str(argument).split(".", 1)
                return self.attribute(logical_id, name, where)
            if key == "Fn::Sub":
                text, local = (argument[0], argument[1]) if isinstance(argument, list) else (argument, {})
                return self.substitute(text, {k: self.resolve(v, where) for k, v in local.items()}, where)
            if key == "Fn::Join":
                separator, items = argument
                return str(separator).join(str(v) for v in self.resolve(items, where))
            if key == "Fn::Select":
                index, items = argument
                return self.resolve(items, where)[int(self.resolve(index, where))]
            if key.startswith("Fn::"):
                raise TemplateError(f"{where}: {key} is not supported by the rehearsal")
        resolved = {k: self.resolve(v, f"{where}.{k}") for k, v in node.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}
