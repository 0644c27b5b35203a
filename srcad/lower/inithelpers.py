"""A helper that sets attributes of the object ``__init__`` passes it: ``init_weights(self, x)``.

Input: a statement of an ``__init__`` (lower/objinit.py), the name of its ``self`` and the
namespace it runs in. Output: the fields the statement sets, or None when it is not such a call.

``helper(self, a, ...)`` as a statement, `helper` a plain module-level function whose source
srcad reads, whose parameter taking ``self`` is used only as ``p.name`` reads and ``p.name = v``
assignments at the top level of its body (each then set once it returns: no ``if``, loop or
``return`` before it decides), with no in-place update of a field (``p.w[0] = v``,
``p.hist.append(v)``), no method call on it (``p.reset()``), no nested function and no
``return`` but a last one. Such a statement sets exactly those fields: objinit makes them
writable (lower/objstate.py) and lowers the call, which lower/objcalls.py inlines with the
object itself, so the helper's stores land in the object being built, as in Python.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

import gast

from srcad.frontend.source import get_source
from srcad.lower.userfns import library, srcad_made

_STOPS = (gast.FunctionDef, gast.AsyncFunctionDef, gast.Lambda, gast.ClassDef, gast.Yield,
          gast.YieldFrom, gast.Global, gast.Nonlocal, gast.Delete)  # fmt: skip


def helper_fields(s: Any, me: str, ns: Any) -> frozenset[str] | None:
    """The fields of `me` the statement `s` sets through a helper (module docstring), or None."""
    if ns is None or not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Call)):
        return None
    call = s.value
    if not isinstance(call.func, gast.Name) or call.keywords:
        return None
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    uses = [i for i, a in enumerate(call.args) for n in gast.walk(a) if _is(n, me)]
    if len(uses) != 1 or not _is(call.args[uses[0]], me):
        return None  # (``self`` once, as an argument of its own)
    kind, fn = ns.lookup(call.func.id)
    if kind != "global" or not _plain(fn):
        return None
    try:
        node = get_source(fn).node
    except Exception:  # noqa: BLE001 - no source: not followed
        return None
    a = node.args
    if a.vararg or a.kwarg or a.posonlyargs or a.kwonlyargs or len(a.args) != len(call.args):
        return None
    return _stores(node.body, a.args[uses[0]].id)


def _plain(fn: Any) -> bool:
    """A plain Python function of the user's (no closure, generator, wrapper or library's)."""
    if not isinstance(fn, types.FunctionType) or fn.__closure__ or library(fn) or srcad_made(fn):
        return False
    flags = inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR
    return not fn.__code__.co_flags & flags and not hasattr(fn, "__wrapped__")


def _is(n: Any, name: str) -> bool:
    return isinstance(n, gast.Name) and n.id == name


def _stores(body: list, p: str) -> frozenset[str] | None:
    """The attributes of `p` that `body` assigns at its top level, when it uses `p` no other way
    (module docstring); else None."""
    out: set[str] = set()
    top: set[int] = set()
    for k, st in enumerate(body):
        if isinstance(st, gast.Return) and k != len(body) - 1:
            return None
        if isinstance(st, gast.Assign) and len(st.targets) == 1:
            t = st.targets[0]
            if isinstance(t, gast.Attribute) and _is(t.value, p):
                out.add(t.attr)
                top.add(id(t))
    for st in body:
        for n in gast.walk(st):
            if isinstance(n, _STOPS) or (isinstance(n, gast.Return) and n is not body[-1]):
                return None
            if _is(n, p) and not isinstance(n.ctx, gast.Load):
                return None  # (`p` rebound)
            if isinstance(n, gast.Attribute) and _is(n.value, p):
                if not isinstance(n.ctx, gast.Load) and id(n) not in top:
                    return None
            elif isinstance(n, (gast.Attribute, gast.Subscript)) and _field(n.value, p):
                if not isinstance(n.ctx, gast.Load) or isinstance(n, gast.Attribute):
                    return None  # `p.w[0] = v`, `p.hist.append(v)`, `p.w.T`: not followed
            elif isinstance(n, gast.Call) and _field(n.func, p):  # `p.reset()`
                return None
    names = sum(1 for st in body for n in gast.walk(st) if _is(n, p))
    reads = sum(
        1 for st in body for n in gast.walk(st) if isinstance(n, gast.Attribute) and _is(n.value, p)
    )
    return frozenset(out) if names == reads else None  # (`p` passed on or stored bare)


def _field(n: Any, p: str) -> bool:
    return isinstance(n, gast.Attribute) and _is(n.value, p)
