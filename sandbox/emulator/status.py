"""The one vocabulary of the emulator: SageMaker's InferenceExperimentStatus and
ModelVariantAction enums (a test keeps them equal to botocore's service model)."""

from enum import StrEnum


class Status(StrEnum):
    CREATING = "Creating"
    CREATED = "Created"
    UPDATING = "Updating"
    RUNNING = "Running"
    STARTING = "Starting"
    STOPPING = "Stopping"
    COMPLETED = "Completed"
    CANCELLED = "Cancelled"


class VariantAction(StrEnum):
    RETAIN = "Retain"
    REMOVE = "Remove"
    PROMOTE = "Promote"


FINISHED = frozenset({Status.COMPLETED, Status.CANCELLED})
ACTIVE = frozenset(Status) - FINISHED
UNDELETABLE = ACTIVE - {Status.CREATED}
