"""The error table (SPEC section 3), one row per service code."""

from __future__ import annotations

import pytest
from botocore.exceptions import EndpointConnectionError, NoCredentialsError, ParamValidationError
from cloudformation_cli_python_lib.interface import HandlerErrorCode as Code

from aws_sagemaker_inferenceexperiment.errors import handler_code, sdk_failure, service_failure

TABLE = [
    ("ValidationException", 400, False, Code.InvalidRequest),
    ("ValidationError", 400, False, Code.InvalidRequest),
    ("ResourceNotFound", 400, False, Code.NotFound),
    ("ResourceInUse", 400, True, Code.AlreadyExists),
    ("ResourceInUse", 400, False, Code.ResourceConflict),
    ("ConflictException", 400, False, Code.ResourceConflict),
    ("ResourceLimitExceeded", 400, False, Code.ServiceLimitExceeded),
    ("ThrottlingException", 400, False, Code.Throttling),
    ("Throttling", 400, False, Code.Throttling),
    ("TooManyRequestsException", 429, False, Code.Throttling),
    ("AccessDeniedException", 400, False, Code.AccessDenied),
    ("AccessDenied", 403, False, Code.AccessDenied),
    ("UnauthorizedOperation", 403, False, Code.AccessDenied),
    ("InvalidClientTokenId", 403, False, Code.InvalidCredentials),
    ("ExpiredTokenException", 400, False, Code.InvalidCredentials),
    ("UnrecognizedClientException", 400, False, Code.InvalidCredentials),
    ("InternalFailure", 500, False, Code.ServiceInternalError),
    ("ServiceUnavailable", 503, False, Code.ServiceInternalError),
    ("SomethingNew", 502, False, Code.ServiceInternalError),
    ("SomethingNew", 400, False, Code.GeneralServiceException),
]


@pytest.mark.parametrize(("service_code", "status", "creating", "expected"), TABLE)
def test_error_table(service_code: str, status: int, creating: bool, expected: Code) -> None:
    assert handler_code(service_code, status, creating) is expected


def test_messages_say_which_call_failed_and_what_the_service_said() -> None:
    error = service_failure("StartInferenceExperiment", "ConflictException", "status is Running", 400)
    assert error.message == "StartInferenceExperiment failed (ConflictException): status is Running"
    assert not error.retryable
    assert service_failure("ListTags", "ThrottlingException", "Rate exceeded", 400).retryable
    network = sdk_failure("DescribeInferenceExperiment", EndpointConnectionError(endpoint_url="http://x"))
    assert network.code is Code.NetworkFailure
    assert network.retryable


def test_sdk_failures_that_are_not_the_network() -> None:
    bad = sdk_failure("StopInferenceExperiment", ParamValidationError(report="Invalid length for parameter Reason"))
    assert bad.code is Code.InvalidRequest
    assert "Reason" in bad.message
    assert not bad.retryable
    no_credentials = sdk_failure("DescribeInferenceExperiment", NoCredentialsError())
    assert no_credentials.code is Code.InvalidCredentials
    assert not no_credentials.retryable


def test_conflict_is_recognised_for_redeciding() -> None:
    assert service_failure("StopInferenceExperiment", "ConflictException", "moved", 400).conflict
    assert not service_failure("DeleteInferenceExperiment", "ResourceInUse", "in use", 400).conflict
