"""Round trips between the resource model and SageMaker's request and response shapes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from aws_sagemaker_inferenceexperiment.translate import (
    create_request,
    iso8601,
    observed_model,
    parse_time,
    read_model,
    stop_request,
    summary_model,
    update_request,
)
from tests.helpers import RETURNED_AS_GIVEN, experiment

CREATED = datetime(2026, 11, 22, 8, 30, 15, 123000, tzinfo=UTC)


def described(model: dict[str, object]) -> dict[str, object]:
    """What DescribeInferenceExperiment answers for a created `model` (boto3 gives datetimes)."""
    request = create_request(model, {})
    return {
        **{k: v for k, v in request.items() if k not in ("Tags", "EndpointName")},
        "Arn": f"arn:aws:sagemaker:us-east-1:123456789012:inference-experiment/{model['Name']}",
        "Status": "Running",
        "StatusReason": "reason",
        "CreationTime": CREATED,
        "LastModifiedTime": CREATED + timedelta(minutes=5),
        "CompletionTime": CREATED + timedelta(hours=1),
        "EndpointMetadata": {
            "EndpointName": model["EndpointName"],
            "EndpointConfigName": "cfg",
            "EndpointStatus": "InService",
            "FailureReason": "n/a",
        },
        "ModelVariants": [{**v, "Status": "InService"} for v in request["ModelVariants"]],
    }


def test_model_to_request_to_model() -> None:
    model = experiment(
        "exp",
        Description="d",
        KmsKey="key",
        DataStorageConfig={"Destination": "s3://b/p", "ContentType": {"CsvContentTypes": ["text/csv"]}},
        Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-02T00:00:00+00:00"},
        DesiredState="Running",
        StatusReason="why",
    )
    request = create_request(model, {"team": "ml", "aws:ignored": "never sent"} | {})
    assert request["Schedule"] == {
        "StartTime": datetime(2026, 12, 1, tzinfo=UTC),
        "EndTime": datetime(2026, 12, 2, tzinfo=UTC),
    }
    assert "DesiredState" not in request
    assert "StatusReason" not in request
    read = read_model(
        described(model), [{"Key": "team", "Value": "ml"}, {"Key": "aws:cloudformation:stack-name", "Value": "s"}]
    )
    for key in RETURNED_AS_GIVEN:
        assert read[key] == model[key], key
    assert read["Tags"] == [{"Key": "team", "Value": "ml"}]
    assert read["CreationTime"] == "2026-11-22T08:30:15.123Z"
    assert read["LastModifiedTime"] == "2026-11-22T08:35:15.123Z"
    assert read["EndpointMetadata"] == {
        "EndpointName": "shadow-endpoint",
        "EndpointConfigName": "cfg",
        "EndpointStatus": "InService",
    }
    assert not {"Schedule", "DesiredState", "StatusReason", "CompletionTime"} & set(read)


def test_times() -> None:
    assert iso8601("2026-01-31T14:00:00+02:00") == "2026-01-31T12:00:00.000Z"
    assert iso8601(datetime(2026, 1, 31, 12, tzinfo=timezone(timedelta(hours=-1)))) == "2026-01-31T13:00:00.000Z"
    assert parse_time("2026-01-31T12:00:00") == datetime(2026, 1, 31, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="isoformat"):
        parse_time("next tuesday")


def test_observed_model_and_update_request() -> None:
    model = experiment("exp", Schedule={"StartTime": "2026-12-01T00:00:00Z", "EndTime": "2026-12-02T00:00:00Z"})
    observed = observed_model(described(model))
    assert observed["ModelVariants"] == model["ModelVariants"]
    assert observed["Schedule"] == {"StartTime": "2026-12-01T00:00:00.000Z", "EndTime": "2026-12-02T00:00:00.000Z"}
    request = update_request("exp", {"Description": "x", "Schedule": {"EndTime": "2026-12-03T00:00:00Z"}})
    assert request == {"Name": "exp", "Description": "x", "Schedule": {"EndTime": datetime(2026, 12, 3, tzinfo=UTC)}}


def test_summary_model() -> None:
    summary = {"Name": "exp", "Type": "ShadowMode", "Status": "Running", "CreationTime": CREATED, "Schedule": {}}
    assert summary_model(summary) == {
        "Name": "exp",
        "Type": "ShadowMode",
        "Status": "Running",
        "CreationTime": "2026-11-22T08:30:15.123Z",
    }


@pytest.mark.parametrize(
    ("kept", "actions", "promoted"),
    [
        (["production", "shadow"], {"production": "Retain", "shadow": "Retain"}, None),
        (["production"], {"production": "Retain", "shadow": "Remove"}, None),
        (["shadow"], {"production": "Remove", "shadow": "Promote"}, "shadow"),
    ],
)
def test_stop_request_variant_choice(kept: list[str], actions: dict[str, str], promoted: str | None) -> None:
    model = experiment("exp")
    variants = {v["VariantName"]: v for v in model["ModelVariants"] if v["VariantName"] in kept}
    request = stop_request("exp", described(model), variants, "Completed", "done")
    assert request["ModelVariantActions"] == actions
    assert (request["DesiredState"], request["Reason"]) == ("Completed", "done")
    deployed_after = [v["VariantName"] for v in request["DesiredModelVariants"]]
    assert deployed_after == [name for name, action in actions.items() if action != "Remove"]
    assert promoted is None or promoted in deployed_after
