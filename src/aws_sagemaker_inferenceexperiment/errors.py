"""The one error table: SageMaker and transport failures to CloudFormation error codes."""

from __future__ import annotations

from botocore import exceptions as sdk
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

# Failures raised by the SDK itself, before or instead of a service answer; first match wins.
SDK_ERRORS: tuple[tuple[type[Exception], HandlerErrorCode], ...] = (
    (sdk.ParamValidationError, HandlerErrorCode.InvalidRequest),
    (sdk.ValidationError, HandlerErrorCode.InvalidRequest),
    (sdk.NoCredentialsError, HandlerErrorCode.InvalidCredentials),
    (sdk.PartialCredentialsError, HandlerErrorCode.InvalidCredentials),
    (sdk.CredentialRetrievalError, HandlerErrorCode.InvalidCredentials),
    (sdk.UnknownCredentialError, HandlerErrorCode.InvalidCredentials),
    (sdk.NoAuthTokenError, HandlerErrorCode.InvalidCredentials),
    (sdk.TokenRetrievalError, HandlerErrorCode.InvalidCredentials),
    (sdk.SSOError, HandlerErrorCode.InvalidCredentials),
    (sdk.ConnectionError, HandlerErrorCode.NetworkFailure),
    (sdk.HTTPClientError, HandlerErrorCode.NetworkFailure),
)
CONFLICT = "ConflictException"

RETRYABLE = frozenset(
    {HandlerErrorCode.Throttling, HandlerErrorCode.ServiceInternalError, HandlerErrorCode.NetworkFailure}
)


class ProviderError(Exception):
    """A failure the handler reports as FAILED with `code` and a message a person can act on."""

    def __init__(self, code: HandlerErrorCode, message: str, service_code: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.service_code = service_code

    @property
    def retryable(self) -> bool:
        return self.code in RETRYABLE

    @property
    def conflict(self) -> bool:
        """SageMaker refused the call for the experiment's status, which may have just moved."""
        return self.service_code == CONFLICT


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
    return ProviderError(code, f"{operation} failed ({service_code}): {service_message}", service_code)


def sdk_failure(operation: str, error: Exception) -> ProviderError:
    """An SDK-side failure: bad parameters name the parameter, credentials say so."""
    code = next(
        (code for kind, code in SDK_ERRORS if isinstance(error, kind)), HandlerErrorCode.GeneralServiceException
    )
    if code is HandlerErrorCode.NetworkFailure:
        return ProviderError(code, f"{operation} could not reach SageMaker: {error}. It is retried.")
    if code is HandlerErrorCode.InvalidCredentials:
        return ProviderError(code, f"{operation} has no usable credentials: {error}. Check the type's execution role.")
    return ProviderError(code, f"{operation} was not sent: {error}")


def invalid_request(message: str) -> ProviderError:
    return ProviderError(HandlerErrorCode.InvalidRequest, message)
