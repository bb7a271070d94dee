"""Cloud Control's error shapes (botocore's `cloudcontrol` model), and the exception each
handler error code becomes when a synchronous operation (GetResource, ListResources, the
read behind UpdateResource) fails."""

from __future__ import annotations

# Error shapes the model marks `"fault": true`: answered with HTTP 500.
FAULTS = frozenset(
    {
        "ConcurrentModificationException",
        "HandlerFailureException",
        "HandlerInternalFailureException",
        "NetworkFailureException",
        "ServiceInternalErrorException",
    }
)

# ProgressEvent.ErrorCode values the model allows (its HandlerErrorCode enum).
HANDLER_ERROR_CODES = frozenset(
    {
        "NotUpdatable",
        "InvalidRequest",
        "AccessDenied",
        "UnauthorizedTaggingOperation",
        "InvalidCredentials",
        "AlreadyExists",
        "NotFound",
        "ResourceConflict",
        "Throttling",
        "ServiceLimitExceeded",
        "NotStabilized",
        "GeneralServiceException",
        "ServiceInternalError",
        "ServiceTimeout",
        "NetworkFailure",
        "InternalFailure",
    }
)

# AccessDenied has no shape of its own in the model: AccessDeniedException is the error
# common to every AWS API (see docs/cloudcontrol.md).
EXCEPTION_BY_HANDLER_CODE = {
    "NotUpdatable": "NotUpdatableException",
    "InvalidRequest": "InvalidRequestException",
    "AccessDenied": "AccessDeniedException",
    "UnauthorizedTaggingOperation": "AccessDeniedException",
    "InvalidCredentials": "InvalidCredentialsException",
    "AlreadyExists": "AlreadyExistsException",
    "NotFound": "ResourceNotFoundException",
    "ResourceConflict": "ResourceConflictException",
    "Throttling": "ThrottlingException",
    "ServiceLimitExceeded": "ServiceLimitExceededException",
    "NotStabilized": "NotStabilizedException",
    "GeneralServiceException": "GeneralServiceException",
    "ServiceInternalError": "ServiceInternalErrorException",
    "ServiceTimeout": "HandlerFailureException",
    "NetworkFailure": "NetworkFailureException",
    "InternalFailure": "HandlerInternalFailureException",
}


class CloudControlError(Exception):
    """An error answer: its shape name (`__type`), message and HTTP status."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    @property
    def status(self) -> int:
        return 500 if self.code in FAULTS else 400


def handler_failure(error_code: str | None, message: str) -> CloudControlError:
    """The exception for a handler's FAILED answer to a synchronous operation."""
    code = EXCEPTION_BY_HANDLER_CODE.get(error_code or "", "HandlerFailureException")
    return CloudControlError(code, message or f"The resource handler failed with {error_code}.")


def progress_error_code(error_code: str | None) -> str:
    """A handler's error code as ProgressEvent.ErrorCode: codes outside the model's enum
    (the Python library also has HandlerInternalFailure, Unknown, ...) become InternalFailure."""
    return error_code if error_code in HANDLER_ERROR_CODES else "InternalFailure"


def validation(message: str) -> CloudControlError:
    return CloudControlError("ValidationException", message)


def type_not_found(type_name: str) -> CloudControlError:
    return CloudControlError("TypeNotFoundException", f"The type '{type_name}' cannot be found.")


def token_not_found(token: str) -> CloudControlError:
    return CloudControlError("RequestTokenNotFoundException", f"Request with token {token} was not found")
