"""The rehearsal end to end (emulator and Lambda stand-in as child processes), and the
template resolution it relies on."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from sandbox.cloudformation.events import EventLog
from sandbox.cloudformation.rehearse import rehearse
from sandbox.cloudformation.template import Resolver, TemplateError, creation_order, load

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*arguments: str, **options: object) -> tuple[int, str]:
    output = io.StringIO()
    status = rehearse(*arguments, log=EventLog(output), time_scale=0.01, **options)  # type: ignore[arg-type]
    return status, output.getvalue()


def statuses(output: str, logical_id: str) -> list[str]:
    return re.findall(rf"Z  {logical_id}\s+\S+\s+([A-Z_]+)", output)


def test_complete_example_create_update_delete() -> None:
    status, output = run(
        str(EXAMPLES / "complete.yaml"), str(EXAMPLES / "complete-v2.yaml"), stack_tags={"cost-center": "1"}
    )
    assert status == 0, output
    assert statuses(output, "ShadowTest") == [
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]
    assert statuses(output, "ExecutionRole") == ["CREATE_SKIPPED", "DELETE_SKIPPED"]
    assert "output ShadowTestStatus = Completed" in output
    assert "StopInferenceExperiment 1" in output
    assert "left in the emulator: nothing" in output
    assert re.search(r"handler invocations: \d+ \(create \d+, update \d+, delete \d+\)", output)


def test_minimal_example_seeds_what_it_names() -> None:
    status, output = run(str(EXAMPLES / "minimal.yaml"), keep=True)
    assert status == 0, output
    assert "seeded missing prerequisite endpoint recommendations" in output
    assert statuses(output, "ShadowTest") == ["CREATE_IN_PROGRESS", "CREATE_COMPLETE"]
    assert "DELETE" not in output


def test_deliberate_error_fails_names_the_field_and_leaves_nothing(tmp_path: Path) -> None:
    broken = (
        (EXAMPLES / "complete.yaml")
        .read_text()
        .replace("- ShadowModelVariantName: candidate", "- ShadowModelVariantName: challenger")
    )
    template = tmp_path / "broken.yaml"
    template.write_text(broken)
    status, output = run(str(template))
    assert status == 1
    assert "CREATE_FAILED" in output
    assert "ShadowModeConfig.ShadowModelVariants[0].ShadowModelVariantName 'challenger'" in output
    assert "ROLLBACK_COMPLETE" in output
    assert "left in the emulator: nothing" in output
    assert "CreateInferenceExperiment" not in output.split("SageMaker calls:")[1].splitlines()[0]


def test_unreadable_template_is_reported(tmp_path: Path) -> None:
    template = tmp_path / "bad.yaml"
    template.write_text("Resources: [unclosed\n")
    status, output = run(str(template))
    assert status == 2
    assert "cannot read the template" in output


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "t.yaml"
    path.write_text(body)
    return path


def test_resolver_intrinsics(tmp_path: Path) -> None:
    template = load(
        write(
            tmp_path,
            """
Parameters:
  Env: {Type: String, Default: dev, AllowedValues: [dev, prod]}
  Count: {Type: Number, Default: 2}
Resources:
  A:
    Type: AWS::SageMaker::Model
    Properties:
      ModelName: !Sub "${AWS::StackName}-${Env}-model"
      Joined: !Join ["-", [!Ref Env, !Select [1, [x, y]]]]
      Dropped: !Ref AWS::NoValue
      Local: !Sub ["${X}.${Role.Arn}", {X: !Ref Count}]
  B:
    Type: Custom::Thing
    DependsOn: A
""",
        ),
        {"Env": "prod"},
    )
    resolver = Resolver(template.parameters, {"AWS::StackName": "s"}, attributes={"Role": {"Arn": "arn"}})
    resolved = resolver.resolve(template.resources["A"].properties, "A")
    assert resolved == {"ModelName": "s-prod-model", "Joined": "prod-y", "Local": "2.arn"}
    assert creation_order(template.resources) == ["A", "B"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Parameters:\n  P: {Type: String}\nResources: {}\n", "has no Default"),
        ("Parameters:\n  P: {Type: String, Default: a, AllowedValues: [b]}\nResources: {}\n", "not one of"),
    ],
)
def test_parameter_errors(tmp_path: Path, body: str, message: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(TemplateError, match=message):
        load(path)


def test_circular_dependency(tmp_path: Path) -> None:
    body = (
        "Resources:\n  A: {Type: Custom::X, Properties: {V: !Ref B}}\n  B: {Type: Custom::X, Properties: {V: !Ref A}}\n"
    )
    template = load(write(tmp_path, body))
    with pytest.raises(TemplateError, match="circular dependency: A -> B -> A"):
        creation_order(template.resources)


def test_unknown_references_name_where(tmp_path: Path) -> None:
    resolver = Resolver({}, {})
    with pytest.raises(TemplateError, match=r"Resources\.X: Ref Missing"):
        resolver.resolve({"Ref": "Missing"}, "Resources.X")
    with pytest.raises(TemplateError, match="Fn::If is not supported"):
        resolver.resolve({"Fn::If": ["C", 1, 2]}, "Resources.X")
