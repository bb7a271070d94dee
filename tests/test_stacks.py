"""The stack engine (sandbox.cloudformation) in-process, on a provisioner that keeps resources in a
dict: template semantics, change sets, replacement, rollback, exports, drift. The same
paths through the handlers and the emulator are in test_rehearse*.py."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from sandbox import schemas
from sandbox.cloudformation.driver import CloudFormation
from sandbox.cloudformation.engine import drift
from sandbox.cloudformation.engine.changes import context_for
from sandbox.cloudformation.engine.model import Deployed, Physical, Stack
from sandbox.cloudformation.engine.provisioner import ResourceFailure, StackInfo
from sandbox.cloudformation.prerequisites import ensure_endpoint
from sandbox.cloudformation.service.changesets import ChangeSet
from sandbox.cloudformation.service.provision import Predictor, SandboxProvisioner
from sandbox.cloudformation.service.stacks import StackError, StackService
from sandbox.cloudformation.template import document, intrinsics, lint, parameters
from sandbox.cloudformation.template.document import TemplateError
from sandbox.cloudformation.template.graph import order
from sandbox.cloudformation.wire import describe
from sandbox.cloudformation.wire.api import CloudFormationApi
from sandbox.query import ApiError, serialize
from sandbox.schemas import TYPE_NAME
from sandbox.server import EmulatorControl, ManualClock
from tests.helpers import experiment

MODEL = "AWS::SageMaker::Model"
CONFIG = "AWS::SageMaker::EndpointConfig"
ENDPOINT = "AWS::SageMaker::Endpoint"
BIGGER = {"InitialInstanceCount": 3, "InstanceType": "ml.g5.xlarge", "InitialVariantWeight": 1.0}


@dataclass
class Memory(Predictor):
    """Resources in a dict; the logical IDs in `refuse` fail like a handler (updates that change
    something, unless back to "original"), those in `broken` fail every create and update."""

    live: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    undeletable: set[str] = field(default_factory=set)
    hold: threading.Event | None = None

    def handles(self, type_name: str) -> bool:
        return type_name.startswith("AWS::SageMaker::")

    def create(self, _stack: StackInfo, deployed: Deployed, name: str, _report: Any) -> Physical:
        if deployed.logical_id in self.broken:
            raise ResourceFailure(f"[InvalidRequest] {deployed.logical_id} is broken")
        if deployed.logical_id == "Crash":
            raise ConnectionRefusedError("the Lambda stand-in is gone")
        if self.hold is not None and deployed.logical_id == "Slow":
            self.hold.wait(10)
        physical = self.predict(deployed.logical_id, deployed.type, deployed.properties, name)
        self.live[physical.name] = deployed.properties
        self.calls.append(("create", deployed.logical_id, deployed.properties, None))
        return physical

    def update(self, _stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical:
        self.calls.append(("update", old.logical_id, new, old.properties))
        if self.hold is not None:
            self.hold.wait(10)
        if old.logical_id in self.broken:
            raise ResourceFailure(f"[InvalidRequest] {old.logical_id} is broken")
        changed = new != self.live[old.physical.name] and new.get("Description") != "original"
        if old.logical_id in self.refuse and changed:
            raise ResourceFailure(self.refuse[old.logical_id])
        self.live[old.physical.name] = new
        return old.physical

    def delete(self, _stack: StackInfo, deployed: Deployed) -> None:
        self.calls.append(("delete", deployed.logical_id, deployed.properties, None))
        if deployed.logical_id in self.undeletable:
            raise ResourceFailure(f"[ResourceConflict] {deployed.logical_id} is in use")
        del self.live[deployed.physical.name]

    def read(self, deployed: Deployed) -> dict[str, Any]:
        if deployed.physical.name not in self.live:
            raise ResourceFailure("[NotFound] gone")
        return {**self.live[deployed.physical.name], "Arn": "arn", "Status": "Running"}


def context(**values: Any) -> intrinsics.Context:
    pseudo = {"AWS::Region": "us-east-1", "AWS::StackName": "s", "AWS::AccountId": "1", "AWS::Partition": "aws"}
    return intrinsics.Context(values.pop("parameters", {}), pseudo, **values)


def resolve(node: Any, **values: Any) -> Any:
    return intrinsics.resolve(node, context(**values), "Resources.X.Properties")


def test_every_intrinsic_function() -> None:
    ctx = {
        "parameters": {"Env": "prod", "Names": ["a", "b"]},
        "mappings": {"Size": {"prod": {"Count": 2}}},
        "conditions": {"IsProd": True},
        "refs": {"Role": "role-name"},
        "attributes": {"Role": {"Arn": "arn:role"}},
        "exports": {"shared-vpc": "vpc-1"},
    }
    assert (
        resolve({"Fn::Sub": "${AWS::StackName}-${Env}-${Role.Arn}-${!Literal}"}, **ctx) == "s-prod-arn:role-${Literal}"
    )
    assert resolve({"Fn::Sub": ["${X}/${Role}", {"X": {"Ref": "Env"}}]}, **ctx) == "prod/role-name"
    assert resolve({"Fn::Join": ["-", [{"Ref": "Env"}, {"Fn::Select": [1, {"Ref": "Names"}]}]]}, **ctx) == "prod-b"
    assert resolve({"Fn::Split": [",", "x,y"]}, **ctx) == ["x", "y"]
    assert resolve({"Fn::If": ["IsProd", "big", "small"]}, **ctx) == "big"
    assert resolve({"Fn::FindInMap": ["Size", {"Ref": "Env"}, "Count"]}, **ctx) == 2
    assert resolve({"Fn::Base64": "hi"}, **ctx) == "aGk="
    assert resolve({"Fn::GetAZs": ""}, **ctx)[:2] == ["us-east-1a", "us-east-1b"]
    assert resolve({"Fn::Cidr": ["10.0.0.0/16", 2, 8]}, **ctx) == ["10.0.0.0/24", "10.0.1.0/24"]
    assert resolve({"Fn::ImportValue": "shared-vpc"}, **ctx) == "vpc-1"
    assert resolve({"A": {"Ref": "AWS::NoValue"}, "B": [1, {"Ref": "AWS::NoValue"}]}, **ctx) == {"B": [1]}
    assert resolve({"Fn::GetAtt": "Role.Arn"}, **ctx) == "arn:role"


def test_language_extensions_functions_need_the_transform() -> None:
    with pytest.raises(TemplateError, match="Fn::Length needs 'Transform: AWS::LanguageExtensions'"):
        resolve({"Fn::Length": [1, 2]})
    assert resolve({"Fn::Length": [1, 2]}, language_extensions=True) == 2
    assert resolve({"Fn::ToJsonString": {"a": [1]}}, language_extensions=True) == '{"a":[1]}'


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"Ref": "Missing"}, r"Resources\.X\.Properties\.Ref: Ref Missing: no parameter"),
        ({"Fn::GetAtt": ["Nope", "Arn"]}, "no resource Nope"),
        ({"Fn::Select": [5, ["a"]]}, "index 5 is out of range"),
        ({"Fn::FindInMap": ["M", "a", "b"]}, "mapping M has no"),
        ({"Fn::ImportValue": "x"}, "No export named x found"),
        ({"Fn::If": ["Unknown", 1, 2]}, "no condition named Unknown"),
        ({"Fn::Transform": {}}, "not a function CloudFormation supports"),
        ("{{resolve:ssm:/p}}", r"dynamic references \(\{\{resolve:...\}\}\)"),
        ({"List": [{"Fn::Sub": "${Nope}"}]}, r"List\[0\]\.Fn::Sub: Ref Nope"),
    ],
)
def test_resolution_errors_say_where(node: Any, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        resolve(node)


def test_condition_functions() -> None:
    declared = {
        "IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]},
        "NotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
        "Both": {"Fn::And": [{"Condition": "IsProd"}, {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}]},
        "Either": {"Fn::Or": [{"Condition": "NotProd"}, {"Condition": "Both"}]},
    }
    values = intrinsics.evaluate_conditions(declared, context(parameters={"Env": "prod"}))
    assert values == {"IsProd": True, "NotProd": False, "Both": True, "Either": True}
    with pytest.raises(TemplateError, match="circular reference"):
        intrinsics.evaluate_conditions({"A": {"Condition": "A"}}, context())


@pytest.mark.parametrize(
    ("spec", "given", "message"),
    [
        ({"Type": "Number"}, "abc", "'P' must be a number"),
        ({"Type": "Number", "MinValue": 1}, "0", "not less than 1"),
        ({"Type": "Number", "MaxValue": 100}, "101", "not greater than 100"),
        ({"Type": "String", "AllowedValues": ["a"]}, "b", "must be one of AllowedValues"),
        ({"Type": "String", "AllowedPattern": "[a-z]+"}, "A1", "must match pattern"),
        ({"Type": "String", "MinLength": 3}, "ab", "at least 3 characters"),
        ({"Type": "String", "MaxLength": 1}, "ab", "at most 1 characters"),
        ({"Type": "List<Number>"}, "1,x", "must be a number"),
        ({"Type": "AWS::SSM::Parameter::Value<String>"}, "/a", "needs Systems Manager"),
    ],
)
def test_parameter_constraints(spec: dict[str, Any], given: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parameters.resolve({"P": spec}, {"P": given})


def test_parameter_values_and_presence() -> None:
    declared = {"N": {"Type": "Number", "Default": 5}, "L": {"Type": "CommaDelimitedList", "Default": "a,b"}}
    assert parameters.resolve(declared, {}) == {"N": "5", "L": ["a", "b"]}
    with pytest.raises(TemplateError, match=r"Parameters: \['Q'\] must have values"):
        parameters.resolve({"Q": {"Type": "String"}}, {})
    with pytest.raises(TemplateError, match="do not exist in the template"):
        parameters.resolve({}, {"Q": "1"})


def test_order_follows_references_and_depends_on() -> None:
    template = document.parse(
        "Resources:\n"
        "  C: {Type: AWS::SageMaker::Model, DependsOn: B}\n"
        "  B: {Type: AWS::SageMaker::Model, Properties: {X: !Sub '${A.Arn}'}}\n"
        "  A: {Type: AWS::SageMaker::Model}\n"
    )
    assert order(template.resources) == ["A", "B", "C"]
    cyclic = document.parse(
        "Resources:\n  A: {Type: X::Y::Z, Properties: {V: !Ref B}}\n  B: {Type: X::Y::Z, Properties: {V: !Ref A}}\n"
    )
    with pytest.raises(TemplateError, match="Circular dependency between resources: A -> B -> A"):
        order(cyclic.resources)


# ---- the engine -------------------------------------------------------------------------

IMAGE = "PrimaryContainer: {Image: img}"
ROLE = "ExecutionRoleArn: arn:aws:iam::123456789012:role/r"


def model(logical_id: str, data: str = "v1", extra: str = "") -> str:
    return (
        f"  {logical_id}:\n    Type: AWS::SageMaker::Model\n{extra}    Properties:\n"
        f"      {ROLE}\n      PrimaryContainer: {{Image: img, ModelDataUrl: 's3://b/{data}'}}\n"
    )


def run(service: StackService, stack: Stack, text: str, tags: dict[str, str] | None = None) -> bool:
    plan = service.plan(stack, document.parse(text), text, {})
    if stack.status == "REVIEW_IN_PROGRESS":
        return service.create(stack, plan)()
    return service.update(stack, plan, tags if tags is not None else stack.tags)()


def statuses(stack: Stack, logical_id: str | None = None) -> list[str]:
    return [e.status for e in stack.events if e.logical_id == (logical_id or stack.name)]


def engine() -> tuple[StackService, Memory]:
    memory = Memory("123456789012", "us-east-1")
    return StackService(memory, "us-east-1", "123456789012"), memory


def test_conditions_decide_resources_and_outputs() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = (
        "Parameters:\n  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Env, prod]\n"
        "Resources:\n"
        + model("Always")
        + model("OnlyProd", extra="    Condition: IsProd\n")
        + "Outputs:\n  Prod:\n    Condition: IsProd\n    Value: !Ref OnlyProd\n"
        + "  Name:\n    Value: !GetAtt Always.ModelName\n"
    )
    assert run(service, stack, text)
    assert list(stack.resources) == ["Always"]
    assert list(stack.outputs) == ["Name"]
    assert stack.outputs["Name"]["Value"] in memory.live


def test_a_change_sets_predicted_physical_names_are_the_names_created() -> None:
    """One generated name per resource: what the change set predicted is what gets created."""
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = "Resources:\n" + model("M") + "  C:\n    Type: Custom::Thing\n    Properties: {ServiceToken: x}\n"
    plan = service.plan(stack, document.parse(text), text, {})
    predicted = {logical_id: plan.physical_name(logical_id) for logical_id in ("M", "C")}
    assert service.create(stack, plan)()
    assert {logical_id: stack.resources[logical_id].physical.name for logical_id in predicted} == predicted
    assert predicted["M"] in memory.live


def test_replacement_creates_the_new_resource_first_and_deletes_the_old_in_cleanup() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    assert run(service, stack, "Resources:\n" + model("A") + model("Kept", extra="    UpdateReplacePolicy: Retain\n"))
    old = {k: d.physical.name for k, d in stack.resources.items()}
    plan = service.plan(
        stack, document.parse(text := "Resources:\n" + model("A", "v2") + model("Kept", "v2")), text, {}
    )
    assert [str(c).split() for c in plan.changes] == [
        ["Modify", "A", MODEL, "Replacement:", "True", "(PrimaryContainer)"],
        ["Modify", "Kept", MODEL, "Replacement:", "True", "(PrimaryContainer)"],
    ]
    assert service.update(stack, plan, {})()
    assert [c[0] for c in memory.calls if c[1] == "A"] == ["create", "create", "delete"]
    assert statuses(stack)[-2:] == ["UPDATE_COMPLETE_CLEANUP_IN_PROGRESS", "UPDATE_COMPLETE"]
    assert old["Kept"] in memory.live
    assert old["A"] not in memory.live
    assert statuses(stack, "Kept")[-1] == "DELETE_SKIPPED"


def test_custom_named_replacement_is_refused_in_cloudformations_words_and_rolled_back() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    named = "    Properties:\n      ModelName: fixed\n      {role}\n      PrimaryContainer: {{Image: {image}}}\n"
    first = "Resources:\n" + model("A") + "  Named:\n    Type: AWS::SageMaker::Model\n    DependsOn: A\n"
    assert run(service, stack, first + named.format(role=ROLE, image="one"))
    before = dict(memory.live)
    second = first.replace("s3://b/v1", "s3://b/v2") + named.format(role=ROLE, image="two")
    assert not run(service, stack, second)
    reasons = [e.reason for e in stack.events if e.status == "UPDATE_FAILED"]
    assert reasons == [
        "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
        "Rename fixed and update the stack again."
    ]
    assert statuses(stack)[-3:] == [
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE",
    ]
    assert memory.live == before


EXPERIMENT = (
    "  {name}:\n    Type: AWS::SageMaker::InferenceExperiment\n{extra}    Properties:\n"
    "      Name: {name}\n      Type: ShadowMode\n      RoleArn: arn:aws:iam::123456789012:role/r\n"
    "      EndpointName: e\n      Description: {description}\n      ModelVariants: [{variant}]\n"
)
VARIANT = (
    "{VariantName: p, ModelName: m, InfrastructureConfig: {InfrastructureType: RealTimeInference, "
    "RealTimeInferenceConfig: {InstanceType: ml.m5.large, InstanceCount: 1}}}"
)


def experiments(first: str, second: str, depends: str = "    DependsOn: First\n") -> str:
    return (
        "Resources:\n"
        + EXPERIMENT.format(name="First", extra="", description=first, variant=VARIANT)
        + EXPERIMENT.format(name="Second", extra=depends, description=second, variant=VARIANT)
    )


def test_failed_update_rolls_back_every_updated_resource_through_its_provider() -> None:
    service, memory = engine()
    memory.refuse["Second"] = "[InvalidRequest] cannot change that while Running"
    stack = service.new_stack("s", {"team": "a"})
    assert run(service, stack, experiments("original", "original"))
    memory.calls.clear()
    assert not run(service, stack, experiments("changed", "changed"), {"team": "b"})
    updates = [(c[1], c[2]["Description"], c[3]["Description"]) for c in memory.calls if c[0] == "update"]
    assert updates == [
        ("First", "changed", "original"),
        ("Second", "changed", "original"),
        ("Second", "original", "changed"),
        ("First", "original", "changed"),
    ]
    assert statuses(stack)[-1] == "UPDATE_ROLLBACK_COMPLETE"
    assert stack.tags == {"team": "a"}
    assert {k: d.properties["Description"] for k, d in stack.resources.items()} == {
        "First": "original",
        "Second": "original",
    }


def test_a_rollback_the_provider_refuses_ends_update_rollback_failed_with_its_message() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    assert run(service, stack, experiments("original", "original"))
    memory.broken.add("Second")
    assert not run(service, stack, experiments("changed", "changed"))
    assert statuses(stack)[-2:] == ["UPDATE_ROLLBACK_IN_PROGRESS", "UPDATE_ROLLBACK_FAILED"]
    assert statuses(stack, "Second")[-2:] == ["UPDATE_IN_PROGRESS", "UPDATE_FAILED"]
    assert stack.events[-2].reason == "[InvalidRequest] Second is broken"
    with pytest.raises(StackError, match="UPDATE_ROLLBACK_FAILED state and can not be updated"):
        run(service, stack, experiments("again", "again"))


def test_retained_resources_stay_and_exports_bind_stacks() -> None:
    service, memory = engine()
    producer = service.new_stack("producer", {})
    text = "Resources:\n" + model("A", extra="    DeletionPolicy: Retain\n")
    assert run(service, producer, text + "Outputs:\n  N:\n    Value: !GetAtt A.ModelArn\n    Export: {Name: shared}\n")
    consumer = service.new_stack("consumer", {})
    assert run(
        service,
        consumer,
        "Resources:\n"
        + model("B", extra="").replace("s3://b/v1", "s3://b/x")
        + ("Outputs:\n  Imported:\n    Value: !ImportValue shared\n"),
    )
    assert consumer.outputs["Imported"]["Value"] == producer.outputs["N"]["Value"]
    with pytest.raises(StackError, match="Export shared cannot be deleted as it is in use by consumer"):
        service.delete(producer)
    assert service.delete(consumer)()
    assert service.delete(producer)()
    assert statuses(producer, "A")[-1] == "DELETE_SKIPPED"
    assert len(memory.live) == 1


def test_failed_create_rolls_back() -> None:
    service, memory = engine()
    memory.broken.add("B")
    stack = service.new_stack("s", {})
    assert not run(service, stack, "Resources:\n" + model("A") + model("B", extra="    DependsOn: A\n"))
    assert statuses(stack) == ["CREATE_IN_PROGRESS", "ROLLBACK_IN_PROGRESS", "ROLLBACK_COMPLETE"]
    assert stack.events[-4].reason.startswith("The following resource(s) failed to create: [B].")
    assert statuses(stack, "A") == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    assert memory.live == {}
    assert not stack.resources


def test_drift_ignores_write_only_properties_and_stack_tags() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = experiments("original", "original", depends="").replace(
        "      Description: original\n",
        "      Description: original\n      DesiredState: Running\n      Tags: [{Key: a, Value: '1'}]\n",
    )
    assert run(service, stack, text)
    memory.live["First"] = {
        **memory.live["First"],
        "Tags": [{"Key": "stack", "Value": "x"}, {"Key": "a", "Value": "1"}],
    }
    memory.live["First"].pop("DesiredState")
    memory.live["Second"] = {**memory.live["Second"], "Description": "changed out of band"}
    results = {r.logical_id: r for r in service.detect_drift(stack)}
    assert results["First"].status == "IN_SYNC"
    assert results["Second"].status == "MODIFIED"
    assert results["Second"].differences == [
        drift.Difference("/Description", "original", "changed out of band", "NOT_EQUAL")
    ]
    del memory.live["First"]
    assert service.detect_drift(stack)[0].status == "DELETED"


def test_requests_cloudformation_refuses() -> None:
    service, _ = engine()
    stack = service.new_stack("s", {})
    text = "Resources:\n" + model("A")
    assert run(service, stack, text)
    with pytest.raises(StackError, match="already exists"):
        service.new_stack("s", {})
    with pytest.raises(StackError, match=r"'my stack' at 'stackName' failed to satisfy constraint"):
        service.new_stack("my stack", {})
    with pytest.raises(StackError, match="No updates are to be performed"):
        run(service, stack, text)
    with pytest.raises(TemplateError, match="E3002"):
        run(service, stack, text + "      Unknown: 1\n")


def test_a_stand_in_that_dies_ends_the_operation_failed_not_in_progress() -> None:
    service, _ = engine()
    stack = service.new_stack("s", {})
    assert not run(service, stack, "Resources:\n" + model("Crash"))
    assert stack.status == "CREATE_FAILED"
    assert stack.status_reason == "Internal failure: the Lambda stand-in is gone"


def test_tags_on_a_sagemaker_model_change_in_place(sagemaker: Any) -> None:
    provisioner = SandboxProvisioner("123456789012", "us-east-1", sagemaker)
    info = StackInfo("s", {}, {})
    properties = {
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
        "PrimaryContainer": {"Image": "img"},
        "Tags": [{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}],
    }
    deployed = Deployed("M", MODEL, properties, Physical("", {}, ""), "CREATE_IN_PROGRESS")
    deployed.physical = provisioner.create(info, deployed, "m-1", lambda _: None)
    provisioner.update(info, deployed, {**properties, "Tags": [{"Key": "a", "Value": "9"}]})
    tags = sagemaker.list_tags(ResourceArn=deployed.physical.ref)["Tags"]
    assert tags == [{"Key": "a", "Value": "9"}]


def test_a_new_endpoint_config_updates_the_endpoint_and_waits_until_it_is_in_service(
    sagemaker: Any, emulator: EmulatorControl, clock: ManualClock
) -> None:
    """CloudFormation's Endpoint update is UpdateEndpoint, complete once the endpoint is
    InService again: the provisioner waits through Updating (here 100 s on the emulator)."""
    emulator.set_durations(EndpointUpdating=100)
    waits: list[tuple[float, str]] = []

    def wait(_logical_id: str, note: str, seconds: float) -> None:
        waits.append((seconds, note))
        clock.advance(seconds)

    provisioner = SandboxProvisioner("123456789012", "us-east-1", sagemaker, waiting=wait)
    info = StackInfo("s", {}, {})
    ensure_endpoint(sagemaker, "e", "model-a")
    config = {"ProductionVariants": [{"VariantName": "production", "ModelName": "model-a", **BIGGER}]}
    new_config = Deployed("C", CONFIG, config, Physical("", {}, ""), "CREATE_IN_PROGRESS")
    new_config.physical = provisioner.create(info, new_config, "bigger", lambda _: None)
    endpoint = Deployed("E", ENDPOINT, {"EndpointConfigName": "e-config"}, Physical("e", {}, "e"), "CREATE_COMPLETE")
    provisioner.update(info, endpoint, {"EndpointConfigName": "bigger"})
    described = sagemaker.describe_endpoint(EndpointName="e")
    assert (described["EndpointStatus"], described["EndpointConfigName"]) == ("InService", "bigger")
    assert [seconds for seconds, _ in waits] == [1, 2, 4, 8, 15, 30, 30, 30]
    assert waits[0][1] == "endpoint Updating to endpoint config bigger"
    with pytest.raises(ResourceFailure, match=r"\[ValidationException\] Could not find endpoint configuration"):
        provisioner.update(info, endpoint, {"EndpointConfigName": "missing"})


def test_no_echo_parameters_are_masked_in_descriptions() -> None:
    """CloudFormation User Guide, parameters-section-structure.html (NoEcho): "the parameter
    value is masked as asterisks (*****)"."""
    template = document.parse("Parameters:\n  Secret: {Type: String, NoEcho: true}\n  Plain: {Type: String}\n")
    shown = describe.parameters({"Secret": "hunter2", "Plain": "x"}, template)
    assert shown == [
        {"ParameterKey": "Secret", "ParameterValue": "*****"},
        {"ParameterKey": "Plain", "ParameterValue": "x"},
    ]


