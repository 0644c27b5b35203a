"""The package's shape: small modules, no import cycles, no imports hidden inside functions.

Reads srcad/**/*.py with `ast` (nothing is imported). An import inside a function is allowed only
for optional dependencies (scipy, jax, ...), which must not be needed to import srcad. A module
imported on first use is named at module level (``_driver = lazy.module("srcad.backend.driver")``,
`srcad.lazy`): those edges name existing modules, and ``import srcad`` (run in a fresh process)
loads none of `srcad.lazy.TRANSFORM_ONLY` (issue 11: a disk cache hit never transforms).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "srcad"
OPTIONAL = (
    "scipy",
    "jax",
    "dask",
    "cupy",
    "autograd",
    "optree",
    "platformdirs",
    "IPython",
    "_pytest",
)


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not MODULES[module].name == "__init__.py":
        base = base[:-1]
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The srcad modules an import statement loads."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        src = _resolve(module, node)
        names = [f"{src}.{a.name}" if f"{src}.{a.name}" in MODULES else src for a in node.names]
    out = []
    for n in names:
        while n and n not in MODULES:
            n = n.rpartition(".")[0]
        if n:
            out.append(n)
    return out


def _imports(module: str) -> tuple[list[str], list[tuple[int, str]]]:
    """(srcad modules imported at module level, (line, name) of imports inside functions)."""
    tree = ast.parse(MODULES[module].read_text())
    top: list[str] = []
    local: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                if isinstance(child, ast.ImportFrom) and child.module == "__future__":
                    continue
                if in_function:
                    first = (
                        child.names[0].name
                        if isinstance(child, ast.Import)
                        else _resolve(module, child)
                    )
                    if not first.startswith(OPTIONAL):
                        local.append((child.lineno, first))
                else:
                    top.extend(_targets(module, child))
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                continue  # annotations only
            else:
                fn = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                visit(child, in_function or fn)

    visit(tree, False)
    return top, local


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_size_and_docstring(module: str) -> None:
    text = MODULES[module].read_text()
    assert len(text.splitlines()) <= 500, f"{module} has more than 500 lines"
    if text.strip():
        assert ast.get_docstring(ast.parse(text)), f"{module} has no docstring"


def test_no_function_local_imports() -> None:
    found = [
        f"{MODULES[m].relative_to(ROOT.parent)}:{line}: {name}"
        for m in sorted(MODULES)
        for line, name in _imports(m)[1]
    ]
    assert not found, "imports inside functions (only optional dependencies may be):\n" + "\n".join(
        found
    )


def test_no_import_cycles() -> None:
    graph = {m: sorted(set(_imports(m)[0]) - {m}) for m in MODULES}
    # a package's __init__ importing its own submodules is how a package re-exports: not a cycle
    # unless a submodule imports the package back, which the edges below still show
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def dfs(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in graph.get(m, []):
            if state.get(n) == 1:
                cycles.append(path[path.index(n) :] + [n])
            elif not state.get(n):
                dfs(n, path + [n])
        state[m] = 2

    for m in sorted(graph):
        if not state.get(m):
            dfs(m, [m])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def _lazy_edges(module: str) -> list[str]:
    """The modules `module` names with ``lazy.module("...")`` at module level."""
    out = []
    for node in ast.parse(MODULES[module].read_text()).body:
        value = getattr(node, "value", None)
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "module"
            and isinstance(value.func.value, ast.Name)
            and value.func.value.id == "lazy"
            and value.args
            and isinstance(value.args[0], ast.Constant)
        ):
            out.append(value.args[0].value)
    return out


def test_lazy_modules_exist() -> None:
    edges = [(m, t) for m in sorted(MODULES) for t in _lazy_edges(m)]
    assert edges, "no lazy.module(...) found: the scan is broken"
    missing = [f"{m} -> {t}" for m, t in edges if t.startswith("srcad") and t not in MODULES]
    assert not missing, "lazy imports of modules that do not exist:\n" + "\n".join(missing)


def test_import_srcad_loads_no_transform_machinery() -> None:
    code = (
        "import sys, srcad, srcad.lazy\n"
        "print(' '.join(m for m in srcad.lazy.TRANSFORM_ONLY if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert not out, f"import srcad loaded {out}: import them with srcad.lazy.module"
