"""The arguments of a call building an object here (lower/objects.py) or of an inlined method
or ``super().__init__``, lowered so that objects built here stay objects.

Input: the lowering state and the call node. Output: (positional arguments, keyword
arguments): objects built here, lists/tuples of them (with plain values), values of the types
`keep` as themselves, others as run-time operands; ``*layers`` of a name bound to such a
list, its items; ``**kw`` of a dict known here (an ``__init__``'s own ``**kwargs``, bound by
lower/objects._bind: ``Neuron(w, b, **kwargs)`` in micrograd's ``Layer``), its items. None
for calls with other ``*args`` / ``**kw`` (lowered by `lw.call_args`).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower import objseq
from srcad.lower.objseq import FnSeq
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Var


def arguments(lw: Any, node: gast.Call, keep: tuple = ()) -> tuple[list, dict] | None:
    """A call's arguments lowered, objects built here (and lists/tuples of them with plain
    values; values of the types `keep`) kept as such, others as the run-time operands a call
    passes; ``*layers`` of a name bound to a list/tuple of them, its items; None for a call with
    other ``*args`` / ``**kw`` (lowered by `lw.call_args`)."""
    if any(isinstance(a, gast.Starred) and _objects(lw, a.value) is None for a in node.args) or any(
        kw.arg is None and _keywords(lw, kw.value) is None for kw in node.keywords
    ):
        return None
    args: list = []
    for a in node.args:
        if isinstance(a, gast.Starred):
            objseq.check_known(lw, _objects(lw, a.value), a)
            args.extend(_objects(lw, a.value).items)
        else:
            args.append(_argument(lw, a, keep))
    kwargs: dict = {}
    for kw in node.keywords:  # (Python: a keyword given twice is a TypeError, raised by bind)
        more = _keywords(lw, kw.value) if kw.arg is None else {kw.arg: None}
        for k, v in more.items():
            if k in kwargs:
                return None
            kwargs[k] = v if kw.arg is None else _argument(lw, kw.value, keep)
    return args, kwargs


def _keywords(lw: Any, a: Any) -> dict | None:
    """``**kw`` of a name bound to a dict known here (an ``__init__``'s own ``**kw``,
    lower/objects._bind): its items."""
    v = lw.env.get(a.id) if isinstance(a, gast.Name) else None
    if not isinstance(v, FnSeq) or v.kind != "dict" or v.escaped:
        return None
    if not all(type(k) is str for k in v.keys):
        return None
    return dict(zip(v.keys, v.items))


def _objects(lw: Any, a: Any) -> FnSeq | None:
    """The list/tuple of objects built here (and plain values) the name `a` is bound to."""
    v = lw.env.get(a.id) if isinstance(a, gast.Name) else None
    if not isinstance(v, FnSeq) or v.kind == "dict" or v.escaped:
        return None
    return v if all(isinstance(i, (LocalObj, Var, Const)) for i in v.items) else None


def _argument(lw: Any, a: Any, keep: tuple = ()) -> Any:
    v = lw.expr(a)
    if isinstance(v, (LocalObj, *keep)):
        return v
    if (
        isinstance(v, FnSeq)
        and v.kind != "dict"
        and all(isinstance(i, (LocalObj, Var, Const)) for i in v.items)
    ):
        return v
    return lw.operand(v, a)