# ---- issue 19: what CloudFormation's documentation says ---------------------------------


def test_booleans_are_the_strings_true_and_false() -> None:
    """CloudFormation User Guide, intrinsic-function-reference-conditions.html (Fn::Equals
    "compares if two values are equal"; values are strings: a parameter "true" equals YAML true)
    and intrinsic-function-reference-join.html / -sub.html (a YAML true renders "true")."""
    declared = {
        "Yes": {"Fn::Equals": [{"Ref": "P"}, True]},
        "No": {"Fn::Equals": [False, "False"]},
    }
    values = intrinsics.evaluate_conditions(declared, context(parameters={"P": "true"}))
    assert values == {"Yes": True, "No": False}
    assert resolve({"Fn::Join": [" ", ["prod", True, "recommendations"]]}) == "prod true recommendations"
    assert resolve({"Fn::Sub": ["${A}-${B}", {"A": True, "B": False}]}) == "true-false"
    assert resolve({"Fn::Sub": "on=${P}"}, parameters={"P": True}) == "on=true"
    assert parameters.resolve({"P": {"Type": "String", "Default": True, "AllowedValues": [True, False]}}, {}) == {
        "P": "true"
    }


def test_a_boolean_condition_and_description_through_the_engine() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = (
        "Parameters:\n  StartNow: {Type: String, Default: 'true', AllowedValues: ['true', 'false']}\n"
        "Conditions:\n  Start: !Equals [!Ref StartNow, true]\n"
        "Resources:\n"
        + model("M", extra="    Condition: Start\n")
        + "Outputs:\n  Note:\n    Value: !Join [' ', [prod, true, recommendations]]\n"
        + "  Flag:\n    Value: true\n"
    )
    assert run(service, stack, text)
    assert list(stack.resources) == ["M"]
    assert stack.outputs["Note"]["Value"] == "prod true recommendations"
    shown = {o["OutputKey"]: o["OutputValue"] for o in describe.stack(stack)["Outputs"]}
    assert shown == {"Note": "prod true recommendations", "Flag": "true"}
    assert memory.live


