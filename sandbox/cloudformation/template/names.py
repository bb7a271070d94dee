"""Values that name SageMaker resources, checked before anything is created: an ARN where a
name belongs is the most common mistake in SageMaker templates (Ref on a SageMaker
resource returns its ARN), and a name SageMaker would refuse must not be seeded."""

from __future__ import annotations

import re
from typing import Any

from .document import TemplateError

SAGEMAKER_NAME = re.compile(r"[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}")
NAME_ATTRIBUTE = {"endpoint": "EndpointName", "model": "ModelName"}


def name_fields(properties: dict[str, Any]) -> list[tuple[str, str, Any]]:
    """(path, kind, value) of each endpoint or model name in an experiment's properties."""
    found = [("EndpointName", "endpoint", properties.get("EndpointName"))]
    for index, variant in enumerate(properties.get("ModelVariants") or []):
        if isinstance(variant, dict):
            found.append((f"ModelVariants[{index}].ModelName", "model", variant.get("ModelName")))
    return [entry for entry in found if entry[2] is not None]


def check_experiment(where: str, properties: dict[str, Any], refs: dict[str, Any]) -> None:
    """Refuse ARNs and names SageMaker would not accept, saying how to fix the template."""
    owners = {value: logical_id for logical_id, value in refs.items()}
    for path, kind, value in name_fields(properties):
        text = str(value)
        if text.startswith("arn:"):
            owner = owners.get(text)
            fix = (
                f"use !GetAtt {owner}.{NAME_ATTRIBUTE[kind]} (Ref on {owner} returns its ARN)"
                if owner
                else f"give the {kind}'s name, not its ARN"
            )
            raise TemplateError(f"{where}.{path}: {text!r} is an ARN; SageMaker expects the {kind} name here: {fix}")
        if not SAGEMAKER_NAME.fullmatch(text):
            raise TemplateError(
                f"{where}.{path}: {text!r} is not a valid SageMaker {kind} name "
                f"(1-63 letters, digits and hyphens, starting with a letter or digit)"
            )
