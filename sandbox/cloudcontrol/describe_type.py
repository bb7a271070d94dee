"""CloudFormation's DescribeType (query protocol) for the registered types, because Cloud
Control clients (Terraform awscc, Pulumi aws-native) read create-only and write-only
properties from the schema it returns. Any other CloudFormation call is left alone."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any

from sandbox.lambda_runtime.callbacks import ACCOUNT
from sandbox.query import ApiError, action_of, parse, serialize

from .models import CloudControlBackend, ResourceType

ACTION = "DescribeType"
VERSION_ID = "00000001"
STARTED = datetime.now(UTC).replace(microsecond=0)


def query_text(environ: dict[str, Any]) -> str:
    """The query-protocol request; a form body is read and put back for whoever is next."""
    text = str(environ.get("QUERY_STRING", ""))
    if environ.get("REQUEST_METHOD") == "POST" and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        text = body.decode("utf-8", "replace")
    return text


def type_arn(type_name: str, region: str) -> str:
    return f"arn:aws:cloudformation:{region}:{ACCOUNT}:type/resource/{type_name.replace('::', '-')}"


def provisioning_type(schema: dict[str, Any]) -> str:
    handlers = schema.get("handlers", {})
    if "create" not in handlers:
        return "NON_PROVISIONABLE"
    return "FULLY_MUTABLE" if "update" in handlers else "IMMUTABLE"


def described(resource_type: ResourceType, region: str) -> dict[str, Any]:
    """DescribeTypeOutput for a registered private type at its one version."""
    schema = resource_type.schema.document
    fields = {
        "Arn": type_arn(resource_type.schema.type_name, region),
        "Type": "RESOURCE",
        "TypeName": resource_type.schema.type_name,
        "DefaultVersionId": VERSION_ID,
        "IsDefaultVersion": True,
        "TypeTestsStatus": "NOT_TESTED",
        "Description": str(schema.get("description", "")),
        "Schema": json.dumps(schema),
        "ProvisioningType": provisioning_type(schema),
        "DeprecatedStatus": "LIVE",
        "Visibility": "PRIVATE",
        "SourceUrl": str(schema.get("sourceUrl", "")),
        "LastUpdated": STARTED,
        "TimeCreated": STARTED,
    }
    return {key: value for key, value in fields.items() if value}


def wanted_type(params: dict[str, Any], backend: CloudControlBackend, region: str) -> ResourceType | None:
    if params.get("Type", "RESOURCE") != "RESOURCE":
        return None
    for resource_type in backend.types.values():
        name = resource_type.schema.type_name
        if params.get("TypeName") == name or params.get("Arn") == type_arn(name, region):
            return resource_type
    return None


def answer(
    environ: dict[str, Any], start_response: Callable[..., Any], backend: CloudControlBackend, region: str
) -> Iterable[bytes] | None:
    """The DescribeType answer for a registered type, or None for anything else."""
    text = query_text(environ)
    if action_of(text) != ACTION:
        return None
    params = parse(ACTION, text)
    resource_type = wanted_type(params, backend, region)
    if resource_type is None:
        return None
    version = params.get("VersionId")
    result: dict[str, Any] | ApiError = described(resource_type, region)
    if version not in (None, VERSION_ID):
        message = f"The type '{resource_type.schema.type_name}' version '{version}' cannot be found."
        result = ApiError(message, "TypeNotFoundException")
    status, xml = serialize(ACTION, result)
    start_response(f"{status} {HTTPStatus(status).phrase}", [("Content-Type", "text/xml")])
    return [xml.encode()]
