"""What reaches the provider log group. cloudformation-cli-python-lib sends the root logger's
records there, but on AWS two things get in the way: Lambda's runtime client leaves the root
logger at WARNING, which drops the handlers' INFO audit lines, and the library writes to the
stream of the first request a container served for that container's whole life, so a warm
container mixes every later stack's lines into the first stack's stream."""

from __future__ import annotations

import logging

from cloudformation_cli_python_lib.log_delivery import ProviderLogHandler
from cloudformation_cli_python_lib.utils import HandlerRequest


def keep_audit_lines() -> None:
    """Let this package's INFO records through whatever level the root logger has."""
    logging.getLogger(__package__).setLevel(logging.INFO)


def stream_of(request: HandlerRequest) -> str:
    """The stream the library names for a request (stack and logical ID, else account and region)."""
    if request.stackId and request.requestData.logicalResourceId:
        name = f"{request.stackId}/{request.requestData.logicalResourceId}"
    else:
        name = f"{request.awsAccountId}-{request.region}"
    return name.replace(":", "__")


def follow_request_stream(request: HandlerRequest) -> None:
    """Point a warm container's provider log handler at this request's stream (the library only
    refreshes its credentials); the library creates the stream on the first line it sends."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, ProviderLogHandler) and handler.stream != stream_of(request):
            handler.stream = stream_of(request)
            handler.sequence_token = ""
