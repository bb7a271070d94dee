"""The rehearsal end to end (emulator and Lambda stand-in as child processes): what
`python -m sandbox rehearse` runs, at a small time scale."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest

from sandbox.cloudformation.wire.events import EventLog
from sandbox.cloudformation.wire.rehearse import projected_on_aws, rehearse

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
SCALE = 0.005


def run(*arguments: str, **options: Any) -> tuple[int, str]:
    output = io.StringIO()
    status = rehearse(*arguments, log=EventLog(output), time_scale=options.pop("time_scale", SCALE), **options)
    return status, output.getvalue()


def statuses(output: str, logical_id: str) -> list[str]:
    return re.findall(rf"Z  {logical_id}\s+\S+\s+([A-Z_]+)", output)


def after_create(output: str, logical_id: str) -> list[str]:
    found = statuses(output, logical_id)
    return found[found.index("CREATE_COMPLETE") + 1 :]


def example(name: str) -> str:
    return str(EXAMPLES / name)


def test_complete_example_create_update_delete() -> None:
    status, output = run(example("complete.yaml"), example("complete-v2.yaml"), stack_tags={"cost-center": "1"})
    assert status == 0, output
    assert statuses(output, "ShadowTest") == [
        "CREATE_IN_PROGRESS",
        "CREATE_COMPLETE",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]
    assert re.search(r"Modify\s+ShadowTest\s+AWS::SageMaker::InferenceExperiment\s+Replacement: False", output)
    assert statuses(output, "CaptureKey") == ["CREATE_SKIPPED", "DELETE_SKIPPED"]
    assert "output ShadowTestStatus = Completed" in output
    assert "StopInferenceExperiment 1" in output
    assert "left in the emulator: nothing" in output
    assert re.search(r"\[on AWS \d+m\d\ds in, next look in \S+; here \S+s in, \S+s\]", output)
    assert re.search(r"duration: create \S+s here, about \d+m\d\ds on AWS", output)
    assert re.search(r"handler invocations: \d+ \(create \d+, update \d+, delete \d+\)", output)


def test_seeding_is_announced_and_drift_is_detected_after_an_out_of_band_change() -> None:
    def change_out_of_band(sagemaker: Any) -> None:
        sagemaker.update_inference_experiment(
            Name="recommendations-v2-shadow",
            ShadowModeConfig={
                "SourceModelVariantName": "production",
                "ShadowModelVariants": [{"ShadowModelVariantName": "candidate", "SamplingPercentage": 30}],
            },
        )

    status, output = run(example("minimal.yaml"), detect_drift=True, before_drift=change_out_of_band)
    assert status == 0, output
    assert "seeded missing endpoint recommendations in the emulator" in output
    assert re.search(
        r"drift ShadowTest\s+MODIFIED\n\s+/ShadowModeConfig/ShadowModelVariants/0/SamplingPercentage: "
        r"expected 50, actual 30\n",
        output,
    ), output


def test_an_outside_endpoint_with_a_63_character_name_is_seeded_within_the_models_limits() -> None:
    """AWS accepts endpoint names of up to 63 characters; the config seeded for one stays
    within EndpointConfigName's 63 too, so the stack is created here as it is there."""
    name = "recommendations-" + "x" * 47
    status, output = run(example("minimal.yaml"), parameters={"EndpointName": name})
    assert status == 0, output
    assert f"seeded missing endpoint {name} in the emulator" in output
    assert "CREATE_FAILED" not in output


def test_conditions_mappings_and_parameters_example() -> None:
    status, output = run(example("parameters-and-conditions.yaml"), parameters={"Environment": "prod"})
    assert status == 0, output
    assert statuses(output, "CaptureBucket") == ["CREATE_SKIPPED", "DELETE_SKIPPED"]
    assert "output CaptureLocation = s3://rehearsal-CaptureBucket-" in output
    assert "retained (DeletionPolicy or UpdateReplacePolicy Retain)" in output


