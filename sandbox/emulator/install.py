"""Teach moto's SageMaker service the inference-experiment API, once per process.

Moto dispatches to methods of `SageMakerResponse` and resolves tag ARNs in
`SageMakerModelBackend`, so those two classes are extended in place:

- every operation of RESPONSE_METHODS becomes a response method (UpdateEndpoint among
  them: moto has none);
- every SageMaker operation moto then answers (those of RESPONSE_METHODS, the tag
  operations, CreateModel, CreateEndpointConfig, ...) first checks its request against
  botocore's service model (`constraints`), with no code per operation;
- endpoint configs take the model's instance types instead of moto's fixed list;
- AddTags overwrites an existing key on every resource, as SageMaker's API reference says
  ("Adds or overwrites one or more tags"; "Tag keys must be unique per resource"); moto
  appends a second entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.core.utils import camelcase_to_underscores
from moto.sagemaker.models import FakeEndpointConfig, SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from . import constraints
from .endpoint_updates import endpoint_update_backends
from .models import inference_experiment_backends
from .responses import RESPONSE_METHODS, ResponseMethod
from .settings import EmulatorSettings
from .utils import merge_tags

RESOURCE_TYPE = "inference-experiment"
TAG_METHODS = {"AddTags": "add_tags", "ListTags": "list_tags", "DeleteTags": "delete_tags"}
INSTALLED = "_inference_experiments_installed"
VALIDATED = "_validated_against_the_model"
Wrap = Callable[[str, ResponseMethod], ResponseMethod]


def unwrapped(_operation: str, method: ResponseMethod) -> ResponseMethod:
    return method


def install(settings: EmulatorSettings, wrap: Wrap = unwrapped) -> None:
    """Bind `settings` to the backends created from now on; on the first call, add the
    operations of RESPONSE_METHODS and experiment tags to moto, each response method validated
    against the model and then passed through `wrap` (the caller's hook for fault injection
    and call logging), and validate every other SageMaker operation moto answers."""
    inference_experiment_backends.settings = settings
    if getattr(SageMakerResponse, INSTALLED, False):
        return
    for operation, method in RESPONSE_METHODS.items():
        setattr(SageMakerResponse, method.__name__, wrap(operation, validated(operation, method)))
    for operation, method_name in TAG_METHODS.items():
        original = getattr(SageMakerResponse, method_name)
        setattr(SageMakerResponse, method_name, wrap(operation, validated(operation, original)))
    validate_every_operation()
    backend_class: Any = SageMakerModelBackend
    backend_class._get_resource_from_arn = experiments_by_arn(SageMakerModelBackend._get_resource_from_arn)
    backend_class.add_tags = overwriting_add_tags
    endpoint_config_class: Any = FakeEndpointConfig
    endpoint_config_class.validate_instance_type = instance_type_from_model
    setattr(SageMakerResponse, INSTALLED, True)


def validated(operation: str, method: ResponseMethod) -> ResponseMethod:
    """`method` behind the model's constraints for `operation`: an invalid request is refused
    with ValidationException before anything happens. A valid one first sees every endpoint
    update that has come due (`endpoint_updates`), whichever operation looks."""
    if getattr(method, VALIDATED, False):
        return method

    @functools.wraps(method)
    def checked(self: SageMakerResponse) -> Any:
        constraints.validate(operation, self.params)
        endpoint_update_backends.of(self.sagemaker_backend).settle()
        return method(self)

    setattr(checked, VALIDATED, True)
    return checked


def validate_every_operation() -> None:
    """Every operation of the model that moto answers and that is not validated yet."""
    for operation in constraints.service_model().operation_names:
        method_name = camelcase_to_underscores(operation)
        method = getattr(SageMakerResponse, method_name, None)
        if callable(method) and not getattr(method, VALIDATED, False):
            setattr(SageMakerResponse, method_name, validated(operation, method))


def instance_type_from_model(_config: FakeEndpointConfig, instance_type: str) -> None:
    """moto's endpoint-config check with the model's instance types (277) for its fixed list (66)."""
    constraints.validate_value("ProductionVariantInstanceType", instance_type, "instanceType")


def is_experiment(arn: str) -> bool:
    return arn.split(":")[-1].partition("/")[0] == RESOURCE_TYPE


def experiments_by_arn(original: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(original)
    def lookup(self: SageMakerModelBackend, arn: str) -> Any:
        if not is_experiment(arn):
            return original(self, arn)
        return inference_experiment_backends.of(self).tagged_experiment(arn)

    return lookup


def overwriting_add_tags(self: SageMakerModelBackend, arn: str, tags: list[dict[str, str]]) -> Any:
    resource = self._get_resource_from_arn(arn)
    resource.tags = merge_tags(resource.tags or [], tags)
    return list(resource.tags)
