"""5. Update rollback sweep. CloudFormation rolls a failed stack update back by sending the
old template as one more update (desired=old, previous=new); a rollback that fails leaves
the stack UPDATE_ROLLBACK_FAILED, which needs manual repair. For every update shape, from
every status it can start in, the forward update and its rollback must both succeed, the
rollback must make only the SageMaker calls it needs, a crash after any of its calls must
converge to the same end, and delete must leave no experiment and no unchosen shadow variant.
"""

from __future__ import annotations

import copy
import itertools
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sandbox.cloudformation.driver import Outcome
from sandbox.cloudformation.harness import Harness
from sandbox.cloudformation.prerequisites import ensure_endpoint, ensure_model
from sandbox.server import MUTATING_OPERATIONS

from .common import DURATIONS, FUTURE, Findings, endpoint_shadows, experiment_names, model
from .crash import TRIES, counted_run, crash_plan, effective_mutations, end_state, lost_invocations

Model = dict[str, Any]
CREATED, RUNNING, ENDED = "Created", "Running", "Completed at its EndTime"
ENDS_AFTER = 4.0  # seconds from creation to the natural end: room for a slow create to see Running
DAY = 86400.0


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def later_end(desired: Model) -> Model:
    end = datetime.fromisoformat(desired["Schedule"]["EndTime"].replace("Z", "+00:00")).timestamp()
    return {**desired, "Schedule": {**desired["Schedule"], "EndTime": iso(end + 2 * DAY)}}


def sampled(desired: Model) -> Model:
    changed = copy.deepcopy(desired)
    changed["ShadowModeConfig"]["ShadowModelVariants"][0]["SamplingPercentage"] = 20
    return changed


def stopped(desired: Model, keep: str = "production") -> Model:
    kept = [v for v in desired["ModelVariants"] if keep in ("both", v["VariantName"])]
    return {**desired, "DesiredState": "Completed", "ModelVariants": kept}


@dataclass(frozen=True)
class Shape:
    """One kind of forward update; `reverted_by_update` when rolling it back on a live
    experiment needs UpdateInferenceExperiment, `keeps_shadow` when it retains the shadow."""

    label: str
    change: Callable[[Model], Model]
    bases: tuple[str, ...] = (CREATED, RUNNING, ENDED)
    reverted_by_update: bool = False
    stops: bool = False
    tags: bool = False
    keeps_shadow: bool = False
    promotes: bool = False


SHAPES = (
    Shape("description", lambda d: {**d, "Description": "v2"}, reverted_by_update=True),
    Shape("sampling percentage", sampled, reverted_by_update=True),
    Shape("schedule EndTime", later_end, reverted_by_update=True),
    Shape("tags", lambda d: {**d, "Tags": [{"Key": "team", "Value": "b"}, {"Key": "new", "Value": "1"}]}, tags=True),
    Shape("start (DesiredState Running)", lambda d: {**d, "DesiredState": "Running"}, bases=(CREATED, ENDED)),
    Shape("stop keeping both variants", lambda d: stopped(d, "both"), stops=True, keeps_shadow=True),
    Shape("stop keeping production only", stopped, stops=True),
    Shape("stop promoting the shadow", lambda d: stopped(d, "shadow"), stops=True, promotes=True),
    Shape("stop plus a description change", lambda d: {**stopped(d), "Description": "v2"}, stops=True),
)


@dataclass(frozen=True)
class Case:
    shape: Shape
    base: str

    @property
    def label(self) -> str:
        return f"from {self.base}: {self.shape.label}"

    def forward_fails(self) -> bool:
        """SPEC 2 Update rule 5: a promotion on an experiment that ended without it is refused."""
        return self.base == ENDED and self.shape.promotes

    def rollback_calls(self) -> Counter[str]:
        """The mutating calls the rollback needs: one update to undo a property change on a
        live experiment, the two tag calls to undo a tag change, nothing else."""
        needed: Counter[str] = Counter()
        if self.shape.reverted_by_update and self.base != ENDED:
            needed["UpdateInferenceExperiment"] = 1
        if self.shape.tags:
            needed.update({"DeleteTags": 1, "AddTags": 1})
        return needed

    def retained_shadows(self) -> list[str]:
        """Shadow variants a stop kept on the endpoint by the template's own choice."""
        return ["shadow"] if self.shape.keeps_shadow and self.base == RUNNING else []


CASES = [Case(shape, base) for base in (CREATED, RUNNING, ENDED) for shape in SHAPES if base in shape.bases]


