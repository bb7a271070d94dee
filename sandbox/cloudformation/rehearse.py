"""Rehearse a template's whole stack lifecycle offline: create, optional update, delete.

Inference experiments go through the provider's handlers exactly as CloudFormation drives
them (protocol 2.0.0 payloads through the Lambda stand-in, the callback loop, stack
tags); SageMaker models, endpoint configs and endpoints are created in the emulator from
their properties; anything else is skipped. Emulated durations and callback delays are
both multiplied by the time scale, so the rehearsal keeps the real proportions.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .driver import ACCOUNT, CloudFormation, Outcome
from .events import EventLog
from .harness import REALISTIC_DURATIONS, harness
from .prerequisites import seed_for_model
from .schema import replacing_changes
from .stack_resources import EMULATED_TYPES, Physical, SupportResources
from .template import Resolver, Template, TemplateError, creation_order, load

EXPERIMENT = "AWS::SageMaker::InferenceExperiment"
REGION = "us-east-1"


@dataclass
class Deployed:
    type: str
    properties: dict[str, Any]
    physical: Physical


@dataclass
class Rehearsal:
    """One stack's resources in the emulator and what happened to them."""

    stack_name: str
    log: EventLog
    sagemaker: Any
    driver: CloudFormation
    stack_tags: dict[str, str]
    deployed: dict[str, Deployed] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    invocations: Counter[str] = field(default_factory=Counter)
    timings: dict[str, float] = field(default_factory=dict)
    outcomes: dict[str, list[str]] = field(default_factory=dict)
    progress_message: str = ""

    def __post_init__(self) -> None:
        self.support = SupportResources(self.sagemaker, self.stack_name, ACCOUNT, REGION)
        stack_id = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{self.stack_name}/rehearsal"
        pseudo = {
            "AWS::Region": REGION,
            "AWS::AccountId": ACCOUNT,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": stack_id,
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
        }
        self.resolver = Resolver({}, pseudo)

    def record(self, logical_id: str, type_name: str, status: str, reason: str = "") -> None:
        self.log.event(logical_id, type_name, status, reason)
        if not status.endswith("IN_PROGRESS"):
            self.outcomes.setdefault(logical_id, []).append(status)

    def remember(self, logical_id: str, deployed: Deployed) -> None:
        self.deployed[logical_id] = deployed
        self.resolver.refs[logical_id] = deployed.physical.ref
        self.resolver.attributes[logical_id] = deployed.physical.attributes

    # ---- one resource ----------------------------------------------------------------

    def create_resource(self, template: Template, logical_id: str) -> bool:
        resource = template.resources[logical_id]
        where = f"{template.path.name}: Resources.{logical_id}.Properties"
        properties = self.resolver.resolve(resource.properties, where)
        if resource.type not in (EXPERIMENT, *EMULATED_TYPES):
            self.skipped.add(logical_id)
            self.remember(
                logical_id,
                Deployed(resource.type, properties, self.support.placeholder(logical_id, resource.type, properties)),
            )
            self.record(logical_id, resource.type, "CREATE_SKIPPED", "not emulated by the rehearsal")
            return True
        self.record(logical_id, resource.type, "CREATE_IN_PROGRESS")
        if resource.type != EXPERIMENT:
            self.remember(
                logical_id,
                Deployed(resource.type, properties, self.support.create(logical_id, resource.type, properties)),
            )
            self.record(logical_id, resource.type, "CREATE_COMPLETE")
            return True
        for seeded in seed_for_model(self.sagemaker, properties):
            self.log.note(f"    seeded missing prerequisite {seeded} in the emulator")
        outcome = self.experiment("CREATE", logical_id, properties)
        if not outcome.succeeded:
            self.record(logical_id, resource.type, "CREATE_FAILED", f"[{outcome.error_code}] {outcome.message}")
            return False
        model = outcome.model or {}
        self.remember(logical_id, Deployed(resource.type, properties, Physical(model["Name"], model, model["Name"])))
        self.record(logical_id, resource.type, "CREATE_COMPLETE")
        return True

    def experiment(self, operation: str, logical_id: str, desired: dict[str, Any], **arguments: Any) -> Outcome:
        def progress(_action: str, response: dict[str, Any]) -> None:
            self.invocations.update([operation])
            self.progress_message = str(response.get("message") or "waiting")

        self.driver.on_event = progress
        self.driver.sleep = lambda seconds: self.log.waiting(logical_id, self.progress_message, seconds)
        return self.driver.run(operation, desired, logical_id=logical_id, **arguments)

    def update_resource(self, template: Template, logical_id: str) -> bool:
        resource = template.resources[logical_id]
        old = self.deployed[logical_id]
        where = f"{template.path.name}: Resources.{logical_id}.Properties"
        properties = self.resolver.resolve(resource.properties, where)
        if properties == old.properties or logical_id in self.skipped:
            return True
        self.record(logical_id, resource.type, "UPDATE_IN_PROGRESS")
        if resource.type == "AWS::SageMaker::Endpoint":
            self.support.update_endpoint(old.physical, properties)
            self.remember(logical_id, Deployed(resource.type, properties, old.physical))
        elif resource.type in EMULATED_TYPES:
            self.record(
                logical_id,
                resource.type,
                "UPDATE_FAILED",
                "replacing SageMaker models and endpoint configs is not rehearsed",
            )
            return False
        else:
            replaced = replacing_changes(old.properties, properties)
            if replaced:
                self.record(
                    logical_id,
                    resource.type,
                    "UPDATE_FAILED",
                    f"{', '.join(replaced)} would replace the experiment; the rehearsal does not replace resources",
                )
                return False
            outcome = self.experiment(
                "UPDATE",
                logical_id,
                properties,
                previous=old.properties,
                previous_stack_tags=self.stack_tags,
                stack_tags=self.stack_tags,
            )
            if not outcome.succeeded:
                self.record(logical_id, resource.type, "UPDATE_FAILED", f"[{outcome.error_code}] {outcome.message}")
                return False
            model = outcome.model or {}
            self.remember(
                logical_id, Deployed(resource.type, properties, Physical(model["Name"], model, model["Name"]))
            )
        self.record(logical_id, resource.type, "UPDATE_COMPLETE")
        return True

    def delete_resource(self, logical_id: str) -> bool:
        deployed = self.deployed.pop(logical_id)
        if logical_id in self.skipped:
            self.record(logical_id, deployed.type, "DELETE_SKIPPED", "not emulated by the rehearsal")
            return True
        self.record(logical_id, deployed.type, "DELETE_IN_PROGRESS")
        if deployed.type != EXPERIMENT:
            self.support.delete(deployed.type, deployed.physical)
        else:
            outcome = self.experiment("DELETE", logical_id, {**deployed.properties, **deployed.physical.attributes})
            if not outcome.succeeded and outcome.error_code != "NotFound":
                self.record(logical_id, deployed.type, "DELETE_FAILED", f"[{outcome.error_code}] {outcome.message}")
                return False
        self.record(logical_id, deployed.type, "DELETE_COMPLETE")
        return True

    # ---- the stack -------------------------------------------------------------------

    def timed(self, operation: str, started: float) -> None:
        self.timings[operation] = time.monotonic() - started

    def create(self, template: Template) -> bool:
        started = time.monotonic()
        self.resolver.parameters = template.parameters
        self.log.event(
            self.stack_name, "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", f"rehearsing {template.path}"
        )
        created_ok = all(
            self.create_resource(template, logical_id) for logical_id in creation_order(template.resources)
        )
        if not created_ok:
            self.log.event(
                self.stack_name, "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", "a resource failed to create"
            )
            self.delete_all()
            self.log.event(self.stack_name, "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE")
        else:
            self.log.event(self.stack_name, "AWS::CloudFormation::Stack", "CREATE_COMPLETE")
        self.timed("create", started)
        return created_ok

    def update(self, template: Template) -> bool:
        started = time.monotonic()
        self.resolver.parameters = template.parameters
        self.log.event(
            self.stack_name, "AWS::CloudFormation::Stack", "UPDATE_IN_PROGRESS", f"rehearsing {template.path}"
        )
        order = creation_order(template.resources)
        ok = True
        for logical_id in order:
            if not ok:
                break
            ok = (
                self.update_resource(template, logical_id)
                if logical_id in self.deployed
                else self.create_resource(template, logical_id)
            )
        removed = [logical_id for logical_id in reversed(list(self.deployed)) if logical_id not in template.resources]
        for logical_id in removed:
            ok = ok and self.delete_resource(logical_id)
        self.log.event(self.stack_name, "AWS::CloudFormation::Stack", "UPDATE_COMPLETE" if ok else "UPDATE_FAILED")
        self.timed("update", started)
        return ok

    def delete_all(self) -> bool:
        """Delete every resource, newest first, attempting each even when one fails."""
        results = [self.delete_resource(logical_id) for logical_id in reversed(list(self.deployed))]
        return all(results)

    def delete(self) -> bool:
        started = time.monotonic()
        self.log.event(self.stack_name, "AWS::CloudFormation::Stack", "DELETE_IN_PROGRESS")
        ok = self.delete_all()
        self.log.event(self.stack_name, "AWS::CloudFormation::Stack", "DELETE_COMPLETE" if ok else "DELETE_FAILED")
        self.timed("delete", started)
        return ok

    def outputs(self, template: Template) -> dict[str, Any]:
        values = {}
        for name, output in template.outputs.items():
            try:
                values[name] = self.resolver.resolve(output.get("Value"), f"Outputs.{name}")
            except TemplateError as error:
                values[name] = f"(unresolved: {error})"
        return values