def test_comma_delimited_list_members_are_space_trimmed() -> None:
    """CloudFormation User Guide, parameters-section-structure.html (CommaDelimitedList): "each
    member string is space trimmed"."""
    declared = {"L": {"Type": "CommaDelimitedList", "AllowedValues": ["a", "b"]}}
    assert parameters.resolve(declared, {"L": "a, b"}) == {"L": ["a", "b"]}
    assert parameters.resolve({"L": {"Type": "CommaDelimitedList"}}, {"L": " x ,y "}) == {"L": ["x", "y"]}


@pytest.mark.parametrize(
    ("node", "message"),
    [
        ({"Fn::Cidr": ["10.0.0.0/24", 300, 2]}, r"count 300: 10\.0\.0\.0/24 holds 64 subnets of /30"),
        ({"Fn::Cidr": ["10.0.0.0/24", 2, 9]}, "cidrBits 9 does not fit the /24 block"),
        ({"Fn::Cidr": ["10.0.0.0/16", 0, 8]}, "count 0"),
    ],
)
def test_cidr_asking_for_more_than_fits_is_a_template_error(node: Any, message: str) -> None:
    """CloudFormation User Guide, intrinsic-function-reference-cidr.html: count is 1 to 256,
    cidrBits the subnet bits; more subnets than the block holds is a template validation error."""
    with pytest.raises(TemplateError, match=message):
        resolve(node)


