"""The `/_sandbox/*` control routes of `python -m sandbox serve` over HTTP, given bad input:
each answer is 400 (404, 405) with a JSON message naming what is wrong, the server log
stays free of tracebacks, and a refused request changes nothing. Before, most of these
were HTTP 500 with a traceback, and a negative duration was accepted without a word."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.lambda_runtime.processes import free_port, sandbox_process

Server = tuple[str, Path]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("routes") / "serve.log"
    with sandbox_process("serve", port=free_port(), output=log) as url:
        yield url, log


def request(url: str, path: str, body: bytes | None = None, method: str | None = None) -> tuple[int, Any]:
    sent = urllib.request.Request(f"{url}{path}", data=body, method=method or ("POST" if body is not None else "GET"))
    try:
        with urllib.request.urlopen(sent, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def post(url: str, path: str, document: Any) -> tuple[int, Any]:
    return request(url, path, json.dumps(document).encode())


def durations(url: str) -> dict[str, float]:
    status, body = post(url, "/_sandbox/config", {})
    assert status == 200
    return dict(body["durations"])


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"durations": {"Creating": -5}}, "durations.Creating must be a number 0 or more, got -5"),
        ({"durations": {"Stopping": "slow"}}, 'durations.Stopping must be a number 0 or more, got "slow"'),
        ({"durations": {"Creating": 1e999}}, "durations.Creating must be a number 0 or more, got Infinity"),
        ({"durations": {"Creatin": 5}}, "durations has unknown field(s) Creatin; expected some of Creating"),
        ({"durations": [5]}, "durations must be a JSON object, got [5]"),
        ({"duration": {"Creating": 5}}, "the /_sandbox/config body has unknown field(s) duration"),
        ([], "the /_sandbox/config body must be a JSON object, got []"),
        ({"faults": {"seed": 1, "throttle_rate": 1.5}}, "faults.throttle_rate must be a number from 0 to 1, got 1.5"),
        (
            {"faults": {"seed": 1, "throttle_rate": 0.7, "server_error_rate": 0.7}},
            "faults.throttle_rate + faults.server_error_rate must be at most 1, got 1.4",
        ),
        ({"faults": {"seed": "one"}}, 'faults.seed must be a whole number 0 or more, got "one"'),
        ({"faults": {"operations": "Describe"}}, "faults.operations must be a list of operation names"),
        ({"faults": {"operations": ["DescribeEndpoint"]}}, "faults.operations names no emulated operation"),
        (
            {"outcomes": {"Stop": {"status": "Exploded", "reason": "r"}}},
            "outcomes.Stop.status must be one of Creating, Created",
        ),
        ({"outcomes": {"Stop": {"status": "Cancelled"}}}, "outcomes.Stop.reason must be a non-empty string, got null"),
        ({"outcomes": {"Create": {"status": "Cancelled", "reason": "r"}}}, "outcomes has unknown field(s) Create"),
        ({"stop_before_start": "yes"}, 'stop_before_start must be true or false, got "yes"'),
        (
            {"removed_production_status": "Gone"},
            'removed_production_status must be one of Deleted, InService, got "Gone"',
        ),
    ],
)
def test_a_bad_config_is_400_naming_the_field(server: Server, document: Any, message: str) -> None:
    url, log = server
    status, body = post(url, "/_sandbox/config", document)
    assert (status, message in body["message"]) == (400, True), body
    assert "Traceback" not in log.read_text()


def test_a_refused_config_changes_nothing(server: Server) -> None:
    url, _ = server
    before = durations(url)
    status, _ = post(url, "/_sandbox/config", {"durations": {"Creating": 7}, "faults": {"throttle_rate": 2}})
    assert status == 400
    assert durations(url) == before
    status, body = post(url, "/_sandbox/config", {"durations": {"Creating": 0.5}})
    assert (status, body["durations"]["Creating"]) == (200, 0.5)
    post(url, "/_sandbox/config", {"durations": before})


@pytest.mark.parametrize(
    ("path", "body", "method", "status", "message"),
    [
        ("/_sandbox/config", b"{not json", "POST", 400, "the /_sandbox/config body is not JSON"),
        ("/_sandbox/calls?since=abc", None, "GET", 400, "since must be a whole number 0 or more, got 'abc'"),
        ("/_sandbox/calls?since=-1", None, "GET", 400, "since must be a whole number 0 or more, got '-1'"),
        ("/_sandbox/config", None, "GET", 405, "/_sandbox/config answers POST, not GET"),
        ("/_sandbox/reset", b"{}", "POST", 404, "unknown sandbox route /_sandbox/reset"),
        ("/_sandbox/seed-finished", b"{}", "POST", 400, "count must be a whole number from 0 to 100000, got null"),
        (
            "/_sandbox/seed-finished",
            b'{"count": 1, "prefix": "p", "template": {}}',
            "POST",
            400,
            "template.RoleArn must be a JSON str, got null",
        ),
    ],
)
def test_other_bad_requests_are_refused_with_a_message(
    server: Server, path: str, body: bytes | None, method: str, status: int, message: str
) -> None:
    url, log = server
    answered, document = request(url, path, body, method)
    assert (answered, message in document["message"]) == (status, True), document
    assert "Traceback" not in log.read_text()


def test_seeding_into_an_unknown_region_is_refused(server: Server) -> None:
    url, log = server
    template = {"RoleArn": "arn:aws:iam::123456789012:role/r", "EndpointName": "e", "ModelVariants": []}
    document = {"count": 1, "prefix": "p", "region": "mars-1", "template": {**template, "ShadowModeConfig": {}}}
    status, body = post(url, "/_sandbox/seed-finished", document)
    assert (status, body["message"]) == (400, "region 'mars-1' is not a region SageMaker is offered in")
    assert "Traceback" not in log.read_text()
