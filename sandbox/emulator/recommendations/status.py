"""SageMaker's RecommendationJobStatus enum, the one vocabulary of the job model (a test keeps
it equal to botocore's service model)."""

from enum import StrEnum


class JobStatus(StrEnum):
    PENDING = "PENDING"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    DELETING = "DELETING"
    DELETED = "DELETED"


STOPPABLE = frozenset({JobStatus.PENDING, JobStatus.IN_PROGRESS})
BENCHMARK = "BENCHMARK"  # RecommendationStepType's one value
