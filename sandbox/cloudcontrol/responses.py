"""The Cloud Control API over HTTP: awsJson1_0, `X-Amz-Target: CloudApiService.<Operation>`,
errors as `{"__type": ..., "Message": ...}`. `middleware` answers these (and DescribeType for
registered types) in front of any other WSGI application, which gets everything else."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from sandbox.query import credential_scope
from sandbox.server.loopback import WSGIApp

from . import describe_type
from .exceptions import CloudControlError, validation
from .models import CloudControlBackend, parse_json
from .requests import ResourceRequest

LOG = logging.getLogger(__name__)
TARGET_PREFIX = "CloudApiService."
CONTENT_TYPE = "application/x-amz-json-1.0"
DEFAULT_REGION = "us-east-1"
OPERATIONS = {
    "CreateResource": "create_resource",
    "UpdateResource": "update_resource",
    "DeleteResource": "delete_resource",
    "GetResource": "get_resource",
    "ListResources": "list_resources",
    "GetResourceRequestStatus": "get_resource_request_status",
    "ListResourceRequests": "list_resource_requests",
    "CancelResourceRequest": "cancel_resource_request",
}


def region_of(environ: dict[str, Any]) -> str:
    """The region the caller signed for (SigV4 credential scope)."""
    scope = credential_scope(environ.get("HTTP_AUTHORIZATION", ""))
    return scope[0] if scope else DEFAULT_REGION


def required(params: dict[str, Any], name: str) -> Any:
    if params.get(name) in (None, ""):
        raise validation(
            f"1 validation error detected: Value null at '{name[0].lower()}{name[1:]}' "
            "failed to satisfy constraint: Member must not be null"
        )
    return params[name]


def max_results(params: dict[str, Any]) -> int | None:
    value = params.get("MaxResults")
    if value is not None and not (isinstance(value, int) and 1 <= value <= 100):
        raise validation(
            f"1 validation error detected: Value '{value}' at 'maxResults' failed to satisfy constraint: "
            "Member must have value between 1 and 100"
        )
    return value


def progress(request: ResourceRequest) -> dict[str, Any]:
    return {"ProgressEvent": request.progress_event()}


class CloudControlResponse:
    """One method per operation: request parameters in, response shape out."""

    def __init__(self, backend: CloudControlBackend) -> None:
        self.backend = backend

    def dispatch(self, operation: str, params: dict[str, Any], region: str) -> dict[str, Any]:
        if operation not in OPERATIONS:
            raise CloudControlError("UnknownOperationException", f"Unknown operation {operation}")
        method: Callable[[dict[str, Any], str], dict[str, Any]] = getattr(self, OPERATIONS[operation])
        return method(params, region)

    def create_resource(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        type_name, desired = required(params, "TypeName"), required(params, "DesiredState")
        return progress(self.backend.create_resource(type_name, desired, self._token(params), region))

    def update_resource(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        type_name, identifier = required(params, "TypeName"), required(params, "Identifier")
        patch = required(params, "PatchDocument")
        return progress(self.backend.update_resource(type_name, identifier, patch, self._token(params), region))

    def delete_resource(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        type_name, identifier = required(params, "TypeName"), required(params, "Identifier")
        return progress(self.backend.delete_resource(type_name, identifier, self._token(params), region))

    def get_resource(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        type_name, identifier = required(params, "TypeName"), required(params, "Identifier")
        found, properties = self.backend.get_resource(type_name, identifier, region)
        description = {"Identifier": found, "Properties": json.dumps(properties)}
        return {"TypeName": type_name, "ResourceDescription": description}

    def list_resources(self, params: dict[str, Any], region: str) -> dict[str, Any]:
        type_name = required(params, "TypeName")
        model = parse_json(params["ResourceModel"], "ResourceModel", dict) if params.get("ResourceModel") else {}
        found, token = self.backend.list_resources(
            type_name, model, params.get("NextToken"), max_results(params), region
        )
        descriptions = [{"Identifier": key, "Properties": json.dumps(properties)} for key, properties in found]
        return {"TypeName": type_name, "ResourceDescriptions": descriptions, **({"NextToken": token} if token else {})}

    def get_resource_request_status(self, params: dict[str, Any], _region: str) -> dict[str, Any]:
        return progress(self.backend.request(required(params, "RequestToken")))

    def list_resource_requests(self, params: dict[str, Any], _region: str) -> dict[str, Any]:
        wanted = params.get("ResourceRequestStatusFilter") or {}
        found, token = self.backend.list_requests(
            list(wanted.get("Operations") or []),
            list(wanted.get("OperationStatuses") or []),
            params.get("NextToken"),
            max_results(params),
        )
        summaries = [request.progress_event() for request in found]
        return {"ResourceRequestStatusSummaries": summaries, **({"NextToken": token} if token else {})}

    def cancel_resource_request(self, params: dict[str, Any], _region: str) -> dict[str, Any]:
        return progress(self.backend.cancel_request(required(params, "RequestToken")))

    @staticmethod
    def _token(params: dict[str, Any]) -> str:
        """The SDKs fill in ClientToken (an idempotency token); raw callers may not."""
        return str(params.get("ClientToken") or uuid.uuid4())


def answer(start_response: Callable[..., Any], status: int, body: dict[str, Any]) -> Iterable[bytes]:
    reason = {200: "OK", 400: "Bad Request", 500: "Internal Server Error"}[status]
    headers = [("Content-Type", CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4()))]
    start_response(f"{status} {reason}", headers)
    return [json.dumps(body).encode()]


def middleware(app: WSGIApp, backend: CloudControlBackend) -> WSGIApp:
    """`app` with Cloud Control, and DescribeType for registered types, answered in front of it."""
    responses = CloudControlResponse(backend)

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith(TARGET_PREFIX):
            described = describe_type.answer(environ, start_response, backend, region_of(environ))
            return described if described is not None else app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            params = json.loads(environ["wsgi.input"].read(length) or b"{}")
            result = responses.dispatch(target.removeprefix(TARGET_PREFIX), params, region_of(environ))
        except CloudControlError as error:
            return answer(start_response, error.status, {"__type": error.code, "Message": error.message})
        except ValueError:
            return answer(start_response, 400, {"__type": "SerializationException", "Message": "Malformed JSON"})
        except Exception as error:  # the stand-in's own fault: answer as AWS does, and log it
            LOG.exception("Cloud Control %s failed", target)
            return answer(start_response, 500, {"__type": "InternalFailure", "Message": str(error)})
        return answer(start_response, 200, result)

    return application
