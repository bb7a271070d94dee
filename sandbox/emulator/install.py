"""Teach moto's SageMaker service the inference-experiment API, once per process.

Moto dispatches to methods of `SageMakerResponse` and resolves tag ARNs in
`SageMakerModelBackend`, so those two classes are extended in place. AddTags overwrites an
existing key on every resource, as SageMaker's API reference says ("Adds or overwrites one
or more tags"; "Tag keys must be unique per resource"); moto appends a second entry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from moto.sagemaker.models import SageMakerModelBackend
from moto.sagemaker.responses import SageMakerResponse

from .models import inference_experiment_backends
from .responses import RESPONSE_METHODS, ResponseMethod
from .settings import EmulatorSettings
from .utils import merge_tags

RESOURCE_TYPE = "inference-experiment"
TAG_METHODS = {"AddTags": "add_tags", "ListTags": "list_tags", "DeleteTags": "delete_tags"}
INSTALLED = "_inference_experiments_installed"
Wrap = Callable[[str, ResponseMethod], ResponseMethod]


def unwrapped(_operation: str, method: ResponseMethod) -> ResponseMethod:
    return method


def install(settings: EmulatorSettings, wrap: Wrap = unwrapped) -> None:
    """Bind `settings` to the backends created from now on; on the first call, add the seven
    operations and experiment tags to moto, each response method passed through `wrap`
    (the caller's hook for fault injection and call logging)."""
    inference_experiment_backends.settings = settings
    if getattr(SageMakerResponse, INSTALLED, False):
        return
    for operation, method in RESPONSE_METHODS.items():
        setattr(SageMakerResponse, method.__name__, wrap(operation, method))
    for operation, method_name in TAG_METHODS.items():
        setattr(SageMakerResponse, method_name, wrap(operation, getattr(SageMakerResponse, method_name)))
    backend_class: Any = SageMakerModelBackend
    backend_class._get_resource_from_arn = experiments_by_arn(SageMakerModelBackend._get_resource_from_arn)
    backend_class.add_tags = overwriting_add_tags
    setattr(SageMakerResponse, INSTALLED, True)


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
