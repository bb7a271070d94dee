"""The only module that talks to SageMaker. Every failure leaves here as a ProviderError."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import botocore.loaders
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from cloudformation_cli_python_lib.boto3_proxy import SessionProxy
from cloudformation_cli_python_lib.interface import HandlerErrorCode

from .errors import ProviderError, sdk_failure, service_failure

LOG = logging.getLogger(__name__)
LIST_PAGE_SIZE = 100
TAG_PAGE_SIZE = 100
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 4}, connect_timeout=10, read_timeout=30)

T = TypeVar("T")
# Parsed service models survive between warm invocations of the same Lambda
# container; a fresh loader per invocation costs about 100 ms of JSON parsing.
SHARED_LOADER = botocore.loaders.create_loader()


@functools.cache
def _shared_session() -> botocore.session.Session:
    """One botocore session per container (built by `warm_up`): building one registers some
    250 event handlers, about 15 ms per invocation. Clients get the caller's credentials and
    region explicitly, so nothing of one invocation's caller reaches the next."""
    session = botocore.session.Session()
    session.register_component("data_loader", SHARED_LOADER)
    return session


def on_shared_loader(session: SessionProxy | None) -> None:
    """Build `session`'s clients from the shared loader. cloudformation-cli-python-lib makes a new
    boto3 session per invocation and, with providerCredentials, a CloudWatch Logs and a CloudWatch
    client on it: about 100 ms of JSON parsing each time on a fresh loader."""
    if session is not None:
        session.session._session.register_component("data_loader", SHARED_LOADER)


def sagemaker_client(session: SessionProxy) -> Any:
    """A SageMaker client with the caller's credentials and region, built on the shared loader."""
    caller = session.session
    credentials = caller.get_credentials()
    frozen = credentials.get_frozen_credentials() if credentials is not None else None
    return _shared_session().create_client(
        "sagemaker",
        region_name=caller.region_name,
        aws_access_key_id=frozen.access_key if frozen else None,
        aws_secret_access_key=frozen.secret_key if frozen else None,
        aws_session_token=frozen.token if frozen else None,
        config=CLIENT_CONFIG,
    )


def warm_up() -> None:
    """Parse SageMaker's service model while Lambda initialises the container (once, with a
    full CPU), not in its first invocation, and build the shared session. Makes no call."""
    _shared_session().create_client(
        "sagemaker", region_name="us-east-1", aws_access_key_id="warm-up", aws_secret_access_key="warm-up"
    )


warm_up()


def _validation_not_found(error: ProviderError) -> bool:
    """SageMaker answers Describe of a missing experiment with a ValidationException at times."""
    text = error.message.lower()
    return error.code == HandlerErrorCode.InvalidRequest and ("could not find" in text or "not found" in text)


class SageMaker:
    """Thin, typed wrapper over the boto3 client with the error table applied."""

    def __init__(self, session: SessionProxy | None) -> None:
        if session is None:
            raise ProviderError(
                HandlerErrorCode.InvalidCredentials,
                "CloudFormation passed no credentials; check the execution role of this resource type.",
            )
        self._client = sagemaker_client(session)

    def _call(self, operation: str, call: Callable[[], T], creating: bool = False) -> T:
        try:
            return call()
        except ClientError as error:
            details = error.response.get("Error", {})
            status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 400))
            raise service_failure(
                operation, str(details.get("Code", "Unknown")), str(details.get("Message", "")), status, creating
            ) from error
        except BotoCoreError as error:
            raise sdk_failure(operation, error) from error

    def describe(self, name: str) -> dict[str, Any] | None:
        """The experiment as DescribeInferenceExperiment shows it, or None when it does not exist."""
        try:
            return self._call(
                "DescribeInferenceExperiment", lambda: dict(self._client.describe_inference_experiment(Name=name))
            )
        except ProviderError as error:
            if error.code == HandlerErrorCode.NotFound or _validation_not_found(error):
                return None
            raise

    def describe_endpoint(self, endpoint: str) -> dict[str, Any] | None:
        """The endpoint as DescribeEndpoint shows it, or None when it does not exist."""
        try:
            return self._call("DescribeEndpoint", lambda: dict(self._client.describe_endpoint(EndpointName=endpoint)))
        except ProviderError as error:
            if error.code == HandlerErrorCode.NotFound or _validation_not_found(error):
                return None
            raise

    def create(self, request: dict[str, Any]) -> str:
        LOG.info("CreateInferenceExperiment %s", request["Name"])
        response = self._call(
            "CreateInferenceExperiment", lambda: self._client.create_inference_experiment(**request), creating=True
        )
        return str(response["InferenceExperimentArn"])

    def update(self, request: dict[str, Any]) -> None:
        LOG.info("UpdateInferenceExperiment %s: %s", request["Name"], sorted(set(request) - {"Name"}))
        self._call("UpdateInferenceExperiment", lambda: self._client.update_inference_experiment(**request))

    def start(self, name: str) -> None:
        LOG.info("StartInferenceExperiment %s", name)
        self._call("StartInferenceExperiment", lambda: self._client.start_inference_experiment(Name=name))

    def stop(self, request: dict[str, Any]) -> None:
        LOG.info("StopInferenceExperiment %s: %s", request["Name"], request["ModelVariantActions"])
        self._call("StopInferenceExperiment", lambda: self._client.stop_inference_experiment(**request))

    def delete(self, name: str) -> bool:
        """Delete; False when it was already gone."""
        LOG.info("DeleteInferenceExperiment %s", name)
        try:
            self._call("DeleteInferenceExperiment", lambda: self._client.delete_inference_experiment(Name=name))
        except ProviderError as error:
            if error.code == HandlerErrorCode.NotFound:
                return False
            raise
        return True

    def _collect(self, operation: str, method: Callable[..., Any], key: str, **kwargs: Any) -> list[dict[str, Any]]:
        """Follow NextToken through every page of a list operation."""
        items: list[dict[str, Any]] = []
        token: str | None = None
        while True:
            request = {**kwargs, "NextToken": token} if token else kwargs
            page = self._call(operation, functools.partial(method, **request))
            items.extend(page.get(key, []))
            token = page.get("NextToken")
            if not token:
                return items

    def list_all(self) -> list[dict[str, Any]]:
        """Every experiment summary, in one invocation."""
        return self._collect(
            "ListInferenceExperiments",
            self._client.list_inference_experiments,
            "InferenceExperiments",
            MaxResults=LIST_PAGE_SIZE,
        )

    def tags(self, arn: str) -> list[dict[str, str]]:
        return self._collect("ListTags", self._client.list_tags, "Tags", ResourceArn=arn, MaxResults=TAG_PAGE_SIZE)

    def add_tags(self, arn: str, tags: dict[str, str]) -> None:
        LOG.info("AddTags %s: %s", arn, sorted(tags))
        pairs = [{"Key": k, "Value": v} for k, v in sorted(tags.items())]
        self._call("AddTags", lambda: self._client.add_tags(ResourceArn=arn, Tags=pairs))

    def delete_tags(self, arn: str, keys: list[str]) -> None:
        LOG.info("DeleteTags %s: %s", arn, sorted(keys))
        self._call("DeleteTags", lambda: self._client.delete_tags(ResourceArn=arn, TagKeys=sorted(keys)))
