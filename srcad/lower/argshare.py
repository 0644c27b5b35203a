"""The values besides its arguments that a function's update of an argument could show through:
the globals and closure values the function and the module-level functions it names read.

Input: the Python function being lowered (`pyfunc`) and its lowerer (lower/argcopy.py's `leave`
and `enter`). Output: `external_values`, the (label, operand, reading op) of each such value that
may hold an array, list, dict or object, which ``_srcad.args_unshared(...)`` checks at run time
against the updated arguments (an update of the private copy would not show through the other
name, Python's would); and `other_reader`, the function other than `pyfunc` that reads a global
`pyfunc` updates (refused at lowering: that function would see the old values).
"""

from __future__ import annotations

import types
from typing import Any

import numpy as np

from srcad.frontend.functions import global_names
from srcad.ssa.core import Const, Op, Var


def other_reader(pyfunc: Any, name: str, value: Any) -> str | None:
    """The name of a module-level function `pyfunc` names (transitively) other than itself
    whose code reads a global `name` bound to `value`, or None."""
    todo, seen = [pyfunc], {id(pyfunc)}
    for f in todo:
        code = getattr(f, "__code__", None)
        if code is None:
            continue
        g = getattr(f, "__globals__", {})
        for n in dict.fromkeys(global_names(code)):
            v = g.get(n)
            if f is not pyfunc and n == name and v is value:
                return getattr(f, "__qualname__", n)
            if isinstance(v, types.FunctionType) and id(v) not in seen and len(seen) < 64:
                seen.add(id(v))
                todo.append(v)
    return None


def external_values(lw: Any, pyfunc: Any) -> list[tuple[str, Any, Op | None]]:
    """(label, operand, the op reading it) of the globals and closure values the function and the
    module-level functions it names (transitively) read that may hold an array, list, dict or
    object: a ``global``/``free`` op for this function's own names, the value itself (a `Const`)
    for another module's or function's."""
    out: list[tuple[str, Any, Op | None]] = []
    done: set[tuple[int, str]] = set()
    own = lw.ns.globals
    todo, seen = [pyfunc], {id(pyfunc)}
    for f in todo:
        code = getattr(f, "__code__", None)
        if code is None:
            continue
        g = getattr(f, "__globals__", {})
        for name, cell in zip(code.co_freevars, f.__closure__ or ()):
            try:
                v = cell.cell_contents
            except ValueError:
                continue
            kind = "free" if f is pyfunc else "const"
            _add(out, done, todo, seen, kind, name, v, id(f))
        for name in dict.fromkeys(global_names(code)):
            if name in g:
                _add(out, done, todo, seen, "global" if g is own else "const", name, g[name], id(g))
    return out


def _add(out: list, done: set, todo: list, seen: set, kind: str, name: str, v: Any,
         space: int) -> None:  # fmt: skip
    if isinstance(v, types.FunctionType):
        if id(v) not in seen and len(seen) < 64:
            seen.add(id(v))
            todo.append(v)
        return
    if not _may_hold(v) or (space, name) in done:
        return
    done.add((space, name))
    label = f"closure value `{name}`" if kind == "free" else f"global `{name}`"
    if kind == "const":
        out.append((label, Const(v), None))
        return
    res = Var(name)
    out.append((label, res, Op(kind, [], results=[res], params={"name": name})))


def _may_hold(v: Any) -> bool:
    if isinstance(v, (types.ModuleType, type, types.BuiltinFunctionType, types.MethodType)):
        return False
    if isinstance(v, (int, float, complex, bool, str, bytes, type(None), np.generic)):
        return False
    return not callable(v) or hasattr(v, "__dict__")
