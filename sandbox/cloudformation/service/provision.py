"""How resources become real in the sandbox: experiments through the provider's handlers
(as CloudFormation drives them), SageMaker models, endpoint configs and endpoints in the
emulator, anything else a placeholder with a plausible name and ARN, reported as skipped."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from botocore.exceptions import ClientError

from sandbox.lambda_runtime.invoke import Invoke
from sandbox.schemas import EXPERIMENT, TYPE_NAME

from ..driver import ACCOUNT, CloudFormation, Outcome
from ..engine.model import Deployed, Physical
from ..engine.provisioner import Report, ResourceFailure, StackInfo
from ..prerequisites import seed_for_model
from .stack_resources import EMULATED_TYPES, SupportResources

ARN_KIND = {"AWS::SageMaker::Model": "model", "AWS::SageMaker::Endpoint": "endpoint"}


@contextmanager
def provisioning_failures() -> Iterator[None]:
    """Anything that goes wrong while one resource is provisioned fails that resource, so the
    stack rolls back to a terminal status: a SageMaker error with its code and message, anything
    unexpected (a stand-in gone, a bug) as an internal failure. Never left *_IN_PROGRESS."""
    try:
        yield
    except ResourceFailure:
        raise
    except ClientError as error:
        raise ResourceFailure.of(error.response["Error"]["Code"], error.response["Error"]["Message"]) from error
    except Exception as error:
        raise ResourceFailure(f"Internal failure: {type(error).__name__}: {error}") from error


def experiment_physical(model: dict[str, Any]) -> Physical:
    """Ref is the Name; GetAtt reaches every read-only attribute, EndpointMetadata.* included."""
    attributes = {key: value for key, value in model.items() if key != "EndpointMetadata"}
    for key, value in (model.get("EndpointMetadata") or {}).items():
        attributes[f"EndpointMetadata.{key}"] = value
    attributes["EndpointMetadata"] = model.get("EndpointMetadata")
    return Physical(model["Name"], attributes, model["Name"])


@dataclass
class Predictor:
    """The Ref and attributes a resource will have in the sandbox, before it exists."""

    account: str
    region: str

    def predict(self, logical_id: str, type_name: str, properties: dict[str, Any], name: str) -> Physical:
        if type_name == TYPE_NAME:
            arn = f"arn:aws:sagemaker:{self.region}:{self.account}:inference-experiment/{properties.get('Name')}"
            endpoint = properties.get("EndpointName")
            metadata = {"EndpointName": endpoint, "EndpointConfigName": "", "EndpointStatus": "InService"}
            model = {**properties, "Arn": arn, "Status": "Created", "EndpointMetadata": metadata}
            return experiment_physical({**model, "CreationTime": "", "LastModifiedTime": ""})
        if type_name in EMULATED_TYPES:
            key = type_name.rsplit("::", 1)[1] + "Name"
            given = str(properties.get(key) or name)
            kind = ARN_KIND.get(type_name, "endpoint-config")
            arn = f"arn:aws:sagemaker:{self.region}:{self.account}:{kind}/{given.lower()}"
            return Physical(arn, {key: given, key.replace("Name", "Arn"): arn}, given)
        placeholders = SupportResources(None, self.account, self.region)
        return placeholders.placeholder(logical_id, type_name, properties, name)


@dataclass
class SandboxProvisioner(Predictor):
    sagemaker: Any = None
    driver: CloudFormation = field(default_factory=lambda: CloudFormation(lambda _: {}))
    waiting: Callable[[str, str, float], None] = lambda *_: None
    invocations: Counter[str] = field(default_factory=Counter)
    # The message of each resource's last SUCCESS that had one ("Not applied: ..."), by logical ID:
    # CloudFormation shows none, so only a rehearsal's own output can.
    messages: dict[str, str] = field(default_factory=dict)

    @classmethod
    def through(cls, invoke: Invoke, sagemaker: Any, region: str, time_scale: float) -> SandboxProvisioner:
        """Experiments through `invoke` (the Lambda stand-in), callback delays slept at `time_scale`."""
        driver = CloudFormation(invoke, region=region, time_scale=time_scale)
        return cls(ACCOUNT, region, sagemaker, driver, lambda _id, _note, seconds: time.sleep(seconds))

    def handles(self, type_name: str) -> bool:
        return type_name in (TYPE_NAME, *EMULATED_TYPES)

    def support(self) -> SupportResources:
        return SupportResources(self.sagemaker, self.account, self.region)

    def create(self, stack: StackInfo, deployed: Deployed, name: str, report: Report) -> Physical:
        with provisioning_failures():
            if deployed.type != TYPE_NAME:
                return self.support().create(deployed.type, deployed.properties, name)
            for seeded in seed_for_model(self.sagemaker, deployed.properties):
                report(f"seeded missing {seeded} in the emulator: it is not in this stack, so it must exist on AWS")
            outcome = self.run("CREATE", deployed.logical_id, deployed.properties, stack_tags=stack.tags)
        return experiment_physical(outcome.model or {})

    def update(self, stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical:
        with provisioning_failures():
            if old.type != TYPE_NAME:
                self.update_support(old, new)
                return old.physical
            outcome = self.run(
                "UPDATE",
                old.logical_id,
                new,
                previous=old.properties,
                stack_tags=stack.tags,
                previous_stack_tags=stack.previous_tags,
            )
        return experiment_physical(outcome.model or {})

    def update_support(self, old: Deployed, new: dict[str, Any]) -> None:
        """What can change in place on a model, endpoint config or endpoint: the endpoint's
        config and tags (everything else is create-only, so it is a replacement)."""
        if old.type == "AWS::SageMaker::Endpoint" and new.get("EndpointConfigName") != old.properties.get(
            "EndpointConfigName"
        ):
            self.support().update_endpoint(
                old.physical,
                new,
                lambda seconds, note: self.waiting(old.logical_id, note, seconds * self.driver.time_scale),
            )
        before = {t["Key"]: t["Value"] for t in old.properties.get("Tags") or []}
        after = {t["Key"]: t["Value"] for t in new.get("Tags") or []}
        removed = sorted(set(before) - set(after))
        if removed:
            self.sagemaker.delete_tags(ResourceArn=old.physical.ref, TagKeys=removed)
        changed = [{"Key": k, "Value": v} for k, v in after.items() if before.get(k) != v]
        if changed:
            self.sagemaker.add_tags(ResourceArn=old.physical.ref, Tags=changed)

    def delete(self, _stack: StackInfo, deployed: Deployed) -> None:
        with provisioning_failures():
            if deployed.type != TYPE_NAME:
                self.support().delete(deployed.type, deployed.physical)
                return
            self.run(
                "DELETE", deployed.logical_id, {**deployed.properties, "Name": deployed.physical.name}, missing_ok=True
            )

    def read(self, deployed: Deployed) -> dict[str, Any]:
        with provisioning_failures():
            outcome = self.run("READ", deployed.logical_id, {"Name": deployed.physical.name})
        return outcome.model or {}

    def run(
        self, action: str, logical_id: str, desired: dict[str, Any], missing_ok: bool = False, **extra: Any
    ) -> Outcome:
        """The handler loop for one operation; a failure raises ResourceFailure with the handler's message."""
        progress = {"message": "waiting"}

        def counted(_action: str, response: dict[str, Any]) -> None:
            self.invocations.update([action])
            progress["message"] = str(response.get("message") or "waiting")

        driver = replace(
            self.driver, on_event=counted, sleep=lambda seconds: self.waiting(logical_id, progress["message"], seconds)
        )
        outcome = driver.run(action, desired, logical_id=logical_id, **extra)
        if outcome.succeeded and outcome.message:
            self.messages[logical_id] = outcome.message
        if not outcome.succeeded and not (missing_ok and outcome.error_code == "NotFound"):
            known = identified(outcome) if action == "CREATE" else None
            raise ResourceFailure(f"[{outcome.error_code}] {outcome.message}", outcome.error_code, known)
        return outcome


def identified(outcome: Outcome) -> Physical | None:
    """The resource a failed create had made known: the primary identifier in the latest
    progress event that carried one, which is what CloudFormation records as its physical ID."""
    for event in reversed(outcome.events):
        name = EXPERIMENT.identifier_of(event.get("resourceModel") or {})
        if name is not None:
            return Physical(name, {}, name)
    return None
