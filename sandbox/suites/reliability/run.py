"""Reliability and security, measured: `python -m sandbox reliability [--quick]`.

Everything runs through the Lambda stand-in against the emulator (both child processes):
a fault soak, a crash after every SageMaker call of every step, invalid input generated
from the schema, out-of-band changes, least privilege from the call log, and a search for
the credentials in everything the processes wrote. Prints the figures and writes a report.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings

from sandbox.cloudformation.harness import SECRET_CREDENTIALS, Harness, Operation, harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.common import SCHEMA_PATH
from sandbox.server import MUTATING_OPERATIONS
from sandbox.suites.invalid_models import invalid_models
from sandbox.suites.seed import shadow_test_request

SCHEMA = json.loads(SCHEMA_PATH.read_text())
RETRYABLE = {"Throttling", "ServiceInternalError", "NetworkFailure"}
IDEMPOTENT = {"AddTags", "DeleteTags"}
DURATIONS = {"Creating": 0.05, "Starting": 0.1, "Updating": 0.05, "Stopping": 0.1, "Deleting": 0.02}
FUTURE = {"StartTime": "2030-01-01T00:00:00Z", "EndTime": "2030-01-20T00:00:00Z"}


@dataclass
class Sizes:
    lifecycles: int
    invalid_models: int
    crash_stride: int

    @classmethod
    def of(cls, quick: bool) -> Sizes:
        return cls(lifecycles=20, invalid_models=120, crash_stride=3) if quick else cls(200, 600, 1)


@dataclass
class Findings:
    figures: dict[str, Any] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.failures.append(message)


def model(name: str, endpoint: str, **extra: Any) -> dict[str, Any]:
    return {**shadow_test_request(name, endpoint_name=endpoint), **extra}


def without_shadow(desired: dict[str, Any]) -> dict[str, Any]:
    return {**desired, "ModelVariants": desired["ModelVariants"][:1]}


def endpoint_shadows(run: Harness, endpoint: str) -> list[str]:
    described = run.sagemaker.describe_endpoint(EndpointName=endpoint)
    return [v["VariantName"] for v in described.get("ShadowProductionVariants") or []]


def experiment_names(run: Harness) -> list[str]:
    names: list[str] = []
    for page in run.sagemaker.get_paginator("list_inference_experiments").paginate():
        names += [e["Name"] for e in page["InferenceExperiments"]]
    return names


# ---- 1. fault soak ------------------------------------------------------------------------


def lifecycle_steps(index: int, name: str, endpoint: str) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """One of five lifecycle shapes, so every handler meets every call its schema lists."""
    tags = [{"Key": "owner", "Value": "soak"}, {"Key": "round", "Value": str(index)}]
    shape = index % 5
    if shape == 2:
        created = model(name, endpoint, Schedule=FUTURE, Tags=tags)
        started = {**created, "DesiredState": "Running", "Description": "started by update"}
    elif shape == 1:
        created = model(name, endpoint, Schedule=FUTURE, DesiredState="Running", Tags=tags)
        started = created
    else:
        created = model(name, endpoint, DesiredState="Running", Tags=tags)
        started = created
    retagged = {**started, "Description": f"round {index}", "Tags": [{"Key": "owner", "Value": "soak-2"}]}
    stopped = without_shadow({**retagged, "DesiredState": "Completed", "StatusReason": "soak finished"})
    if shape == 3:
        created = model(name, endpoint, DesiredState="Completed", Tags=tags)
        return [
            ("CREATE", created, None),
            ("READ", {"Name": name}, None),
            ("UPDATE", {**created, "Tags": tags[:1]}, created),
            ("DELETE", created, None),
        ]
    if shape == 4:
        return [("CREATE", created, None), ("UPDATE", retagged, created), ("DELETE", retagged, None)]
    steps = [("CREATE", created, None), ("READ", {"Name": name}, None)]
    if started is not created:
        steps.append(("UPDATE", started, created))
    return [
        *steps,
        ("UPDATE", retagged, started),
        ("UPDATE", stopped, retagged),
        ("LIST", {}, None),
        ("DELETE", stopped, None),
    ]


def cleanup(run: Harness, desired: dict[str, Any]) -> str:
    """Delete until the experiment is gone (as an operator re-running a failed delete would)."""
    for _ in range(10):
        outcome = run.run("DELETE", desired)
        if outcome.succeeded or outcome.error_code == "NotFound":
            return "deleted"
    return "still there"


def soak(run: Harness, findings: Findings, lifecycles: int) -> None:
    endpoint = "soak-endpoint"
    ensure_endpoint(run.sagemaker, endpoint, "model-a")
    ensure_model(run.sagemaker, "model-b")
    run.configure(durations=DURATIONS, faults={"seed": 20261122, "throttle_rate": 0.20, "server_error_rate": 0.05})
    outcomes: Counter[str] = Counter()
    lifecycle_results: Counter[str] = Counter()
    started = time.monotonic()
    first = len(run.operations)
    for index in range(lifecycles):
        name = f"soak-{index:04d}"
        result = "SUCCESS"
        last: dict[str, Any] = {"Name": name}
        for action, desired, previous in lifecycle_steps(index, name, endpoint):
            outcome = run.run(action, desired, previous=previous)
            outcomes[f"{action} {outcome.status}{'/' + outcome.error_code if outcome.error_code else ''}"] += 1
            if action != "READ" and action != "LIST":
                last = desired
            if not outcome.succeeded:
                result = outcome.error_code or "FAILED"
                if result not in RETRYABLE:
                    findings.fail(f"soak {name}: {action} ended {result}: {outcome.message}")
                if action != "DELETE":
                    cleanup(run, last)
                break
        lifecycle_results[result] += 1
        if cleanup(run, last) != "deleted" or name in experiment_names(run):
            findings.fail(f"soak {name}: the experiment is still there after delete")
        shadows = endpoint_shadows(run, endpoint)
        if shadows:
            findings.fail(f"soak {name}: shadow variants {shadows} left on {endpoint}")
    soak_calls = [call for op in run.operations[first:] for call in op.calls]
    creates = Counter(
        c.name for c in soak_calls if c.operation == "CreateInferenceExperiment" and c.result == "Success"
    )
    duplicated = sorted(name for name, count in creates.items() if count > 1)
    if duplicated:
        findings.fail(f"soak: experiments created twice: {duplicated}")
    injected = Counter(c.result for c in soak_calls if c.result in ("ThrottlingException", "InternalFailure"))
    internal = sum(1 for op in run.operations[first:] if op.outcome.error_code == "InternalFailure")
    if internal:
        findings.fail(f"soak: {internal} operations ended in InternalFailure")
    run.configure(faults={"seed": 0})
    findings.figures["soak"] = {
        "lifecycles": lifecycles,
        "lifecycle outcomes": dict(lifecycle_results),
        "operations": sum(outcomes.values()),
        "operation outcomes": dict(sorted(outcomes.items())),
        "SageMaker calls": len(soak_calls),
        "faults injected": dict(injected),
        "fault rate": f"{sum(injected.values()) / max(len(soak_calls), 1):.1%}",
        "experiments created twice": len(duplicated),
        "InternalFailure": internal,
        "seconds": round(time.monotonic() - started, 1),
    }


# ---- 2. crash after every call ------------------------------------------------------------


@dataclass
class Scenario:
    label: str
    prepare: Callable[[Harness, str, str], tuple[dict[str, Any], dict[str, Any] | None]]
    action: str


def prepare_create(_run: Harness, name: str, endpoint: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    return model(name, endpoint, Schedule=FUTURE, DesiredState="Running", Tags=[{"Key": "a", "Value": "1"}]), None


def prepare_update(run: Harness, name: str, endpoint: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    before = model(name, endpoint, DesiredState="Running", Tags=[{"Key": "a", "Value": "1"}])
    run.run("CREATE", before)
    after = without_shadow(
        {**before, "Description": "crash", "DesiredState": "Completed", "Tags": [{"Key": "b", "Value": "2"}]}
    )
    return after, before


def prepare_delete(run: Harness, name: str, endpoint: str) -> tuple[dict[str, Any], dict[str, Any] | None]:
    desired = model(name, endpoint, DesiredState="Running")
    run.run("CREATE", desired)
    return desired, None


SCENARIOS = [
    Scenario("create: scheduled, started by DesiredState, tagged", prepare_create, "CREATE"),
    Scenario("update: description, stop removing the shadow, tags", prepare_update, "UPDATE"),
    Scenario("delete: stop a running test, then delete", prepare_delete, "DELETE"),
]


def end_state(run: Harness, name: str, endpoint: str) -> dict[str, Any]:
    state: dict[str, Any] = {"shadows": endpoint_shadows(run, endpoint)}
    if name in experiment_names(run):
        described = run.sagemaker.describe_inference_experiment(Name=name)
        state["status"] = described["Status"]
        state["description"] = described.get("Description")
        state["tags"] = sorted(
            (t["Key"], t["Value"]) for t in run.sagemaker.list_tags(ResourceArn=described["Arn"])["Tags"]
        )
    return state


def effective_mutations(operation: Operation) -> Counter[str]:
    return Counter(
        c.operation
        for c in operation.calls
        if c.operation in MUTATING_OPERATIONS - IDEMPOTENT and c.result == "Success"
    )


def crash_matrix(run: Harness, findings: Findings, stride: int) -> None:
    run.configure(durations=DURATIONS, faults={"seed": 0})
    cases = converged = 0
    counter = [0]
    for number, scenario in enumerate(SCENARIOS):
        endpoint = f"crash-endpoint-{number}"
        ensure_endpoint(run.sagemaker, endpoint, "model-a")
        ensure_model(run.sagemaker, "model-b")
        desired, previous = scenario.prepare(run, f"crash-{number}-baseline", endpoint)
        seen_after: list[int] = []
        run.run(
            scenario.action,
            desired,
            previous=previous,
            on_event=lambda _action, _response, seen=seen_after: seen.append(run.pending_calls()),
        )
        per_invocation = [after - before for before, after in zip([0, *seen_after], seen_after, strict=False)]
        base_state = end_state(run, desired["Name"], endpoint)
        base_mutations = effective_mutations(run.operations[-1])
        run.run("DELETE", desired)
        points = [(i, k) for i, calls in enumerate(per_invocation) for k in range(1, calls + 1)]
        for case_index, (invocation, call) in enumerate(points[::stride]):
            name = f"crash-{number}-{case_index:03d}"
            desired, previous = scenario.prepare(run, name, endpoint)
            counter[0] = 0

            def plan(target: int = invocation, after: int = call) -> int | None:
                counter[0] += 1
                return after if counter[0] - 1 == target else None

            run.crash_plan = plan
            outcome = run.run(scenario.action, desired, previous=previous)
            run.crash_plan = None
            cases += 1
            state = end_state(run, name, endpoint)
            mutations = effective_mutations(run.operations[-1])
            lost = sum(1 for e in outcome.events if e.get("status") == "LOST")
            # A delete whose Delete call took effect before the crash finds the experiment gone
            # on re-invocation: NotFound, which CloudFormation completes the stack delete on.
            finished = outcome.succeeded or (scenario.action == "DELETE" and outcome.error_code == "NotFound")
            if not finished or lost != 1:
                where = f"crash {scenario.label} at invocation {invocation} call {call}"
                findings.fail(f"{where}: {outcome.status} {outcome.message} (lost {lost})")
            elif state != base_state or mutations != base_mutations:
                findings.fail(
                    f"crash {scenario.label} at invocation {invocation} call {call}: ended {state} with calls "
                    f"{dict(mutations)}; without the crash {base_state} with {dict(base_mutations)}"
                )
            else:
                converged += 1
            if name in experiment_names(run):
                run.run("DELETE", desired)
    findings.figures["crash"] = {"scenarios": len(SCENARIOS), "crash points run": cases, "converged": converged}


# ---- 3. invalid input ---------------------------------------------------------------------


def bad_input(run: Harness, findings: Findings, examples: int) -> None:
    run.configure(faults={"seed": 0})
    ensure_endpoint(run.sagemaker, "bad-input-endpoint", "model-a")
    ensure_model(run.sagemaker, "model-b")
    tried: Counter[str] = Counter()
    rejected = 0
    first = len(run.operations)

    @settings(
        max_examples=examples, database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(invalid_models())
    def attempt(case: tuple[dict[str, Any], str]) -> None:
        nonlocal rejected
        desired, path = case
        tried[path.split("[", 1)[0].split(".", 1)[0]] += 1
        outcome = run.run("CREATE", desired)
        if outcome.error_code == "InvalidRequest" and path in outcome.message:
            rejected += 1
        else:
            findings.fail(
                f"invalid input at {path} ended {outcome.status}/{outcome.error_code}: {outcome.message[:200]}"
            )

    attempt()
    mutating = [c for op in run.operations[first:] for c in op.calls if c.operation in MUTATING_OPERATIONS]
    if mutating:
        findings.fail(f"invalid input: {len(mutating)} mutating calls were made")
    findings.figures["invalid input"] = {
        "models tried": sum(tried.values()),
        "rejected as InvalidRequest naming the property": rejected,
        "mutating calls": len(mutating),
        "by top-level property": dict(sorted(tried.items())),
    }


# ---- 4. out-of-band changes ---------------------------------------------------------------


def out_of_band(run: Harness, findings: Findings) -> None:
    run.configure(durations={**DURATIONS, "Starting": 0.5, "Stopping": 0.5}, faults={"seed": 0})
    ensure_model(run.sagemaker, "model-b")
    results = []

    def case(label: str, expect: str, check: Callable[[Any], bool], body: Callable[[str, str], Any]) -> None:
        number = len(results)
        endpoint = f"oob-endpoint-{number}"
        ensure_endpoint(run.sagemaker, endpoint, "model-a")
        outcome = body(f"oob-{number}", endpoint)
        ok = check(outcome)
        results.append(
            {
                "case": label,
                "expected": expect,
                "got": f"{outcome.status} {outcome.error_code or ''}".strip(),
                "message": outcome.message,
                "ok": ok,
            }
        )
        if not ok:
            findings.fail(f"out-of-band {label}: {outcome.status} {outcome.error_code} {outcome.message}")
        for name in experiment_names(run):
            if name.startswith(f"oob-{number}"):
                cleanup(run, {"Name": name})

    def stop_outside(name: str) -> None:
        run.sagemaker.stop_inference_experiment(
            Name=name, ModelVariantActions={"production": "Retain", "shadow": "Remove"}, Reason="stopped by an operator"
        )

    def deleted_before(action: str) -> Callable[[str, str], Any]:
        def body(name: str, endpoint: str) -> Any:
            desired = model(name, endpoint, Schedule=FUTURE)
            run.run("CREATE", desired)
            run.sagemaker.delete_inference_experiment(Name=name)
            if action == "UPDATE":
                return run.run(action, {**desired, "Description": "x"}, previous=desired)
            return run.run(action, desired)

        return body

    for action in ("READ", "UPDATE", "DELETE"):
        case(
            f"deleted outside, then {action}",
            "FAILED NotFound",
            lambda o: o.error_code == "NotFound" and "does not exist" in o.message,
            deleted_before(action),
        )

    def stopped_then_changed(name: str, endpoint: str) -> Any:
        desired = model(name, endpoint, DesiredState="Running")
        run.run("CREATE", desired)
        stop_outside(name)
        return run.run("UPDATE", {**desired, "Description": "after an outside stop"}, previous=desired)

    case(
        "stopped outside, then a Description change",
        "FAILED InvalidRequest naming the status",
        lambda o: o.error_code == "InvalidRequest" and "Completed" in o.message,
        stopped_then_changed,
    )

    def stopped_then_stop(name: str, endpoint: str) -> Any:
        desired = model(name, endpoint, DesiredState="Running")
        run.run("CREATE", desired)
        stop_outside(name)
        return run.run("UPDATE", {**desired, "DesiredState": "Completed"}, previous=desired)

    case(
        "stopped outside, then DesiredState Completed",
        "SUCCESS (nothing left to stop)",
        lambda o: o.succeeded,
        stopped_then_stop,
    )

    observed: dict[str, Any] = {}

    def updated_outside(name: str, endpoint: str) -> Any:
        desired = model(name, endpoint, Description="v1")
        run.run("CREATE", desired)
        run.configure(durations={**DURATIONS, "Updating": 0.5})
        run.sagemaker.update_inference_experiment(Name=name, Description="changed outside")
        changed = json.loads(json.dumps(desired))
        changed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 10
        changed["Description"] = "v2"
        outcome = run.run("UPDATE", changed, previous=desired)
        observed.update(run.sagemaker.describe_inference_experiment(Name=name))
        return outcome

    def took_template_values(outcome: Any) -> bool:
        sampling = observed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"]
        return bool(outcome.succeeded and observed["Description"] == "v2" and sampling == 10)

    case(
        "updated outside (still Updating), then an update",
        "SUCCESS with the template's values",
        took_template_values,
        updated_outside,
    )

    def stopped_while_creating(name: str, endpoint: str) -> Any:
        def on_event(_action: str, response: dict[str, Any]) -> None:
            # Between two polls of the create handler: wait for the test to run, then stop it.
            if "is Creating" not in str(response.get("message")) or observed.get("stopped"):
                return
            deadline = time.monotonic() + 10
            while run.sagemaker.describe_inference_experiment(Name=name)["Status"] != "Running":
                if time.monotonic() > deadline:
                    return
                time.sleep(0.02)
            stop_outside(name)
            observed["stopped"] = True

        observed.pop("stopped", None)
        run.configure(durations={**DURATIONS, "Creating": 0.2, "Starting": 0.1, "Stopping": 0.05})
        return run.run("CREATE", model(name, endpoint), on_event=on_event)

    case(
        "stopped outside while being created",
        "FAILED NotStabilized with the operator's reason",
        lambda o: o.error_code == "NotStabilized" and "stopped by an operator" in o.message,
        stopped_while_creating,
    )
    findings.figures["out-of-band"] = results


# ---- 5. least privilege and 6. secrets ------------------------------------------------------


def least_privilege(run: Harness, findings: Findings) -> None:
    used: dict[str, set[str]] = {}
    for operation in run.operations:
        used.setdefault(operation.action.lower(), set()).update(p for c in operation.calls for p in c.permissions)
    diffs = {}
    for action, handler in SCHEMA["handlers"].items():
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


# ---- the run and its report -----------------------------------------------------------------


def run_all(quick: bool) -> Findings:
    sizes = Sizes.of(quick)
    findings = Findings()
    started = time.monotonic()
    with harness(time_scale=0.005) as run:
        for label, step in (
            ("fault soak", lambda: soak(run, findings, sizes.lifecycles)),
            ("crash and re-invocation", lambda: crash_matrix(run, findings, sizes.crash_stride)),
            ("invalid input", lambda: bad_input(run, findings, sizes.invalid_models)),
            ("out-of-band changes", lambda: out_of_band(run, findings)),
            ("least privilege", lambda: least_privilege(run, findings)),
            ("secrets", lambda: secrets(run, findings)),
        ):
            step_started = time.monotonic()
            step()
            print(f"reliability: {label} done in {time.monotonic() - step_started:.0f}s", flush=True)
        findings.figures["handler operations"] = len(run.operations)
        findings.figures["handler invocations"] = sum(op.outcome.invocations for op in run.operations)
    findings.figures["seconds"] = round(time.monotonic() - started, 1)
    return findings


def lines(value: Any, indent: str = "") -> Iterable[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                yield f"{indent}- {key}:"
                yield from lines(item, indent + "  ")
            else:
                yield f"{indent}- {key}: {item}"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict):
                yield f"{indent}- " + "; ".join(f"{k}: {v}" for k, v in item.items())
            else:
                yield f"{indent}- {item}"


def report(findings: Findings, quick: bool) -> str:
    command = "make reliability" + (" (quick variant: python -m sandbox reliability --quick)" if quick else "")
    verdict = "PASSED" if not findings.failures else f"FAILED ({len(findings.failures)} findings)"
    body = [
        "# Reliability report",
        "",
        f"Generated by `{command}` on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"every figure below is from that run. Result: **{verdict}**.",
        "",
        "Everything ran through the Lambda stand-in (one forked process per invocation) against the emulator "
        "server, with distinctive fake credentials. Emulated durations and callback delays were scaled down; "
        "the SDK's retry backoff runs on the same scaled clock.",
        "",
    ]
    titles = {
        "soak": "1. Fault soak (20% throttling and 5% 5xx on every operation)",
        "crash": "2. Crash right after each SageMaker call, re-invoked with the last context "
        "(a delete that finds its experiment already gone reports NotFound, which completes a stack delete)",
        "invalid input": "3. Invalid input generated from the schema (hypothesis)",
        "out-of-band": "4. Out-of-band changes between invocations",
        "least privilege": "5. Least privilege: actions called (call log, plus iam:PassRole and tag-on-create) "
        "vs permissions listed",
        "secrets": "6. Secrets in logs and handler output",
    }
    for key, title in titles.items():
        body += [f"## {title}", "", *lines(findings.figures.get(key, {})), ""]
    body += ["## Totals", ""]
    body += [f"- {k}: {findings.figures[k]}" for k in ("handler operations", "handler invocations", "seconds")]
    body += ["", "## Findings", ""] + ([f"- {f}" for f in findings.failures] or ["- none"])
    return "\n".join(body) + "\n"


def main(quick: bool, output: Path) -> int:
    findings = run_all(quick)
    text = report(findings, quick)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    print(text)
    print(f"reliability: report written to {output}")
    return 0 if not findings.failures else 1
