"""The engine's stacks, events, resources, change sets and drift in the shapes botocore's
`cloudformation` model defines, ready for the query protocol's XML."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sandbox.schemas import schema_for

from ..engine.drift import ResourceDrift
from ..engine.model import Deployed, Stack, StackEvent
from ..service.changesets import ChangeSet
from ..template.document import Document
from ..template.intrinsics import text


def parameters(values: dict[str, Any], document: Document | None = None) -> list[dict[str, str]]:
    """Parameter values as CloudFormation shows them: NoEcho ones masked."""
    declared = document.parameters if document else {}
    return [
        {
            "ParameterKey": key,
            "ParameterValue": "*****"
            if str(declared.get(key, {}).get("NoEcho", "false")).lower() == "true"
            else ",".join(value)
            if isinstance(value, list)
            else str(value),
        }
        for key, value in values.items()
    ]


def tags(values: dict[str, str]) -> list[dict[str, str]]:
    return [{"Key": key, "Value": value} for key, value in values.items()]


def stack(stack: Stack, drift_status: str = "NOT_CHECKED") -> dict[str, Any]:
    outputs = [
        {
            "OutputKey": name,
            "OutputValue": output_value(o["Value"]),
            "Description": o.get("Description"),
            "ExportName": o.get("ExportName"),
        }
        for name, o in stack.outputs.items()
    ]
    return {
        "StackId": stack.id,
        "StackName": stack.name,
        "Description": stack.document.body.get("Description") if stack.document else None,
        "Parameters": parameters(stack.parameters, stack.document),
        "CreationTime": stack.created,
        "LastUpdatedTime": stack.updated,
        "StackStatus": stack.status,
        "StackStatusReason": stack.status_reason or None,
        "DisableRollback": False,
        "Outputs": outputs,
        "Tags": tags(stack.tags),
        "DriftInformation": {"StackDriftStatus": drift_status},
    }


def output_value(value: Any) -> str:
    """An output or export value as the API shows it: a list joined with commas, a boolean
    as CloudFormation writes it (`true`)."""
    return ",".join(map(text, value)) if isinstance(value, list) else text(value)


def export(name: str, exporter: Stack, value: Any) -> dict[str, Any]:
    return {"ExportingStackId": exporter.id, "Name": name, "Value": output_value(value)}


def event(event: StackEvent) -> dict[str, Any]:
    return {
        "StackId": event.stack_id,
        "EventId": event.event_id,
        "StackName": event.stack_name,
        "LogicalResourceId": event.logical_id,
        "PhysicalResourceId": event.physical_id,
        "ResourceType": event.type,
        "Timestamp": event.timestamp,
        "ResourceStatus": event.status,
        "ResourceStatusReason": event.reason or None,
    }


def resource(stack: Stack, deployed: Deployed) -> dict[str, Any]:
    return {
        "StackName": stack.name,
        "StackId": stack.id,
        "LogicalResourceId": deployed.logical_id,
        "PhysicalResourceId": deployed.physical.ref,
        "ResourceType": deployed.type,
        "Timestamp": last_change(stack, deployed.logical_id),
        "ResourceStatus": deployed.status,
    }


def summary(stack: Stack, deployed: Deployed, checked: tuple[ResourceDrift, datetime] | None = None) -> dict[str, Any]:
    """A ListStackResources summary; `checked` is the latest drift detection's result for it."""
    drift: dict[str, Any] = {"StackResourceDriftStatus": "NOT_CHECKED"}
    if checked is not None:
        drift = {"StackResourceDriftStatus": checked[0].status, "LastCheckTimestamp": checked[1]}
    return {
        "LogicalResourceId": deployed.logical_id,
        "PhysicalResourceId": deployed.physical.ref,
        "ResourceType": deployed.type,
        "LastUpdatedTimestamp": last_change(stack, deployed.logical_id),
        "ResourceStatus": deployed.status,
        "DriftInformation": drift,
    }


def last_change(stack: Stack, logical_id: str) -> datetime:
    return next((e.timestamp for e in reversed(stack.events) if e.logical_id == logical_id), stack.created)


def template_summary(document: Document) -> dict[str, Any]:
    declared = [
        {
            "ParameterKey": name,
            "DefaultValue": spec.get("Default"),
            "ParameterType": spec.get("Type", "String"),
            "NoEcho": str(spec.get("NoEcho", "false")).lower() == "true",
            "Description": spec.get("Description"),
        }
        for name, spec in document.parameters.items()
    ]
    return {
        "Parameters": declared,
        "Description": document.body.get("Description"),
        "ResourceTypes": sorted({r.type for r in document.resources.values()}),
        "Version": document.body.get("AWSTemplateFormatVersion"),
    }


def change_set(change_set: ChangeSet) -> dict[str, Any]:
    changes = change_set.plan.changes if change_set.plan else []
    deployed = change_set.stack.resources
    return {
        **change_set_summary(change_set),
        "Description": change_set.description or None,
        "Parameters": parameters(change_set.plan.values, change_set.plan.document) if change_set.plan else [],
        "Tags": tags(change_set.tags),
        "Changes": [
            {
                "Type": "Resource",
                "ResourceChange": {
                    "Action": c.action,
                    "LogicalResourceId": c.logical_id,
                    "PhysicalResourceId": deployed[c.logical_id].physical.ref if c.logical_id in deployed else None,
                    "ResourceType": c.type,
                    "Replacement": c.replacement_text if c.action == "Modify" else None,
                    "Scope": ["Properties"] if c.properties else [],
                    "Details": [
                        {
                            "Target": {
                                "Attribute": "Properties",
                                "Name": name,
                                "RequiresRecreation": recreation(c.type, name),
                            },
                            "Evaluation": "Dynamic" if name in c.dynamic else "Static",
                        }
                        for name in c.properties
                    ],
                },
            }
            for c in changes
        ],
    }


def recreation(type_name: str, name: str) -> str:
    return "Always" if name in schema_for(type_name).create_only else "Never"


def change_set_summary(change_set: ChangeSet) -> dict[str, Any]:
    return {
        "StackId": change_set.stack.id,
        "StackName": change_set.stack.name,
        "ChangeSetId": change_set.id,
        "ChangeSetName": change_set.name,
        "ExecutionStatus": change_set.execution_status,
        "Status": change_set.status,
        "StatusReason": change_set.status_reason or None,
        "CreationTime": change_set.created,
    }


def resource_drift(stack: Stack, result: ResourceDrift, timestamp: datetime) -> dict[str, Any]:
    return {
        "StackId": stack.id,
        "LogicalResourceId": result.logical_id,
        "PhysicalResourceId": result.physical_id,
        "ResourceType": result.type,
        "ExpectedProperties": json.dumps(result.expected),
        "ActualProperties": json.dumps(result.actual),
        "PropertyDifferences": [
            {
                "PropertyPath": d.path,
                "ExpectedValue": drift_value(d.expected),
                "ActualValue": drift_value(d.actual),
                "DifferenceType": d.kind,
            }
            for d in result.differences
        ],
        "StackResourceDriftStatus": result.status,
        "Timestamp": timestamp,
    }


def drift_value(value: Any) -> str:
    """A property difference's value as DescribeStackResourceDrifts shows it: a string as it
    is, anything else (number, boolean, object, array, null) in JSON."""
    return value if isinstance(value, str) else json.dumps(value)
