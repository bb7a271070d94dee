"""Each Cloud Control client's request shapes (tests/cloudcontrol_clients.py), replayed through
the local Cloud Control API of `python -m sandbox serve`: what the experiment becomes, and
which SageMaker calls each request caused (the emulator's call log)."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from aws_sagemaker_inferenceexperiment.properties import FACTS
from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.server import MUTATING_OPERATIONS
from tests.cloudcontrol_clients import (
    Patch,
    aws_cloudcontrolapi_patch,
    awscc_patch,
    pulumi_patch,
    stackql_update,
)
from tests.test_cloudcontrol import TYPE_NAME, client, experiment, finish, properties, tags, variants


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    with sandbox_process("serve", "--transition-seconds", "0.2", "--time-scale", "0.01", port=free_port()) as running:
        yield running


@pytest.fixture
def cloudcontrol(url: str) -> Any:
    return client(url, "cloudcontrol")


@pytest.fixture
def sagemaker(url: str) -> Any:
    return client(url, "sagemaker")


def mutations(url: str, name: str) -> list[str]:
    """SageMaker calls that changed something for experiment `name`, in order."""
    with urllib.request.urlopen(f"{url}/_sandbox/calls", timeout=10) as response:
        calls = json.loads(response.read())
    return [
        c["operation"]
        for c in calls
        if c["name"] == name and c["result"] == "Success" and c["operation"] in MUTATING_OPERATIONS
    ]


def created(cloudcontrol: Any, desired: dict[str, Any]) -> None:
    event = cloudcontrol.create_resource(TypeName=TYPE_NAME, DesiredState=json.dumps(desired))["ProgressEvent"]
    done = finish(cloudcontrol, event)
    assert done["OperationStatus"] == "SUCCESS", done.get("StatusMessage")


def updated(url: str, cloudcontrol: Any, name: str, patch: Patch) -> list[str]:
    """UpdateResource to SUCCESS; the SageMaker calls it caused."""
    before = len(mutations(url, name))
    event = cloudcontrol.update_resource(TypeName=TYPE_NAME, Identifier=name, PatchDocument=json.dumps(patch))
    done = finish(cloudcontrol, event["ProgressEvent"])
    assert done["OperationStatus"] == "SUCCESS", done.get("StatusMessage")
    return mutations(url, name)[before:]


def deleted(cloudcontrol: Any, name: str) -> None:
    event = cloudcontrol.delete_resource(TypeName=TYPE_NAME, Identifier=name)["ProgressEvent"]
    assert finish(cloudcontrol, event)["OperationStatus"] == "SUCCESS"


def later(days: float) -> str:
    return (datetime.now(UTC) + timedelta(days=days)).isoformat(timespec="seconds").replace("+00:00", "Z")


def future_schedule() -> dict[str, str]:
    return {"StartTime": later(1), "EndTime": later(2)}


def status(sagemaker: Any, name: str) -> str:
    return str(sagemaker.describe_inference_experiment(Name=name)["Status"])


# ---- StackQL (awscc.sagemaker.inference_experiments) ----------------------------------------


def test_stackql_insert_select_update_stop_delete(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    name = "sq-life"
    template = experiment(
        sagemaker,
        name,
        Description="first",
        Schedule=future_schedule(),
        DesiredState="Running",
        StatusReason="started early by StackQL",
        Tags=[{"Key": "team", "Value": "ml"}],
    )
    created(cloudcontrol, template)
    assert status(sagemaker, name) == "Running", "DesiredState Running started the scheduled test early"

    shown = properties(cloudcontrol, name)
    assert not set(FACTS.write_only) & set(shown)
    assert shown["Description"] == "first"
    listed = cloudcontrol.list_resources(TypeName=TYPE_NAME)["ResourceDescriptions"]
    assert name in {d["Identifier"] for d in listed}

    assert updated(url, cloudcontrol, name, stackql_update(template)) == [], "an unchanged resend calls nothing"
    changed = {**template, "Description": "second", "Tags": [{"Key": "team", "Value": "search"}]}
    assert updated(url, cloudcontrol, name, stackql_update(changed)) == ["UpdateInferenceExperiment", "AddTags"]
    described = sagemaker.describe_inference_experiment(Name=name)
    assert described["Description"] == "second"
    assert tags(sagemaker, name) == {"team": "search"}

    stop = {**changed, "DesiredState": "Completed", "StatusReason": "enough data"}
    assert updated(url, cloudcontrol, name, stackql_update(stop)) == ["StopInferenceExperiment"]
    described = sagemaker.describe_inference_experiment(Name=name)
    assert (described["Status"], described["StatusReason"]) == ("Completed", "enough data")
    assert updated(url, cloudcontrol, name, stackql_update(stop)) == [], "Completed on Completed calls nothing"

    deleted(cloudcontrol, name)
    assert mutations(url, name)[-1] == "DeleteInferenceExperiment"


def test_stackql_promotion(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    name = "sq-promote"
    template = experiment(sagemaker, name, Schedule=future_schedule(), DesiredState="Running")
    created(cloudcontrol, template)
    promote = {**template, "DesiredState": "Completed"}
    promote["ModelVariants"] = [v for v in template["ModelVariants"] if v["VariantName"] == "shadow"]
    assert updated(url, cloudcontrol, name, stackql_update(promote)) == ["StopInferenceExperiment"]
    assert variants(sagemaker, f"ep-{name}") == (["shadow"], [])
    assert updated(url, cloudcontrol, name, stackql_update(promote)) == [], "the promotion is done: nothing to call"


def test_stackql_read_only_property_in_the_patch_is_refused(cloudcontrol: Any, sagemaker: Any) -> None:
    """A user who copies a SELECT result (Status included) into an UPDATE gets AWS's answer."""
    name = "sq-readonly"
    template = experiment(sagemaker, name)
    created(cloudcontrol, template)
    shown = properties(cloudcontrol, name)
    patch = stackql_update({**template, "Status": shown["Status"]})
    with pytest.raises(ClientError) as refused:
        cloudcontrol.update_resource(TypeName=TYPE_NAME, Identifier=name, PatchDocument=json.dumps(patch))
    assert refused.value.response["Error"] == {
        "Code": "ValidationException",
        "Message": "Invalid patch update: readOnlyProperties [/properties/Status] cannot be updated",
    }


