"""The Cloud Control backend: registered resource types, the request store, and the eight
operations. Synchronous checks (schema, patch, idempotency, concurrency) answer at once;
CREATE, UPDATE and DELETE then run their handler loop in a background thread."""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sandbox.lambda_runtime.invoke import Invoke

from .exceptions import CloudControlError, token_not_found, type_not_found, validation
from .invocation import Cancelled, HandlerDriver, guarded, invoke_once, read_model
from .paging import page_of, resource_page
from .patches import patched, refuse_fixed_properties
from .requests import ResourceRequest
from .schema import TypeSchema

CLIENT_TOKEN_SECONDS = 36 * 3600
REQUEST_RETENTION_SECONDS = 7 * 86400


@dataclass(frozen=True)
class ResourceType:
    """A registered type: its schema, and how to invoke its handlers (payload -> response)."""

    schema: TypeSchema
    invoke: Invoke


def parse_json(text: str, what: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except ValueError as error:
        raise validation(f"{what} is not valid JSON: {error}") from None
    if not isinstance(value, kind):
        raise validation(f"{what} must be a JSON {'object' if kind is dict else 'array'}")
    return value


class CloudControlBackend:
    """Cloud Control for the types registered with `register`, in one account."""

    def __init__(self, time_scale: float = 1.0) -> None:
        self.time_scale = time_scale
        self.types: dict[str, ResourceType] = {}
        self.requests: dict[str, ResourceRequest] = {}
        self._lock = threading.RLock()

    def register(self, resource_type: ResourceType) -> None:
        self.types[resource_type.schema.type_name] = resource_type

    def resource_type(self, type_name: str) -> ResourceType:
        if type_name not in self.types:
            raise type_not_found(type_name)
        return self.types[type_name]

    def driver(self, resource_type: ResourceType, region: str, request: ResourceRequest | None = None) -> HandlerDriver:
        if request is None:
            return HandlerDriver(
                resource_type.invoke,
                region=region,
                type_name=resource_type.schema.type_name,
                schema=resource_type.schema,
            )
        return HandlerDriver(
            guarded(resource_type.invoke, request.cancel_requested),
            region=region,
            sleep=request.wait,
            time_scale=self.time_scale,
            on_event=lambda _action, response: request.on_response(response, self.time_scale),
            type_name=resource_type.schema.type_name,
            schema=resource_type.schema,
        )

    # ---- requests ------------------------------------------------------------------------

    def _replay(self, client_token: str, fingerprint: str) -> ResourceRequest | None:
        """The earlier request with this client token, if it is the same request."""
        now = time.time()
        for request in self.requests.values():
            if request.client_token == client_token and now - request.created < CLIENT_TOKEN_SECONDS:
                if request.fingerprint != fingerprint:
                    raise CloudControlError(
                        "ClientTokenConflictException",
                        f"Client token {client_token} was already used by request {request.token} "
                        "with different parameters.",
                    )
                return request
        return None

    def _refuse_busy(self, type_name: str, identifier: str | None) -> None:
        """ConcurrentOperationException while another request on the resource is unfinished
        (checked before UpdateResource's read, so an update during a create is refused as
        such, not as a missing resource)."""
        with self._lock:
            for other in self.requests.values():
                if other.active and other.type_name == type_name and identifier and other.identifier == identifier:
                    raise CloudControlError(
                        "ConcurrentOperationException",
                        f"Another resource operation ({other.operation} request {other.token}, "
                        f"{other.status}) is currently being performed on {type_name} {identifier}.",
                    )

    def _admit(
        self, operation: str, type_name: str, identifier: str | None, token: str, body: Any
    ) -> tuple[ResourceRequest, bool]:
        """The request for this client token: the earlier one, or a new one (True)."""
        fingerprint = json.dumps([operation, type_name, identifier, body], sort_keys=True)
        with self._lock:
            earlier = self._replay(token, fingerprint)
            if earlier is not None:
                return earlier, False
            self._refuse_busy(type_name, identifier)
            request = ResourceRequest(
                str(uuid.uuid4()), len(self.requests), type_name, operation, identifier, token, fingerprint
            )
            self.requests[request.token] = request
            return request, True

    def _launch(
        self,
        request: ResourceRequest,
        resource_type: ResourceType,
        region: str,
        desired: dict[str, Any],
        previous: dict[str, Any] | None = None,
    ) -> None:
        """Run the request's handler loop in a background thread, as Cloud Control does."""
        schema, action = resource_type.schema, request.operation

        def run() -> None:
            request.start()
            try:
                outcome = self.driver(resource_type, region, request).run(action, desired, previous)
            except Cancelled:
                request.finish(None)
                return
            request.finish(outcome, schema.identifier_of(outcome.model or {}))

        threading.Thread(target=run, name=f"cloudcontrol-{request.token}", daemon=True).start()

    def request(self, token: str) -> ResourceRequest:
        found = self.requests.get(token)
        if found is None or time.time() - found.created > REQUEST_RETENTION_SECONDS:
            raise token_not_found(token)
        return found

    # ---- operations ----------------------------------------------------------------------

    def create_resource(self, type_name: str, desired_state: str, client_token: str, region: str) -> ResourceRequest:
        resource_type = self.resource_type(type_name)
        desired = parse_json(desired_state, "DesiredState", dict)
        resource_type.schema.validate(desired)
        identifier = resource_type.schema.identifier_of(desired)
        request, new = self._admit("CREATE", type_name, identifier, client_token, desired)
        if new:
            self._launch(request, resource_type, region, desired)
        return request

    def update_resource(
        self, type_name: str, identifier: str, patch_document: str, client_token: str, region: str
    ) -> ResourceRequest:
        resource_type = self.resource_type(type_name)
        schema = resource_type.schema
        key = schema.identifier_model(identifier)
        canonical = schema.identifier_of(key)
        patch = parse_json(patch_document, "PatchDocument", list)
        with self._lock:
            earlier = self._replay(client_token, json.dumps(["UPDATE", type_name, canonical, patch], sort_keys=True))
        if earlier is not None:
            return earlier
        refuse_fixed_properties(schema, patch)
        self._refuse_busy(type_name, canonical)
        current = read_model(self.driver(resource_type, region), key)
        desired = patched(current, patch)
        schema.validate(desired)
        request, new = self._admit("UPDATE", type_name, canonical, client_token, patch)
        if new:
            self._launch(request, resource_type, region, desired, current)
        return request

    def delete_resource(self, type_name: str, identifier: str, client_token: str, region: str) -> ResourceRequest:
        resource_type = self.resource_type(type_name)
        key = resource_type.schema.identifier_model(identifier)
        canonical = resource_type.schema.identifier_of(key)
        request, new = self._admit("DELETE", type_name, canonical, client_token, None)
        if new:
            self._launch(request, resource_type, region, key)
        return request

    def get_resource(self, type_name: str, identifier: str, region: str) -> tuple[str, dict[str, Any]]:
        resource_type = self.resource_type(type_name)
        schema = resource_type.schema
        model = read_model(self.driver(resource_type, region), schema.identifier_model(identifier))
        return schema.identifier_of(model) or identifier, schema.without_write_only(model)

    def list_resources(
        self,
        type_name: str,
        resource_model: dict[str, Any],
        next_token: str | None,
        max_results: int | None,
        region: str,
    ) -> tuple[list[tuple[str, dict[str, Any]]], str | None]:
        resource_type = self.resource_type(type_name)
        schema = resource_type.schema

        def fetch(handler_token: str | None) -> tuple[list[dict[str, Any]], str | None]:
            driver = self.driver(resource_type, region)
            payload = driver.request("LIST", resource_model)
            if handler_token:
                payload["nextToken"] = handler_token
            response = invoke_once(driver, payload)
            return list(response.get("resourceModels") or []), response.get("nextToken")

        models, token = resource_page(fetch, next_token, max_results)
        return [(schema.identifier_of(m) or "", schema.without_write_only(m)) for m in models], token

    def list_requests(
        self, operations: list[str], statuses: list[str], next_token: str | None, max_results: int | None
    ) -> tuple[list[ResourceRequest], str | None]:
        """Newest first; requests older than seven days have expired."""
        oldest = time.time() - REQUEST_RETENTION_SECONDS
        with self._lock:
            matching = [
                r
                for r in reversed(self.requests.values())
                if r.created >= oldest
                and (not operations or r.operation in operations)
                and (not statuses or r.status in statuses)
            ]
        return page_of(matching, next_token, max_results)

    def cancel_request(self, token: str) -> ResourceRequest:
        request = self.request(token)
        request.cancel()
        return request