@dataclass
class Attempt:
    """One run of a case: its names, an optional crash point in the rollback, what happened."""

    case: Case
    name: str
    endpoint: str
    crash: int | None = None  # after the rollback's so many SageMaker calls
    base: Model = field(default_factory=dict)
    forward: Outcome | None = None
    rollback: Outcome | None = None
    calls: Counter[str] = field(default_factory=Counter)
    effective: Counter[str] = field(default_factory=Counter)
    state: dict[str, Any] = field(default_factory=dict)
    points: list[int] = field(default_factory=list)
    leaked: list[str] = field(default_factory=list)  # shadow variants the template did not keep
    deleted: bool = False
    lost: int = 0

    @property
    def reached(self) -> bool:
        """False when the rollback finished in fewer invocations than the baseline (fewer
        polls), so its crash point never came."""
        return self.lost > 0 or self.rollback is None or not self.rollback.succeeded


def base_model(attempt: Attempt) -> Model:
    schedule = {
        CREATED: FUTURE,
        RUNNING: {"EndTime": iso(time.time() + 10 * DAY)},
        ENDED: {"EndTime": iso(time.time() + ENDS_AFTER)},
    }[attempt.case.base]
    tags = [{"Key": "team", "Value": "a"}]
    return model(attempt.name, attempt.endpoint, Description="v1", Schedule=schedule, Tags=tags)


def prepare(run: Harness, findings: Findings, attempts: list[Attempt]) -> list[Attempt]:
    """Create every base first, then wait once for the natural ends."""
    ready = []
    for attempt in attempts:
        ensure_endpoint(run.sagemaker, attempt.endpoint, "model-a")
        attempt.base = base_model(attempt)
        outcome = run.run("CREATE", attempt.base)
        if outcome.succeeded:
            ready.append(attempt)
        else:
            findings.fail(f"rollback {attempt.case.label}: base create {outcome.status} {outcome.message}")
    await_natural_end(run, findings, [a for a in ready if a.case.base == ENDED])
    return ready


def await_natural_end(run: Harness, findings: Findings, attempts: list[Attempt]) -> None:
    deadline = time.monotonic() + ENDS_AFTER + 20
    for attempt in attempts:
        while run.sagemaker.describe_inference_experiment(Name=attempt.name)["Status"] != "Completed":
            if time.monotonic() > deadline:
                findings.fail(f"rollback {attempt.case.label}: {attempt.name} never reached its EndTime")
                return
            time.sleep(0.1)


def execute(run: Harness, attempt: Attempt) -> None:
    """Forward update, then its rollback (crashed at `attempt.crash` if set), then delete."""
    new = attempt.case.shape.change(attempt.base)
    attempt.forward = run.run("UPDATE", new, previous=attempt.base)
    if attempt.crash is None:
        attempt.rollback, attempt.points = counted_run(run, "UPDATE", attempt.base, new)
    else:
        run.crash_plan = crash_plan(run, attempt.crash)
        attempt.rollback = run.run("UPDATE", attempt.base, previous=new)
        run.crash_plan = None
    operation = run.operations[-1]
    attempt.calls = Counter(c.operation for c in operation.calls if c.operation in MUTATING_OPERATIONS)
    attempt.effective = effective_mutations(operation)
    attempt.lost = lost_invocations(attempt.rollback)
    attempt.state = end_state(run, attempt.name, attempt.endpoint)
    deleted = run.run("DELETE", attempt.base)
    attempt.deleted = deleted.succeeded and attempt.name not in experiment_names(run)
    shadows = endpoint_shadows(run, attempt.endpoint)
    attempt.leaked = [s for s in shadows if s not in attempt.case.retained_shadows()]


def judge(findings: Findings, attempt: Attempt, baseline: Attempt | None = None) -> bool:
    """True when the attempt ended as it must; every way it did not is a finding."""
    assert attempt.forward is not None
    assert attempt.rollback is not None
    where = f"rollback {attempt.case.label}" + (f" crashed after call {attempt.crash}" if attempt.crash else "")
    problems = []
    forward = (attempt.forward.status, attempt.forward.error_code)
    if forward != (("FAILED", "InvalidRequest") if attempt.case.forward_fails() else ("SUCCESS", None)):
        problems.append(f"forward update ended {forward}: {attempt.forward.message}")
    if not attempt.rollback.succeeded:
        problems.append(
            f"rollback ended {attempt.rollback.status} {attempt.rollback.error_code}: {attempt.rollback.message}"
        )
    if baseline is None and attempt.calls != attempt.case.rollback_calls():
        problems.append(f"rollback called {dict(attempt.calls)}; it needs {dict(attempt.case.rollback_calls())}")
    if baseline is not None and (attempt.state, attempt.effective, attempt.lost) != (
        baseline.state,
        baseline.effective,
        1,
    ):
        problems.append(
            f"ended {attempt.state} with {dict(attempt.effective)} (lost {attempt.lost}); "
            f"without the crash {baseline.state} with {dict(baseline.effective)}"
        )
    if attempt.leaked or not attempt.deleted:
        problems.append(f"delete left the experiment ({not attempt.deleted}) or shadow variants {attempt.leaked}")
    for problem in problems:
        findings.fail(f"{where}: {problem}")
    return not problems


