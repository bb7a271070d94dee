"""The call log: every emulated SageMaker call as the server layer saw it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.emulator.install import TAG_METHODS
from sandbox.emulator.responses import RESPONSE_METHODS

# Every operation the server layer wraps with fault injection and the call log.
EMULATED_OPERATIONS = frozenset(RESPONSE_METHODS) | frozenset(TAG_METHODS)
# moto's own operations a handler calls: logged (for the least-privilege audit) but left
# without fault injection, since the suites' own looks at endpoints use them too.
OBSERVED_MOTO_OPERATIONS = {"DescribeEndpoint": "describe_endpoint"}
# Emulated operations that change something (the rest only read).
MUTATING_OPERATIONS = frozenset(
    {
        "CreateInferenceExperiment",
        "UpdateInferenceExperiment",
        "StartInferenceExperiment",
        "StopInferenceExperiment",
        "DeleteInferenceExperiment",
        "AddTags",
        "DeleteTags",
    }
)


@dataclass(frozen=True)
class Call:
    """One SageMaker call as the emulator saw it."""

    operation: str
    time: float
    result: str
    name: str | None = None
    implies: tuple[str, ...] = ()
    endpoint: str | None = None  # the endpoint a CreateInferenceExperiment named

    @property
    def permissions(self) -> tuple[str, ...]:
        """IAM actions the call needs: its own, plus those it implies (PassRole, tag-on-create)."""
        return (f"sagemaker:{self.operation}", *self.implies)

    def as_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "time": self.time,
            "result": self.result,
            "name": self.name,
            "implies": list(self.implies),
            "endpoint": self.endpoint,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Call:
        implies = tuple(raw.get("implies") or ())
        return cls(raw["operation"], raw["time"], raw["result"], raw.get("name"), implies, raw.get("endpoint"))
