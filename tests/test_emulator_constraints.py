"""The emulator refuses exactly what SageMaker's model refuses. For every constraint of every
operation the sandbox serves (tests/model_cases.py generates them from botocore's model), a
request just inside is accepted and one just outside is refused with ValidationException,
naming the member and the constraint, with nothing created or changed.

Requests go through boto3 with client-side validation off, so the emulator alone decides;
each case starts from the same seeded emulator state."""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError
from moto.sagemaker.models import sagemaker_backends

from sandbox.cloudformation.prerequisites import ROLE_ARN, ensure_endpoint
from sandbox.emulator import inference_experiment_backends
from sandbox.emulator.recommendations import recommendation_job_backends
from sandbox.server import EmulatorControl, emulated_aws
from sandbox.suites.seed import seed_shadow_test, shadow_test_request, variant
from tests.model_cases import cases, unbreakable

ACCOUNT, REGION = "123456789012", "us-east-1"
EXPERIMENT_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:inference-experiment/running"
START, END = datetime(2030, 1, 1, tzinfo=UTC), datetime(2030, 1, 8, tzinfo=UTC)
STORAGE = {
    "Destination": "s3://bucket/capture",
    "KmsKey": "key-1",
    "ContentType": {"CsvContentTypes": ["text/csv"], "JsonContentTypes": ["application/json"]},
}
SHADOW_CONFIG = shadow_test_request("x")["ShadowModeConfig"]
TAGS = [{"Key": "team", "Value": "ml"}]
PACKAGE_ARN = f"arn:aws:sagemaker:{REGION}:{ACCOUNT}:model-package/sizing/1"
PACKAGE_SPECIFICATION = {
    "Containers": [{"Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest"}],
    "SupportedContentTypes": ["text/csv"],
    "SupportedResponseMIMETypes": ["text/csv"],
    "SupportedRealtimeInferenceInstanceTypes": ["ml.m5.large", "ml.c5.xlarge", "ml.g5.xlarge"],
}
# The seeded job benchmarks for a day, so it is IN_PROGRESS (and stoppable) throughout.
JOB_DURATIONS = {"PENDING": 0.0, "BENCHMARK": 86400.0, "STOPPING": 60.0}
ADVANCED_JOB_INPUT = {
    "ModelPackageVersionArn": PACKAGE_ARN,
    "JobDurationInSeconds": 7200,
    "TrafficPattern": {
        "TrafficType": "PHASES",
        "Phases": [{"InitialNumberOfUsers": 1, "SpawnRate": 1, "DurationInSeconds": 120}],
    },
    "ResourceLimit": {"MaxNumberOfTests": 2, "MaxParallelOfTests": 1},
    "EndpointConfigurations": [
        {
            "InstanceType": "ml.g5.xlarge",
            "InferenceSpecificationName": "spec-1",
            "EnvironmentParameterRanges": {
                "CategoricalParameterRanges": [{"Name": "OMP_NUM_THREADS", "Value": ["1", "2"]}]
            },
        }
    ],
    "VolumeKmsKeyId": "key-1",
    "ContainerConfig": {
        "Domain": "MACHINE_LEARNING",
        "Task": "CLASSIFICATION",
        "Framework": "XGBOOST",
        "FrameworkVersion": "1.5.1",
        "PayloadConfig": {"SamplePayloadUrl": "s3://bucket/payload.tar.gz", "SupportedContentTypes": ["text/csv"]},
        "NearestModelName": "xgboost",
        "SupportedInstanceTypes": ["ml.m5.large"],
        "SupportedEndpointType": "RealTime",
        "DataInputConfig": "[[1, 2, 3]]",
        "SupportedResponseMIMETypes": ["text/csv"],
    },
    "Endpoints": [{"EndpointName": "free-endpoint"}],
    "VpcConfig": {"SecurityGroupIds": ["sg-12345678"], "Subnets": ["subnet-0123456"]},
}
# Operation -> a request that succeeds on the seeded state (see `seeded`).
BASES: dict[str, dict[str, Any]] = {
    "CreateInferenceExperiment": {
        **shadow_test_request("new", endpoint_name="free-endpoint"),
        "Schedule": {"StartTime": START, "EndTime": END},
        "Description": "a shadow test",
        "DataStorageConfig": STORAGE,
        "KmsKey": "key-1",
        "Tags": TAGS,
    },
    "DescribeInferenceExperiment": {"Name": "running"},
    "UpdateInferenceExperiment": {
        "Name": "created",
        "Schedule": {"StartTime": START, "EndTime": END},
        "Description": "changed",
        "ModelVariants": shadow_test_request("x")["ModelVariants"],
        "DataStorageConfig": STORAGE,
        "ShadowModeConfig": SHADOW_CONFIG,
    },
    "StartInferenceExperiment": {"Name": "created"},
    "StopInferenceExperiment": {
        "Name": "running",
        "ModelVariantActions": {"production": "Retain", "shadow": "Remove"},
        "DesiredModelVariants": [variant("production", "model-a")],
        "DesiredState": "Completed",
        "Reason": "done",
    },
    "DeleteInferenceExperiment": {"Name": "created"},
    "ListInferenceExperiments": {
        "NameContains": "run",
        "Type": "ShadowMode",
        "StatusEquals": "Running",
        "SortBy": "Name",
        "SortOrder": "Ascending",
        "MaxResults": 10,
    },
    "AddTags": {"ResourceArn": EXPERIMENT_ARN, "Tags": TAGS},
    "ListTags": {"ResourceArn": EXPERIMENT_ARN, "MaxResults": 50},
    "DeleteTags": {"ResourceArn": EXPERIMENT_ARN, "TagKeys": ["team"]},
    "CreateModel": {
        "ModelName": "new-model",
        "ExecutionRoleArn": ROLE_ARN,
        "PrimaryContainer": {
            "Image": "123456789012.dkr.ecr.us-east-1.amazonaws.com/model:latest",
            "ModelDataUrl": "s3://models/new/model.tar.gz",
            "Environment": {"LOG_LEVEL": "info"},
        },
        "Tags": TAGS,
    },
    "DescribeModel": {"ModelName": "model-a"},
    "ListModels": {"MaxResults": 10},
    "DeleteModel": {"ModelName": "model-b"},
    "CreateEndpointConfig": {
        "EndpointConfigName": "new-config",
        "ProductionVariants": [
            {
                "VariantName": "production",
                "ModelName": "model-a",
                "InitialInstanceCount": 1,
                "InstanceType": "ml.g5.xlarge",
                "InitialVariantWeight": 1.0,
            }
        ],
        "KmsKeyId": "key-1",
        "Tags": TAGS,
    },
    "DescribeEndpointConfig": {"EndpointConfigName": "free-endpoint-config"},
    "DeleteEndpointConfig": {"EndpointConfigName": "free-endpoint-config"},
    "CreateEndpoint": {"EndpointName": "new-endpoint", "EndpointConfigName": "free-endpoint-config", "Tags": TAGS},
    "DescribeEndpoint": {"EndpointName": "free-endpoint"},
    "DeleteEndpoint": {"EndpointName": "free-endpoint"},
    "ListEndpoints": {"MaxResults": 10},
    "UpdateEndpoint": {
        "EndpointName": "free-endpoint",
        "EndpointConfigName": "later-endpoint-config",
        "RetainAllVariantProperties": True,
        "ExcludeRetainedVariantProperties": [{"VariantPropertyType": "DesiredWeight"}],
        "DeploymentConfig": {
            "BlueGreenUpdatePolicy": {
                "TrafficRoutingConfiguration": {
                    "Type": "CANARY",
                    "WaitIntervalInSeconds": 600,
                    "CanarySize": {"Type": "CAPACITY_PERCENT", "Value": 10},
                },
                "TerminationWaitInSeconds": 600,
                "MaximumExecutionTimeoutInSeconds": 1800,
            },
            "AutoRollbackConfiguration": {"Alarms": [{"AlarmName": "latency-p99"}]},
        },
        "RetainDeploymentConfig": False,
    },
    "CreateInferenceRecommendationsJob": {
        "JobName": "new-job",
        "JobType": "Advanced",
        "RoleArn": ROLE_ARN,
        "InputConfig": ADVANCED_JOB_INPUT,
        "JobDescription": "sizing on g5",
        "StoppingConditions": {
            "MaxInvocations": 300,
            "ModelLatencyThresholds": [{"Percentile": "P95", "ValueInMilliseconds": 100}],
            "FlatInvocations": "Stop",
        },
        "OutputConfig": {"KmsKeyId": "key-1", "CompiledOutputConfig": {"S3OutputUri": "s3://bucket/compiled"}},
        "Tags": TAGS,
    },
    "DescribeInferenceRecommendationsJob": {"JobName": "sizing"},
    "ListInferenceRecommendationsJobs": {
        "NameContains": "siz",
        "StatusEquals": "IN_PROGRESS",
        "SortBy": "Name",
        "SortOrder": "Ascending",
        "MaxResults": 10,
        "ModelPackageVersionArnEquals": PACKAGE_ARN,
    },
    "StopInferenceRecommendationsJob": {"JobName": "sizing"},
    "ListInferenceRecommendationsJobSteps": {
        "JobName": "sizing",
        "Status": "IN_PROGRESS",
        "StepType": "BENCHMARK",
        "MaxResults": 10,
    },
}
ALL_CASES = [case for operation, base in BASES.items() for case in cases(operation, base)]
GENERATED = [case for case in ALL_CASES if case.inside is not None and case.outside is not None]
PATTERN = "regular expression pattern: "
# Patterns such as [\s\S]* that every string matches: nothing is outside them.
UNBREAKABLE = [c for c in ALL_CASES if c.outside is None and unbreakable(c.constraint.split(PATTERN)[-1].rstrip("]"))]


