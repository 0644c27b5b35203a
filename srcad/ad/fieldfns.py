"""Functions held in fields of argument objects: ``self.act(x)`` where ``m.act = np.tanh``.

Input: a function about to be analyzed, the classes of its values (`types_of`; layout classes,
lower/reads.layout_class, name the functions their instance's fields held when the function was
called: ``__srcad_fns__``, part of the cache key) and the transform's rule table. Output: each
``o.act(x)`` of such a field calls that function, after ops checking when the code runs that
the field still holds it::

    y = o.act(x)        ->    f = o.act; ok = require(f is <np.tanh>, ...); y = numpy.tanh(x)
                              (a Python function or lambda: y = call(<fn>, x), followed)

A library function becomes its primitive only when the table has a rule of that name;
otherwise the call stays a method call (refused for want of a rule, as before).
"""

from __future__ import annotations

import types
from typing import Any

from srcad.frontend.resolve import prim_name
from srcad.ssa.core import Block, Const, Function, Op, Var


def field_functions(fn: Function, types_of: dict, table: Any) -> None:
    """Rewrite ``o.name(...)`` of fields holding functions (module docstring), in place."""
    if not any(getattr(c, "__srcad_fns__", None) for c in types_of.values()):
        return  # (the common case: no argument holding a function in a field)
    _block(fn.body, types_of, table)


def _block(b: Block, types_of: dict, table: Any) -> None:
    at = 0
    while at < len(b.ops):
        op = b.ops[at]
        for sub in op.blocks:
            _block(sub, types_of, table)
        cls = types_of.get(op.args[0]) if op.args and isinstance(op.args[0], Var) else None
        fns = getattr(cls, "__srcad_fns__", None)
        name = op.prim[7:] if op.prim.startswith("method.") else None
        recv = op.args[0] if fns and name in fns else None
        if recv is not None and _rewrite(op, fns[name], table):
            checks = _check(recv, op, name, fns[name], cls)
            b.ops[at:at] = checks
            at += len(checks)
        at += 1


def _rewrite(op: Op, f: Any, table: Any) -> bool:
    rest = op.args[1:]
    prim = prim_name(f)  # (None for a user's function)
    if prim is not None and table.get(prim) is not None:
        op.prim, op.args = prim, list(rest)
    elif isinstance(f, types.FunctionType):
        op.prim, op.args = "call", [Const(f), *rest]
    else:
        return False
    return True


def _check(recv: Var, op: Op, name: str, f: Any, cls: type) -> list[Op]:
    """Ops failing at run time when the field no longer holds `f`."""
    base = cls.__dict__.get("__srcad_base__", cls)
    msg = (
        f"srcad differentiated `.{name}(...)` as the function this field of the "
        f"{base.__qualname__} object held when the function was called; it holds another "
        "now: store the new function before the call"
    )
    got, same, ok = Var(name), Var("same"), Var("ok")
    return [
        Op(f"attr.{name}", [recv], results=[got], loc=op.loc),
        Op("is", [got, Const(f)], results=[same], loc=op.loc),
        Op("srcad.runtime.require", [same, Const(msg)], results=[ok], loc=op.loc),
    ]