def leftovers(sagemaker: Any) -> list[str]:
    """Experiments still in the emulator, and shadow variants still on an endpoint."""
    found = [
        f"inference experiment {e['Name']}" for e in sagemaker.list_inference_experiments()["InferenceExperiments"]
    ]
    for endpoint in sagemaker.list_endpoints()["Endpoints"]:
        described = sagemaker.describe_endpoint(EndpointName=endpoint["EndpointName"])
        found += [
            f"shadow variant {v['VariantName']} on endpoint {endpoint['EndpointName']}"
            for v in described.get("ShadowProductionVariants") or []
        ]
    return found


def summary(rehearsal: Rehearsal, calls: Counter[str], left: list[str] | None, time_scale: float) -> list[str]:
    lines = [f"Summary of stack {rehearsal.stack_name} (emulated durations and callback delays x{time_scale:g})"]
    for logical_id, statuses in rehearsal.outcomes.items():
        lines.append(f"  {logical_id:<22} {' -> '.join(statuses)}")
    lines.append("  wall time: " + ", ".join(f"{op} {seconds:.1f}s" for op, seconds in rehearsal.timings.items()))
    lines.append(
        f"  handler invocations: {rehearsal.invocations.total()} ("
        + ", ".join(f"{op.lower()} {count}" for op, count in rehearsal.invocations.items())
        + ")"
    )
    lines.append("  SageMaker calls: " + (", ".join(f"{op} {n}" for op, n in sorted(calls.items())) or "none"))
    if left is not None:
        lines.append("  left in the emulator: " + (", ".join(left) if left else "nothing"))
    return lines