def seeded(sagemaker: Any) -> None:
    """Two endpoints, both models, a Running experiment on one and a Created (scheduled) one
    on... the same endpoint is not allowed, so the Created one waits on a third endpoint.
    A model package and a recommendation job benchmarking it (IN_PROGRESS, see JOB_DURATIONS)."""
    seed_shadow_test(sagemaker)
    ensure_endpoint(sagemaker, "free-endpoint", "model-a")
    ensure_endpoint(sagemaker, "later-endpoint", "model-a")
    sagemaker.create_inference_experiment(**shadow_test_request("running"))
    scheduled = {**shadow_test_request("created", endpoint_name="later-endpoint"), "Schedule": {"StartTime": START}}
    sagemaker.create_inference_experiment(**scheduled)
    sagemaker.create_model_package_group(ModelPackageGroupName="sizing")
    sagemaker.create_model_package(ModelPackageGroupName="sizing", InferenceSpecification=PACKAGE_SPECIFICATION)
    job = {"JobName": "sizing", "JobType": "Default", "RoleArn": ROLE_ARN}
    sagemaker.create_inference_recommendations_job(**job, InputConfig={"ModelPackageVersionArn": PACKAGE_ARN})


def state(control: EmulatorControl) -> str:
    """What the account holds, as text: anything a refused request changed shows up here."""
    backend = sagemaker_backends[ACCOUNT][REGION]
    experiments = inference_experiment_backends.of(backend).experiments
    jobs = recommendation_job_backends.of(backend).jobs
    return repr(
        {
            "models": {k: m.tags for k, m in backend._models.items()},
            "configs": sorted(backend.endpoint_configs),
            "endpoints": {k: vars(e) for k, e in backend.endpoints.items()},
            "experiments": {k: {**vars(e), "settings": None} for k, e in experiments.items()},
            "jobs": {k: {**vars(j), "settings": None} for k, j in jobs.items()},
        }
    )