def test_failed_update_rolls_back_through_the_handlers() -> None:
    descriptions: dict[str, str] = {}

    def look(sagemaker: Any) -> None:
        for name in ("checkout-ranker-v2-shadow", "search-ranker-v2-shadow"):
            described = sagemaker.describe_inference_experiment(Name=name)
            descriptions[name] = described["Description"]
            assert described["Status"] == "Running"

    status, output = run(example("rollback.yaml"), example("rollback-v2.yaml"), detect_drift=True, before_drift=look)
    assert status == 1, output
    assert after_create(output, "CheckoutShadowTest") == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]
    assert "UPDATE_FAILED         [InvalidRequest] Cannot change ModelVariants" in output
    assert statuses(output, "rehearsal")[2:6] == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_ROLLBACK_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE",
    ]
    assert descriptions == {
        "checkout-ranker-v2-shadow": "Checkout ranker v2 on a copy of production traffic",
        "search-ranker-v2-shadow": "Search ranker v2 on a copy of production traffic",
    }
    assert re.search(r"drift CheckoutShadowTest\s+IN_SYNC", output)
    assert "left in the emulator: nothing" in output


def test_endpoint_config_change_updates_the_endpoint_in_place(tmp_path: Path) -> None:
    """A new EndpointConfig (replaced: its properties are create-only) gives the Endpoint a new
    EndpointConfigName, which CloudFormation applies with UpdateEndpoint, as AWS accepts it.
    The running shadow test ran on the fleet the update replaced (docs/emulator.md)."""
    seen: dict[str, Any] = {}

    def look(sagemaker: Any) -> None:
        endpoint_name = sagemaker.list_endpoints()["Endpoints"][0]["EndpointName"]
        endpoint = sagemaker.describe_endpoint(EndpointName=endpoint_name)
        seen["endpoint"] = (
            endpoint["EndpointStatus"],
            [v["CurrentInstanceCount"] for v in endpoint["ProductionVariants"]],
            endpoint.get("ShadowProductionVariants"),
        )
        seen["config"] = endpoint["EndpointConfigName"]
        seen["configs"] = [c["EndpointConfigName"] for c in sagemaker.list_endpoint_configs()["EndpointConfigs"]]
        experiment = sagemaker.describe_inference_experiment(Name="rehearsal-fraud-v2-shadow")
        seen["experiment"] = (experiment["Status"], experiment.get("StatusReason", ""))

    bigger = variant_of(tmp_path, "complete.yaml", "InitialInstanceCount: 2", "InitialInstanceCount: 3", "v2.yaml")
    status, output = run(example("complete.yaml"), bigger, detect_drift=True, before_drift=look)
    assert status == 0, output
    assert re.search(r"Modify\s+EndpointConfig\s+AWS::SageMaker::EndpointConfig\s+Replacement: True", output)
    assert re.search(r"Modify\s+Endpoint\s+AWS::SageMaker::Endpoint\s+Replacement: False", output)
    assert after_create(output, "Endpoint")[:2] == ["UPDATE_IN_PROGRESS", "UPDATE_COMPLETE"]
    assert re.search(r"\.\.\. Endpoint: endpoint Updating to endpoint config rehearsal-EndpointConfig-\w+ \[", output)
    assert seen["endpoint"] == ("InService", [3], None)
    assert seen["configs"] == [seen["config"]]
    assert seen["experiment"][0] == "Cancelled"
    assert f"was updated to endpoint config '{seen['config']}'" in seen["experiment"][1]
    assert "left in the emulator: nothing" in output


MODELS = """Resources:
  Generated:
    Type: AWS::SageMaker::Model
    Properties:
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      PrimaryContainer: {Image: img, ModelDataUrl: s3://models/VERSION.tar.gz}
  Named:
    Type: AWS::SageMaker::Model
    DependsOn: Generated
    Properties:
      ModelName: fixed-name
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      PrimaryContainer: {Image: img, ModelDataUrl: s3://models/VERSION.tar.gz}
"""


