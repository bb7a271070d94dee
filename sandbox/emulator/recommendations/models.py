"""Inference Recommender jobs in moto's shape: `FakeRecommendationJob` knows its schedule,
`RecommendationJobBackend` keeps the jobs of one account and region.

A job is planned when it is created: PENDING for the PENDING duration, then its benchmark
steps in waves of MaxParallelOfTests, each lasting the BENCHMARK duration. Status is read
off that plan at the emulator's clock whenever the job is looked at, so a long gap between
calls sees every change that fell in it.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.utils import arn_formatter
from moto.utilities.paginator import paginate

from ..exceptions import InvalidPaginationToken
from ..models import AttachedBackends
from ..settings import EmulatorSettings
from ..utils import as_datetime, within
from . import metrics, rules
from .exceptions import JobExists, JobNotFound, ValidationError
from .status import BENCHMARK, STOPPABLE, JobStatus

PAGINATION_MODEL = {
    "list_jobs": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 100,
        "unique_attribute": "name",
        "fail_on_invalid_token": InvalidPaginationToken,
    },
    "list_steps": {
        "input_token": "next_token",
        "limit_key": "max_results",
        "limit_default": 100,
        "unique_attribute": "index",
        "fail_on_invalid_token": InvalidPaginationToken,
    },
}
DEFAULT_PARALLEL = 3  # benchmarks at a time without ResourceLimit.MaxParallelOfTests
MAX_RECOMMENDATIONS = 10  # InferenceRecommendations holds at most 10 (botocore's model)
P99_OVER_P95 = 1.25
LIST_ONLY = frozenset({"ModelName", "ModelPackageVersionArn", "SamplePayloadUrl"})  # Describe has InputConfig
NO_BENCHMARK = "No benchmark met the job's stopping conditions, so there is nothing to recommend."


@dataclass
class Step:
    """One benchmark: an endpoint configuration load-tested between `start` and `end`."""

    index: int
    configuration: dict[str, Any]
    result: metrics.Benchmark
    instance_count: int
    start: float
    end: float
    failure: str | None = None

    def status(self, now: float, stopped_at: float | None) -> JobStatus:
        if stopped_at is not None and self.end > stopped_at:
            return JobStatus.STOPPED
        if now < self.start:
            return JobStatus.PENDING
        if now < self.end:
            return JobStatus.IN_PROGRESS
        return JobStatus.FAILED if self.failure else JobStatus.COMPLETED


@dataclass
class FakeRecommendationJob:
    name: str
    arn: str
    job_type: str
    role_arn: str
    request: dict[str, Any]
    model_identity: str
    created_at: float
    pending_until: float
    steps: list[Step]
    settings: EmulatorSettings = field(repr=False, compare=False)
    stopped_at: float | None = None
    endpoint_performance: dict[str, Any] | None = None

    @property
    def finishes_at(self) -> float:
        return max((s.end for s in self.steps), default=self.pending_until)

    def status(self, now: float) -> tuple[JobStatus, float]:
        """The status at `now` and when the job entered it."""
        if self.stopped_at is not None:
            stopped = self.stopped_at + self.settings.job_durations["STOPPING"]
            return (JobStatus.STOPPING, self.stopped_at) if now < stopped else (JobStatus.STOPPED, stopped)
        if now < self.pending_until:
            return JobStatus.PENDING, self.created_at
        if now < self.finishes_at:
            return JobStatus.IN_PROGRESS, self.pending_until
        succeeded = any(not s.failure for s in self.steps)
        return (JobStatus.COMPLETED if succeeded else JobStatus.FAILED), self.finishes_at

    def stop(self, now: float) -> None:
        status, _ = self.status(now)
        if status not in STOPPABLE:
            raise ValidationError(
                f"Inference recommendations job '{self.name}' is {status}; only a PENDING or IN_PROGRESS job "
                "can be stopped."
            )
        self.stopped_at = now

    # ---- what Describe, List and ListSteps show -------------------------------------

    def summary(self, now: float) -> dict[str, Any]:
        status, since = self.status(now)
        input_config = self.request["InputConfig"]
        summary: dict[str, Any] = {
            "JobName": self.name,
            "JobDescription": self.request.get("JobDescription", ""),
            "JobType": self.job_type,
            "JobArn": self.arn,
            "Status": status,
            "CreationTime": as_datetime(self.created_at),
            "RoleArn": self.role_arn,
            "LastModifiedTime": as_datetime(since),
        }
        optional = {
            "CompletionTime": as_datetime(since) if status not in (JobStatus.PENDING, JobStatus.IN_PROGRESS) else None,
            "FailureReason": NO_BENCHMARK if status == JobStatus.FAILED else None,
            "ModelName": input_config.get("ModelName"),
            "ModelPackageVersionArn": input_config.get("ModelPackageVersionArn"),
            "SamplePayloadUrl": ((input_config.get("ContainerConfig") or {}).get("PayloadConfig") or {}).get(
                "SamplePayloadUrl"
            ),
        }
        summary.update({k: v for k, v in optional.items() if v is not None})
        return summary

    def describe(self, now: float) -> dict[str, Any]:
        """The summary without what InputConfig already shows, plus the results once COMPLETED."""
        summary = self.summary(now)
        response = {k: v for k, v in summary.items() if k not in LIST_ONLY}
        if not response["JobDescription"]:
            del response["JobDescription"]  # optional in Describe, required (possibly empty) in List
        response["InputConfig"] = copy.deepcopy(self.request["InputConfig"])
        if self.request.get("StoppingConditions"):
            response["StoppingConditions"] = copy.deepcopy(self.request["StoppingConditions"])
        if summary["Status"] == JobStatus.COMPLETED:
            response["InferenceRecommendations"] = self.recommendations()
            if self.endpoint_performance is not None:
                response["EndpointPerformances"] = [copy.deepcopy(self.endpoint_performance)]
        return response

    def recommendations(self) -> list[dict[str, Any]]:
        """The successful benchmarks, cheapest per inference first."""
        good = sorted((s for s in self.steps if not s.failure), key=lambda s: s.result.cost_per_inference)
        return [self.recommendation(s) for s in good[:MAX_RECOMMENDATIONS]]

    def recommendation(self, step: Step) -> dict[str, Any]:
        digest = hashlib.sha256(f"{self.arn}/{step.index}".encode()).hexdigest()
        return {
            "RecommendationId": f"{self.name}/{digest[:8]}",
            "Metrics": self.metrics(step),
            "EndpointConfiguration": self.endpoint_configuration(step),
            "ModelConfiguration": self.model_configuration(step),
            "InvocationStartTime": as_datetime(step.start),
            "InvocationEndTime": as_datetime(step.end),
        }

    def metrics(self, step: Step) -> dict[str, Any]:
        result, count = step.result, step.instance_count
        return {
            "CostPerHour": round(result.cost_per_hour * count, 4),
            "CostPerInference": float(f"{result.cost_per_inference:.4g}"),
            "MaxInvocations": result.max_invocations * count,
            "ModelLatency": result.model_latency_ms,
            "CpuUtilization": result.cpu_utilization,
            "MemoryUtilization": result.memory_utilization,
            "ModelSetupTime": result.model_setup_time,
        }

    def endpoint_configuration(self, step: Step) -> dict[str, Any]:
        configuration: dict[str, Any] = {
            "EndpointName": f"{self.name}-{step.index:02d}"[-63:],
            "VariantName": "AllTraffic",
        }
        if step.configuration.get("ServerlessConfig"):
            configuration["ServerlessConfig"] = copy.deepcopy(step.configuration["ServerlessConfig"])
        else:
            configuration["InstanceType"] = step.configuration["InstanceType"]
            configuration["InitialInstanceCount"] = step.instance_count
        return configuration

    @staticmethod
    def model_configuration(step: Step) -> dict[str, Any]:
        name = step.configuration.get("InferenceSpecificationName")
        return {"InferenceSpecificationName": name} if name else {}

    def step_view(self, step: Step, now: float) -> dict[str, Any]:
        status = step.status(now, self.stopped_at)
        benchmark: dict[str, Any] = {"ModelConfiguration": self.model_configuration(step)}
        if status in (JobStatus.COMPLETED, JobStatus.FAILED):
            benchmark["EndpointConfiguration"] = self.endpoint_configuration(step)
            benchmark["InvocationStartTime"] = as_datetime(step.start)
            benchmark["InvocationEndTime"] = as_datetime(step.end)
        if status == JobStatus.COMPLETED:
            benchmark["Metrics"] = self.metrics(step)
            benchmark["EndpointMetrics"] = {
                "MaxInvocations": step.result.max_invocations * step.instance_count,
                "ModelLatency": step.result.model_latency_ms,
            }
        if status == JobStatus.FAILED:
            benchmark["FailureReason"] = step.failure
        return {
            "index": step.index,
            "StepType": BENCHMARK,
            "JobName": self.name,
            "Status": status,
            "InferenceBenchmark": benchmark,
        }


SORT_KEYS: dict[str, Callable[[FakeRecommendationJob, float], Any]] = {
    "Name": lambda job, _now: job.name,
    "CreationTime": lambda job, _now: (job.created_at, job.name),
    "Status": lambda job, now: (job.status(now)[0], job.name),
}


class RecommendationJobBackend:
    """The Inference Recommender jobs of one account and region, beside moto's SageMaker backend."""

    def __init__(self, sagemaker: SageMakerModelBackend, settings: EmulatorSettings) -> None:
        self.sagemaker = sagemaker
        self.settings = settings
        self.jobs: dict[str, FakeRecommendationJob] = {}

    def arn(self, name: str) -> str:
        return arn_formatter(
            "inference-recommendations-job", name, self.sagemaker.account_id, self.sagemaker.region_name
        )

    def job(self, name: str) -> FakeRecommendationJob:
        try:
            return self.jobs[name]
        except KeyError:
            raise JobNotFound(self.arn(name)) from None

    def create_job(self, request: dict[str, Any]) -> FakeRecommendationJob:
        name = request["JobName"]
        if name in self.jobs:
            raise JobExists(self.arn(name))
        input_config = request["InputConfig"]
        identity, supported = rules.model_identity(self.sagemaker, input_config)
        configurations = rules.check_endpoint_configurations(request["JobType"], input_config)
        if request["JobType"] == "Default":
            configurations = [{"InstanceType": t} for t in metrics.default_candidates(identity, supported)]
        threshold = rules.latency_threshold(request["JobType"], request.get("StoppingConditions"))
        hosting = rules.hosting_instance_type(self.sagemaker, input_config)
        now = self.settings.now()
        pending_until = now + self.settings.job_durations["PENDING"]
        job = FakeRecommendationJob(
            name=name,
            arn=self.arn(name),
            job_type=request["JobType"],
            role_arn=request["RoleArn"],
            request=copy.deepcopy(request),
            model_identity=identity,
            created_at=now,
            pending_until=pending_until,
            steps=self.plan(identity, configurations, request, pending_until, threshold),
            settings=self.settings,
        )
        if hosting is not None:
            result = metrics.benchmark(identity, hosting[1])
            job.endpoint_performance = {
                "Metrics": {"MaxInvocations": result.max_invocations, "ModelLatency": result.model_latency_ms},
                "EndpointInfo": {"EndpointName": hosting[0]},
            }
        self.jobs[name] = job
        return job

    def plan(
        self,
        identity: str,
        configurations: list[dict[str, Any]],
        request: dict[str, Any],
        begin: float,
        threshold: tuple[str, int] | None,
    ) -> list[Step]:
        """Each configuration's benchmark, in waves of MaxParallelOfTests, with its outcome."""
        input_config = request["InputConfig"]
        parallel = (input_config.get("ResourceLimit") or {}).get("MaxParallelOfTests") or DEFAULT_PARALLEL
        length = self.settings.job_durations[BENCHMARK]
        deadline = begin + input_config["JobDurationInSeconds"] if input_config.get("JobDurationInSeconds") else None
        demand = (request.get("StoppingConditions") or {}).get("MaxInvocations")
        steps = []
        for index, configuration in enumerate(configurations):
            serverless = configuration.get("ServerlessConfig")
            result = (
                metrics.serverless(identity, serverless["MemorySizeInMB"], serverless["MaxConcurrency"])
                if serverless
                else metrics.benchmark(identity, configuration["InstanceType"])
            )
            start = begin + (index // parallel) * length
            count = 1 if serverless else metrics.instances_for(demand, result.max_invocations)
            step = Step(index, configuration, result, count, start, start + length)
            step.failure = failure(step, threshold, deadline)
            steps.append(step)
        return steps

    def describe_job(self, name: str) -> dict[str, Any]:
        return self.job(name).describe(self.settings.now())

    def stop_job(self, name: str) -> None:
        self.job(name).stop(self.settings.now())

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_jobs(self, filters: dict[str, Any], sort_by: str | None, sort_order: str | None) -> list[dict[str, Any]]:
        now = self.settings.now()
        selected = [
            job
            for job in self.jobs.values()
            if (not filters.get("NameContains") or filters["NameContains"] in job.name)
            and (not filters.get("StatusEquals") or job.status(now)[0] == filters["StatusEquals"])
            and within(job.created_at, filters.get("CreationTimeAfter"), filters.get("CreationTimeBefore"))
            and within(job.status(now)[1], filters.get("LastModifiedTimeAfter"), filters.get("LastModifiedTimeBefore"))
            and (
                not filters.get("ModelNameEquals")
                or job.request["InputConfig"].get("ModelName") == filters["ModelNameEquals"]
            )
            and (
                not filters.get("ModelPackageVersionArnEquals")
                or job.request["InputConfig"].get("ModelPackageVersionArn") == filters["ModelPackageVersionArnEquals"]
            )
        ]
        key = SORT_KEYS[sort_by or "CreationTime"]
        selected.sort(key=lambda job: key(job, now), reverse=(sort_order or "Descending") == "Descending")
        return [{"name": job.name, **job.summary(now)} for job in selected]

    @paginate(pagination_model=PAGINATION_MODEL)
    def list_steps(self, name: str, status: str | None, step_type: str | None) -> list[dict[str, Any]]:
        job, now = self.job(name), self.settings.now()
        views = [job.step_view(step, now) for step in job.steps]
        return [
            v for v in views if (not status or v["Status"] == status) and (not step_type or v["StepType"] == step_type)
        ]


def failure(step: Step, threshold: tuple[str, int] | None, deadline: float | None) -> str | None:
    """Why a benchmark fails: the job's time ran out first, or the model answers slower than
    the latency threshold even at low load."""
    if deadline is not None and step.end > deadline:
        return "The benchmark did not finish within the job's JobDurationInSeconds."
    if threshold is None:
        return None
    percentile, limit = threshold
    latency = step.result.model_latency_ms * (P99_OVER_P95 if percentile == "P99" else 1)
    if latency > limit:
        return (
            f"Model latency {math.ceil(latency)} ms at {percentile} exceeds the ModelLatencyThresholds value "
            f"of {limit} ms."
        )
    return None


recommendation_job_backends = AttachedBackends("_inference_recommendations_jobs", RecommendationJobBackend)
