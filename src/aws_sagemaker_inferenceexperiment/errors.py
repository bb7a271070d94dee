"""The one error table: SageMaker and transport failures to CloudFormation error codes."""

from __future__ import annotations

from cloudformation_cli_python_lib.interface import HandlerErrorCode

SERVICE_ERRORS: dict[str, HandlerErrorCode] = {
    "ValidationException": HandlerErrorCode.InvalidRequest,
    "ValidationError": HandlerErrorCode.InvalidRequest,
    "ResourceNotFound": HandlerErrorCode.NotFound,
    "ResourceInUse": HandlerErrorCode.ResourceConflict,
    "ConflictException": HandlerErrorCode.ResourceConflict,
    "ResourceLimitExceeded": HandlerErrorCode.ServiceLimitExceeded,
    "ThrottlingException": HandlerErrorCode.Throttling,
    "Throttling": HandlerErrorCode.Throttling,
    "TooManyRequestsException": HandlerErrorCode.Throttling,
    "AccessDeniedException": HandlerErrorCode.AccessDenied,
    "AccessDenied": HandlerErrorCode.AccessDenied,
    "UnauthorizedOperation": HandlerErrorCode.AccessDenied,
    "InvalidClientTokenId": HandlerErrorCode.InvalidCredentials,
    "ExpiredTokenException": HandlerErrorCode.InvalidCredentials,
    "UnrecognizedClientException": HandlerErrorCode.InvalidCredentials,
    "InternalFailure": HandlerErrorCode.ServiceInternalError,
    "ServiceUnavailable": HandlerErrorCode.ServiceInternalError,
}

RETRYABLE = frozenset(
    {HandlerErrorCode.Throttling, HandlerErrorCode.ServiceInternalError, HandlerErrorCode.NetworkFailure}
)


class ProviderError(Exception):
    """A failure the handler reports as FAILED with `code` and a message a person can act on."""

    def __init__(self, code: HandlerErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE


def handler_code(service_code: str, http_status: int, creating: bool = False) -> HandlerErrorCode:
    """Map one service error to a handler error code (SPEC section 3)."""
    if service_code == "ResourceInUse" and creating:
        return HandlerErrorCode.AlreadyExists
    if service_code in SERVICE_ERRORS:
        return SERVICE_ERRORS[service_code]
    if http_status >= 500:
        return HandlerErrorCode.ServiceInternalError
    return HandlerErrorCode.GeneralServiceException


def service_failure(
    operation: str, service_code: str, service_message: str, http_status: int, creating: bool = False
) -> ProviderError:
    code = handler_code(service_code, http_status, creating)
    return ProviderError(code, f"{operation} failed ({service_code}): {service_message}")


def network_failure(operation: str, reason: str) -> ProviderError:
    return ProviderError(
        HandlerErrorCode.NetworkFailure, f"{operation} could not reach SageMaker: {reason}. It is retried."
    )


def invalid_request(message: str) -> ProviderError:
    return ProviderError(HandlerErrorCode.InvalidRequest, message)
