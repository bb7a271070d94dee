"""The errors the real service answers with, in moto's exception classes."""

from __future__ import annotations

from moto.sagemaker.exceptions import ConflictException, ResourceInUseException, ResourceNotFound, ValidationError

__all__ = [
    "InferenceExperimentExists",
    "InferenceExperimentNotFound",
    "InvalidPaginationToken",
    "StatusConflict",
    "ValidationError",
]


class InferenceExperimentNotFound(ResourceNotFound):
    def __init__(self, arn: str) -> None:
        super().__init__(f"Could not find inference experiment '{arn}'.")


class InferenceExperimentExists(ResourceInUseException):
    def __init__(self, arn: str) -> None:
        super().__init__(f"Inference experiment '{arn}' already exists.")


class StatusConflict(ConflictException):
    """An operation the experiment's status does not allow."""

    def __init__(self, verb: str, arn: str, status: str, remedy: str) -> None:
        super().__init__(f"Cannot {verb} inference experiment '{arn}' while its status is {status}; {remedy}.")


class InvalidPaginationToken(ValidationError):
    """Raised by moto's paginator for a NextToken it did not issue."""

    def __init__(self, token: str) -> None:
        super().__init__(f"Invalid pagination token '{token}'.")
