"""A recursive user helper given a function: ``tmap(lambda a: a * 0.9, params)`` -> a call of
the helper with the function made one of its own.

Input: the lowerer at a call of a module-level function `fn` whose body calls it by its name
(``def tmap(f, t): ... {k: tmap(f, v) for k, v in t.items()}``), some of whose arguments are
functions known only while lowering (a lambda or nested def of the lowered function, a library
callable such as ``np.tanh``: lower/fnargs.py), and the inlining of the call (`inline`). Output:
the call's value: first the inlining (a depth known now unrolls there); when it runs past the
depth limit (the recursion follows a structure known only at run time: a dict's or a list's
items, of any nesting), what it lowered is undone and the call is a `call` op of `fn` itself
with each such function passed as a value: a nested one lifted (lower/lift.py) when it reads no
variable of the function around it, a library callable as itself. `fn` is then differentiated as
a module-level recursive function given a module-level function is (``tmap(scale, params)``).

Exact: a lifted function that reads no enclosing variable computes what the nested one does
(its globals read live, as Python's). Not taken (the depth error stands): a nested function that
reads an enclosing variable (it would be a closure value passed into code srcad runs as is),
writes one, or has defaults or ``*args``; a library callable (``tmap(np.tanh, params)``).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Any

import gast

from srcad.errors import SrcadError
from srcad.lower import lift as lifting
from srcad.lower import objcalls
from srcad.lower.partials import Getter, Partial
from srcad.lower.values import NestedFn, PrimRef
from srcad.ssa.core import Const, Operand

# inlinings of recursive helpers under one call, at most: a recursion whose end depends on run-time
# values (an adaptive quadrature's error test) unrolls to the depth limit, and one that calls
# itself twice makes 2^depth copies; past this the helper is called (`_called`) or refused
BUDGET = 256


def call(lw: Any, fn: Any, node: gast.Call, args: tuple, inline: Callable[[], Operand]) -> Operand:
    """`inline()`, or for a recursive `fn` that runs past the depth limit, the call of `fn`
    with its function arguments (`args`: the call's, ``(positional, keywords)``, functions as
    themselves) passed as values (module docstring)."""
    if not _recursive(fn):
        return inline()
    outer = getattr(lw, "recursive_inlines", None) is None
    if outer:
        lw.recursive_inlines = 0
    try:
        lw.recursive_inlines += 1
        if lw.recursive_inlines > BUDGET:
            raise lw.error(
                node,
                f"`{fn.__name__}` is recursive or nested too deeply: inlined for the functions "
                f"it is given, its calls would make more than {BUDGET} copies of its body",
                "make the function it is given a module-level `def`, or pass the variables that "
                "function reads as arguments (then srcad calls the recursive helper as such)",
            )
        if getattr(lw, "inline_depth", 0):
            return inline()
        return _outermost(lw, fn, node, args, inline)
    finally:
        if outer:
            lw.recursive_inlines = None


def _outermost(
    lw: Any, fn: Any, node: gast.Call, args: tuple, inline: Callable[[], Operand]
) -> Operand:
    saved = objcalls.checkpoint(lw)
    try:
        return inline()
    except SrcadError as e:
        if "recursive or nested too deeply" not in str(e):
            raise
        objcalls.rollback(lw, saved)
        out = _called(lw, fn, node, args)
        if out is None:
            raise
        return out


def _recursive(fn: Any) -> bool:
    """Does `fn`'s code (a comprehension's in it too) read its own name?"""
    return isinstance(fn, types.FunctionType) and _names(fn.__code__, fn.__name__)


def _names(code: types.CodeType, name: str) -> bool:
    return name in code.co_names or any(
        _names(c, name) for c in code.co_consts if isinstance(c, types.CodeType)
    )


def _called(lw: Any, fn: Any, node: gast.Call, args: tuple) -> Operand | None:
    pos, kw = args
    try:
        values = [_value(lw, a, node) for a in pos]
        named = {k: _value(lw, v, node) for k, v in kw.items()}
    except SrcadError:
        return None
    if any(v is None for v in [*values, *named.values()]):
        return None
    lw.at(node)
    return lw.op("call", [lw.operand(lw.expr(node.func), node.func), *values], named)


def _value(lw: Any, a: Any, node: gast.Call) -> Operand | None:
    """The argument `a` as a run-time value: a nested function lifted; None for a library
    callable (the helper's derivative would not know which function ``f(t)`` calls)."""
    if isinstance(a, (PrimRef, Partial, Getter)):  # (a partial's calls are lowered here)
        return None
    if not isinstance(a, NestedFn):
        return a
    f = a.node
    if a.defaults or getattr(a, "kw_defaults", None) or lifting.declared_nonlocal(f):
        return None
    lifted = lifting.lift(lw, a, node)
    return None if lifted.captured or lifted.values else Const(lifted.fn)
