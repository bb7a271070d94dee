"""How resources become real in the sandbox: experiments through the provider's handlers
(as CloudFormation drives them), SageMaker models, endpoint configs and endpoints in the
emulator, anything else a placeholder with a plausible name and ARN, reported as skipped."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from botocore.exceptions import ClientError

from sandbox.schemas import EXPERIMENT

from ..driver import CloudFormation, Outcome
from ..engine.model import Deployed
from ..prerequisites import seed_for_model
from .stack_resources import EMULATED_TYPES, Physical, SupportResources

Report = Callable[[str], None]
ARN_KIND = {"AWS::SageMaker::Model": "model", "AWS::SageMaker::Endpoint": "endpoint"}


class ResourceFailure(Exception):
    """A resource operation that failed; the message is the event's status reason."""


@contextmanager
def sagemaker_errors() -> Iterator[None]:
    try:
        yield
    except ClientError as error:
        raise ResourceFailure(f"[{error.response['Error']['Code']}] {error.response['Error']['Message']}") from error


@dataclass
class StackInfo:
    name: str
    tags: dict[str, str]
    previous_tags: dict[str, str]


class Predicts(Protocol):
    def predict(self, logical_id: str, type_name: str, properties: dict[str, Any], name: str) -> Physical: ...


class Provisioner(Predicts, Protocol):
    def handles(self, type_name: str) -> bool: ...

    def create(self, stack: StackInfo, deployed: Deployed, name: str, report: Report) -> Physical: ...

    def update(self, stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical: ...

    def delete(self, stack: StackInfo, deployed: Deployed) -> None: ...

    def read(self, deployed: Deployed) -> dict[str, Any]: ...


def generated_name(stack_name: str, logical_id: str, limit: int = 63) -> str:
    """CloudFormation's physical name: stack-logical-RANDOM, letters, digits and hyphens."""
    suffix = uuid.uuid4().hex[:12].upper()
    base = f"{stack_name}-{logical_id}"[: limit - len(suffix) - 1]
    return "".join(c if c.isalnum() else "-" for c in base).strip("-") + f"-{suffix}"


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
        if type_name == EXPERIMENT:
            arn = f"arn:aws:sagemaker:{self.region}:{self.account}:inference-experiment/{properties.get('Name')}"
            metadata = {"EndpointName": properties.get("EndpointName"), "EndpointStatus": "InService"}
            model = {**properties, "Arn": arn, "Status": "Created", "EndpointMetadata": metadata}
            return experiment_physical({**model, "CreationTime": "", "LastModifiedTime": ""})
        if type_name in EMULATED_TYPES:
            key = type_name.rsplit("::", 1)[1] + "Name"
            given = str(properties.get(key) or name)
            kind = ARN_KIND.get(type_name, "endpoint-config")
            arn = f"arn:aws:sagemaker:{self.region}:{self.account}:{kind}/{given.lower()}"
            return Physical(arn, {key: given, key.replace("Name", "Arn"): arn}, given)
        placeholders = SupportResources(None, "", self.account, self.region)
        return placeholders.placeholder(logical_id, type_name, properties, name)


@dataclass
class SandboxProvisioner(Predictor):
    sagemaker: Any = None
    driver: CloudFormation = field(default_factory=lambda: CloudFormation(lambda _: {}))
    waiting: Callable[[str, str, float], None] = lambda *_: None
    invocations: Counter[str] = field(default_factory=Counter)

    def handles(self, type_name: str) -> bool:
        return type_name in (EXPERIMENT, *EMULATED_TYPES)

    def support(self, stack_name: str) -> SupportResources:
        return SupportResources(self.sagemaker, stack_name, self.account, self.region)

    def create(self, stack: StackInfo, deployed: Deployed, name: str, report: Report) -> Physical:
        if deployed.type != EXPERIMENT:
            with sagemaker_errors():
                return self.support(stack.name).create(deployed.logical_id, deployed.type, deployed.properties, name)
        for seeded in seed_for_model(self.sagemaker, deployed.properties):
            report(f"seeded missing {seeded} in the emulator: it is not in this stack, so it must exist on AWS")
        outcome = self.run("CREATE", deployed.logical_id, deployed.properties, stack_tags=stack.tags)
        return experiment_physical(outcome.model or {})

    def update(self, stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical:
        if old.type != EXPERIMENT:
            with sagemaker_errors():
                self.update_support(stack.name, old, new)
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

    def update_support(self, stack_name: str, old: Deployed, new: dict[str, Any]) -> None:
        """What can change in place on a model, endpoint config or endpoint: the endpoint's
        config and tags (everything else is create-only, so it is a replacement)."""
        if old.type == "AWS::SageMaker::Endpoint" and new.get("EndpointConfigName") != old.properties.get(
            "EndpointConfigName"
        ):
            self.support(stack_name).update_endpoint(old.physical, new)
        before = {t["Key"]: t["Value"] for t in old.properties.get("Tags") or []}
        after = {t["Key"]: t["Value"] for t in new.get("Tags") or []}
        removed = sorted(set(before) - set(after))
        if removed:
            self.sagemaker.delete_tags(ResourceArn=old.physical.ref, TagKeys=removed)
        changed = [{"Key": k, "Value": v} for k, v in after.items() if before.get(k) != v]
        if changed:
            self.sagemaker.add_tags(ResourceArn=old.physical.ref, Tags=changed)

    def delete(self, stack: StackInfo, deployed: Deployed) -> None:
        if deployed.type != EXPERIMENT:
            with sagemaker_errors():
                self.support(stack.name).delete(deployed.type, deployed.physical)
            return
        self.run(
            "DELETE", deployed.logical_id, {**deployed.properties, "Name": deployed.physical.name}, missing_ok=True
        )

    def read(self, deployed: Deployed) -> dict[str, Any]:
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
        if not outcome.succeeded and not (missing_ok and outcome.error_code == "NotFound"):
            raise ResourceFailure(f"[{outcome.error_code}] {outcome.message}")
        return outcome
