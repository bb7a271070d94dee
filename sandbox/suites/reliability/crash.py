"""2. A crash right after each SageMaker call of every step, re-invoked with the last
context as CloudFormation would: the operation must end as it does without the crash."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sandbox.cloudformation.driver import Outcome
from sandbox.cloudformation.harness import Harness, Operation
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.server import MUTATING_OPERATIONS

from .common import DURATIONS, FUTURE, Findings, endpoint_shadows, experiment_names, model, without_shadow

IDEMPOTENT = {"AddTags", "DeleteTags"}
TRIES = 3  # a crash point in a late poll is not reached when a run happens to need fewer polls
Prepared = tuple[dict[str, Any], dict[str, Any] | None]


@dataclass
class Scenario:
    label: str
    prepare: Callable[[Harness, str, str], Prepared]
    action: str


@dataclass
class Baseline:
    """The scenario without a crash: where it ended, what it changed, and its crash points
    (the number of SageMaker calls into the operation)."""

    state: dict[str, Any]
    mutations: Counter[str]
    points: list[int]
    operations: list[str]

    def is_poll(self, point: int) -> bool:
        """A read (Describe, ListTags): how many a run makes depends on timing."""
        return self.operations[point - 1] not in MUTATING_OPERATIONS


def prepare_create(_run: Harness, name: str, endpoint: str) -> Prepared:
    return model(name, endpoint, Schedule=FUTURE, DesiredState="Running", Tags=[{"Key": "a", "Value": "1"}]), None


def prepare_update(run: Harness, name: str, endpoint: str) -> Prepared:
    before = model(name, endpoint, DesiredState="Running", Tags=[{"Key": "a", "Value": "1"}])
    run.run("CREATE", before)
    after = without_shadow(
        {**before, "Description": "crash", "DesiredState": "Completed", "Tags": [{"Key": "b", "Value": "2"}]}
    )
    return after, before


def prepare_delete(run: Harness, name: str, endpoint: str) -> Prepared:
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


def counted_run(
    run: Harness, action: str, desired: dict[str, Any], previous: dict[str, Any] | None
) -> tuple[Outcome, list[int]]:
    """Run an operation and list its crash points: after each SageMaker call it made,
    counted from its first."""
    outcome = run.run(action, desired, previous=previous)
    return outcome, list(range(1, len(run.operations[-1].calls) + 1))


def baseline(run: Harness, scenario: Scenario, number: int, endpoint: str) -> Baseline:
    desired, previous = scenario.prepare(run, f"crash-{number}-baseline", endpoint)
    _, points = counted_run(run, scenario.action, desired, previous)
    operation = run.operations[-1]
    calls = [c.operation for c in operation.calls]
    result = Baseline(end_state(run, desired["Name"], endpoint), effective_mutations(operation), points, calls)
    run.run("DELETE", desired)
    return result


def crash_plan(run: Harness, call: int) -> Callable[[], int | None]:
    """Crash whichever invocation makes the operation's `call`-th SageMaker call, right after
    it. The calls come in the same order every run, but not always in the same invocations:
    a handler's looks inside an invocation end with its time budget, which timing moves."""

    def plan() -> int | None:
        remaining = call - run.pending_calls()
        return remaining if remaining >= 1 else None

    return plan


def lost_invocations(outcome: Outcome) -> int:
    return sum(1 for e in outcome.events if e.get("status") == "LOST")


@dataclass
class Crashed:
    """How one crashed run ended, and what it changed."""

    outcome: Outcome
    state: dict[str, Any]
    mutations: Counter[str]

    @property
    def finished(self) -> bool:
        # A delete whose Delete call took effect before the crash finds the experiment gone
        # on re-invocation: NotFound, which CloudFormation completes the stack delete on.
        return self.outcome.succeeded or (self.outcome.action == "DELETE" and self.outcome.error_code == "NotFound")

    @property
    def reached(self) -> bool:
        """False when the run finished in fewer invocations or calls than the baseline
        (fewer polls), so the crash point never came."""
        return lost_invocations(self.outcome) > 0 or not self.finished


def crashed_run(run: Harness, scenario: Scenario, name: str, endpoint: str, point: int) -> Crashed:
    desired, previous = scenario.prepare(run, name, endpoint)
    run.crash_plan = crash_plan(run, point)
    outcome = run.run(scenario.action, desired, previous=previous)
    run.crash_plan = None
    crashed = Crashed(outcome, end_state(run, name, endpoint), effective_mutations(run.operations[-1]))
    if name in experiment_names(run):
        run.run("DELETE", desired)
    return crashed


def crash_case(
    run: Harness,
    findings: Findings,
    scenario: Scenario,
    name: str,
    endpoint: str,
    point: int,
    base: Baseline,
) -> bool | None:
    """Run the scenario with one crash (again on a fresh experiment, up to TRIES times, while
    timing leaves the point unreached); True when it converged to the baseline, None when the
    point is a poll that no try reached (each finished in fewer polls, as the baseline did)."""
    for attempt in range(TRIES):
        crashed = crashed_run(run, scenario, f"{name}-{attempt}", endpoint, point)
        if crashed.reached:
            break
    where = f"crash {scenario.label} after call {point}"
    lost = lost_invocations(crashed.outcome)
    converged = crashed.state == base.state and crashed.mutations == base.mutations
    if not crashed.reached and base.is_poll(point) and converged:
        return None
    if not crashed.finished or lost != 1:
        findings.fail(f"{where}: {crashed.outcome.status} {crashed.outcome.message} (lost {lost})")
    elif not converged:
        findings.fail(
            f"{where}: ended {crashed.state} with calls {dict(crashed.mutations)}; "
            f"without the crash {base.state} with {dict(base.mutations)}"
        )
    else:
        return True
    return False


def crash_matrix(run: Harness, findings: Findings, stride: int) -> None:
    run.configure(durations=DURATIONS, faults={"seed": 0})
    results: list[bool | None] = []
    for number, scenario in enumerate(SCENARIOS):
        endpoint = f"crash-endpoint-{number}"
        ensure_endpoint(run.sagemaker, endpoint, "model-a")
        ensure_model(run.sagemaker, "model-b")
        base = baseline(run, scenario, number, endpoint)
        for case_index, point in enumerate(base.points[::stride]):
            name = f"crash-{number}-{case_index:03d}"
            results.append(crash_case(run, findings, scenario, name, endpoint, point, base))
    findings.figures["crash"] = {
        "scenarios": len(SCENARIOS),
        "crash points run": len(results),
        "converged": results.count(True),
        "late polls no try reached (timing: the run needed fewer polls)": results.count(None),
    }
