"""Module-level helpers called in a ``try`` body, taken as the function's own helpers are.

Input: a gast ``Try``, the function's `Namespace` and the names it binds anywhere (`local`).
Output: ``{name: trybodies.Inline | trycalls.Body}`` for the calls ``h(a, b)`` in the body of a
plain ``def h`` of the same module (``h`` one of its globals, not rebound by the function), for
lower/trybodies.expand to inline as it does the function's own helpers: so a ``raise`` inside
the helper (``if np.min(v) < t: raise ValueError(..)``) reaches the ``try``'s handlers
(lower/tryflow.py). Before, such a ``try`` was refused ("supported around calls of a pure
NumPy/SciPy function only").

Only when the inlined text means what the helper's own run does: the helper reads the same
globals as the function (``h.__globals__`` is the function's), has no closure, decorator,
``__wrapped__``, defaults or keyword-only parameters, and none of the names it reads but does
not bind is a local or closure name of the function (they would be read from those instead).
`get_source` notes the helper, so the cache's currency check follows its code; the global
binding ``h`` is a callable the cache guards.
"""

from __future__ import annotations

import copy
import inspect
import types
from typing import Any

import gast

from srcad.errors import LoweringError
from srcad.frontend.source import get_source
from srcad.lower import trybodies, trycalls


def global_helpers(s: gast.Try, ns: Any, local: Any) -> dict:
    """The helpers of the module docstring called in `s`'s body (name -> helper)."""
    out: dict = {}
    for st in s.body:
        for node in gast.walk(st):
            if not (isinstance(node, gast.Call) and isinstance(node.func, gast.Name)):
                continue
            name = node.func.id
            if name in out or name in local or name in ns.closure:
                continue
            kind, obj = ns.lookup(name)
            if kind == "global" and _plain(obj, ns):
                got = _helper(obj, ns, local)
                if got is not None:
                    out[name] = got
    return out


def bound_names(tree: Any) -> frozenset:
    """Every name `tree` (a function's, its nested scopes' too) binds: stored, deleted, a
    parameter, a ``def``/``class``, an import, a ``global``/``nonlocal`` declaration."""
    out: set = set()
    for x in gast.walk(tree):
        if isinstance(x, gast.Name) and not isinstance(x.ctx, gast.Load):
            out.add(x.id)
        elif isinstance(x, (gast.FunctionDef, gast.ClassDef)):
            out.add(x.name)
        elif isinstance(x, gast.alias):
            out.add((x.asname or x.name).split(".")[0])
        elif isinstance(x, (gast.Global, gast.Nonlocal)):
            out.update(x.names)
    return frozenset(out)


def _plain(f: Any, ns: Any) -> bool:
    return (
        type(f) is types.FunctionType
        and f.__globals__ is ns.globals
        and f.__closure__ is None
        and not hasattr(f, "__wrapped__")
        and f.__name__ != "<lambda>"
        and not f.__code__.co_flags & _NOT_PLAIN
    )


_NOT_PLAIN = (
    inspect.CO_VARARGS | inspect.CO_VARKEYWORDS | inspect.CO_GENERATOR | inspect.CO_COROUTINE
    | inspect.CO_ASYNC_GENERATOR | inspect.CO_ITERABLE_COROUTINE
)  # fmt: skip


def _helper(f: types.FunctionType, ns: Any, local: Any) -> Any:
    try:
        node = copy.deepcopy(get_source(f).node)
    except LoweringError:
        return None
    if not isinstance(node, gast.FunctionDef) or node.decorator_list:
        return None
    body = node.body
    if body and isinstance(body[0], gast.Expr) and isinstance(body[0].value, gast.Constant):
        body = body[1:]  # (a docstring)
    if len(body) == 1 and isinstance(body[0], gast.Return) and body[0].value is not None:
        got = trybodies._inline(node.args, body[0].value)
    else:
        got = trycalls.body_helper(node, body)
    if got is None:
        return None
    bound = {a.id for a in node.args.posonlyargs + node.args.args if isinstance(a, gast.Name)}
    reads = set()
    for x in gast.walk(node):
        if isinstance(x, gast.Name):
            (bound if isinstance(x.ctx, (gast.Store, gast.Del)) else reads).add(x.id)
    free = reads - bound
    if free & set(local) or free & set(ns.closure):
        return None  # (the function's own name would be read in its place)
    return got
