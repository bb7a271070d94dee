"""The CloudFormation query protocol (sandbox/query.py) against botocore's own client side:
requests serialized by botocore parse into typed parameters, and what the sandbox writes
parses back, through botocore's response parser, into what was meant."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import botocore.session
from botocore.parsers import QueryParser as ClientParser
from botocore.serialize import QuerySerializer as ClientSerializer

from sandbox.query import ApiError, action_of, credential_scope, parse, serialize

MODEL = botocore.session.get_session().get_service_model("cloudformation")


def request_body(action: str, params: dict[str, Any]) -> str:
    request = ClientSerializer().serialize_to_request(params, MODEL.operation_model(action))
    return urlencode(request["body"])


def client_view(action: str, status: int, xml: str) -> dict[str, Any]:
    response = {"status_code": status, "headers": {}, "body": xml.encode()}
    shape = MODEL.operation_model(action).output_shape
    parsed: dict[str, Any] = ClientParser().parse(response, shape)
    return parsed


def test_requests_parse_into_the_models_types() -> None:
    body = request_body(
        "CreateStack",
        {
            "StackName": "typed",
            "DisableRollback": True,
            "TimeoutInMinutes": 5,
            "Parameters": [{"ParameterKey": "Env", "UsePreviousValue": True}],
            "Tags": [{"Key": "team", "Value": "a&b=c"}],
        },
    )
    assert action_of(body) == "CreateStack"
    assert parse("CreateStack", body) == {
        "StackName": "typed",
        "DisableRollback": True,
        "TimeoutInMinutes": 5,
        "Parameters": [{"ParameterKey": "Env", "UsePreviousValue": True}],
        "Tags": [{"Key": "team", "Value": "a&b=c"}],
    }


def test_results_and_errors_read_back_as_the_client_reads_them() -> None:
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    stack = {"StackName": "s", "StackId": "id", "CreationTime": created, "StackStatus": "CREATE_COMPLETE"}
    status, xml = serialize("DescribeStacks", {"Stacks": [{**stack, "Tags": [{"Key": "k", "Value": "<v&>"}]}]})
    assert status == 200
    (read,) = client_view("DescribeStacks", status, xml)["Stacks"]
    assert (read["CreationTime"], read["Tags"]) == (created, [{"Key": "k", "Value": "<v&>"}])

    status, xml = serialize("DescribeChangeSet", ApiError("ChangeSet [x] does not exist", "ChangeSetNotFound"))
    error = client_view("DescribeChangeSet", status, xml)["Error"]
    assert (status, error["Code"], error["Message"]) == (404, "ChangeSetNotFound", "ChangeSet [x] does not exist")


def test_an_unknown_action_is_invalid_action() -> None:
    try:
        parse("MakeCoffee", "Action=MakeCoffee")
    except ApiError as refused:
        status, xml = serialize("MakeCoffee", refused)
        assert (status, client_view("DescribeStacks", status, xml)["Error"]["Code"]) == (400, "InvalidAction")
    else:
        raise AssertionError("MakeCoffee was parsed")


def test_credential_scope_names_region_and_service() -> None:
    header = "AWS4-HMAC-SHA256 Credential=AKIA/20260101/eu-west-1/cloudformation/aws4_request, Signature=x"
    assert credential_scope(header) == ("eu-west-1", "cloudformation")
    assert credential_scope("Bearer nothing") is None