def test_cidr_error_refuses_the_plan_before_anything_is_created() -> None:
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = "Resources:\n" + model("M") + "Outputs:\n  Nets:\n    Value: !Join [',', !Cidr [10.0.0.0/28, 5, 2]]\n"
    with pytest.raises(TemplateError, match="Fn::Cidr count 5"):
        service.plan(stack, document.parse(text), text, {})
    assert not memory.live


EXPERIMENT_TEMPLATE = """
Resources:
  X:
    Type: {type}
    Properties:
      Name: x
      Type: ShadowMode
      RoleArn: arn:aws:iam::123456789012:role/r
      EndpointName: e
      ModelVariants:
        - ModelName: m
          VariantName: v
          InfrastructureConfig:
            InfrastructureType: RealTimeInference
            RealTimeInferenceConfig: {{InstanceType: ml.m5.large, InstanceCount: 1}}
        - ModelName: m2
          VariantName: s
          InfrastructureConfig:
            InfrastructureType: RealTimeInference
            RealTimeInferenceConfig: {{InstanceType: ml.m5.large, InstanceCount: 1}}
      ShadowModeConfig:
        SourceModelVariantName: v
        ShadowModelVariants: [{{ShadowModelVariantName: s, SamplingPercentage: 50}}]
Outputs:
  Out:
    Value: {value}
"""


