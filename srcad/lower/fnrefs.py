"""Functions and modules known when lowering, as operands of ``or``/``and`` and ``is None``.

Input: the lowerer and a gast expression (a ``BoolOp``'s operand, a ``Compare``). Output: its
truth or identity as a `Const` when a side is a function or module known now, else what the
lowering did before (`truth_of`: the operand and itself as the condition; `identity`: lower/
objstate.py's answer for objects built here, or None).

A function, builtin, ufunc, class or module is always true and never None, so version shims
``trap = getattr(np, "trapezoid", None) or np.trapz`` and ``if fn is None: fn = np.trapz`` pick
their branch at transform time and the name stays bound to a function srcad can call by name.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objstate
from srcad.lower.values import ModuleRef, NestedFn, PrimRef
from srcad.ssa.core import Const


def known_fn(v: Any) -> bool:
    """Is `v` (a lowered value) a function or module known now (true, not None)?"""
    if isinstance(v, (ModuleRef, NestedFn)):
        return True
    if not isinstance(v, PrimRef) or not callable(v.obj):
        return False
    kind = type(v.obj)  # (NumPy's functions are dispatcher objects: true unless they say)
    return not hasattr(kind, "__bool__") and not hasattr(kind, "__len__")


def truth_of(lw: Any, node: Any) -> tuple[Any, Any]:
    """(the value of `node`, the condition ``and``/``or`` tests): a function known now is kept
    as it is (called by name later) and is true."""
    v = lw.expr(node)
    if known_fn(v):
        return v, Const(True)
    v = lw.operand(v, node)
    return v, v


def identity(lw: Any, node: gast.Compare) -> Const | None:
    """``a is None`` / ``a is not None`` (either order) with `a` a name bound to a function known
    now: known; else lower/objstate.py's ``is`` of objects built here, or None."""
    known = objstate.identity(lw, node)
    if known is not None or len(node.ops) != 1 or type(node.ops[0]) not in (gast.Is, gast.IsNot):
        return known
    sides = (node.left, node.comparators[0])
    names = [lw.env.get(n.id) if isinstance(n, gast.Name) else None for n in sides]
    nones = [isinstance(n, gast.Constant) and n.value is None for n in sides]
    if not ((known_fn(names[0]) and nones[1]) or (known_fn(names[1]) and nones[0])):
        return None
    return Const(isinstance(node.ops[0], gast.IsNot))
