"""NextToken paging for ListResourceRequests and ListResources. Tokens are opaque base64
JSON, so a client cannot mistake them for anything it could build itself."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from .exceptions import validation

LIST_REQUESTS_DEFAULT = 20  # "The default is 20." (ListResourceRequests MaxResults)
Fetch = Callable[[str | None], tuple[list[dict[str, Any]], str | None]]


class Sequenced(Protocol):
    @property
    def sequence(self) -> int: ...


Item = TypeVar("Item", bound=Sequenced)


def encode(state: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(state, sort_keys=True).encode()).decode()


def decode(token: str) -> dict[str, Any]:
    try:
        state = json.loads(base64.b64decode(token, validate=True))
    except (ValueError, binascii.Error):
        state = None
    if not isinstance(state, dict):
        raise validation(f"Invalid NextToken: {token}")
    return state


def page_of(items: list[Item], next_token: str | None, max_results: int | None) -> tuple[list[Item], str | None]:
    """`items` newest first; a token names the sequence number the next page starts at."""
    start = int(decode(next_token).get("before", 0)) if next_token else None
    remaining = [item for item in items if start is None or item.sequence <= start]
    size = max_results or LIST_REQUESTS_DEFAULT
    page, rest = remaining[:size], remaining[size:]
    return page, encode({"before": rest[0].sequence}) if rest else None


def resource_page(
    fetch: Fetch, next_token: str | None, max_results: int | None
) -> tuple[list[dict[str, Any]], str | None]:
    """One ListResources page: the list handler's models for its own token, cut into pages
    of MaxResults (everything it returned when MaxResults is absent)."""
    state = decode(next_token) if next_token else {}
    handler_token, offset = state.get("handler"), int(state.get("offset", 0))
    models, handler_next = fetch(handler_token)
    end = offset + max_results if max_results else len(models)
    if end < len(models):
        return models[offset:end], encode({"handler": handler_token, "offset": end})
    return models[offset:end], encode({"handler": handler_next, "offset": 0}) if handler_next else None