@pytest.mark.parametrize(
    "attribute",
    ["EndpointMetadata.EndpointName", "EndpointMetadata.EndpointConfigName", "EndpointMetadata.EndpointStatus"],
)
def test_documented_endpoint_metadata_attributes_pass_the_lint_step(attribute: str) -> None:
    """CloudFormation Template Reference, aws-resource-sagemaker-inferenceexperiment (Return
    values, Fn::GetAtt): EndpointMetadata.EndpointName, .EndpointConfigName, .EndpointStatus.
    cfn-lint offers only the top-level read-only properties; the rehearsal follows AWS."""
    service, _ = engine()
    stack = service.new_stack("s", {})
    for value in (f"!GetAtt X.{attribute}", f"!Sub '${{X.{attribute}}}'"):
        text = EXPERIMENT_TEMPLATE.format(type=schemas.TYPE_NAME, value=value)
        plan = service.plan(stack, document.parse(text), text, {})
        assert [c.logical_id for c in plan.changes] == ["X"]


def test_get_att_names_only_the_types_documented_attributes() -> None:
    """Fn::GetAtt reaches a registry type's read-only properties (CloudFormation's return
    values for the type; Knowledge Center "cloudformation-attribute-key-error": the attribute
    must be in readOnlyProperties), never a write-only one, whatever the type is named."""
    assert schemas.EXPERIMENT.attributes == {
        "Arn",
        "CreationTime",
        "LastModifiedTime",
        "Status",
        "EndpointMetadata",
        "EndpointMetadata.EndpointName",
        "EndpointMetadata.EndpointConfigName",
        "EndpointMetadata.EndpointStatus",
    }
    model_values = {"Arn": "arn", "Schedule": {"StartTime": "t"}, "Description": "d", "Status": "Running"}
    ctx = {"attributes": {"X": model_values}, "types": {"X": schemas.TYPE_NAME}}
    assert resolve({"Fn::GetAtt": "X.Status"}, **ctx) == "Running"
    for refused in ("Schedule", "Description", "DesiredState"):
        with pytest.raises(TemplateError, match=f"resource X does not support attribute type {refused} in Fn::GetAtt"):
            resolve({"Fn::GetAtt": ["X", refused]}, **ctx)
        with pytest.raises(TemplateError, match=f"does not support attribute type {refused}"):
            resolve({"Fn::Sub": f"${{X.{refused}}}"}, **ctx)


