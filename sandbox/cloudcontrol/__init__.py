"""A Cloud Control API backend for registered resource types, separate from the SageMaker
emulator: `models` (registry, request store, operations), `requests` (one request's state
machine), `responses` (awsJson1_0 and the WSGI middleware), `exceptions` (the model's error
shapes), `describe_type` (CloudFormation's DescribeType for registered types)."""

from .models import CloudControlBackend, ResourceType
from .responses import middleware
from .schema import TypeSchema

__all__ = ["CloudControlBackend", "ResourceType", "TypeSchema", "middleware"]
