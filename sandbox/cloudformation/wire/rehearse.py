"""Rehearse a template's whole stack lifecycle offline: create, optional update, drift
detection, delete, on the stack engine's service layer (sandbox.cloudformation.service).

Inference experiments go through the provider's handlers exactly as CloudFormation drives
them (protocol 2.0.0 payloads through the Lambda stand-in, the callback loop, stack
tags); SageMaker models, endpoint configs and endpoints are created in the emulator from
their properties; anything else is skipped. Emulated durations and callback delays are
both multiplied by the time scale, so the rehearsal keeps the real proportions, and the
projected real-world durations are shown next to the emulated ones.
"""

from __future__ import annotations

import math
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from sandbox.schemas import TYPE_NAME
from sandbox.server import Call
from sandbox.server.probe import sandbox_server_problem

from ..driver import ACCOUNT
from ..engine.changes import prepare
from ..engine.model import Stack, StackEvent
from ..harness import REALISTIC_DURATIONS, REALISTIC_ENDPOINT_UPDATE, Harness, harness
from ..service.provision import Predictor, SandboxProvisioner
from ..service.stacks import StackError, StackService, check_stack_name
from ..template import document as documents
from ..template.document import Document, TemplateError
from .events import EventLog
from .remote import RemoteStack

REGION = "us-east-1"
Left = tuple[list[str], list[str]]  # (leaked, kept on purpose)
BAD_INPUT, FAILED, INTERRUPTED = 2, 1, 130


class Refused(Exception):
    """Input the rehearsal refuses before starting anything; the message says why."""


@dataclass
class Options:
    parameters: dict[str, str] = field(default_factory=dict)
    keep: bool = False
    detect_drift: bool = False
    # Called with the SageMaker client just before drift detection: an out-of-band change.
    before_drift: Callable[[Any], None] | None = None


def projected_on_aws(span: tuple[float, float], calls: list[float], scale: float) -> float:
    """Seconds an operation that ran over `span` here (wall clock) would take on AWS. From its
    first SageMaker call to its last (`calls`, the emulator's times) the operation waits on
    SageMaker's transitions, which run on the scaled clock: that stretch counts 1/scale times,
    whatever the handlers did in it (their processes' start-up overlaps the transition they wait
    for, as Lambda's re-invocation overhead does on AWS). Before the first call and after the last
    nothing waits on SageMaker (the engine's own work, seeding, an invocation's start-up): that
    runs in real time and counts once; dividing it by the scale too inflated it 50x at x0.02."""
    start, end = span
    inside = [moment for moment in calls if start <= moment <= end]
    waited = max(inside) - min(inside) if inside else 0.0
    return waited / scale + (end - start - waited)


def duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m{rest:02d}s" if minutes else f"{seconds:.1f}s"