def rehearse(
    template_path: str,
    update_path: str | None = None,
    parameters: dict[str, str] | None = None,
    keep: bool = False,
    time_scale: float = 0.02,
    stack_name: str = "rehearsal",
    stack_tags: dict[str, str] | None = None,
    log: EventLog | None = None,
) -> int:
    """Run the rehearsal; 0 when every stack operation succeeded."""
    log = log or EventLog()
    try:
        first = load(template_path, parameters)
        second = load(update_path, parameters) if update_path else None
    except TemplateError as error:
        log.note(f"error: {error}")
        return 2
    with harness(time_scale) as run:
        run.configure(durations={k: v * time_scale for k, v in REALISTIC_DURATIONS.items()})
        rehearsal = Rehearsal(stack_name, log, run.sagemaker, run.driver(), dict(stack_tags or {}))
        ok = True
        try:
            ok = rehearsal.create(first)
            if ok and second is not None:
                ok = rehearsal.update(second)
            if ok:
                for name, value in rehearsal.outputs(second or first).items():
                    log.note(f"    output {name} = {value}")
            if not keep and rehearsal.deployed:
                ok = rehearsal.delete() and ok
        except TemplateError as error:
            log.note(f"error: {error}")
            ok = False
        left = None if keep else leftovers(run.sagemaker)
        calls = Counter(call.operation for call in run.new_calls())
        log.note("")
        for line in summary(rehearsal, calls, left, time_scale):
            log.note(line)
        log.note(f"  handler logs: {run.workdir / 'handlers.log'}")
    return 0 if ok and not left else 1
