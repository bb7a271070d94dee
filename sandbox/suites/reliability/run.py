"""Reliability and security, measured: `python -m sandbox reliability [--quick]`.

Everything runs through the Lambda stand-in against the emulator (both child processes):
a fault soak, a crash after every SageMaker call of every step, invalid input generated
from the schema, out-of-band changes, every update shape rolled back as CloudFormation
does it, least privilege from the call log, and a search for the credentials in everything
the processes wrote. Prints the figures and writes a report;
`tests/test_reliability.py` asserts the same checks under pytest (`-m reliability`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sandbox.cloudformation.harness import Harness, harness

from .audit import least_privilege, secrets
from .bad_input import bad_input
from .common import Findings, Sizes
from .crash import crash_matrix
from .out_of_band import out_of_band
from .report import report
from .rollback import rollback_sweep
from .soak import soak


@dataclass(frozen=True)
class Check:
    """One check: its key in the figures and findings, a label for progress, how to run it."""

    key: str
    label: str
    run: Callable[[Harness, Findings, Sizes], None]


# In this order: least privilege audits the calls every earlier check made.
CHECKS = (
    Check("soak", "fault soak", lambda run, findings, sizes: soak(run, findings, sizes.lifecycles)),
    Check(
        "crash", "crash and re-invocation", lambda run, findings, sizes: crash_matrix(run, findings, sizes.crash_stride)
    ),
    Check(
        "invalid input", "invalid input", lambda run, findings, sizes: bad_input(run, findings, sizes.invalid_models)
    ),
    Check("out-of-band", "out-of-band changes", lambda run, findings, _sizes: out_of_band(run, findings)),
    Check(
        "rollback",
        "update-rollback sweep",
        lambda run, findings, sizes: rollback_sweep(run, findings, sizes.rollback_crash_stride),
    ),
    Check("least privilege", "least privilege", lambda run, findings, _sizes: least_privilege(run, findings)),
    Check("secrets", "secrets", lambda run, findings, _sizes: secrets(run, findings)),
)


def run_all(quick: bool) -> Findings:
    sizes = Sizes.of(quick)
    findings = Findings()
    started = time.monotonic()
    with harness(time_scale=0.005) as run:
        for check in CHECKS:
            findings.check = check.key
            check_started = time.monotonic()
            check.run(run, findings, sizes)
            print(f"reliability: {check.label} done in {time.monotonic() - check_started:.0f}s", flush=True)
        findings.figures["handler operations"] = len(run.operations)
        findings.figures["handler invocations"] = sum(op.outcome.invocations for op in run.operations)
    findings.figures["seconds"] = round(time.monotonic() - started, 1)
    return findings


def main(quick: bool, output: Path) -> int:
    findings = run_all(quick)
    text = report(findings, quick)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"reliability: report written to {output}")
    return 0 if not findings.failures else 1
