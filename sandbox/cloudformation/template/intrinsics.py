"""Intrinsic and condition functions resolved as CloudFormation resolves them.

Hand-written rather than moto's `clean_json`: moto leaves an unresolvable Ref or Sub
variable in place (or drops the key) instead of failing, has no Fn::Cidr or Fn::Length,
and needs its own resource objects; a stand-in must never be kinder than the real thing.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from dataclasses import dataclass, field
from typing import Any

from sandbox.schemas import schema_for

from .document import TemplateError

NO_VALUE = object()
SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
EXTENSION_FUNCTIONS = ("Fn::Length", "Fn::ToJsonString")
DYNAMIC_REFERENCE = "{{resolve:"
AVAILABILITY_ZONES = {"us-east-1": "abcdef", "us-west-1": "ac"}


@dataclass
class Context:
    """Everything a value in the template can refer to."""

    parameters: dict[str, Any]
    pseudo: dict[str, Any]
    mappings: dict[str, Any] = field(default_factory=dict)
    conditions: dict[str, bool] = field(default_factory=dict)
    refs: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: dict[str, Any] = field(default_factory=dict)
    language_extensions: bool = False
    imported: set[str] = field(default_factory=set)
    types: dict[str, str] = field(default_factory=dict)

    def lookup(self, name: str, where: str) -> Any:
        for source in (self.parameters, self.pseudo, self.refs):
            if name in source:
                return source[name]
        raise TemplateError(f"{where}: Ref {name}: no parameter, pseudo parameter or resource of that name")

    def attribute(self, logical_id: str, name: str, where: str) -> Any:
        values = self.attributes.get(logical_id)
        if values is None:
            raise TemplateError(f"{where}: Fn::GetAtt {logical_id}.{name}: no resource {logical_id} in the stack")
        schema = schema_for(self.types[logical_id]) if logical_id in self.types else None
        if schema is not None and schema.facts is not None and name not in schema.attributes:
            raise TemplateError(
                f"{where}: Template error: resource {logical_id} does not support attribute type {name} in "
                f"Fn::GetAtt ({schema.type_name} returns {', '.join(sorted(schema.attributes))})"
            )
        if name in values:
            return values[name]
        raise TemplateError(
            f"{where}: Fn::GetAtt {logical_id}.{name}: {logical_id} has no attribute {name} "
            f"(it has {', '.join(sorted(values)) or 'none'})"
        )


def text(value: Any) -> str:
    """A scalar as CloudFormation turns it into a string: booleans `true`/`false` (YAML's `true`
    arrives as a Python bool, whose str() is `True`), everything else as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def resolve(node: Any, context: Context, where: str) -> Any:
    """`node` with every intrinsic replaced by its value; AWS::NoValue removes the key or item."""
    if isinstance(node, list):
        items = [resolve(item, context, f"{where}[{index}]") for index, item in enumerate(node)]
        return [item for item in items if item is not NO_VALUE]
    if isinstance(node, str) and DYNAMIC_REFERENCE in node:
        raise TemplateError(f"{where}: dynamic references ({{{{resolve:...}}}}) need AWS services the sandbox lacks")
    if not isinstance(node, dict):
        return node
    if len(node) == 1:
        ((key, argument),) = node.items()
        if key == "Ref" or key.startswith("Fn::"):
            return function(key, argument, context, f"{where}.{key}")
    resolved = {key: resolve(value, context, f"{where}.{key}") for key, value in node.items()}
    return {key: value for key, value in resolved.items() if value is not NO_VALUE}


def function(name: str, argument: Any, context: Context, where: str) -> Any:
    if name in EXTENSION_FUNCTIONS and not context.language_extensions:
        raise TemplateError(f"{where}: {name} needs 'Transform: AWS::LanguageExtensions' in the template")
    handler = FUNCTIONS.get(name)
    if handler is None:
        raise TemplateError(f"{where}: {name} is not a function CloudFormation supports in this position")
    try:
        return handler(argument, context, where)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as error:
        raise TemplateError(f"{where}: invalid arguments {json.dumps(argument)}: {error}") from error


def _ref(argument: Any, context: Context, where: str) -> Any:
    name = resolve(argument, context, where)
    return NO_VALUE if name == "AWS::NoValue" else context.lookup(str(name), where)


def _get_att(argument: Any, context: Context, where: str) -> Any:
    if isinstance(argument, str):
        logical_id, attribute = argument.split(".", 1)
    else:
        logical_id, attribute = argument[0], resolve(argument[1], context, where)
    return context.attribute(logical_id, str(attribute), where)


