"""``with np.errstate(divide="ignore", ...):`` blocks: their body (values are the same).

Input: a gast ``With`` and the function's `Namespace`. Output: whether the block may be lowered
as its body (lower/lower.py rewrites it so before the name analyses, with ``try``/``finally``).

``np.errstate`` changes only what NumPy does on a floating-point error: with ``"ignore"``,
``"warn"``, ``"print"`` or ``"log"`` for every kind the values are the ones computed without the
block (the generated code may warn where the user silenced it). ``"raise"`` (an exception
instead of a value) and ``"call"`` (a user function) keep the statement refused, as does any
other context manager, or an ``as`` target.

``with contextlib.suppress(E1, E2): body`` is ``try: body`` ``except (E1, E2): pass`` (Python's
documented equivalent: the statements before the exception keep their effect), given to the
``try`` lowering (lower/trys.py, lower/tryflow.py), which refuses what it does not take.
"""

from __future__ import annotations

import contextlib
from typing import Any

import gast
import numpy

_HARMLESS = frozenset({"ignore", "warn", "print", "log"})
_KINDS = frozenset({"all", "divide", "over", "under", "invalid"})


def body_only(s: gast.With, ns: Any) -> bool:
    """Every item of `s` is ``np.errstate(kind="ignore", ...)`` (see the module docstring)."""
    return bool(s.items) and all(_errstate(item, ns) for item in s.items)


def _errstate(item: Any, ns: Any) -> bool:
    call = item.context_expr
    if item.optional_vars is not None or not isinstance(call, gast.Call) or call.args:
        return False
    for kw in call.keywords:
        if kw.arg not in _KINDS or not isinstance(kw.value, gast.Constant):
            return False
        if kw.value.value not in _HARMLESS:
            return False
    return _resolve(call.func, ns) is numpy.errstate


def _resolve(node: Any, ns: Any) -> Any:
    """The object a dotted name (``np.errstate``) names in `ns` now, or None."""
    if isinstance(node, gast.Name):
        kind, obj = ns.lookup(node.id)
        return obj if kind in ("global", "builtin", "free") else None
    if isinstance(node, gast.Attribute):
        base = _resolve(node.value, ns)
        return getattr(base, node.attr, None) if base is not None else None
    return None


def suppress_try(s: gast.With, ns: Any) -> gast.Try | None:
    """``with contextlib.suppress(E, ...): body`` (one item, no ``as``) as the ``try`` that
    catches the same exceptions and passes; None for any other ``with``."""
    if len(s.items) != 1 or s.items[0].optional_vars is not None:
        return None
    call = s.items[0].context_expr
    if (
        not isinstance(call, gast.Call)
        or call.keywords
        or _resolve(call.func, ns) is not contextlib.suppress
    ):
        return None
    if any(isinstance(a, gast.Starred) for a in call.args):
        return None
    if not call.args:
        return gast.copy_location(gast.Try(body=s.body, handlers=[], orelse=[], finalbody=[]), s)
    kinds = gast.Tuple(elts=list(call.args), ctx=gast.Load())
    handler = gast.ExceptHandler(type=kinds, name=None, body=[gast.Pass()])
    for n in (kinds, handler, handler.body[0]):
        gast.copy_location(n, call)
    return gast.copy_location(gast.Try(body=s.body, handlers=[handler], orelse=[], finalbody=[]), s)
