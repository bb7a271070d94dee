"""The AWS query protocol as CloudFormation speaks it, on moto's model-driven QueryParser and
QuerySerializer and botocore's `cloudformation` service model: form-encoded requests parsed
into typed parameters (`DisableRollback=true` is True, `Parameters.member.N` a list of
structures), XML results and errors in the shapes and HTTP statuses the model gives. Shared
by the stack API (`sandbox.cloudformation.wire`) and Cloud Control's DescribeType."""

from __future__ import annotations

import re
import uuid
import warnings
from typing import Any
from urllib.parse import parse_qsl

from moto.core.parse import QueryParser
from moto.core.serialize import QuerySerializer, SerializationContext
from moto.core.utils import get_service_model
from werkzeug.datastructures import Headers, MultiDict

SERVICE = "cloudformation"
SCOPE = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/([^/]+)/")
INVALID_ACTION = "InvalidAction"
# InvalidAction is common to every query API, so the cloudformation model has no shape for it.
warnings.filterwarnings("ignore", message=rf".* with code {INVALID_ACTION} does not match an error shape")


class ApiError(Exception):
    """An error answer: its code and message; the model gives its type and HTTP status."""

    def __init__(self, message: str, code: str = "ValidationError") -> None:
        super().__init__(message)
        self.message, self.code = message, code


def credential_scope(authorization: str) -> tuple[str, str] | None:
    """(region, service) from a SigV4 Authorization header."""
    found = SCOPE.search(authorization)
    return (found.group(1), found.group(2)) if found else None


def action_of(body: str) -> str:
    return dict(parse_qsl(body, keep_blank_values=True)).get("Action", "")


def parse(action: str, body: str) -> dict[str, Any]:
    """The action's parameters, typed by its input shape; ApiError for an unknown action."""
    model = get_service_model(SERVICE)
    if action not in model.operation_names:
        raise ApiError(f"The action {action} is not valid for this web service.", INVALID_ACTION)
    values = MultiDict(parse_qsl(body, keep_blank_values=True))
    parsed: dict[str, Any] = QueryParser(model.operation_model(action)).parse(
        {"values": values, "body": body, "headers": Headers(), "method": "POST", "url_params": {}, "url_path": "/"}
    )
    return parsed


def serialize(action: str, result: dict[str, Any] | ApiError) -> tuple[int, str]:
    """(HTTP status, XML body) for a result or an error; an unknown action answers as DescribeStacks
    would, since errors do not depend on the operation."""
    model = get_service_model(SERVICE)
    operation = model.operation_model(action if action in model.operation_names else "DescribeStacks")
    response = QuerySerializer(operation, SerializationContext(str(uuid.uuid4()))).serialize(result)
    return int(response["status_code"]), str(response["body"])