def test_get_att_on_a_renamed_private_type_is_checked_by_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """A renamed project (make renamed-project) registers the schema under its own name, which
    cfn-lint does not know: the engine's own check is all that stands between a write-only
    attribute and a green rehearsal."""
    renamed = "Acme::SageMaker::InferenceExperiment"
    monkeypatch.setattr(schemas, "TYPE_NAME", renamed)
    document_renamed = {**schemas.EXPERIMENT.document, "typeName": renamed}
    monkeypatch.setattr(schemas, "EXPERIMENT", schemas.ResourceSchema(document_renamed, schemas.EXPERIMENT.facts))
    schemas.schema_for.cache_clear()
    lint.register_private_type.cache_clear()
    try:
        service, _ = engine()
        stack = service.new_stack("s", {})
        text = EXPERIMENT_TEMPLATE.format(type=renamed, value="!GetAtt X.Schedule")
        with pytest.raises(TemplateError, match="resource X does not support attribute type Schedule"):
            service.plan(stack, document.parse(text), text, {})
        text = EXPERIMENT_TEMPLATE.format(type=renamed, value="!GetAtt X.Arn")
        assert [c.logical_id for c in service.plan(stack, document.parse(text), text, {}).changes] == ["X"]
    finally:
        schemas.schema_for.cache_clear()
        lint.register_private_type.cache_clear()


def test_the_parameters_example_reads_as_written() -> None:
    """YAML 1.1 reads an unquoted `on` as a boolean, which CloudFormation renders "true" in
    Fn::Join: the example quotes it, so its Description reads as intended."""
    template = document.read(Path(__file__).resolve().parent.parent / "examples" / "parameters-and-conditions.yaml")
    ctx = context_for(Stack("s", "us-east-1", "123456789012"), template, {"Environment": "prod"}, {})
    description = template.resources["ShadowTest"].properties["Description"]
    assert intrinsics.resolve(description, ctx, "Description") == "Shadow test in prod on recommendations"


def exporting(value: str, export: bool = True, data: str = "") -> str:
    text = "Resources:\n" + model("A", data or value) + f"Outputs:\n  N:\n    Value: {value}\n"
    return text + ("    Export: {Name: shared}\n" if export else "")


def test_an_export_another_stack_imports_cannot_be_changed_or_removed() -> None:
    """User Guide, "Get exported outputs from a deployed CloudFormation stack": you can't modify
    or remove an output value that is referenced by another stack; the update rolls back."""
    service, _ = engine()
    producer = service.new_stack("producer", {})
    assert run(service, producer, exporting("one"))
    assert run(service, producer, exporting("two"))  # nobody imports it yet: free to change
    consumer = service.new_stack("consumer", {})
    assert run(service, consumer, "Resources:\n" + model("B") + "Outputs:\n  I:\n    Value: !ImportValue shared\n")
    for text, verb in ((exporting("three"), "updated"), (exporting("two", export=False, data="four"), "deleted")):
        assert not run(service, producer, text)
        assert statuses(producer)[-4:] == [
            "UPDATE_IN_PROGRESS",
            "UPDATE_ROLLBACK_IN_PROGRESS",
            "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
            "UPDATE_ROLLBACK_COMPLETE",
        ]
        reasons = [e.reason for e in producer.events if e.status == "UPDATE_ROLLBACK_IN_PROGRESS"]
        assert reasons[-1] == f"Export shared cannot be {verb} as it is in use by consumer"
        assert producer.outputs["N"] == {"Value": "two", "ExportName": "shared"}
        assert service.store.exports["shared"].value == "two"


