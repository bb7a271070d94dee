"""SageMaker's inference-experiment statuses: the one vocabulary the handlers use.

The names are those of botocore's `InferenceExperimentStatus` enum (a test keeps them
identical), plus the pseudo-status the handlers use while a deleted experiment is
still visible.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    CREATING = "Creating"
    CREATED = "Created"
    UPDATING = "Updating"
    STARTING = "Starting"
    RUNNING = "Running"
    STOPPING = "Stopping"
    COMPLETED = "Completed"
    CANCELLED = "Cancelled"


DELETING = "Deleting"  # not a SageMaker status: DeleteInferenceExperiment went through
TRANSITIONAL = frozenset({Status.CREATING, Status.UPDATING, Status.STARTING, Status.STOPPING})
FINISHED = frozenset({Status.COMPLETED, Status.CANCELLED})