class Rehearsal:
    """What every rehearsal prints and measures, wherever its stack lives."""

    def __init__(self, run: Harness, log: EventLog, time_scale: float, name: str) -> None:
        self.run, self.log, self.time_scale, self.name = run, log, time_scale, name
        self.timings: dict[str, tuple[float, float]] = {}
        self.started = time.time()
        self.calls: list[Call] = []
        self.outcomes: dict[str, list[str]] = {}
        self.touched: dict[str, set[str]] = {"experiments": set(), "retained": set()}
        self.invocations: Counter[str] | None = None
        self.status = ""
        self.projects = True  # whether this process knows the time scale the waits ran at
        self.handler_messages: list[str] = []
        # The handlers' SUCCESS messages not yet shown, by logical ID (a server's stay on the server).
        self.success_messages: dict[str, str] = {}

    def waiting(self, logical_id: str, message: str, seconds: float) -> None:
        """A progress line: how far into the operation AWS would be, and the next wait both ways."""
        here, projected = self.elapsed()
        aws = f"on AWS {duration(projected)} in, next look in {duration(seconds / self.time_scale)}"
        self.log.waiting(logical_id, f"{message} [{aws}; here {here:.1f}s in, {seconds:.2f}s]", seconds)

    def collect(self) -> list[Call]:
        """Every SageMaker call of this rehearsal so far (the emulator's log, read on)."""
        self.calls += self.run.new_calls()
        return self.calls

    def elapsed(self) -> tuple[float, float]:
        """Seconds since the current operation began: here, and projected on AWS (`projected_on_aws`)."""
        now = time.time()
        if not self.projects:
            return now - self.started, now - self.started
        moments = [call.time for call in self.collect() if call.time >= self.started]
        return now - self.started, projected_on_aws((self.started, now), moments, self.time_scale)

    def print_event(self, event: StackEvent) -> None:
        reason = event.reason
        message = self.success_messages.pop(event.logical_id, "") if event.status.endswith("_COMPLETE") else ""
        if message:
            reason = f"{reason}  " if reason else ""
            reason += f"(handler's message: {message})"
            operation = event.status.removesuffix("_COMPLETE").lower().replace("_", " ")
            self.handler_messages.append(f"{event.logical_id} ({operation}): {message}")
        self.log.event(event.logical_id, event.type, event.status, reason)
        if event.type == TYPE_NAME and event.physical_id:
            self.touched["experiments"].add(event.physical_id)
        if event.reason.startswith("retained"):
            self.touched["retained"].add(event.physical_id)
        if event.logical_id == self.name:
            self.status = event.status
        elif not event.status.endswith("IN_PROGRESS"):
            self.outcomes.setdefault(event.logical_id, []).append(event.status)

    def preview(self, operation: str, source: str, lines: list[str]) -> None:
        self.log.note(f"Change set for {operation} of {source}:")
        for line in lines or ["(no resource changes)"]:
            self.log.note(f"    {line}")

    def timed(self, operation: str, action: Callable[[], bool]) -> bool:
        """Run `action`, noting its duration here and projected on AWS."""
        self.started = time.time()
        try:
            return action()
        finally:
            self.timings[operation] = self.elapsed()

    def drift_line(self, logical_id: str, status: str, differences: list[tuple[str, Any, Any]]) -> None:
        details = "".join(f"\n        {path}: expected {old!r}, actual {new!r}" for path, old, new in differences)
        self.log.note(f"    drift {logical_id:<22} {status}{details}")


class LocalRehearsal(Rehearsal):
    """The stack on the engine in this process, its handlers in a private Lambda stand-in."""

    def __init__(self, run: Harness, log: EventLog, time_scale: float, name: str, tags: dict[str, str]) -> None:
        super().__init__(run, log, time_scale, name)
        self.provisioner = SandboxProvisioner(ACCOUNT, REGION, run.sagemaker, run.driver(), self.waiting)
        self.invocations = self.provisioner.invocations
        self.success_messages = self.provisioner.messages
        self.service = StackService(self.provisioner, REGION, ACCOUNT)
        self.stack = self.service.new_stack(name, tags)
        self.service.listeners.append(self.print_event)

    @property
    def has_resources(self) -> bool:
        return bool(self.stack.resources)

    def operate(self, operation: str, document: Document, text: str, parameters: dict[str, str]) -> bool:
        """Plan, preview and run a create or an update; a refused request is a failure."""
        try:
            plan = self.service.plan(self.stack, document, text, parameters)
            self.preview(operation, document.source, [str(change) for change in plan.changes])
            action = (
                self.service.create(self.stack, plan)
                if operation == "create"
                else self.service.update(self.stack, plan, self.stack.tags)
            )
        except (TemplateError, StackError) as error:
            self.log.note(f"error: {operation} refused: {error}")
            return False
        return self.timed(operation, action)

    def drift(self) -> None:
        for result in self.service.detect_drift(self.stack):
            self.drift_line(
                result.logical_id, result.status, [(d.path, d.expected, d.actual) for d in result.differences]
            )

    def outputs(self) -> None:
        for name, output in self.stack.outputs.items():
            self.log.note(f"    output {name} = {output['Value']}")

    def delete(self) -> bool:
        return self.timed("delete", self.service.delete(self.stack))


