"""Compile-time values of the lowering environment, and small helpers shared by the lowering modules.

Input: none. Output: the kinds of things a name can stand for while lowering:

- an SSA operand (`Var` or `Const`): an ordinary runtime value;
- `ModuleRef`: a module (``np``), resolved at transform time so ``np.sin`` becomes the prim ``numpy.sin``;
- `PrimRef`: a library callable (``numpy.sin``, ``len``, ``np.float64``);
- `NestedFn`: a ``def`` or ``lambda`` inside the function, inlined at its call sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Union

import gast

from srcad.ssa.core import Const, Var


@dataclass(frozen=True, eq=False)
class ModuleRef:
    module: Any
    node: Any  # the expression that named it (materialized as global/attr ops when used as a value)


@dataclass(frozen=True, eq=False)
class PrimRef:
    name: str
    obj: Any
    node: Any


@dataclass(eq=False)
class NestedFn:
    node: Any  # gast.FunctionDef | gast.Lambda
    name: str
    defaults: list = field(default_factory=list)  # operands for the trailing parameters
    depth: int = 0


Value = Union[Var, Const, ModuleRef, PrimRef, NestedFn]


def same(a: Any, b: Any) -> bool:
    """Are two environment values the same SSA value (so an `if` needs no result for it)?"""
    if a is b:
        return True
    if isinstance(a, Const) and isinstance(b, Const):
        va, vb = a.value, b.value
        if type(va) is not type(vb):
            return False
        try:
            return bool(va == vb)
        except Exception:
            return False
    return False


def hint_of(name: str) -> str:
    """Printable hint for a (pseudo-)name: ``$ret`` -> ``ret``."""
    return name.lstrip("$")


def const_value(op: Any) -> tuple[bool, Any]:
    return (True, op.value) if isinstance(op, Const) else (False, None)


def python_locals(node: Any) -> set[str]:
    """Names Python treats as local to a function node: parameters and plain-name binding targets."""
    out: set[str] = set()
    args = node.args
    for a in args.posonlyargs + args.args + args.kwonlyargs:
        out.add(a.id)
    if args.vararg:
        out.add(args.vararg.id)
    if args.kwarg:
        out.add(args.kwarg.id)
    body = node.body if isinstance(node.body, list) else []
    for stmt in body:
        for n in _walk_no_nested(stmt):
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store):
                out.add(n.id)
            elif isinstance(n, (gast.FunctionDef, gast.ClassDef)):
                out.add(n.name)
            elif isinstance(n, (gast.Import, gast.ImportFrom)):
                for a in n.names:
                    out.add((a.asname or a.name).split(".")[0])
    return out


def _walk_no_nested(node: Any):
    """gast.walk that does not enter nested function/lambda/comprehension scopes."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, _SCOPES):
            continue
        stack.extend(gast.iter_child_nodes(n))


_SCOPES = (
    gast.FunctionDef,
    gast.Lambda,
    gast.ListComp,
    gast.GeneratorExp,
    gast.DictComp,
    gast.SetComp,
)
