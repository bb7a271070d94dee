"""The rehearsal's stack operations through a running server's CloudFormation API
(`rehearse --endpoint-url`), so the stack lives on that server: `--keep` leaves it there for
`aws cloudformation describe-stacks` and any SDK, and its events are the engine's own."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ..engine.model import StackEvent

POLL_SECONDS = 0.2
TIMEOUT_SECONDS = 3600
CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"]
SETTLED_OK = ("CREATE_COMPLETE", "UPDATE_COMPLETE", "DELETE_COMPLETE")


class RemoteStack:
    """One stack on a server's CloudFormation API; each new event goes to `on_event`."""

    def __init__(self, url: str, region: str, name: str, tags: dict[str, str], on_event: Callable[[StackEvent], None]):
        self.client = boto3.client(
            "cloudformation", endpoint_url=url, region_name=region, aws_access_key_id="x", aws_secret_access_key="x"
        )
        self.name, self.tags, self.on_event = name, tags, on_event
        self.seen: set[str] = set()
        self.exists = False

    def change_set(self, kind: str, text: str, parameters: dict[str, str]) -> tuple[list[str], str]:
        """Create a change set; return its preview lines and its ID (raises ClientError)."""
        created = self.client.create_change_set(
            StackName=self.name,
            ChangeSetName=f"rehearsal-{uuid.uuid4().hex[:12]}",
            ChangeSetType=kind,
            TemplateBody=text,
            Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
            Capabilities=CAPABILITIES,
            Tags=[{"Key": k, "Value": v} for k, v in self.tags.items()],
        )
        described = self.client.describe_change_set(ChangeSetName=created["Id"])
        if described["Status"] == "FAILED":
            raise ClientError({"Error": {"Code": "ValidationError", "Message": described["StatusReason"]}}, "Create")
        lines = []
        for change in described["Changes"]:
            resource = change["ResourceChange"]
            line = f"{resource['Action']:<7} {resource['LogicalResourceId']:<22} {resource['ResourceType']}"
            if resource["Action"] == "Modify":
                names = ", ".join(d["Target"]["Name"] for d in resource.get("Details", []))
                line += f"  Replacement: {resource['Replacement']}  ({names})"
            lines.append(line)
        return lines, str(created["Id"])

    def execute(self, change_set_id: str) -> bool:
        self.client.execute_change_set(ChangeSetName=change_set_id)
        self.exists = True
        return self.follow()

    def delete(self) -> bool:
        self.client.delete_stack(StackName=self.stack_id())
        return self.follow()

    def stack_id(self) -> str:
        return str(self.client.describe_stacks(StackName=self.name)["Stacks"][0]["StackId"])

    def follow(self) -> bool:
        """Print events until the stack settles; True when it settled in a *_COMPLETE it aimed for."""
        stack_id = self.stack_id()
        deadline = time.monotonic() + TIMEOUT_SECONDS
        status = ""
        while time.monotonic() < deadline:
            status = self.client.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"]
            self.print_new_events(stack_id)
            if not status.endswith("_IN_PROGRESS"):
                break
            time.sleep(POLL_SECONDS)
        return status in SETTLED_OK

    def print_new_events(self, stack_id: str) -> None:
        events = self.client.describe_stack_events(StackName=stack_id)["StackEvents"]
        for event in reversed(events):
            if event["EventId"] not in self.seen:
                self.seen.add(event["EventId"])
                self.on_event(as_event(event))

    def outputs(self) -> dict[str, Any]:
        stack = self.client.describe_stacks(StackName=self.name)["Stacks"][0]
        return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}

    def drift(self) -> list[tuple[str, str, list[tuple[str, str, str]]]]:
        """(logical ID, status, [(path, expected, actual)]) per resource, as the API reports them."""
        self.client.detect_stack_drift(StackName=self.name)
        drifts = self.client.describe_stack_resource_drifts(StackName=self.name)["StackResourceDrifts"]
        return [
            (
                d["LogicalResourceId"],
                d["StackResourceDriftStatus"],
                [(p["PropertyPath"], p["ExpectedValue"], p["ActualValue"]) for p in d.get("PropertyDifferences", [])],
            )
            for d in drifts
        ]


def as_event(event: dict[str, Any]) -> StackEvent:
    stamp = event["Timestamp"]
    return StackEvent(
        event["StackName"],
        event["StackId"],
        event["LogicalResourceId"],
        event.get("PhysicalResourceId", ""),
        event["ResourceType"],
        event["ResourceStatus"],
        event.get("ResourceStatusReason", ""),
        stamp if isinstance(stamp, datetime) else datetime.now(UTC),
        event["EventId"],
    )
