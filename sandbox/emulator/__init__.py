"""SageMaker inference experiments for moto, shaped like a moto service: `models` (the
experiment and its state machine, a backend per account and region), `responses` (parse
and serialise), `validators`, `exceptions`, and `install` to add them to moto; beside them
`endpoint_updates` (the UpdateEndpoint moto lacks) and `recommendations` (Inference
Recommender jobs).

Imports only moto, botocore and the standard library, so it could be offered to moto as it
is. Clock and transition durations come from the `EmulatorSettings` given to `install`.
"""

from .experiment import FakeInferenceExperiment
from .install import install
from .models import InferenceExperimentBackend, inference_experiment_backends
from .settings import DURATION_KEYS, EmulatorSettings
from .status import Status, VariantAction

__all__ = [
    "DURATION_KEYS",
    "EmulatorSettings",
    "FakeInferenceExperiment",
    "InferenceExperimentBackend",
    "Status",
    "VariantAction",
    "inference_experiment_backends",
    "install",
]
