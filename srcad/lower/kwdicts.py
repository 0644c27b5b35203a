"""``f(x, **params)`` of a dict whose keys are known only when the code runs (an argument, a
value computed here), `f` a plain Python function known now.

Input: the lowerer, the call node and the lowered dict (lower/varargs.double_star, when the
dict is no literal nor a dict known now). Output: the keyword arguments the call passes, by
`f`'s signature: each parameter the call does not give otherwise read from the dict
(``params["w"]``, or ``params.get("lr", <default>)`` for one with a default), after
``_srcad.kwargs_check(...)`` (rules/kwchecks.py), which raises Python's TypeError for a key
that names no such parameter or one given already, and a missing required one; a parameter
whose default is a function keeps it (a key naming it is refused at run time). For `f` taking
``**kw`` itself, only parameters the call gives otherwise may be named: `kw` is then a copy of
the dict (`RUNTIME_KW`, lower/varargs.inline_call), and a key naming another parameter is
refused at run time (srcad would not take it out of `kw`). None (refused as before) for any
other callee: a method, a class, a library function, one taking ``*args`` too.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.ssa.core import Const, Operand

RUNTIME_KW = "**"  # the key standing for the run-time dict among a ``**kw`` callee's keywords
CHECK = "srcad.runtime.kwargs_check"


def expand(lw: Any, call: Any, v: Operand) -> list[tuple[str, Operand]] | None:
    """The keywords ``**v`` passes in `call` (see the module docstring), or None."""
    if call is None or not isinstance(call.func, gast.Name):
        return None
    if sum(1 for k in call.keywords if k.arg is None) != 1:
        return None  # (two dicts: which keys each holds is not known)
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    known, fn = lw.static_object(lw.expr(call.func))
    if not known or not isinstance(fn, types.FunctionType):
        return None
    try:
        sig = inspect.signature(fn, follow_wrapped=False)
    except (TypeError, ValueError):
        return None
    params = list(sig.parameters.values())
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return None
    varkw = any(p.kind is p.VAR_KEYWORD for p in params)
    named = [p for p in params if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    by_position = {p.name for p in params[: len(call.args)]}
    given = by_position | {k.arg for k in call.keywords if k.arg is not None}
    free = [p for p in named if p.name not in given]
    fixed = tuple(p.name for p in free if p.default is not p.empty and callable(p.default))
    free = [p for p in free if p.name not in fixed]
    required = tuple(p.name for p in free if p.default is p.empty)
    if varkw and required:
        return None  # (taken from the dict, the rest in `kw`: not followed)
    allowed = () if varkw else tuple(p.name for p in free)
    taken = tuple(sorted(given | {p.name for p in named}))  # (a `**kw` callee: no key of these)
    flags = Const((varkw, fixed))
    lw.op(CHECK, [v, Const(fn.__name__), Const(allowed), Const(required), Const(taken), flags])
    if varkw:
        return [(RUNTIME_KW, v)]
    out: list[tuple[str, Operand]] = []
    for p in free:
        if p.default is p.empty:
            out.append((p.name, lw.op("getitem", [v, Const(p.name)])))
        else:
            out.append((p.name, lw.op("method.get", [v, Const(p.name), Const(p.default)])))
    return out


def bind_rest(lw: Any, kw: dict) -> Operand:
    """A ``**kw`` parameter's dict: a copy of the run-time dict (`RUNTIME_KW`), with the call's
    other keywords stored into it (the check refused a key among them)."""
    out = lw.op("builtins.dict", [kw[RUNTIME_KW]])
    for k, val in kw.items():
        if k != RUNTIME_KW:
            out = lw.op("setitem", [out, Const(k), val])
    return out