def test_replacement_new_first_and_custom_named_refusal(tmp_path: Path) -> None:
    (tmp_path / "v1.yaml").write_text(MODELS.replace("VERSION", "v1"))
    (tmp_path / "v2.yaml").write_text(MODELS.replace("VERSION", "v2"))
    models: list[str] = []
    status, output = run(
        str(tmp_path / "v1.yaml"),
        str(tmp_path / "v2.yaml"),
        detect_drift=True,
        before_drift=lambda sagemaker: models.extend(m["ModelName"] for m in sagemaker.list_models()["Models"]),
    )
    assert status == 1, output
    assert "Modify  Generated              AWS::SageMaker::Model  Replacement: True  (PrimaryContainer)" in output
    assert "Requested update requires the creation of a new physical resource; hence creating one." in output
    assert (
        "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
        "Rename fixed-name and update the stack again." in output
    )
    assert statuses(output, "Generated")[2:6] == [
        "UPDATE_IN_PROGRESS",
        "UPDATE_COMPLETE",
        "DELETE_IN_PROGRESS",
        "DELETE_COMPLETE",
    ]
    assert len(models) == 2
    assert "fixed-name" in models


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


# ---- refused before anything is created (no servers start) ------------------------------


def variant_of(tmp_path: Path, name: str, old: str, new: str, target: str = "variant.yaml") -> str:
    path = tmp_path / target
    path.write_text((EXAMPLES / name).read_text().replace(old, new))
    return str(path)


@pytest.mark.parametrize(
    ("source", "old", "new", "message"),
    [
        (
            "complete.yaml",
            "EndpointName: !GetAtt Endpoint.EndpointName\n      KmsKey",
            "EndpointName: !Ref Endpoint\n      KmsKey",
            r"EndpointName: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/rehearsal-endpoint-\w+' is an ARN; "
            r"SageMaker expects the endpoint name here: use !GetAtt Endpoint.EndpointName",
        ),
        (
            "minimal.yaml",
            "Default: recommendations\n",
            "Default: my_endpoint\n",
            r"EndpointName: 'my_endpoint' is not a valid SageMaker endpoint name",
        ),
        ("minimal.yaml", "Type: ShadowMode", "Type: ShadowMode\n      Bogus: 1", r"cfn-lint E3002 \(line \d+\)"),
        (
            "minimal.yaml",
            "EndpointName: !Ref EndpointName",
            "EndpointName: !If [Missing, a, b]",
            "Missing",
        ),
        (  # User Guide, intrinsic-function-reference-cidr.html: was a traceback
            "minimal.yaml",
            "Outputs:\n",
            "Outputs:\n  Subnets:\n    Value: !Join [',', !Cidr [10.0.0.0/28, 5, 2]]\n",
            r"Template error: Fn::Cidr count 5: 10\.0\.0\.0/28 holds 4 subnets of /30",
        ),
    ],
)
def test_template_mistakes_stop_before_anything_is_created(
    tmp_path: Path, source: str, old: str, new: str, message: str
) -> None:
    status, output = run(variant_of(tmp_path, source, old, new))
    assert status == 2
    assert re.search(message, output), output
    assert "nothing was created" in output
    assert "IN_PROGRESS" not in output


def test_the_update_template_is_checked_before_the_create(tmp_path: Path) -> None:
    update = variant_of(tmp_path, "minimal.yaml", "Name: recommendations-v2-shadow", "Name: !FindInMap [M, a, b]")
    status, output = run(example("minimal.yaml"), update)
    assert status == 2
    assert "CREATE_IN_PROGRESS" not in output


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"parameters": {"SamplingPercentage": "abc"}}, "Parameter 'SamplingPercentage' must be a number"),
        ({"parameters": {"SamplingPercentage": "0"}}, "must be a number not less than 1"),
        ({"parameters": {"Environment": "qa"}}, "Parameter 'Environment' must be one of AllowedValues"),
        ({"parameters": {"EndpointName": "arn:aws:sagemaker:x"}}, "not an ARN"),
        ({"time_scale": 0}, "--time-scale must be a finite number greater than 0, got 0"),
        ({"time_scale": -1}, "got -1"),
    ],
)
def test_bad_values_are_refused(options: dict[str, Any], message: str) -> None:
    status, output = run(example("parameters-and-conditions.yaml"), **options)
    assert status == 2
    assert message in output
    assert "Traceback" not in output


def test_unreadable_template_is_reported(tmp_path: Path) -> None:
    template = tmp_path / "bad.yaml"
    template.write_text("Resources: [unclosed\n")
    status, output = run(str(template))
    assert status == 2
    assert "cannot read the template" in output


