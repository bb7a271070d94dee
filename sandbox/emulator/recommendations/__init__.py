"""Inference Recommender jobs for moto (moto has none), shaped like a moto service: `models`
(jobs on the emulator's clock), `metrics` (synthetic benchmark figures), `rules` (what the
service refuses beyond botocore's model), `responses` (the five operations), `exceptions`."""

from .models import FakeRecommendationJob, RecommendationJobBackend, recommendation_job_backends
from .responses import RESPONSE_METHODS
from .status import JobStatus

__all__ = [
    "RESPONSE_METHODS",
    "FakeRecommendationJob",
    "JobStatus",
    "RecommendationJobBackend",
    "recommendation_job_backends",
]