class RemoteRehearsal(Rehearsal):
    """The stack on a running server's CloudFormation API (`--endpoint-url`)."""

    def __init__(self, run: Harness, log: EventLog, time_scale: float, name: str, tags: dict[str, str]) -> None:
        super().__init__(run, log, time_scale, name)
        self.projects = False
        self.remote = RemoteStack(run.emulator_url, REGION, name, tags, self.print_event)

    @property
    def has_resources(self) -> bool:
        return self.remote.exists

    def operate(self, operation: str, document: Document, text: str, parameters: dict[str, str]) -> bool:
        try:
            lines, change_set = self.remote.change_set(operation.upper(), text, parameters)
        except ClientError as error:
            self.log.note(f"error: {operation} refused: {error.response['Error']['Message']}")
            return False
        self.preview(operation, document.source, lines)
        return self.timed(operation, lambda: self.remote.execute(change_set))

    def drift(self) -> None:
        for logical_id, status, differences in self.remote.drift():
            self.drift_line(logical_id, status, differences)

    def outputs(self) -> None:
        for name, value in self.remote.outputs().items():
            self.log.note(f"    output {name} = {value}")

    def delete(self) -> bool:
        return self.timed("delete", self.remote.delete)


def leftovers(sagemaker: Any, calls: list[Call], experiments: set[str], retained: set[str]) -> Left:
    """What the stack left in the emulator, as (leaked, kept on purpose): its experiments still
    there, and shadow variants on the endpoints its experiments were created on (another
    stack's, on a shared server, are not this one's). A retained experiment is kept on
    purpose, and so is its shadow variant."""
    leaked, kept = [], []
    for name in sorted(experiments):
        try:
            status = sagemaker.describe_inference_experiment(Name=name)["Status"]
        except sagemaker.exceptions.ResourceNotFound:
            continue
        if name in retained:
            kept.append(f"inference experiment {name} ({status}, retained by its Retain policy)")
        else:
            leaked.append(f"inference experiment {name} ({status})")
    deleted_on = {call.endpoint for call in calls if call.endpoint and call.name in experiments - retained}
    kept_on = {call.endpoint for call in calls if call.endpoint and call.name in retained}
    for endpoint in sorted(deleted_on - kept_on):
        try:
            described = sagemaker.describe_endpoint(EndpointName=endpoint)
        except ClientError:
            continue  # the stack's own endpoint, deleted with it
        leaked += [
            f"shadow variant {v['VariantName']} on endpoint {endpoint}"
            for v in described.get("ShadowProductionVariants") or []
        ]
    return leaked, kept


def summary(rehearsal: Rehearsal, calls: Counter[str], left: Left | None) -> list[str]:
    lines = [
        f"Summary of stack {rehearsal.name}: {rehearsal.status} "
        f"(emulated durations and callback delays x{rehearsal.time_scale:g})"
    ]
    for logical_id, statuses in rehearsal.outcomes.items():
        lines.append(f"  {logical_id:<22} {' -> '.join(statuses)}")
    lines.append(
        "  duration: "
        + ", ".join(
            f"{op} {here:.1f}s here, about {duration(projected)} on AWS" if rehearsal.projects else f"{op} {here:.1f}s"
            for op, (here, projected) in rehearsal.timings.items()
        )
        + ("" if rehearsal.projects else " (at the server's --time-scale)")
    )
    invocations = rehearsal.invocations
    lines.append(
        f"  handler invocations: {invocations.total()} ("
        + ", ".join(f"{op.lower()} {count}" for op, count in invocations.items())
        + ")"
        if invocations is not None
        else "  handler invocations: made by the server's Lambda stand-in"
    )
    lines += [f"  handler's message: {line}" for line in rehearsal.handler_messages]
    lines.append("  SageMaker calls: " + (", ".join(f"{op} {n}" for op, n in sorted(calls.items())) or "none"))
    if left is not None:
        lines.append("  left in the emulator: " + (", ".join(left[0] + left[1]) or "nothing"))
    return lines


