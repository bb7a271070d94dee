"""Seeded fault injection: per-operation rates of throttling and 5xx answers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

# fault -> (HTTP status, error code, message), as SageMaker answers them
FAULTS = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "server-error": (500, "InternalFailure", "We encountered an internal error. Please try again."),
}


@dataclass
class FaultPlan:
    """`operations` limits injection to those operation names; empty means every emulated operation."""

    seed: int = 0
    throttle_rate: float = 0.0
    server_error_rate: float = 0.0
    operations: frozenset[str] = frozenset()
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def draw(self, operation: str) -> str | None:
        """Return 'throttle', 'server-error' or None for one call of `operation`."""
        if self.operations and operation not in self.operations:
            return None
        roll = self._rng.random()
        if roll < self.throttle_rate:
            return "throttle"
        if roll < self.throttle_rate + self.server_error_rate:
            return "server-error"
        return None