@pytest.mark.parametrize("state", ["REVIEW_IN_PROGRESS", "CREATE_FAILED", "ROLLBACK_FAILED", "DELETE_FAILED"])
def test_update_is_refused_in_states_cloudformation_cannot_update(state: str) -> None:
    """API Reference, UpdateStack; User Guide, "Stack status codes": these stacks can only be deleted."""
    service, memory = engine()
    stack = service.new_stack("s", {})
    text = "Resources:\n" + model("A")
    if state == "CREATE_FAILED":
        text = "Resources:\n" + model("Crash")
    elif state == "ROLLBACK_FAILED":
        memory.broken.add("B")
        memory.undeletable.add("A")
        text += model("B", extra="    DependsOn: A\n")
    if state != "REVIEW_IN_PROGRESS":
        run(service, stack, text)
    if state == "DELETE_FAILED":
        memory.undeletable.add("A")
        assert not service.delete(stack)()
    assert stack.status == state
    plan = service.plan(stack, document.parse(changed := "Resources:\n" + model("A", "v9")), changed, {})
    with pytest.raises(
        StackError, match=rf"^Stack:{re.escape(stack.id)} is in {state} state and can not be updated\.$"
    ):
        service.update(stack, plan, {})


def test_delete_is_refused_while_an_update_runs() -> None:
    """API Reference, DeleteStack: "Stack [ID] cannot be deleted while in status UPDATE_IN_PROGRESS"
    (ValidationError)."""
    service, memory = engine()
    api = CloudFormationApi(service)
    stack = service.new_stack("s", {})
    assert run(service, stack, experiments("original", "original"))
    memory.hold = threading.Event()
    plan = service.plan(stack, document.parse(changed := experiments("changed", "original")), changed, {})
    thread = service.in_background(service.update(stack, plan, {"k": "v"}))
    try:
        with pytest.raises(
            ApiError, match=rf"^Stack \[{re.escape(stack.id)}\] cannot be deleted while in status UPDATE_IN_PROGRESS$"
        ):
            api.handle("DeleteStack", {"StackName": "s"})
    finally:
        memory.hold.set()
        thread.join(10)
    assert stack.status == "UPDATE_COMPLETE"


