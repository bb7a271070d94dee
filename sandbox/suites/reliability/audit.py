"""6. Least privilege: the actions the handlers called (call log, plus what calls imply)
against the permissions the schema lists. 7. Secrets: the caller's credentials appear in
nothing the processes wrote or returned."""

from __future__ import annotations

import json

from sandbox.cloudformation.harness import SECRET_CREDENTIALS, Harness
from sandbox.schemas import EXPERIMENT

from .common import Findings


def least_privilege(run: Harness, findings: Findings) -> None:
    used: dict[str, set[str]] = {}
    for operation in run.operations:
        used.setdefault(operation.action.lower(), set()).update(p for c in operation.calls for p in c.permissions)
    diffs = {}
    for action, handler in EXPERIMENT.document["handlers"].items():
        listed = set(handler["permissions"])
        called = used.get(action, set())
        diffs[action] = {
            "called but not listed": sorted(called - listed),
            "listed but never called": sorted(listed - called),
        }
        if called != listed:
            findings.fail(f"least privilege, {action}: {diffs[action]}")
    findings.figures["least privilege"] = diffs


def secrets(run: Harness, findings: Findings) -> None:
    texts = run.log_texts()
    texts["handler responses"] = json.dumps([e for op in run.operations for e in op.outcome.events])
    leaks = [
        f"{label} in {where}"
        for label, secret in SECRET_CREDENTIALS.items()
        for where, text in texts.items()
        if secret in text
    ]
    for leak in leaks:
        findings.fail(f"secret leaked: {leak}")
    findings.figures["secrets"] = {
        "places searched": sorted(texts),
        "bytes searched": sum(len(t) for t in texts.values()),
        "leaks": leaks,
    }
