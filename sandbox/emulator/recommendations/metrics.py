"""Synthetic benchmark figures for Inference Recommender jobs: deterministic (the same model
and instance type always give the same numbers) and plausible (prices in the range of
SageMaker's on-demand hosting, a costlier instance answers faster, bigger instances serve
more but pay a little more per inference). Nothing here is measured; docs/emulator.md says so.

Instance types come from botocore's ProductionVariantInstanceType enum, so the emulator
recommends exactly the types the service model accepts.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
from dataclasses import dataclass

import botocore.session
from botocore.model import StringShape

# USD per vCPU-hour by instance class (the letters before the generation digit).
CLASS_RATE = {"t": 0.03, "m": 0.058, "c": 0.051, "r": 0.076, "x": 0.17, "z": 0.12, "g": 0.26, "p": 0.95}
# Relative work per vCPU by instance class: accelerators serve far more per vCPU.
CLASS_SPEED = {"t": 0.6, "m": 1.0, "c": 1.25, "r": 0.95, "x": 0.9, "z": 1.3, "g": 2.2, "p": 3.0}
ACCELERATOR_RATE = {"inf": 0.11, "trn": 0.34, "dl": 0.5}
ACCELERATOR_SPEED = {"inf": 2.6, "trn": 2.8, "dl": 3.0}
DEFAULT_RATE, DEFAULT_SPEED = 0.08, 1.0
REFERENCE_COST = 0.2  # USD per hour at which a model answers in its base latency
LATENCY_EXPONENT = 0.3  # latency falls with the cube root-ish of the price
PARALLEL_EXPONENT = 0.6  # throughput grows less than linearly with vCPUs
DEFAULT_CANDIDATES = 5  # instance types a Default job benchmarks
TYPE_PATTERN = re.compile(r"^ml\.([a-z]+)(\d*)([a-z0-9-]*)\.(\w+)$")
DEFAULT_MAX_VCPUS = 16  # without a supported list, a Default job sizes among everyday instances


@functools.cache
def instance_types() -> tuple[str, ...]:
    """ProductionVariantInstanceType from botocore's SageMaker model, in the model's order."""
    model = botocore.session.get_session().get_service_model("sagemaker")
    shape = model.shape_for("ProductionVariantInstanceType")
    assert isinstance(shape, StringShape)
    return tuple(shape.enum)


def vcpus(size: str) -> int:
    """vCPUs of an instance size: medium 1, large 2, xlarge 4, NxNxlarge 4N, metal 96."""
    if size == "medium":
        return 1
    if size == "large":
        return 2
    if size == "metal":
        return 96
    multiple = size.removesuffix("xlarge")
    return 4 * (int(multiple) if multiple.isdigit() else 1)


def unit(text: str) -> float:
    """A stable number in [0, 1) from `text`."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) / 0x1_0000_0000


@dataclass(frozen=True)
class Benchmark:
    """What one load test of one instance type measured (per instance)."""

    instance_type: str
    cost_per_hour: float
    model_latency_ms: int
    max_invocations: int  # per minute
    cpu_utilization: float
    memory_utilization: float
    model_setup_time: int

    @property
    def cost_per_inference(self) -> float:
        return self.cost_per_hour / (self.max_invocations * 60)


def rate_and_speed(instance_type: str) -> tuple[float, float, int]:
    match = TYPE_PATTERN.match(instance_type)
    if match is None:
        return DEFAULT_RATE, DEFAULT_SPEED, 2
    family, generation, _attributes, size = match.groups()
    if family in ACCELERATOR_RATE:
        rate, speed = ACCELERATOR_RATE[family], ACCELERATOR_SPEED[family]
    else:
        rate, speed = CLASS_RATE.get(family[0], DEFAULT_RATE), CLASS_SPEED.get(family[0], DEFAULT_SPEED)
    newer = 1 + 0.04 * (int(generation or 5) - 5)
    return rate, speed * newer, vcpus(size)


def base_latency_ms(model_identity: str) -> float:
    """The model's own latency on the reference instance: 20 to 80 ms."""
    return 20 + 60 * unit(f"latency/{model_identity}")


def benchmark(model_identity: str, instance_type: str) -> Benchmark:
    """One instance of `instance_type` serving the model named by `model_identity`."""
    rate, speed, cpus = rate_and_speed(instance_type)
    cost = round(rate * cpus, 4)
    latency = max(1, round(base_latency_ms(model_identity) * (REFERENCE_COST / cost) ** LATENCY_EXPONENT))
    efficiency = 0.85 + 0.3 * unit(f"efficiency/{model_identity}/{instance_type}")
    invocations = max(1, round(cpus**PARALLEL_EXPONENT * speed * 60_000 / latency * efficiency * 0.25))
    return Benchmark(
        instance_type=instance_type,
        cost_per_hour=cost,
        model_latency_ms=latency,
        max_invocations=invocations,
        cpu_utilization=round(55 + 35 * unit(f"cpu/{model_identity}/{instance_type}"), 1),
        memory_utilization=round(20 + 50 * unit(f"memory/{model_identity}/{instance_type}"), 1),
        model_setup_time=round(60 + 240 * unit(f"setup/{model_identity}/{instance_type}")),
    )


def serverless(model_identity: str, memory_mb: int, max_concurrency: int) -> Benchmark:
    """A serverless configuration: priced per GB-second of memory while it serves."""
    cost = round(memory_mb / 1024 * 0.0000200 * 3600, 4)
    latency = max(1, round(base_latency_ms(model_identity) * (6144 / memory_mb) ** 0.25))
    invocations = max(1, round(max_concurrency * 60_000 / latency * 0.5))
    return Benchmark(f"serverless-{memory_mb}", cost, latency, invocations, 0.0, 0.0, 0)


def default_candidates(model_identity: str, supported: list[str] | None) -> list[str]:
    """The instance types a Default job tests: the model package's (or container's) supported
    real-time types when it lists any, else the enum's instances of up to 16 vCPUs; a stable
    pick of a few of them."""
    known = instance_types()
    pool = (
        [t for t in supported if t in known]
        if supported
        else [t for t in known if rate_and_speed(t)[2] <= DEFAULT_MAX_VCPUS]
    )
    ranked = sorted(pool, key=lambda t: unit(f"pick/{model_identity}/{t}"))
    return sorted(ranked[:DEFAULT_CANDIDATES], key=known.index)


def instances_for(demand_per_minute: int | None, per_instance: int) -> int:
    """Instances needed to serve `demand_per_minute` invocations (1 without a demand)."""
    if not demand_per_minute or demand_per_minute <= per_instance:
        return 1
    return math.ceil(demand_per_minute / per_instance)
