"""A stand-in for the Lambda Invoke API and how CloudFormation reaches the handlers: each
invocation in its own process, and the sandbox's servers as child processes."""

from .invoke import FunctionError, Invoke, http_invoke, in_process
from .local_lambda import LocalLambda
from .processes import free_port, sandbox_process

__all__ = ["FunctionError", "Invoke", "LocalLambda", "free_port", "http_invoke", "in_process", "sandbox_process"]
