"""4. Out-of-band changes: someone deletes, stops or updates the experiment outside
CloudFormation between two handler invocations."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.cloudformation.driver import Outcome
from sandbox.cloudformation.harness import Harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model

from .common import DURATIONS, FUTURE, Findings, cleanup, experiment_names, model

Body = Callable[[str, str], Outcome]
REMOVE_SHADOW = {"production": "Retain", "shadow": "Remove"}
KEEP_BOTH = {"production": "Retain", "shadow": "Retain"}


@dataclass
class Case:
    label: str
    expected: str
    check: Callable[[Outcome], bool]
    body: Body


@dataclass
class OutOfBand:
    run: Harness
    findings: Findings
    results: list[dict[str, Any]] = field(default_factory=list)
    observed: dict[str, Any] = field(default_factory=dict)

    def attempt(self, case: Case) -> None:
        """Run one case on its own endpoint, record it, and remove what it left."""
        number = len(self.results)
        endpoint = f"oob-endpoint-{number}"
        ensure_endpoint(self.run.sagemaker, endpoint, "model-a")
        outcome = case.body(f"oob-{number}", endpoint)
        ok = case.check(outcome)
        got = f"{outcome.status} {outcome.error_code or ''}".strip()
        self.results.append(
            {"case": case.label, "expected": case.expected, "got": got, "message": outcome.message, "ok": ok}
        )
        if not ok:
            self.findings.fail(f"out-of-band {case.label}: {outcome.status} {outcome.error_code} {outcome.message}")
        for name in experiment_names(self.run):
            if name.startswith(f"oob-{number}"):
                cleanup(self.run, {"Name": name})

    def stop_outside(self, name: str, actions: dict[str, str] | None = None) -> None:
        self.run.sagemaker.stop_inference_experiment(
            Name=name, ModelVariantActions=actions or REMOVE_SHADOW, Reason="stopped by an operator"
        )

    def deleted_before(self, action: str) -> Body:
        def body(name: str, endpoint: str) -> Outcome:
            desired = model(name, endpoint, Schedule=FUTURE)
            self.run.run("CREATE", desired)
            self.run.sagemaker.delete_inference_experiment(Name=name)
            if action == "UPDATE":
                return self.run.run(action, {**desired, "Description": "x"}, previous=desired)
            return self.run.run(action, desired)

        return body

    def stopped_then_changed(self, name: str, endpoint: str) -> Outcome:
        desired = model(name, endpoint, DesiredState="Running")
        self.run.run("CREATE", desired)
        self.stop_outside(name)
        return self.run.run("UPDATE", {**desired, "Description": "after an outside stop"}, previous=desired)

    def stopped_then_stop(self, name: str, endpoint: str) -> Outcome:
        desired = model(name, endpoint, DesiredState="Running")
        self.run.run("CREATE", desired)
        self.stop_outside(name)
        return self.run.run("UPDATE", {**desired, "DesiredState": "Completed"}, previous=desired)

    def stopped_then_promoted(self, actions: dict[str, str]) -> Body:
        """The promotion can no longer happen (SPEC 2 Update rule 5); CloudFormation then
        rolls the update back, which must succeed. After a stop that kept both variants only
        the endpoint shows the shadow was not promoted (the handler's DescribeEndpoint)."""

        def body(name: str, endpoint: str) -> Outcome:
            desired = model(name, endpoint, DesiredState="Running")
            self.run.run("CREATE", desired)
            self.stop_outside(name, actions)
            promote = {**desired, "DesiredState": "Completed", "ModelVariants": desired["ModelVariants"][1:]}
            outcome = self.run.run("UPDATE", promote, previous=desired)
            self.observed["promotion rollback"] = self.run.run("UPDATE", desired, previous=promote)
            return outcome

        return body

    def refused_then_rolled_back(self, outcome: Outcome) -> bool:
        rollback = self.observed["promotion rollback"]
        return bool(outcome.error_code == "InvalidRequest" and "not promoted" in outcome.message and rollback.succeeded)

    def updated_outside(self, name: str, endpoint: str) -> Outcome:
        desired = model(name, endpoint, Description="v1")
        self.run.run("CREATE", desired)
        self.run.configure(durations={**DURATIONS, "Updating": 0.5})
        self.run.sagemaker.update_inference_experiment(Name=name, Description="changed outside")
        changed = json.loads(json.dumps(desired))
        changed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 10
        changed["Description"] = "v2"
        outcome = self.run.run("UPDATE", changed, previous=desired)
        self.observed.update(self.run.sagemaker.describe_inference_experiment(Name=name))
        return outcome

    def took_template_values(self, outcome: Outcome) -> bool:
        sampling = self.observed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"]
        return bool(outcome.succeeded and self.observed["Description"] == "v2" and sampling == 10)

    def stopped_while_creating(self, name: str, endpoint: str) -> Outcome:
        stopped: list[bool] = []

        def on_event(_action: str, response: dict[str, Any]) -> None:
            # Between two polls of the create handler: wait for the test to run, then stop it.
            if "is Creating" not in str(response.get("message")) or stopped:
                return
            deadline = time.monotonic() + 10
            while self.run.sagemaker.describe_inference_experiment(Name=name)["Status"] != "Running":
                if time.monotonic() > deadline:
                    return
                time.sleep(0.02)
            self.stop_outside(name)
            stopped.append(True)

        self.run.configure(durations={**DURATIONS, "Creating": 0.2, "Starting": 0.1, "Stopping": 0.05})
        return self.run.run("CREATE", model(name, endpoint), on_event=on_event)

    def cases(self) -> list[Case]:
        deleted = [
            Case(
                f"deleted outside, then {action}",
                "FAILED NotFound",
                lambda o: o.error_code == "NotFound" and "does not exist" in o.message,
                self.deleted_before(action),
            )
            for action in ("READ", "UPDATE", "DELETE")
        ]
        return [
            *deleted,
            Case(
                "stopped outside, then a Description change",
                "SUCCESS naming what was not applied (a finished experiment is history)",
                lambda o: o.succeeded and "Not applied: Description" in str(o.message),
                self.stopped_then_changed,
            ),
            Case(
                "stopped outside, then DesiredState Completed",
                "SUCCESS (nothing left to stop)",
                lambda o: o.succeeded,
                self.stopped_then_stop,
            ),
            Case(
                "stopped outside, then a promotion (production dropped), then its rollback",
                "FAILED InvalidRequest (a finished experiment cannot promote), then the rollback SUCCESS",
                self.refused_then_rolled_back,
                self.stopped_then_promoted(REMOVE_SHADOW),
            ),
            Case(
                "stopped outside keeping both variants, then a promotion, then its rollback",
                "FAILED InvalidRequest (the endpoint still has the shadow as a shadow), then the rollback SUCCESS",
                self.refused_then_rolled_back,
                self.stopped_then_promoted(KEEP_BOTH),
            ),
            Case(
                "updated outside (still Updating), then an update",
                "SUCCESS with the template's values",
                self.took_template_values,
                self.updated_outside,
            ),
            Case(
                "stopped outside while being created",
                "FAILED NotStabilized with the operator's reason",
                lambda o: o.error_code == "NotStabilized" and "stopped by an operator" in o.message,
                self.stopped_while_creating,
            ),
        ]


def out_of_band(run: Harness, findings: Findings) -> None:
    run.configure(durations={**DURATIONS, "Starting": 0.5, "Stopping": 0.5}, faults={"seed": 0})
    ensure_model(run.sagemaker, "model-b")
    checks = OutOfBand(run, findings)
    for case in checks.cases():
        checks.attempt(case)
    findings.figures["out-of-band"] = checks.results
