"""SageMaker client the way the AWS CLI builds one: --profile, --region and --endpoint-url,
else the usual environment and config files (AWS_PROFILE, AWS_REGION/AWS_DEFAULT_REGION,
AWS_ENDPOINT_URL, ~/.aws). Standard retry mode, as the AWS CLI v2 uses."""

from __future__ import annotations

import os
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoRegionError, ProfileNotFound

from .errors import CommandError


def sagemaker_client(region: str | None, profile: str | None, endpoint_url: str | None) -> Any:
    """AWS_REGION outranks AWS_DEFAULT_REGION, as in the AWS CLI v2 (botocore reads only the latter)."""
    try:
        session = boto3.Session(profile_name=profile, region_name=region or os.environ.get("AWS_REGION") or None)
        return session.client(
            "sagemaker", endpoint_url=endpoint_url, config=Config(retries={"mode": "standard", "max_attempts": 5})
        )
    except ProfileNotFound as error:
        raise CommandError(f"{error} (check --profile or AWS_PROFILE)") from None
    except NoRegionError:
        raise CommandError("no AWS region: give --region or set AWS_REGION / AWS_DEFAULT_REGION") from None


def describe(error: Exception, call: str) -> str:
    """A failed call as one sentence: which call, the service's code and message."""
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{call} failed: {details.get('Code', 'Error')}: {details.get('Message', error)}"
    return f"{call} failed: {error}"


def call(client: Any, operation: str, **parameters: Any) -> dict[str, Any]:
    """One SageMaker call; any failure becomes a CommandError naming the call."""
    try:
        response: dict[str, Any] = getattr(client, operation)(**parameters)
    except (ClientError, BotoCoreError) as error:
        name = "".join(part.title() for part in operation.split("_"))
        raise CommandError(describe(error, name)) from None
    return response


def not_found(error: CommandError) -> bool:
    """SageMaker answers a missing endpoint, config or model with a ValidationException
    saying it could not find it; a missing job is ResourceNotFound."""
    text = str(error)
    return "Could not find" in text or "ResourceNotFound" in text