@pytest.fixture(scope="module")
def emulator() -> Iterator[tuple[Any, EmulatorControl, dict[str, Any]]]:
    """One seeded emulator; `restore` puts the seeded state back before each case."""
    with emulated_aws() as control:
        client = boto3.client("sagemaker", region_name=REGION, config=Config(parameter_validation=False))
        control.settings.set_job_durations(**JOB_DURATIONS)
        seeded(client)
        backend = sagemaker_backends[ACCOUNT][REGION]
        shared = {id(backend): backend, id(control.settings): control.settings}
        yield client, control, copy.deepcopy(backend.__dict__, dict(shared))


def restore(control: EmulatorControl, snapshot: dict[str, Any]) -> None:
    backend = sagemaker_backends[ACCOUNT][REGION]
    backend.__dict__.update(copy.deepcopy(snapshot, {id(backend): backend, id(control.settings): control.settings}))


def call(client: Any, operation: str, request: dict[str, Any]) -> ClientError | None:
    try:
        getattr(client, xform_name(operation))(**request)
    except ClientError as error:
        return error
    return None


def test_every_served_operation_has_its_constraints_generated() -> None:
    """Every constraint the model states for a served operation becomes a case."""
    missing = [c.name for c in ALL_CASES if (c.inside is None or c.outside is None) and c not in UNBREAKABLE]
    assert missing == []
    assert all(PATTERN in c.constraint for c in UNBREAKABLE)
    assert set(Counter(case.operation for case in GENERATED)) == set(BASES)
    print(
        f"\n{len(GENERATED)} constraints of {len(BASES)} operations, each tried inside and outside; "
        f"{len(UNBREAKABLE)} patterns that every string matches"
    )


