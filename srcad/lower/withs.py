"""``with np.errstate(divide="ignore", ...):`` blocks: their body (values are the same).

Input: a gast ``With`` and the function's `Namespace`. Output: whether the block may be lowered
as its body (lower/lower.py rewrites it so before the name analyses, with ``try``/``finally``).

``np.errstate`` changes only what NumPy does on a floating-point error: with ``"ignore"``,
``"warn"``, ``"print"`` or ``"log"`` for every kind the values are the ones computed without the
block (the generated code may warn where the user silenced it). ``"raise"`` (an exception
instead of a value) and ``"call"`` (a user function) keep the statement refused, as does any
other context manager, or an ``as`` target.
"""

from __future__ import annotations

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