def test_a_create_rollback_calls_the_delete_handler_of_a_resource_whose_create_failed(
    cfn: CloudFormation, emulator: EmulatorControl, sagemaker: Any, clock: ManualClock
) -> None:
    """CloudFormation CLI docs, "Resource type handler contract": once a handler has returned the
    primary identifier, CloudFormation knows the resource, and a rollback of the create that
    failed calls its delete handler. Here SageMaker cancels the start after the experiment exists."""
    emulator.settings.script_outcome("Start", "Cancelled", "insufficient capacity for ml.m5.xlarge")
    start = datetime.fromtimestamp(clock.now + 86400, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = datetime.fromtimestamp(clock.now + 2 * 86400, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    properties = experiment("half", DesiredState="Running", Schedule={"StartTime": start, "EndTime": end})
    text = json.dumps({"Resources": {"Shadow": {"Type": TYPE_NAME, "Properties": properties}}})
    service = StackService(SandboxProvisioner("123456789012", "us-east-1", sagemaker, cfn), "us-east-1", "123456789012")
    stack = service.new_stack("s", {})
    assert not run(service, stack, text)
    assert statuses(stack, "Shadow") == ["CREATE_IN_PROGRESS", "CREATE_FAILED", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    failed = next(e for e in stack.events if e.status == "CREATE_FAILED")
    assert failed.physical_id == "half"
    assert "insufficient capacity" in failed.reason
    assert statuses(stack)[-1] == "ROLLBACK_COMPLETE"
    assert sagemaker.list_inference_experiments()["InferenceExperiments"] == []


def test_a_failed_create_without_an_identifier_is_not_deleted() -> None:
    service, memory = engine()
    memory.broken.add("A")
    stack = service.new_stack("s", {})
    assert not run(service, stack, "Resources:\n" + model("A"))
    assert statuses(stack, "A") == ["CREATE_IN_PROGRESS", "CREATE_FAILED"]
    assert [c[0] for c in memory.calls] == []


def test_a_stack_tag_change_alone_updates_each_taggable_resource_through_its_handler(
    cfn: CloudFormation, sagemaker: Any
) -> None:
    """User Guide, "Tag your CloudFormation resources" (stack-level tags propagate to the
    resources the stack supports) and UpdateStack's Tags: a tag-only update reaches the handler."""
    provisioner = SandboxProvisioner("123456789012", "us-east-1", sagemaker, cfn)
    service = StackService(provisioner, "us-east-1", "123456789012")
    text = json.dumps({"Resources": {"Shadow": {"Type": TYPE_NAME, "Properties": experiment("tagged")}}})
    stack = service.new_stack("s", {"team": "a"})
    assert run(service, stack, text)
    arn = sagemaker.describe_inference_experiment(Name="tagged")["Arn"]
    assert {"Key": "team", "Value": "a"} in sagemaker.list_tags(ResourceArn=arn)["Tags"]
    assert run(service, stack, text, {"team": "b"})
    assert statuses(stack, "Shadow")[-2:] == ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    tags = sagemaker.list_tags(ResourceArn=arn)["Tags"]
    assert {"Key": "team", "Value": "b"} in tags
    assert {"Key": "team", "Value": "a"} not in tags


def test_retain_except_on_create_retains_on_delete_and_deletes_on_the_creating_rollback() -> None:
    """Template Reference, "DeletionPolicy attribute": RetainExceptOnCreate behaves like Retain,
    except in the rollback of the stack operation that created the resource."""
    service, memory = engine()
    policy = "    DeletionPolicy: RetainExceptOnCreate\n"
    kept = service.new_stack("kept", {})
    assert run(service, kept, "Resources:\n" + model("A", extra=policy))
    assert service.delete(kept)()
    assert statuses(kept, "A")[-1] == "DELETE_SKIPPED"
    assert kept.events[-2].reason == "retained (DeletionPolicy or UpdateReplacePolicy RetainExceptOnCreate)"
    assert len(memory.live) == 1
    memory.broken.add("B")
    rolled_back = service.new_stack("rolled", {})
    assert not run(
        service, rolled_back, "Resources:\n" + model("A", "v2", policy) + model("B", extra="    DependsOn: A\n")
    )
    assert statuses(rolled_back, "A")[-2:] == ["DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    assert len(memory.live) == 1


def test_a_create_only_property_that_refers_to_a_replaced_resource_is_a_conditional_replacement() -> None:
    """API Reference, ResourceChange.Replacement: RequiresRecreation Always with Evaluation
    Dynamic (the value is known only when the update runs) is Replacement Conditional."""
    service, memory = engine()
    stack = service.new_stack("s", {})
    dependent = (
        "  B:\n    Type: AWS::SageMaker::Model\n    Properties:\n      {role}\n"
        "      PrimaryContainer: {{Image: img, ModelDataUrl: !Sub 's3://b/${{A.ModelName}}'}}\n"
        "      Tags: [{{Key: k, Value: {tag}}}]\n"
    )
    assert run(service, stack, "Resources:\n" + model("A") + dependent.format(role=ROLE, tag="1"))
    old_b = stack.resources["B"].physical.name
    text = "Resources:\n" + model("A", "v2") + dependent.format(role=ROLE, tag="2")
    plan = service.plan(stack, document.parse(text), text, {})
    assert [str(c).split()[:5] for c in plan.changes] == [
        ["Modify", "A", MODEL, "Replacement:", "True"],
        ["Modify", "B", MODEL, "Replacement:", "Conditional"],
    ]
    change_set = ChangeSet("c", stack, "UPDATE", plan, {}, {}, text)
    (_, b) = describe.change_set(change_set)["Changes"]
    assert b["ResourceChange"]["Replacement"] == "Conditional"
    details = {d["Target"]["Name"]: d["Evaluation"] for d in b["ResourceChange"]["Details"]}
    assert details == {"PrimaryContainer": "Dynamic", "Tags": "Static"}
    assert service.update(stack, plan, {})()
    assert stack.resources["B"].physical.name != old_b
    assert [c[0] for c in memory.calls if c[1] == "B"] == ["create", "create", "delete"]


def test_drift_values_resource_drift_status_and_last_updated_time_as_the_api_shows_them() -> None:
    """API Reference: DescribeStackResourceDrifts (PropertyDifference values as the template
    gives them, a string unquoted), ListStackResources (StackResourceDriftInformationSummary
    after a detection), DescribeStacks (LastUpdatedTime only on a stack that was updated)."""
    service, memory = engine()
    api = CloudFormationApi(service)
    stack = service.new_stack("s", {})
    assert run(service, stack, experiments("original", "original", depends=""))

    def described(action: str) -> dict[str, Any]:
        result = api.handle(action, {"StackName": "s"})
        assert serialize(action, result)[0] == 200
        return result

    assert "LastUpdatedTime" not in {k for k, v in described("DescribeStacks")["Stacks"][0].items() if v is not None}
    memory.live["Second"] = {**memory.live["Second"], "Description": "changed out of band"}
    api.handle("DetectStackDrift", {"StackName": "s"})
    drifts = {d["LogicalResourceId"]: d for d in described("DescribeStackResourceDrifts")["StackResourceDrifts"]}
    (difference,) = drifts["Second"]["PropertyDifferences"]
    assert (difference["ExpectedValue"], difference["ActualValue"]) == ("original", "changed out of band")
    summaries = described("ListStackResources")["StackResourceSummaries"]
    assert {s["LogicalResourceId"]: s["DriftInformation"]["StackResourceDriftStatus"] for s in summaries} == {
        "First": "IN_SYNC",
        "Second": "MODIFIED",
    }
    assert all("LastCheckTimestamp" in s["DriftInformation"] for s in summaries)
    assert run(service, stack, experiments("changed", "original", depends=""))
    assert described("DescribeStacks")["Stacks"][0]["LastUpdatedTime"] >= stack.created


def test_delete_during_a_create_stops_it_and_deletes_the_stack() -> None:
    """User Guide, "Delete a stack from the CloudFormation console" / API Reference, DeleteStack:
    a DeleteStack accepted while the stack is CREATE_IN_PROGRESS; no further resource is
    created, what was created is deleted, and the stack ends DELETE_COMPLETE."""
    service, memory = engine()
    api = CloudFormationApi(service)
    memory.hold = threading.Event()
    stack = service.new_stack("s", {})
    text = "Resources:\n" + model("A") + model("Slow", extra="    DependsOn: A\n")
    text += model("Never", extra="    DependsOn: Slow\n")
    plan = service.plan(stack, document.parse(text), text, {})
    thread = service.in_background(service.create(stack, plan))
    try:
        for _ in range(200):
            if statuses(stack, "Slow"):
                break
            threading.Event().wait(0.01)
        assert stack.status == "CREATE_IN_PROGRESS"
        assert api.handle("DeleteStack", {"StackName": "s"}) == {}
    finally:
        memory.hold.set()
        thread.join(10)
    assert statuses(stack) == ["CREATE_IN_PROGRESS", "DELETE_IN_PROGRESS", "DELETE_COMPLETE"]
    assert statuses(stack, "Never") == []
    assert [c[:2] for c in memory.calls] == [("create", "A"), ("create", "Slow"), ("delete", "Slow"), ("delete", "A")]
    assert memory.live == {}
    assert service.store.find(stack.id) is stack
    assert "s" not in service.store.stacks
