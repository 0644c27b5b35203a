"""A call of a method read into a local first: ``step = self._step_mid; step(x)``, or
``getattr(self, f"_step_{method}")(x)`` with a name known at transform time.

Input: a `Function`, one of its `call` ops, the classes of its Vars known at transform time
(`types_of`, as for ``obj.name(args)``: ``method.name`` ops) and the parameters' values known
then (`known`). Output: (the class's function, the receiver) when the callee is an ``attr.name``
or ``getattr(obj, name)`` read of an object of a known class whose ``name`` is a plain function
of the class; None otherwise (the call is resolved as before, or refused). The name may be a
constant, a string parameter the caller passed as a constant (part of the callee's key:
`function_args`), or ``+`` and f-strings (``"{}".format``) of those and ints.

`function_args`: the call operands known at transform time that a callee is specialised to
(functions, user classes, objects with shadowing fields, string constants).
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any

from srcad import starshim
from srcad.lower.reads import module_top
from srcad.lower.values import (
    LIBRARY_MODULES,
    note_attr,
    shadows_method,
    static_value,
    user_class,
)
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
    if _library(cls):  # (``log = logger.info; log(...)``: as before)
        return None
    func = inspect.getattr_static(cls, name, None)
    if getattr(cls, name, None) is not None:  # (replaced on the class later: a new transform)
        note_attr(cls, name, getattr(cls, name))
    if not isinstance(func, types.FunctionType):
        return None
    ok, obj = static_value(fn, recv, known)  # (a global instance: its own attribute hides it,
    if ok and name in getattr(obj, "__dict__", ()):  # ``G.step = other``: Python calls that)
        return None
    return func, recv


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


def function_args(fn: Function, args: list, known: dict) -> dict[int, Any]:
    """Call operands that are Python functions or user classes known at transform time (passed
    on to the callee, so `def step(f, y): return f(y)` resolves `f`, and a classmethod's
    ``cls.sq(v)`` the class's `sq`), and string constants (a default applied too: so
    ``getattr(self, f"_step_{method}")`` resolves in the callee; the key tells them apart)."""
    out = {}
    for k, a in enumerate(args):
        if isinstance(a, (Var, Const)):
            ok, v = static_value(fn, a, known) if isinstance(a, Var) else (True, a.value)
            if (
                ok
                and isinstance(v, types.FunctionType)
                and not getattr(v, "__srcad_derivative__", False)
            ) or (ok and _user_type(v)):  # the `cls` of a classmethod: `cls.sq(v)` resolves
                out[k] = v
            elif ok and shadowed(v):  # ``MD.forward = g``: the callee's `self.forward` is g
                out[k] = v
            elif isinstance(a, Const) and type(a.value) is str:  # `getattr(self, f"_{method}")`
                out[k] = a.value
    return out


def shadowed(v: Any) -> bool:
    """A user object an attribute of which hides a method of its class, or holds a Python
    function (``self.closs = _half_squared``, called as ``self.closs(y, raw)``): not typed by its
    class (`operand_types`); its methods are read from the object itself (`user_call`)."""
    cls = user_class(v)
    if cls is None:
        return False
    inst = getattr(v, "__dict__", None)
    held = isinstance(inst, dict) and any(type(e) is types.FunctionType for e in inst.values())
    return held or shadows_method(v, cls)


def _user_type(v: Any) -> bool:
    """A class defined in user code (not a library's)."""
    mod = module_top(v)
    return type(v) is type and mod not in LIBRARY_MODULES


def star_shim(pyfunc: Any, n: int, kwnames: tuple = ()) -> Any:
    """The fixed-arity form of the user function `pyfunc` taking ``*args``/``**kwargs`` for a
    call with `n` positional operands and the keywords `kwnames` (`srcad.starshim`: a generated
    function calling it, whose lowering inlines the call as lower/varargs.py does); None when
    `pyfunc` takes neither or is a decorator's wrapper (``functools.wraps``: lowered as it is,
    lower/wrappers.py)."""
    if not takes_star(pyfunc):
        return None
    return starshim.shim(pyfunc, n, kwnames)


def _library(obj: Any) -> bool:
    """`obj` (a class or function) is a library's or the standard library's."""
    top = module_top(obj)
    return top in LIBRARY_MODULES or top in sys.stdlib_module_names


def takes_star(pyfunc: Any) -> bool:
    """Does the user function `pyfunc` take ``*args`` or ``**kwargs`` (not a decorator's
    wrapper, not a library's or the standard library's: ``Logger.info(msg, *args)`` is
    resolved as before)?"""
    code = getattr(pyfunc, "__code__", None)
    if code is None or not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return False
    if not isinstance(pyfunc, types.FunctionType) or hasattr(pyfunc, "__wrapped__"):
        return False
    return not _library(pyfunc)