def test_lint_warnings_are_shown(tmp_path: Path) -> None:
    template = variant_of(
        tmp_path, "minimal.yaml", "Parameters:\n", "Parameters:\n  Unused:\n    Type: String\n    Default: x\n"
    )
    update = variant_of(tmp_path, "minimal.yaml", "Name: recommendations", "Name: !Ref Nope", "v2.yaml")
    status, output = run(template, update)
    assert status == 2
    assert re.search(r"warning: .*cfn-lint W2001 \(line \d+\): Parameter Unused not used", output), output


def test_a_handlers_success_message_shows_on_its_event_line_and_in_the_summary(tmp_path: Path) -> None:
    """An update to a finished experiment succeeds naming what was not applied (SPEC Update
    rule 5); CloudFormation's stack events carry no SUCCESS message, so the rehearsal shows the
    handler's own on the event line, labelled as the handler's, and in the summary."""
    stopped = variant_of(
        tmp_path,
        "minimal.yaml",
        "      Type: ShadowMode\n",
        "      Type: ShadowMode\n      DesiredState: Cancelled\n",
        "v1.yaml",
    )
    described = variant_of(
        tmp_path,
        "minimal.yaml",
        "      Type: ShadowMode\n",
        "      Type: ShadowMode\n      DesiredState: Cancelled\n      Description: changed after the stop\n",
        "v2.yaml",
    )
    status, output = run(stopped, described)
    assert status == 0, output
    event = next(line for line in output.splitlines() if "UPDATE_COMPLETE" in line and "ShadowTest" in line)
    assert "(handler's message: " in event, output
    assert "Not applied: Description" in event, output
    assert re.search(r"  handler's message: ShadowTest \(update\): .*Not applied: Description", output), output


def test_projection_scales_only_the_time_spent_waiting_on_sagemaker() -> None:
    """Measured at x0.02 (minimal.yaml): create 8.1 s here was projected 6m44s by dividing it
    all by the scale, for SageMaker's 6m00s (Creating 60 s + Starting 300 s); the 0.8 s before
    the CreateInferenceExperiment call alone became 40 s. From the first call to the last the
    operation waits on SageMaker's scaled clock; the rest ran in real time."""
    assert projected_on_aws((100.0, 110.0), [101.0, 104.0, 108.0, 111.0], 0.02) == pytest.approx(7 / 0.02 + 3)
    assert projected_on_aws((0.0, 2.0), [], 0.02) == 2.0
    status, output = run(example("minimal.yaml"))
    assert status == 0, output
    found = re.search(r"create (\S+)s here, about (\d+)m(\d\d)s on AWS", output)
    assert found, output
    here, aws = float(found.group(1)), int(found.group(2)) * 60 + int(found.group(3))
    assert aws >= 360, output  # never faster than SageMaker's transitions
    assert aws < here / SCALE - 30, output  # the engine's and the invocations' own time counted once


def test_drift_after_stop_and_promote_is_only_model_variants() -> None:
    """docs/desired-state.md, "Drift right after a stop-and-promote": the experiment drifts at
    /ModelVariants only (SageMaker keeps the experiment's variants as they ran; the template
    states the stop's variant choice), while the endpoint serves the promoted candidate."""
    endpoints: list[dict[str, Any]] = []

    def look(sagemaker: Any) -> None:
        for summary in sagemaker.list_endpoints()["Endpoints"]:
            endpoints.append(sagemaker.describe_endpoint(EndpointName=summary["EndpointName"]))

    status, output = run(example("complete.yaml"), example("complete-v2.yaml"), detect_drift=True, before_drift=look)
    assert status == 0, output
    assert re.findall(r"drift ShadowTest\s+(\S+)", output) == ["MODIFIED"]
    assert re.findall(r"\n        (/\S+): expected", output) == ["/ModelVariants"]
    actual = output.split("/ModelVariants: expected", 1)[1].split("actual", 1)[1].splitlines()[0]
    assert "'production'" in actual
    assert "'candidate'" in actual
    [endpoint] = endpoints
    assert [(v["VariantName"], v["CurrentInstanceCount"]) for v in endpoint["ProductionVariants"]] == [("candidate", 2)]
    assert not endpoint.get("ShadowProductionVariants")
