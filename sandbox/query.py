"""The AWS query protocol as CloudFormation speaks it: form-encoded requests with
`Name.member.N.Field` lists, XML responses with `<member>` items, XML errors."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl
from xml.sax.saxutils import escape

NAMESPACE = "http://cloudformation.amazonaws.com/doc/2010-05-15/"
MEMBER = re.compile(r"^(\w+)\.member\.(\d+)(?:\.(\w+))?$")
SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/")


class ApiError(Exception):
    """An error response: code, message and HTTP status, as CloudFormation sends them."""

    def __init__(self, message: str, code: str = "ValidationError", status: int = 400) -> None:
        super().__init__(message)
        self.code, self.status = code, status


def credential_scope(authorization: str) -> tuple[str, str] | None:
    """(region, service) from a SigV4 Authorization header."""
    found = SCOPE.search(authorization)
    return (found.group(1), found.group(2)) if found else None


def parse(body: str) -> dict[str, Any]:
    """Scalars by name; `X.member.N` lists as lists, `X.member.N.Field` as lists of dicts."""
    params: dict[str, Any] = {}
    lists: dict[str, dict[int, Any]] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        found = MEMBER.match(key)
        if not found:
            params[key] = value
            continue
        name, index, field = found.group(1), int(found.group(2)), found.group(3)
        items = lists.setdefault(name, {})
        if field:
            items.setdefault(index, {})[field] = value
        else:
            items[index] = value
    params.update({name: [items[i] for i in sorted(items)] for name, items in lists.items()})
    return params


def element(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        inner = "".join(element(key, item) for key, item in value.items())
    elif isinstance(value, list):
        inner = "".join(element("member", item) for item in value)
    elif isinstance(value, bool):
        inner = "true" if value else "false"
    elif isinstance(value, datetime):
        inner = value.isoformat().replace("+00:00", "Z")
    else:
        inner = escape(str(value))
    return f"<{name}>{inner}</{name}>"


def response(action: str, result: dict[str, Any]) -> str:
    return (
        f'<{action}Response xmlns="{NAMESPACE}">{element(f"{action}Result", result)}'
        f"<ResponseMetadata><RequestId>{uuid.uuid4()}</RequestId></ResponseMetadata></{action}Response>"
    )


def error(failure: ApiError) -> str:
    return (
        f'<ErrorResponse xmlns="{NAMESPACE}"><Error><Type>Sender</Type><Code>{failure.code}</Code>'
        f"<Message>{escape(str(failure))}</Message></Error><RequestId>{uuid.uuid4()}</RequestId></ErrorResponse>"
    )
