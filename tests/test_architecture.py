"""The layers of ``src/linmod`` stay honest: no import cycle and no upward import.

Every ``import`` in the package is read from the source (including imports inside
functions, which run as surely as top-level ones; only ``if TYPE_CHECKING:`` blocks are
left out, as they never run).  Each module belongs to the layer of its top-level package;
a module may import from its own layer or a lower one, and the modules must form no cycle.
Methods of results that reach higher layers (``res.check()``, ``res.summary()``) do so
through :mod:`linmod._registry`, by name, which is the one sanctioned way up.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "linmod"

# Lowest first.  The layer order is written here once; docs/architecture.md draws it.
LAYERS: list[set[str]] = [
    {
        "exceptions",
        "_stack",
        "_lazy",
        "_cached",
        "_frozen",
        "_series",
        "_registry",
        "_version",
        "progress",
        "files",
    },
    {"linalg"},
    {"data"},
    {"solvers"},
    {"outofcore", "distributed"},
    {"inference"},
    {"diagnostics", "metrics"},
    {"models", "estimators", "model_file", "model_document", "saved_formula"},
    {"model_selection", "analysis", "overview"},
    {"plots"},
    {"report"},
    {"datasets", "regularization", "cli", "__init__"},
]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


MODULES = {_module_name(p): p for p in SRC.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(module: str) -> set[str]:
    """The linmod modules that ``module`` imports at run time."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            names = [f"{stem}.{alias.name}" for alias in node.names]
            # ``from pkg import module`` names the module, not the package's own code
            targets = names if all(name in MODULES for name in names) else [stem, *names]
        else:
            targets = []
        for target in targets:
            # the deepest linmod module named by the import
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target != module:
                found.add(target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def layer_of(module: str) -> int:
    parts = module.split(".")
    top = parts[1] if len(parts) > 1 else "__init__"
    for index, layer in enumerate(LAYERS):
        if top in layer:
            return index
    raise AssertionError(f"{module}: its package {top!r} has no layer in LAYERS")


def test_every_package_has_a_layer() -> None:
    for module in MODULES:
        layer_of(module)


def test_no_upward_import() -> None:
    upward = sorted(
        f"{module} (layer {layer_of(module)}) imports {target} (layer {layer_of(target)})"
        for module, targets in GRAPH.items()
        for target in targets
        if layer_of(target) > layer_of(module)
    )
    assert not upward, "\n".join(upward)


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(GRAPH):
        if node not in index:
            connect(node)
    return components


def test_no_import_cycle() -> None:
    assert not _cycles(), _cycles()


def test_the_checker_sees_a_cycle_and_an_upward_import() -> None:
    """The two checks can fail: a planted cycle and a planted upward edge are found."""
    saved = {key: set(value) for key, value in GRAPH.items()}
    try:
        GRAPH["linmod.linalg.dd"].add("linmod.report.html")
        GRAPH["linmod.report.html"].add("linmod.linalg.dd")
        assert _cycles()
        with pytest.raises(AssertionError, match=r"linmod\.linalg\.dd"):
            test_no_upward_import()
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


#: One concept per module: none grows past ~500 lines (this cap, with a little slack).
MAX_LINES = 510


def test_no_module_past_the_size_cap() -> None:
    long = {
        name: n
        for name, path in MODULES.items()
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these modules (over {MAX_LINES} lines): {long}"
