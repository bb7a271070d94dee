"""CloudFormation's DescribeType (query protocol) for the registered types, because Cloud
Control clients (Terraform awscc, Pulumi aws-native) read create-only and write-only
properties from the schema it returns. Any other CloudFormation call is left alone."""

from __future__ import annotations

import io
import json
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs
from xml.sax.saxutils import escape

from sandbox.lambda_runtime.callbacks import ACCOUNT

from .models import CloudControlBackend, ResourceType

NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
VERSION_ID = "00000001"
STARTED = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def query_params(environ: dict[str, Any]) -> dict[str, str]:
    """The query-protocol parameters; a form body is read and put back for whoever is next."""
    text = environ.get("QUERY_STRING", "")
    if environ.get("REQUEST_METHOD") == "POST" and "x-www-form-urlencoded" in environ.get("CONTENT_TYPE", ""):
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        text = body.decode("utf-8", "replace")
    return {key: values[0] for key, values in parse_qs(text).items()}


def type_arn(type_name: str, region: str) -> str:
    return f"arn:aws:cloudformation:{region}:{ACCOUNT}:type/resource/{type_name.replace('::', '-')}"


def provisioning_type(schema: dict[str, Any]) -> str:
    handlers = schema.get("handlers", {})
    if "create" not in handlers:
        return "NON_PROVISIONABLE"
    return "FULLY_MUTABLE" if "update" in handlers else "IMMUTABLE"


def described(resource_type: ResourceType, region: str) -> dict[str, str]:
    """DescribeTypeOutput for a registered private type at its one version."""
    schema = resource_type.schema.document
    fields = {
        "Arn": type_arn(resource_type.schema.type_name, region),
        "Type": "RESOURCE",
        "TypeName": resource_type.schema.type_name,
        "DefaultVersionId": VERSION_ID,
        "IsDefaultVersion": "true",
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


def wanted_type(params: dict[str, str], backend: CloudControlBackend, region: str) -> ResourceType | None:
    if params.get("Action") != "DescribeType" or params.get("Type", "RESOURCE") != "RESOURCE":
        return None
    for resource_type in backend.types.values():
        name = resource_type.schema.type_name
        if params.get("TypeName") == name or params.get("Arn") == type_arn(name, region):
            return resource_type
    return None


def xml_answer(start_response: Callable[..., Any], status: str, inner: str) -> Iterable[bytes]:
    start_response(status, [("Content-Type", "text/xml")])
    return [inner.encode()]


def answer(
    environ: dict[str, Any], start_response: Callable[..., Any], backend: CloudControlBackend, region: str
) -> Iterable[bytes] | None:
    """The DescribeType answer for a registered type, or None for anything else."""
    params = query_params(environ)
    resource_type = wanted_type(params, backend, region)
    if resource_type is None:
        return None
    request_id = uuid.uuid4()
    version = params.get("VersionId")
    if version not in (None, VERSION_ID):
        message = escape(f"The type '{resource_type.schema.type_name}' version '{version}' cannot be found.")
        error = f"<Error><Type>Sender</Type><Code>TypeNotFoundException</Code><Message>{message}</Message></Error>"
        inner = f'<ErrorResponse xmlns="{NAMESPACE}">{error}<RequestId>{request_id}</RequestId></ErrorResponse>'
        return xml_answer(start_response, "404 Not Found", inner)
    body = "".join(f"<{key}>{escape(value)}</{key}>" for key, value in described(resource_type, region).items())
    return xml_answer(
        start_response,
        "200 OK",
        f'<DescribeTypeResponse xmlns="{NAMESPACE}"><DescribeTypeResult>{body}</DescribeTypeResult>'
        f"<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata></DescribeTypeResponse>",
    )
