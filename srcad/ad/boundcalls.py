"""A call of a method read into a local first: ``step = self._step_mid; step(x)``, or
``getattr(self, f"_step_{method}")(x)`` with a name known at transform time.

Input: a `Function`, one of its `call` ops, the classes of its Vars known at transform time
(`types_of`, as for ``obj.name(args)``: ``method.name`` ops) and the parameters' values known
then (`known`). Output: (the class's function, the receiver) when the callee is an ``attr.name``
or ``getattr(obj, name)`` read of an object of a known class whose ``name`` is a plain function
of the class; None otherwise (the call is resolved as before, or refused). The name may be a
constant, a string parameter the caller passed as a constant (part of the callee's key:
`callees.function_args`), or ``+`` and f-strings (``"{}".format``) of those and ints.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

from srcad.lower.values import note_attr
from srcad.ssa.core import Const, Function, Op, Var, walk_ops


def _defining_op(fn: Function, v: Var) -> Op | None:
    for op in walk_ops(fn.body):
        if v in op.results:
            return op
    return None


def bound_method(
    fn: Function, op: Op, types_of: dict | None, known: dict | None
) -> tuple[Any, Var] | None:
    """``m = obj.name; m(args)`` or ``getattr(obj, name)(args)`` (a `call` of an ``attr.name``
    or ``getattr`` read, the name a string known now: `_known_str`): (the function, `obj`) when
    `obj`'s class is known (`types_of`, as for ``obj.name(args)``) and its ``name`` is a plain
    function of the class (recorded: replaced later, a new transform); else None."""
    d = _defining_op(fn, op.args[0]) if isinstance(op.args[0], Var) else None
    if d is None:
        return None
    if d.prim.startswith("attr.") and len(d.args) == 1 and not d.kwargs:
        name: Any = d.prim[len("attr.") :]
    elif d.prim == "getattr" and len(d.args) == 2 and not d.kwargs:
        name = _known_str(fn, d.args[1], known)
    else:
        return None
    recv = d.args[0]
    cls = (types_of or {}).get(recv) if isinstance(recv, Var) else None
    if cls is None or not isinstance(name, str) or not name.isidentifier() or name[:2] == "__":
        return None
    func = inspect.getattr_static(cls, name, None)
    if getattr(cls, name, None) is not None:  # (replaced on the class later: a new transform)
        note_attr(cls, name, getattr(cls, name))
    return (func, recv) if isinstance(func, types.FunctionType) else None


def _known_str(fn: Function, v: Any, known: dict | None, depth: int = 0) -> str | None:
    """The string `v` holds, when known at transform time: a constant, a parameter bound to a
    string by the caller (`known`, part of the callee's key: `function_args`), ``a + b`` and
    ``"{}".format(a, ...)`` (an f-string) of such strings and ints; else None."""
    if isinstance(v, Const):
        return v.value if type(v.value) is str else None
    if not isinstance(v, Var) or depth > 8:
        return None
    if known and v in known:
        return known[v] if type(known[v]) is str else None
    d = _defining_op(fn, v)
    if d is None or d.kwargs:
        return None
    parts = [
        a.value
        if isinstance(a, Const) and type(a.value) is int
        else _known_str(fn, a, known, depth + 1)
        for a in d.args
    ]
    if any(p is None for p in parts):
        return None
    if d.prim == "add" and len(parts) == 2 and all(type(p) is str for p in parts):
        return parts[0] + parts[1]
    if d.prim == "method.format" and parts and type(parts[0]) is str:
        try:
            return parts[0].format(*parts[1:])
        except (IndexError, KeyError, ValueError):
            return None
    return None
