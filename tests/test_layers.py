"""Imports between the sandbox's packages run one way: emulator <- server <- Lambda runtime
<- CloudFormation stand-ins <- suites and the CLI. The emulator imports only moto,
botocore, the standard library and itself, so it could be offered to moto as it is."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SANDBOX = Path(__file__).resolve().parent.parent / "sandbox"
LAYERS = {
    "sandbox": 0,
    "sandbox.common": 0,
    "sandbox.emulator": 1,
    "sandbox.server": 2,
    "sandbox.lambda_runtime": 3,
    "sandbox.cloudformation": 4,
    "sandbox.cloudcontrol": 4,
    "sandbox.suites": 5,
    "sandbox.local_aws": 6,
    "sandbox.__main__": 6,
}
EMULATOR_MAY_IMPORT = {"moto", "botocore", *sys.stdlib_module_names}


def module_name(path: Path) -> str:
    parts = path.relative_to(SANDBOX.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Absolute names of every module `path` imports, relative imports resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            prefix = (base + "." if node.level else "") + (node.module or "")
            found.add(prefix.rstrip("."))
            if node.module is None:
                found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def layer(module: str) -> int:
    owner = max((name for name in LAYERS if module == name or module.startswith(name + ".")), key=len)
    return LAYERS[owner]


MODULES = sorted(SANDBOX.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_no_upward_import(path: Path) -> None:
    own = layer(module_name(path))
    upward = sorted(m for m in imports(path) if m.startswith("sandbox") and layer(m) > own)
    assert upward == [], f"{module_name(path)} (layer {own}) imports from a higher layer"


@pytest.mark.parametrize("path", sorted((SANDBOX / "emulator").rglob("*.py")), ids=lambda p: module_name(p))
def test_emulator_imports_only_moto_botocore_stdlib(path: Path) -> None:
    foreign = sorted(
        m for m in imports(path) if m.split(".")[0] not in EMULATOR_MAY_IMPORT and not m.startswith("sandbox.emulator")
    )
    assert foreign == []


def test_relative_imports_are_resolved() -> None:
    found = imports(SANDBOX / "emulator" / "models.py")
    assert {"sandbox.emulator.validators", "sandbox.emulator.settings", "moto.sagemaker.models"} <= found


def emulator_import_cycle() -> list[str]:
    """A cycle among the emulator's modules (TYPE_CHECKING imports included), or []. The
    package itself is left out: its `__init__` only re-exports what its modules define."""
    package = "sandbox.emulator"
    graph = {
        module_name(path): {m for m in imports(path) if m.startswith(package + ".")}
        for path in (SANDBOX / "emulator").rglob("*.py")
        if module_name(path) != package
    }
    finished: set[str] = set()

    def visit(module: str, trail: list[str]) -> list[str]:
        if module in trail:
            return [*trail[trail.index(module) :], module]
        if module in finished:
            return []
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported, [*trail, module])
            if cycle:
                return cycle
        finished.add(module)
        return []

    for module in sorted(graph):
        cycle = visit(module, [])
        if cycle:
            return cycle
    return []


def test_emulator_modules_import_one_way() -> None:
    assert emulator_import_cycle() == [], " -> ".join(emulator_import_cycle())
