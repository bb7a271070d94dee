"""Imports between the sandbox's packages run one way: emulator <- server <- Lambda runtime
<- CloudFormation stand-ins <- suites and the CLI. The emulator imports only moto,
botocore, the standard library and itself, so it could be offered to moto as it is."""

from __future__ import annotations

import ast
import os
import subprocess
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


# ---- no cycles anywhere, and the stack engine's four layers ------------------------------

SRC = SANDBOX.parent / "src"
PACKAGES = {"sandbox": SANDBOX, "aws_sagemaker_inferenceexperiment": SRC / "aws_sagemaker_inferenceexperiment"}
STACK_ENGINE = "sandbox.cloudformation"
STACK_ENGINE_LAYERS = {"template": 0, "engine": 1, "service": 2, "wire": 3}


def dotted(path: Path) -> str:
    parts = path.relative_to(SRC if SRC in path.parents else SANDBOX.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def all_modules() -> dict[str, Path]:
    return {dotted(path): path for root in PACKAGES.values() for path in sorted(root.rglob("*.py"))}


def resolved_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """The project modules `path` imports (TYPE_CHECKING blocks included): each name mapped
    to the longest module it starts with, so `from .x import Name` is an edge to `x`."""
    own = dotted(path)
    package = own if path.name == "__init__.py" else own.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            prefix = (base + "." if node.level else "") + (node.module or "")
            names = [f"{prefix.rstrip('.')}.{alias.name}" for alias in node.names] + [prefix.rstrip(".")]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name and name != own:
                found.add(name)
    return found


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph[module]):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def import_graph() -> dict[str, set[str]]:
    known = all_modules()
    graph = {name: resolved_imports(path, known) for name, path in known.items()}
    # A package's __init__ re-exporting its own modules is how packages are built, not a cycle.
    return {name: {t for t in targets if not name.startswith(t + ".")} for name, targets in graph.items()}


def test_no_import_cycle_in_src_or_sandbox() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_finder_finds_a_cycle_closed_by_a_type_checking_import() -> None:
    graph = import_graph()
    graph["sandbox.cloudformation.engine.model"].add("sandbox.cloudformation.service.changesets")
    assert any("sandbox.cloudformation.engine.model" in group for group in cycles(graph))


def stack_engine_layer(module: str) -> int | None:
    part = module.removeprefix(STACK_ENGINE + ".").split(".")[0] if module.startswith(STACK_ENGINE + ".") else ""
    return STACK_ENGINE_LAYERS.get(part)


ENGINE_MODULES = sorted(
    path for layer_name in STACK_ENGINE_LAYERS for path in (SANDBOX / "cloudformation" / layer_name).rglob("*.py")
)


@pytest.mark.parametrize("path", ENGINE_MODULES, ids=dotted)
def test_stack_engine_layers_import_one_way(path: Path) -> None:
    """template <- engine <- service <- wire, and template and engine touch nothing else of
    the sandbox but its schema object: no handler loop, Lambda stand-in or emulator."""
    own = stack_engine_layer(dotted(path))
    assert own is not None
    targets = resolved_imports(path, all_modules())
    upward = sorted(t for t in targets if (stack_engine_layer(t) or 0) > own)
    assert upward == []
    if own <= STACK_ENGINE_LAYERS["engine"]:
        outside = sorted(
            t
            for t in targets
            if t.startswith("sandbox") and stack_engine_layer(t) is None and t not in ("sandbox", "sandbox.schemas")
        )
        assert outside == []


def test_importing_the_planner_loads_no_provisioner_emulator_or_lambda_stand_in() -> None:
    code = (
        "import sys, sandbox.cloudformation.engine.changes\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('moto', 'boto3', 'botocore')"
        " or m.startswith(('sandbox.lambda_runtime', 'sandbox.emulator', 'sandbox.server',"
        " 'sandbox.cloudformation.service', 'sandbox.cloudformation.driver'))))"
    )
    environment = {**os.environ, "PYTHONPATH": f"{SRC}{os.pathsep}{SANDBOX.parent}"}
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment)
    assert loaded.stdout.strip() == "[]"


LOOP_AND_FIXTURES = {
    "sandbox.cloudformation.driver",
    "sandbox.cloudformation.prerequisites",
    "sandbox.lambda_runtime.callbacks",
}


def test_one_module_of_the_stack_engine_runs_handlers_and_seeds_fixtures() -> None:
    """The sandbox's provisioner is the only module of the four layers that imports the handler
    loop (the CloudFormation driver or the loop itself) or the emulator fixtures."""
    known = all_modules()
    users = sorted(
        dotted(path)
        for path in ENGINE_MODULES
        if any(
            module in LOOP_AND_FIXTURES and (module != "sandbox.cloudformation.driver" or uses_driver_loop(path))
            for module in resolved_imports(path, known)
        )
    )
    assert users == ["sandbox.cloudformation.service.provision"]


def uses_driver_loop(path: Path) -> bool:
    """Whether `path` imports the driver's loop (not only its ACCOUNT constant)."""
    return any(
        isinstance(node, ast.ImportFrom)
        and (node.module or "").endswith("driver")
        and any(alias.name not in ("ACCOUNT",) for alias in node.names)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
    )