# ---- Terraform hashicorp/aws: aws_cloudcontrolapi_resource ----------------------------------


def test_terraform_aws_cloudcontrolapi_resource(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    name = "tf-generic"
    desired_state = experiment(sagemaker, name, Description="first")
    created(cloudcontrol, desired_state)

    changed = json.loads(json.dumps(desired_state))
    changed["Description"] = "second"
    changed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 20
    patch = aws_cloudcontrolapi_patch(desired_state, changed)
    assert {op["op"] for op in patch} == {"replace"}
    assert updated(url, cloudcontrol, name, patch) == ["UpdateInferenceExperiment"]
    described = sagemaker.describe_inference_experiment(Name=name)
    assert described["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] == 20

    stopped = {**changed, "DesiredState": "Completed"}
    patch = aws_cloudcontrolapi_patch(changed, stopped)
    assert patch == [{"op": "add", "path": "/DesiredState", "value": "Completed"}]
    assert updated(url, cloudcontrol, name, patch) == ["StopInferenceExperiment"]
    assert status(sagemaker, name) == "Completed"

    cancelled = {**stopped, "DesiredState": "Cancelled"}
    replace = json.dumps(aws_cloudcontrolapi_patch(stopped, cancelled))
    with pytest.raises(ClientError) as refused:
        cloudcontrol.update_resource(TypeName=TYPE_NAME, Identifier=name, PatchDocument=replace)
    error = refused.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert error["Message"].startswith("Invalid patch document: operation 1 (replace /DesiredState)")
    deleted(cloudcontrol, name)


# ---- Terraform hashicorp/awscc: awscc_sagemaker_inference_experiment -------------------------


def test_terraform_awscc(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    name = "tf-awscc"
    config = experiment(sagemaker, name, Description="first", Schedule=future_schedule(), DesiredState="Running")
    created(cloudcontrol, config)

    def state() -> dict[str, Any]:
        """Terraform state after a refresh: GetResource's properties plus the write-only
        attributes copied from the configuration."""
        return {**properties(cloudcontrol, name), **{k: config[k] for k in FACTS.write_only if k in config}}

    prior = state()
    planned = {**prior, "Description": "second"}
    patch = awscc_patch(prior, planned)
    assert {(op["op"], op["path"]) for op in patch} == {
        ("replace", "/Description"),
        ("add", "/Schedule"),
        ("add", "/DesiredState"),
    }
    assert updated(url, cloudcontrol, name, patch) == ["UpdateInferenceExperiment"]
    assert sagemaker.describe_inference_experiment(Name=name)["Description"] == "second"

    prior = state()
    planned = {**prior, "DesiredState": "Completed"}
    planned["ModelVariants"] = [v for v in prior["ModelVariants"] if v["VariantName"] == "shadow"]
    assert updated(url, cloudcontrol, name, awscc_patch(prior, planned)) == ["StopInferenceExperiment"]
    assert variants(sagemaker, f"ep-{name}") == (["shadow"], [])
    deleted(cloudcontrol, name)


# ---- Pulumi aws-native: aws-native:sagemaker:InferenceExperiment ----------------------------


def test_pulumi_aws_native(url: str, cloudcontrol: Any, sagemaker: Any) -> None:
    name = "pulumi-native"
    inputs = experiment(sagemaker, name, DesiredState="Running", Tags=[{"Key": "team", "Value": "ml"}])
    created(cloudcontrol, inputs)

    sampled = json.loads(json.dumps(inputs))
    sampled["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 10
    patch = pulumi_patch(inputs, sampled)
    assert [(op["op"], op["path"]) for op in patch] == [("add", "/DesiredState"), ("replace", "/ShadowModeConfig")]
    assert updated(url, cloudcontrol, name, patch) == ["UpdateInferenceExperiment"]

    retagged = {**sampled, "Tags": [{"Key": "team", "Value": "search"}]}
    assert updated(url, cloudcontrol, name, pulumi_patch(sampled, retagged)) == ["AddTags"]
    assert tags(sagemaker, name) == {"team": "search"}

    stopped = {**retagged, "DesiredState": "Cancelled", "StatusReason": "superseded"}
    assert updated(url, cloudcontrol, name, pulumi_patch(retagged, stopped)) == ["StopInferenceExperiment"]
    described = sagemaker.describe_inference_experiment(Name=name)
    assert (described["Status"], described["StatusReason"]) == ("Cancelled", "superseded")
    assert variants(sagemaker, f"ep-{name}") == (["production"], ["shadow"]), "both variants kept"
    deleted(cloudcontrol, name)
