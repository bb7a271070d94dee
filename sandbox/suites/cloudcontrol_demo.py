"""`make demo-cloudcontrol`: a whole lifecycle of one experiment through the Cloud Control API,
against `python -m sandbox serve` as any client would see it: a progress line whenever a
request's status or message changes, what SageMaker then shows, and each operation's time."""

from __future__ import annotations

import json
import time
from typing import Any

import botocore.session

from sandbox.lambda_runtime.processes import free_port, sandbox_process
from sandbox.schemas import TYPE_NAME
from sandbox.suites.seed import seed_shadow_test, shadow_test_request

NAME = "cloudcontrol-demo"
POLL_SECONDS = (0.1, 5.0)  # bounds on the wait before the next status look
DEADLINE_SECONDS = 1800
STEPS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "update: description, sampling 100%, a tag",
        [
            {"op": "add", "path": "/Description", "value": "candidate model-b at full mirror"},
            {"op": "replace", "path": "/ShadowModeConfig/ShadowModelVariants/0/SamplingPercentage", "value": 100},
            {"op": "add", "path": "/Tags/-", "value": {"Key": "stage", "Value": "canary"}},
        ],
    ),
    (
        "update: stop the test and promote the shadow",
        [
            {"op": "add", "path": "/DesiredState", "value": "Completed"},
            {"op": "remove", "path": "/ModelVariants/0"},
        ],
    ),
]


def follow(cloudcontrol: Any, event: dict[str, Any]) -> dict[str, Any]:
    """Poll GetResourceRequestStatus at the pace RetryAfter asks for, printing each change."""
    deadline, seen = time.monotonic() + DEADLINE_SECONDS, None
    while True:
        shown = (event["OperationStatus"], event.get("StatusMessage"), event.get("ErrorCode"))
        if shown != seen:
            detail = " ".join(str(part) for part in shown[1:] if part)
            print(f"    {time.strftime('%H:%M:%S')} {event['Operation']} {shown[0]} {detail}".rstrip(), flush=True)
            seen = shown
        if event["OperationStatus"] in ("SUCCESS", "FAILED", "CANCEL_COMPLETE") or time.monotonic() > deadline:
            return event
        retry = event.get("RetryAfter")
        wait = retry.timestamp() - time.time() if retry else POLL_SECONDS[0]
        time.sleep(min(max(wait, POLL_SECONDS[0]), POLL_SECONDS[1]))
        event = cloudcontrol.get_resource_request_status(RequestToken=event["RequestToken"])["ProgressEvent"]


def show(sagemaker: Any) -> None:
    """What SageMaker itself now reports: the experiment, the endpoint's variants, the tags."""
    endpoint = sagemaker.describe_endpoint(EndpointName="shadow-endpoint")
    variants = ", ".join(v["VariantName"] for v in endpoint["ProductionVariants"])
    shadows = [v["VariantName"] for v in endpoint.get("ShadowProductionVariants") or []]
    variants += f"; shadow [{', '.join(shadows)}]" if shadows else ""
    experiments = sagemaker.list_inference_experiments()["InferenceExperiments"]
    if not experiments:
        print(f"    sagemaker: no experiment; endpoint variants [{variants}]")
        return
    described = sagemaker.describe_inference_experiment(Name=NAME)
    tags = {t["Key"]: t["Value"] for t in sagemaker.list_tags(ResourceArn=described["Arn"])["Tags"]}
    print(f"    sagemaker: {described['Status']}; endpoint variants [{variants}]; tags {tags}")


Times = list[tuple[str, float, str]]


def timed(label: str, cloudcontrol: Any, operation: str, times: Times, **params: Any) -> None:
    """Run one Cloud Control operation and follow it to the end; note its wall time."""
    print(label, flush=True)
    started = time.monotonic()
    final = follow(cloudcontrol, getattr(cloudcontrol, operation)(TypeName=TYPE_NAME, **params)["ProgressEvent"])
    times.append((label, time.monotonic() - started, final["OperationStatus"]))


def lifecycle(url: str) -> Times:
    session = botocore.session.get_session()
    session.set_credentials("demo", "demo")
    cloudcontrol: Any = session.create_client("cloudcontrol", "us-east-1", endpoint_url=url)
    sagemaker: Any = session.create_client("sagemaker", "us-east-1", endpoint_url=url)
    seed_shadow_test(sagemaker)
    desired = {**shadow_test_request(NAME), "Tags": [{"Key": "team", "Value": "ml"}]}
    times: Times = []
    timed("create", cloudcontrol, "create_resource", times, DesiredState=json.dumps(desired))
    show(sagemaker)
    for label, patch in STEPS:
        timed(label, cloudcontrol, "update_resource", times, Identifier=NAME, PatchDocument=json.dumps(patch))
        show(sagemaker)
    listed = cloudcontrol.list_resources(TypeName=TYPE_NAME)["ResourceDescriptions"]
    print(f"list: {[description['Identifier'] for description in listed]}")
    timed("delete", cloudcontrol, "delete_resource", times, Identifier=NAME)
    show(sagemaker)
    return times


def main(time_scale: float, transition_seconds: float) -> int:
    print(f"python -m sandbox serve --transition-seconds {transition_seconds} --time-scale {time_scale}")
    with sandbox_process(
        "serve", "--transition-seconds", str(transition_seconds), "--time-scale", str(time_scale), port=free_port()
    ) as url:
        times = lifecycle(url)
    print("\noperation wall times:")
    for label, seconds, status in times:
        print(f"  {label:<48} {status:<8} {seconds:6.1f} s")
    return 0 if all(status == "SUCCESS" for _, _, status in times) else 1