def summary(attempt: Attempt) -> dict[str, Any]:
    assert attempt.forward is not None
    assert attempt.rollback is not None
    return {
        "case": attempt.case.label,
        "forward": f"{attempt.forward.status} {attempt.forward.error_code or ''}".strip(),
        "rollback": attempt.rollback.status,
        "rollback mutating calls": dict(attempt.calls) or "none",
    }


def figures(baselines: list[Attempt], crashes: list[Attempt], converged: int) -> dict[str, Any]:
    every = baselines + crashes
    rollbacks = [a.rollback for a in every if a.rollback is not None]
    forwards = Counter(f"{a.forward.status} {a.forward.error_code or ''}".strip() for a in baselines if a.forward)
    return {
        "update shapes": len(SHAPES),
        "cases by starting status": dict(Counter(a.case.base for a in baselines)),
        "forward updates": len(baselines),
        "forward outcomes": dict(forwards),
        "rollbacks (crashed ones included)": len(rollbacks),
        "rollbacks SUCCESS": sum(1 for r in rollbacks if r.succeeded),
        "UPDATE_ROLLBACK_FAILED-equivalents (rollbacks not SUCCESS)": sum(1 for r in rollbacks if not r.succeeded),
        "rollbacks making a mutating call they did not need": sum(
            1 for a in baselines if a.calls != a.case.rollback_calls()
        ),
        "rollback mutating calls": dict(sum((a.calls for a in baselines), Counter())),
        "leaked shadow variants": sum(len(a.leaked) for a in every),
        "experiments left after delete": sum(1 for a in every if not a.deleted),
        "shadow variants kept by the template's choice (stop keeping both, from Running)": sum(
            len(a.case.retained_shadows()) for a in baselines
        ),
        "crash points run": len(crashes),
        "crash points converged": converged,
        "cases": [summary(a) for a in baselines],
    }


def retried(run: Harness, findings: Findings, first: Attempt, make: Callable[[Case, int | None], Attempt]) -> Attempt:
    """Run a crash attempt again on a fresh experiment, up to TRIES in all, while timing
    leaves its crash point unreached."""
    current = first
    for _ in range(TRIES - 1):
        if current.reached:
            break
        fresh = prepare(run, findings, [make(first.case, first.crash)])
        if not fresh:
            break
        execute(run, fresh[0])
        current = fresh[0]
    return current


def rollback_sweep(run: Harness, findings: Findings, stride: int) -> None:
    """Every case uncrashed, then the rollback crashed at every `stride`-th of its crash points.
    Stops on a Created experiment need SageMaker to accept them: the emulator's
    stop_before_start is on for the sweep (tests/test_handlers.py covers both answers)."""
    run.configure(durations=DURATIONS, faults={"seed": 0}, stop_before_start=True)
    ensure_model(run.sagemaker, "model-b")
    started = time.monotonic()
    numbers = itertools.count()

    def attempt(case: Case, crash: int | None = None) -> Attempt:
        number = next(numbers)
        return Attempt(case, f"rollback-{number:03d}", f"rollback-endpoint-{number:03d}", crash)

    baselines = prepare(run, findings, [attempt(case) for case in CASES])
    for each in baselines:
        execute(run, each)
        judge(findings, each)
    by_case = {b.case: b for b in baselines}
    points = [(b.case, point) for b in baselines for point in b.points][::stride]
    crashes = prepare(run, findings, [attempt(case, point) for case, point in points])
    for each in crashes:
        execute(run, each)
    crashes = [retried(run, findings, each, attempt) for each in crashes]
    converged = sum(judge(findings, each, by_case[each.case]) for each in crashes)
    run.configure(stop_before_start=False)
    findings.figures["rollback"] = {
        **figures(baselines, crashes, converged),
        "seconds": round(time.monotonic() - started, 1),
    }
