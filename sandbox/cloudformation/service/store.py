"""What CloudFormation keeps for one account and region, in one place: live and deleted
stacks, their change sets, drift detections, and the exports that bind stacks together."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..engine.model import Stack
from .changesets import ChangeSet, DriftDetection


@dataclass(frozen=True)
class Export:
    stack_name: str
    value: Any


@dataclass
class StackStore:
    region: str
    account: str
    stacks: dict[str, Stack] = field(default_factory=dict)
    deleted: list[Stack] = field(default_factory=list)
    change_sets: dict[str, dict[str, ChangeSet]] = field(default_factory=dict)  # by stack ID, then name
    detections: dict[str, DriftDetection] = field(default_factory=dict)
    exports: dict[str, Export] = field(default_factory=dict)
    imports: dict[str, set[str]] = field(default_factory=dict)  # export names each stack imports

    def find(self, name_or_id: str) -> Stack | None:
        """A live stack by name or ID; a deleted one by ID only, as CloudFormation finds them."""
        for stack in self.stacks.values():
            if name_or_id in (stack.name, stack.id) and stack.status != "DELETE_COMPLETE":
                return stack
        return next((stack for stack in self.deleted if stack.id == name_or_id), None)

    def change_sets_of(self, stack: Stack) -> dict[str, ChangeSet]:
        return self.change_sets.setdefault(stack.id, {})

    def latest_detection(self, stack: Stack) -> DriftDetection | None:
        return next((d for d in reversed(self.detections.values()) if d.stack is stack), None)

    def exported_values(self, excluding: str = "") -> dict[str, Any]:
        """Every export's value, except those of stack `excluding` (it may re-export them)."""
        return {name: export.value for name, export in self.exports.items() if export.stack_name != excluding}

    def exported_by_other(self, names: list[str], stack: Stack) -> tuple[str, str] | None:
        """(export, exporting stack) for the first of `names` another stack already exports."""
        for name in sorted(names):
            export = self.exports.get(name)
            if export is not None and export.stack_name != stack.name:
                return name, export.stack_name
        return None

    def importer_of(self, stack: Stack) -> tuple[str, str] | None:
        """(export, importing stack) for the first of `stack`'s exports another stack imports."""
        for other, names in self.imports.items():
            used = sorted(n for n in names if other != stack.name and n in self.exports)
            used = [n for n in used if self.exports[n].stack_name == stack.name]
            if used:
                return used[0], other
        return None

    def in_use(self, stack: Stack) -> dict[str, tuple[Any, str]]:
        """Each of `stack`'s exports another stack imports: its value and the first importer."""
        found: dict[str, tuple[Any, str]] = {}
        for other, names in sorted(self.imports.items()):
            for name in sorted(names):
                export = self.exports.get(name)
                if other != stack.name and export is not None and export.stack_name == stack.name:
                    found.setdefault(name, (export.value, other))
        return found

    def publish(self, stack: Stack, imported: set[str] | None) -> None:
        """The stack's exports as its outputs now give them; its imports, when it succeeded."""
        for name in [n for n, e in self.exports.items() if e.stack_name == stack.name]:
            del self.exports[name]
        for output in stack.outputs.values():
            if "ExportName" in output:
                self.exports[output["ExportName"]] = Export(stack.name, output["Value"])
        if imported is not None:
            self.imports[stack.name] = set(imported)
