"""What the command decided, before it is written as a template or a parameter file."""

from __future__ import annotations

from dataclasses import dataclass

from .endpoint import ProductionVariant
from .job import Job
from .selection import Recommendation

CANDIDATE_VARIANT = "recommended"


@dataclass(frozen=True)
class ShadowPlan:
    job: Job
    chosen: Recommendation
    production: ProductionVariant
    experiment_name: str
    role_arn: str
    sampling: int
    model_name: str | None  # an existing model for the shadow variant, or
    model_package_arn: str | None  # the job's model package, deployed as a new model

    @property
    def candidate_variant(self) -> str:
        """The shadow variant's name: never the production variant's."""
        if self.production.variant_name != CANDIDATE_VARIANT:
            return CANDIDATE_VARIANT
        return f"{CANDIDATE_VARIANT}-2"

    @property
    def instance_type(self) -> str:
        assert self.chosen.instance_type is not None  # selection never chooses a serverless one
        return self.chosen.instance_type

    def describe(self) -> str:
        source = self.model_name or f"model package {self.model_package_arn}"
        return (
            f"Shadow test of {source} on {self.instance_type} x{self.chosen.instance_count} "
            f"(Inference Recommender job {self.job.name}, recommendation {self.chosen.recommendation_id}) "
            f"beside production variant {self.production.variant_name} of endpoint {self.production.endpoint_name} "
            f"({self.production.instance_type} x{self.production.instance_count}), {self.sampling}% of requests."
        )