@contextmanager
def servers(time_scale: float, endpoint_url: str | None) -> Iterator[Harness]:
    """A private emulator and Lambda stand-in, or the server at `endpoint_url` (which runs its own)."""
    if endpoint_url is not None:
        with tempfile.TemporaryDirectory(prefix="sandbox-rehearsal-") as workdir:
            run = Harness(endpoint_url, "", Path(workdir), time_scale)
            run.new_calls()  # the server's earlier calls are not this rehearsal's
            yield run
        return
    with harness(time_scale) as run:
        realistic = {**REALISTIC_DURATIONS, **REALISTIC_ENDPOINT_UPDATE}
        run.configure(durations={k: v * time_scale for k, v in realistic.items()})
        yield run


def read_template(path: str | None) -> tuple[Document, str] | None:
    if path is None:
        return None
    document = documents.read(path)
    return document, Path(path).read_text(encoding="utf-8", errors="replace")


def preflight(
    templates: list[tuple[Document, str]], parameters: dict[str, str], stack_name: str, log: EventLog
) -> None:
    """Every template resolved against an empty stack before any server starts, so whatever
    CloudFormation would refuse (lint errors, parameters, intrinsics, names) stops the run
    before anything is created, the update template's problems included."""
    check_stack_name(stack_name)
    for document, text in templates:
        plan = prepare(Stack(stack_name, REGION, ACCOUNT), document, text, parameters, {}, Predictor(ACCOUNT, REGION))
        for warning in plan.warnings:
            log.note(f"warning: {document.source}: {warning}")


def lifecycle(
    rehearsal: LocalRehearsal | RemoteRehearsal, templates: list[tuple[Document, str]], options: Options
) -> bool:
    """Create, update, drift, delete; False when any stack operation failed."""
    ok = rehearsal.operate("create", *templates[0], options.parameters)
    if ok and len(templates) > 1:
        ok = rehearsal.operate("update", *templates[1], options.parameters)
    if ok:
        rehearsal.outputs()
    if options.detect_drift and rehearsal.has_resources:
        if options.before_drift is not None:
            options.before_drift(rehearsal.run.sagemaker)
        rehearsal.drift()
    if not options.keep and rehearsal.has_resources:
        ok = rehearsal.delete() and ok
    return ok


def rehearse(
    template_path: str,
    update_path: str | None = None,
    parameters: dict[str, str] | None = None,
    keep: bool = False,
    time_scale: float = 0.02,
    stack_name: str = "rehearsal",
    stack_tags: dict[str, str] | None = None,
    log: EventLog | None = None,
    detect_drift: bool = False,
    endpoint_url: str | None = None,
    before_drift: Callable[[Any], None] | None = None,
) -> int:
    """Run the rehearsal; 0 when every stack operation succeeded and nothing leaked."""
    log = log or EventLog()
    try:
        if not (time_scale > 0 and math.isfinite(time_scale)):
            raise Refused(f"--time-scale must be a finite number greater than 0, got {time_scale:g}")
        templates = [t for t in (read_template(template_path), read_template(update_path)) if t]
        preflight(templates, dict(parameters or {}), stack_name, log)
        problem = sandbox_server_problem(endpoint_url) if endpoint_url is not None else None
        if problem:
            raise Refused(problem)
    except (Refused, TemplateError, StackError, OSError) as error:
        log.note(f"error: {error}")
        log.note("nothing was created")
        return BAD_INPUT
    try:
        with servers(time_scale, endpoint_url) as run:
            front = RemoteRehearsal if endpoint_url else LocalRehearsal
            rehearsal = front(run, log, time_scale, stack_name, dict(stack_tags or {}))
            options = Options(dict(parameters or {}), keep, detect_drift, before_drift)
            ok = lifecycle(rehearsal, templates, options)
            calls = rehearsal.collect()  # before the look for leftovers, whose calls are not the stack's
            left = None if keep else leftovers(run.sagemaker, calls, *rehearsal.touched.values())
            log.note("")
            for line in summary(rehearsal, Counter(call.operation for call in calls), left):
                log.note(line)
            return 0 if ok and not (left and left[0]) else FAILED
    except KeyboardInterrupt:
        kept = f"; the stack stays on {endpoint_url}" if endpoint_url else ""
        log.note(f"interrupted: stopped the rehearsal and its servers{kept}")
        return INTERRUPTED
    except (RuntimeError, OSError, BotoCoreError) as error:
        log.note(f"error: {error}")
        return FAILED
