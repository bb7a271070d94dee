"""The reliability suite's checks as assertions (quick sizes). Deselected by default:
run with `pytest -m reliability`; `make reliability` writes the full report instead."""

from __future__ import annotations

import pytest

from sandbox.suites.reliability import CHECKS, Findings, run_all

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def findings() -> Findings:
    """One quick run shared by every check: least privilege audits the calls of the others."""
    return run_all(quick=True)


@pytest.mark.parametrize("check", [check.key for check in CHECKS])
def test_check_finds_nothing(findings: Findings, check: str) -> None:
    assert check in findings.figures
    assert findings.by_check.get(check, []) == []
