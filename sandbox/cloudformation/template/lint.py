"""cfn-lint on a template before anything is created: CloudFormation would refuse what it
calls an error, so the engine does too."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from cfnlint.api import lint


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    line: int

    @property
    def error(self) -> bool:
        return self.rule.startswith("E")

    def __str__(self) -> str:
        return f"cfn-lint {self.rule} (line {self.line}): {self.message}"


@cache
def check(text: str, region: str) -> tuple[Finding, ...]:
    """Errors and warnings (informational findings are dropped) for template text; cached,
    as a preflight and the operation itself both ask."""
    return tuple(
        Finding(m.rule.id, m.message, m.linenumber)
        for m in lint(text, regions=[region])
        if not m.rule.id.startswith("I")
    )
