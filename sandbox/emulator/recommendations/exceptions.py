"""The errors the real service answers Inference Recommender calls with, in moto's classes."""

from __future__ import annotations

from moto.sagemaker.exceptions import ResourceInUseException, ResourceNotFound, ValidationError

__all__ = ["JobExists", "JobNotFound", "ValidationError"]


class JobNotFound(ResourceNotFound):
    def __init__(self, arn: str) -> None:
        super().__init__(f"Could not find inference recommendations job '{arn}'.")


class JobExists(ResourceInUseException):
    def __init__(self, arn: str) -> None:
        super().__init__(f"Inference recommendations job '{arn}' already exists.")
