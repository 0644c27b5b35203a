"""Recursive nested functions whose depth is known only when the code runs -> a call of a function
of their own.

Input: the lowerer at a call of a nested ``def`` whose body calls it by its name (``rec(z[:k])``,
``tot(xs[1:])``). Output: the call's value. First the body is inlined as any nested function's
(lower/closures.inline): a depth known at transform time (``rec(z, n - 1)`` until ``n == 0``,
`n` a constant) unrolls there. When the inlining runs past the depth limit (the stop depends on
values known only at run time: a list's or an array's length, a tolerance), what it lowered is
undone and the function is lifted (lower/lift.py): a Python function of its parameters and the
enclosing variables it reads, compiled from its own lines, whose recursive calls call it again
with those variables passed on; the call is a `call` op of it, differentiated as a module-level
recursive function is (one derivative per function, calling itself).

Exact: the lifted function is the nested one with its free variables made parameters; the
enclosing function is suspended while the call runs, so the variables it reads hold the values
of the call's moment (passed as arguments). Not taken (the depth error stands, its hint saying
why): a function that writes an enclosing variable (``nonlocal``, lower/lift.nested_locals),
has ``*args``, keyword-only parameters, defaults its recursive calls do not all pass (the
outermost call fills them in, as Python's defaults made at the ``def``), or uses its own name
other than to call it,
reads another nested function, or whose name is bound to something else at the call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.lower import closures, objcalls, scope
from srcad.lower import lift as lifting
from srcad.lower.values import NestedFn
from srcad.ssa.core import Const, Operand

_ACTIVE = "_srcad_recursing"
_CALLS = "_srcad_recursive_calls"  # id of the node of an active function -> its calls inlined
_BUDGET = 256


def call(lw: Any, f: NestedFn, node: gast.Call, inline: Callable[[], Operand]) -> Operand:
    """`inline()` (the nested function's body inlined); for the outermost call of a recursive
    one that runs past the depth limit, the call of its lifted function (module docstring)."""
    active = getattr(lw, _ACTIVE, None)
    if active is None:
        active = set()
        setattr(lw, _ACTIVE, active)
    fnode = f.node
    if id(fnode) in active:
        _spend(lw, f, node)
        return inline()
    if not _recursive(f):
        return inline()
    saved = objcalls.checkpoint(lw)
    active.add(id(fnode))
    lw.too_deep = None
    setattr(lw, _CALLS, {**getattr(lw, _CALLS, {}), id(fnode): 0})
    try:
        return inline()
    except SrcadError:
        if lw.too_deep is not fnode:
            raise
        objcalls.rollback(lw, saved)
        why = _not_liftable(lw, f)
        if why is None and (out := _lifted_call(lw, f, node)) is not None:
            return out
        raise lw.error(
            node,
            f"the nested function `{f.name}` is recursive to a depth known only when it runs, "
            f"and srcad cannot make it a function of its own: it {why or 'cannot be lifted'}",
            "move it to module level (passing what it reads as arguments)",
        ) from None
    finally:
        active.discard(id(fnode))


def _spend(lw: Any, f: NestedFn, node: gast.Call) -> None:
    """Count an inlined recursive call of `f`; past `_BUDGET` of them (a call tree, as
    ``rec(a, m) + rec(m, b)`` until a tolerance holds, grows as 2 ** depth within the depth
    limit) the depth is taken as known only when it runs, as past the depth limit."""
    calls = getattr(lw, _CALLS)
    calls[id(f.node)] += 1
    if calls[id(f.node)] > _BUDGET:
        lw.too_deep = f.node
        raise lw.error(node, f"the nested function `{f.name}` recurses too often to inline")


def _recursive(f: NestedFn) -> bool:
    fnode = f.node
    if not isinstance(fnode, gast.FunctionDef):
        return False
    return any(
        isinstance(n, gast.Name) and n.id == f.name and isinstance(n.ctx, gast.Load)
        for s in fnode.body
        for n in gast.walk(s)
    )


def _not_liftable(lw: Any, f: NestedFn) -> str | None:
    """Why `f` cannot be lifted (module docstring), None when it can."""
    fnode = f.node
    a = fnode.args
    if a.vararg or a.kwarg or a.kwonlyargs or a.posonlyargs:
        return "has `*args`, `**kwargs`, keyword-only or positional-only parameters"
    if f.defaults and not _full_calls(fnode, f.name, len(a.args)):
        return "has defaults its recursive calls do not all pass"
    if lw.env.get(f.name) is not f or not _only_called(fnode, f.name):
        return f"uses `{f.name}` other than to call it, or `{f.name}` is rebound"
    if lifting.declared_nonlocal(fnode):
        return "writes a variable of the function around it (`nonlocal`)"
    for n in sorted(scope.reads(fnode.body)):
        if n != f.name and isinstance(lw.env.get(n), NestedFn):
            return f"calls the nested function `{n}`"
    return None


def _lifted_call(lw: Any, f: NestedFn, node: gast.Call) -> Operand | None:
    """The call of `f` lifted, or None when it cannot be (module docstring)."""
    home = dict(lw.env)  # the names as `f`'s scope binds them (not a comprehension's targets)
    closures.unshadow(lw, f.node, home)
    here = lw.env
    try:
        lw.env = home
        lifted = lifting.lift(lw, f, node, recursive=True)
        lw.env = here
        bound = lifting.bind_nested(lw, f, list(lifted.own), node)  # (evaluated here)
        args = [lw.operand(bound[n], node) for n in lifted.own]
        lw.env = home
        args += lifting.captured_values(lw, lifted, node)
    except SrcadError:
        return None
    finally:
        lw.env = here
    lw.at(node)
    return lw.op("call", [Const(lifted.fn), *args])


def _full_calls(fnode: gast.FunctionDef, name: str, n: int) -> bool:
    """Does every call of `name` in the body pass all `n` parameters (the lifted function has no
    defaults: the outermost call binds them, `lifting.bind_nested`)?"""
    return all(
        len(c.args) == n
        for s in fnode.body
        for c in gast.walk(s)
        if isinstance(c, gast.Call) and isinstance(c.func, gast.Name) and c.func.id == name
    )


def _only_called(fnode: gast.FunctionDef, name: str) -> bool:
    """Is every read of `name` in the body a direct call (``name(...)``, positional arguments
    only), and `name` never rebound there?"""
    calls = set()
    for n in gast.walk(fnode):
        if isinstance(n, gast.Call) and isinstance(n.func, gast.Name) and n.func.id == name:
            if n.keywords or any(isinstance(x, gast.Starred) for x in n.args):
                return False
            calls.add(id(n.func))
    for s in fnode.body:
        for n in gast.walk(s):
            if isinstance(n, gast.Name) and n.id == name and id(n) not in calls:
                return False
            if isinstance(n, (gast.FunctionDef, gast.ClassDef)) and n.name == name:
                return False
    return True
