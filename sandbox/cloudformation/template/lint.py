"""cfn-lint on a template before anything is created: CloudFormation would refuse what it
calls an error, so the engine does too, except where cfn-lint refuses what CloudFormation
documents (the attributes nested in a registry type's read-only object, below)."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cfnlint.api import lint
from cfnlint.decode import decode_str
from cfnlint.schema.manager import PROVIDER_SCHEMA_MANAGER

from sandbox import schemas

from .intrinsics import SUB_VARIABLE

GET_ATT_RULES = frozenset({"E1010", "E1019", "E6101"})
REFUSED_ATTRIBUTE = re.compile(r"'([^']+)' is not one of \[")


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    line: int
    path: tuple[Any, ...] = ()

    @property
    def error(self) -> bool:
        return self.rule.startswith("E")

    def __str__(self) -> str:
        return f"cfn-lint {self.rule} (line {self.line}): {self.message}"


@cache
def register_private_type() -> None:
    """A renamed project's type is private: cfn-lint knows it only from its schema, as
    `cfn-lint --registry-schemas` is told (without it, E3006 "does not exist" refuses it). The
    published AWS:: name keeps cfn-lint's bundled copy of AWS's schema."""
    published = json.loads((schemas.BUNDLED / "providers" / "us-east-1.json").read_text())
    if schemas.EXPERIMENT.type_name in published:
        return
    directory = tempfile.mkdtemp(prefix="sandbox-registry-schema-")
    try:
        (Path(directory) / "schema.json").write_text(json.dumps(schemas.EXPERIMENT.document), encoding="utf-8")
        PROVIDER_SCHEMA_MANAGER.load_registry_schemas(directory)
        for lookup in ("get_resource_types", "get_resource_schema", "get_type_getatts"):
            getattr(PROVIDER_SCHEMA_MANAGER, lookup).cache_clear()  # cfn-lint's answers from before
    finally:
        shutil.rmtree(directory, ignore_errors=True)


@cache
def check(text: str, region: str) -> tuple[Finding, ...]:
    """Errors and warnings (informational findings are dropped) for template text; cached,
    as a preflight and the operation itself both ask."""
    register_private_type()
    findings = [
        Finding(m.rule.id, m.message, m.linenumber, tuple(getattr(m, "path", None) or ()))
        for m in lint(text, regions=[region])
        if not m.rule.id.startswith("I")
    ]
    body, _ = decode_str(text)
    return tuple(f for f in findings if not documented_attribute(f, body if isinstance(body, dict) else {}))


def documented_attribute(finding: Finding, body: dict[str, Any]) -> bool:
    """Whether `finding` refuses a Fn::GetAtt attribute its target's schema documents.
    cfn-lint offers a registry type only its top-level read-only properties; CloudFormation's
    return values for AWS::SageMaker::InferenceExperiment also list EndpointMetadata.EndpointName,
    .EndpointConfigName and .EndpointStatus, so refusing them would block a template AWS accepts.
    The engine checks every attribute of the type itself when it resolves Fn::GetAtt."""
    refused = REFUSED_ATTRIBUTE.match(finding.message)
    if finding.rule not in GET_ATT_RULES or refused is None:
        return False
    attribute = refused.group(1)
    resources = body.get("Resources") or {}
    return any(
        isinstance(resources.get(target), dict)
        and attribute in schemas.schema_for(str(resources[target].get("Type"))).attributes
        for target in targets(body, finding.path, attribute)
    )


def targets(body: dict[str, Any], path: tuple[Any, ...], attribute: str) -> list[str]:
    """The logical IDs the Fn::GetAtt (or Fn::Sub variable) at `path` asks `attribute` of."""
    node: Any = body
    for key in path:
        if isinstance(node, dict) and key in ("Fn::GetAtt", "Fn::Sub"):
            argument = node[key]
            if key == "Fn::GetAtt":
                return [str(argument[0]) if isinstance(argument, list) else str(argument).split(".", 1)[0]]
            template = argument[0] if isinstance(argument, list) else argument
            return [
                name.split(".", 1)[0]
                for name in (v.strip() for v in SUB_VARIABLE.findall(str(template)))
                if name.split(".", 1)[-1] == attribute
            ]
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            return []
    return []