def _sub(argument: Any, context: Context, where: str) -> str:
    template, variables = (argument[0], argument[1]) if isinstance(argument, list) else (argument, {})
    local = {key: resolve(value, context, f"{where}.{key}") for key, value in variables.items()}

    def replace(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in local:
            return text(local[name])
        if "." in name and not name.startswith("AWS::"):
            logical_id, attribute = name.split(".", 1)
            return text(context.attribute(logical_id, attribute, where))
        return text(context.lookup(name, where))

    return SUB_VARIABLE.sub(replace, str(template))


def _join(argument: Any, context: Context, where: str) -> str:
    separator, items = argument
    values = resolve(items, context, where)
    if not isinstance(values, list):
        raise TemplateError(f"{where}: Fn::Join needs a list of values")
    return str(separator).join(text(v) for v in values)


def _select(argument: Any, context: Context, where: str) -> Any:
    index, items = resolve(argument[0], context, where), resolve(argument[1], context, where)
    if not isinstance(items, list) or not 0 <= int(index) < len(items):
        raise TemplateError(f"{where}: Fn::Select index {index} is out of range")
    return items[int(index)]


def _split(argument: Any, context: Context, where: str) -> list[str]:
    return text(resolve(argument[1], context, where)).split(str(argument[0]))


def _if(argument: Any, context: Context, where: str) -> Any:
    name, when_true, when_false = argument
    return resolve(when_true if condition(name, context, where) else when_false, context, where)


def _find_in_map(argument: Any, context: Context, where: str) -> Any:
    name, first, second = (resolve(part, context, where) for part in argument[:3])
    try:
        return context.mappings[name][first][second]
    except (KeyError, TypeError):
        if len(argument) > 3 and isinstance(argument[3], dict) and "DefaultValue" in argument[3]:
            return resolve(argument[3]["DefaultValue"], context, where)
        raise TemplateError(f"{where}: Fn::FindInMap: mapping {name} has no [{first}][{second}]") from None


def _base64(argument: Any, context: Context, where: str) -> str:
    return base64.b64encode(text(resolve(argument, context, where)).encode()).decode()


def _get_azs(argument: Any, context: Context, where: str) -> list[str]:
    region = resolve(argument, context, where) or context.pseudo["AWS::Region"]
    return [f"{region}{zone}" for zone in AVAILABILITY_ZONES.get(region, "abc")]


def _cidr(argument: Any, context: Context, where: str) -> list[str]:
    block, count, bits = (resolve(part, context, where) for part in argument)
    network = ipaddress.ip_network(str(block), strict=False)
    prefix = network.max_prefixlen - int(bits)
    if not 0 <= int(bits) <= network.max_prefixlen - network.prefixlen:
        raise TemplateError(
            f"{where}: Template error: Fn::Cidr cidrBits {bits} does not fit the /{network.prefixlen} block {block}"
        )
    available = 2 ** (prefix - network.prefixlen)
    if not 1 <= int(count) <= min(available, 256):
        raise TemplateError(
            f"{where}: Template error: Fn::Cidr count {count}: {block} holds {available} subnets of /{prefix} "
            "(CloudFormation allows 1 to 256)"
        )
    subnets = network.subnets(new_prefix=prefix)
    return [str(next(subnets)) for _ in range(int(count))]


def _import_value(argument: Any, context: Context, where: str) -> Any:
    name = resolve(argument, context, where)
    if name not in context.exports:
        raise TemplateError(f"{where}: No export named {name} found.")
    context.imported.add(name)
    return context.exports[name]


def _length(argument: Any, context: Context, where: str) -> int:
    values = resolve(argument, context, where)
    if not isinstance(values, list):
        raise TemplateError(f"{where}: Fn::Length needs a list")
    return len(values)


def _to_json_string(argument: Any, context: Context, where: str) -> str:
    return json.dumps(resolve(argument, context, where), separators=(",", ":"))


def _condition_function(argument: Any, context: Context, where: str) -> bool:
    return condition(argument, context, where)


FUNCTIONS = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Sub": _sub,
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": _base64,
    "Fn::GetAZs": _get_azs,
    "Fn::Cidr": _cidr,
    "Fn::ImportValue": _import_value,
    "Fn::Length": _length,
    "Fn::ToJsonString": _to_json_string,
    "Condition": _condition_function,
}


def condition(name: Any, context: Context, where: str) -> bool:
    if name not in context.conditions:
        raise TemplateError(f"{where}: no condition named {name} in Conditions")
    return context.conditions[name]


def evaluate_conditions(declared: dict[str, Any], context: Context) -> dict[str, bool]:
    """Every condition's value, conditions referring to others in any order (cycles refused)."""
    values: dict[str, bool] = {}
    visiting: set[str] = set()

    def named(name: str) -> bool:
        if name not in values:
            if name not in declared:
                raise TemplateError(f"Conditions: no condition named {name}")
            if name in visiting:
                raise TemplateError(f"Conditions.{name}: circular reference")
            visiting.add(name)
            values[name] = truth(declared[name], f"Conditions.{name}")
        return values[name]

    def truth(node: Any, where: str) -> bool:
        if isinstance(node, dict) and len(node) == 1:
            ((key, argument),) = node.items()
            if key == "Condition":
                return named(str(argument))
            if key == "Fn::Equals":
                left, right = (resolve(part, context, where) for part in argument)
                return text(left) == text(right)
            if key == "Fn::Not":
                return not truth(argument[0], f"{where}.Fn::Not")
            if key in ("Fn::And", "Fn::Or") and 2 <= len(argument) <= 10:
                results = [truth(part, f"{where}.{key}") for part in argument]
                return all(results) if key == "Fn::And" else any(results)
        raise TemplateError(f"{where}: a condition must be Fn::Equals, Fn::Not, Fn::And, Fn::Or or Condition")

    for name in declared:
        named(name)
    return values