def names_violation(message: str, path: str, constraint: str) -> bool:
    """SageMaker's message names `path` and `constraint`; for a list's entries or a map's keys and
    values, `constraint` is one of those in the brackets."""
    counted, _, listed = message.partition(" detected: ")
    if not counted.endswith(("validation error", "validation errors")):
        return False
    wrapper, _, inner = constraint.partition("[")
    for violation in listed.split("; "):
        where, _, broken = violation.partition(" failed to satisfy constraint: ")
        if where.endswith(f" at '{path}'") and (
            broken == constraint or (inner and broken.startswith(wrapper + "[") and inner.rstrip("]") in broken)
        ):
            return True
    return False


def refused_by_constraint(error: ClientError) -> bool:
    """Refused for what the request is, not for what the account holds: an inside value that
    names something else (a shorter experiment name) may be ResourceNotFound, never this."""
    message = str(error.response["Error"]["Message"])
    return "validation error" in message or "failed to satisfy constraint" in message


@pytest.mark.parametrize("operation", BASES)
def test_inside_accepted_outside_refused(emulator: tuple[Any, EmulatorControl, dict[str, Any]], operation: str) -> None:
    client, control, snapshot = emulator
    restore(control, snapshot)
    seeded_state = state(control)
    failures: list[str] = []
    inside_answers: Counter[str] = Counter()
    answered: dict[str, ClientError | None] = {}  # many inside requests are the base request itself
    for case in (c for c in GENERATED if c.operation == operation):
        assert case.inside is not None
        assert case.outside is not None
        key = repr(case.inside)
        if key not in answered:
            restore(control, snapshot)
            answered[key] = call(client, operation, case.inside)
        error = answered[key]
        if error is not None and refused_by_constraint(error):
            failures.append(f"{case.name}: inside refused: {error}")
        inside_answers["Success" if error is None else error.response["Error"]["Code"]] += 1
        restore(control, snapshot)
        error = call(client, operation, case.outside)
        if error is None or error.response["Error"]["Code"] != "ValidationException":
            failures.append(f"{case.name}: outside accepted ({error})")
        elif not names_violation(str(error.response["Error"]["Message"]), case.path, case.constraint):
            failures.append(f"{case.name}: outside refused for another reason: {error}")
        elif state(control) != seeded_state:
            failures.append(f"{case.name}: outside refused, but something changed")
    assert failures == []
    print(f"\n{operation}: inside answered {dict(inside_answers)}")
