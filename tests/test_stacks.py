"""The stack engine (sandbox.cloudformation) in-process, on a provisioner that keeps resources in a
dict: template semantics, change sets, replacement, rollback, exports, drift. The same
paths through the handlers and the emulator are in test_rehearse*.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from sandbox.cloudformation.engine import drift
from sandbox.cloudformation.engine.model import Deployed, Physical, Stack
from sandbox.cloudformation.engine.provisioner import ResourceFailure, StackInfo
from sandbox.cloudformation.prerequisites import ensure_endpoint
from sandbox.cloudformation.service.provision import Predictor, SandboxProvisioner
from sandbox.cloudformation.service.stacks import StackError, StackService
from sandbox.cloudformation.template import document, intrinsics, parameters
from sandbox.cloudformation.template.document import TemplateError
from sandbox.cloudformation.template.graph import order
from sandbox.cloudformation.wire import describe
from sandbox.server import EmulatorControl, ManualClock

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

    def handles(self, type_name: str) -> bool:
        return type_name.startswith("AWS::SageMaker::")

    def create(self, _stack: StackInfo, deployed: Deployed, name: str, _report: Any) -> Physical:
        if deployed.logical_id in self.broken:
            raise ResourceFailure(f"[InvalidRequest] {deployed.logical_id} is broken")
        if deployed.logical_id == "Crash":
            raise ConnectionRefusedError("the Lambda stand-in is gone")
        physical = self.predict(deployed.logical_id, deployed.type, deployed.properties, name)
        self.live[physical.name] = deployed.properties
        self.calls.append(("create", deployed.logical_id, deployed.properties, None))
        return physical

    def update(self, _stack: StackInfo, old: Deployed, new: dict[str, Any]) -> Physical:
        self.calls.append(("update", old.logical_id, new, old.properties))
        if old.logical_id in self.broken:
            raise ResourceFailure(f"[InvalidRequest] {old.logical_id} is broken")
        changed = new != self.live[old.physical.name] and new.get("Description") != "original"
        if old.logical_id in self.refuse and changed:
            raise ResourceFailure(self.refuse[old.logical_id])
        self.live[old.physical.name] = new
        return old.physical

    def delete(self, _stack: StackInfo, deployed: Deployed) -> None:
        self.calls.append(("delete", deployed.logical_id, deployed.properties, None))
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
    template = document.parse("Parameters:\n  Secret: {Type: String, NoEcho: true}\n  Plain: {Type: String}\n")
    shown = describe.parameters({"Secret": "hunter2", "Plain": "x"}, template)
    assert shown == [
        {"ParameterKey": "Secret", "ParameterValue": "****"},
        {"ParameterKey": "Plain", "ParameterValue": "x"},
    ]
