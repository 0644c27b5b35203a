"""``for k in d`` over a dict the loop body changes: Python's RuntimeError when its size changes.

Input: the lowering state, a ``for`` statement and the names its body carries. Output:
`size_check`, None or a function the body's lowering calls at the body's end: it emits
``_srcad.require(len(d) == n, msg, "RuntimeError")``, `n` the dict's size before the loop.
srcad iterates a snapshot of the keys (``_srcad.dict_keys(d)``); Python raises ``RuntimeError:
dictionary changed size during iteration`` at the next step after the body added or removed a
key (after the last iteration too), so a body adding a key made a value where Python raises::

    for k in d:                 for i in range(len(keys)):
        s = s + d[k]                ...
        d["c"] = x[2]               d.1 = setitem(d, "c", x[2])
                                    require(len(d.1) == n, "dictionary changed ...", "RuntimeError")

Only a dict the lowering knows is one (`container_kind`), or a value of unknown kind (an
argument: ``_srcad.dict_len``, -1 for anything but a dict, makes the check hold for a list),
named by the loop, that the body carries, in a body without ``break``, ``continue``,
``return`` or ``raise`` (a step left early runs no check: those stay as before).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad.lower.base import container_kind
from srcad.ssa.core import Const, Var

_MSG = "dictionary changed size during iteration"
_DICT_LEN = "srcad.runtime.dict_len"
_EXITS = (gast.Break, gast.Continue, gast.Return, gast.Raise)


def size_check(lw: Any, s: gast.For, carried: list[str]) -> Callable[[], None] | None:
    """The check of the dict `s` iterates, to call at the end of its body (module docstring);
    None when there is none to make."""
    it = s.iter
    if type(it) is not gast.Name or it.id not in carried:
        return None
    if any(isinstance(n, _EXITS) for st in s.body for n in gast.walk(st)):
        return None
    v = lw.env.get(it.id)
    kind = container_kind(lw, v) if type(v) is Var else "?"
    if kind not in ("dict", None):
        return None
    size = "len" if kind == "dict" else _DICT_LEN  # (an argument: a dict's size, or -1)
    n = lw.op(size, [v], hint="n")

    def check() -> None:
        cur = lw.env.get(it.id)
        if type(cur) is Var:
            ok = lw.op("eq", [lw.op(size, [cur]), n])
            lw.op("srcad.runtime.require", [ok, Const(_MSG), Const("RuntimeError")])

    return check


def keys_of(lw: Any, it: gast.Call, seq: Any) -> Any:
    """The keys ``for k in d.keys()`` iterates: ``_srcad.dict_keys(d)`` for a dict the lowering
    knows is one (`container_kind`), named, as ``for k in d`` iterates (the mutation check knows
    those keys hold no object the body could update: ``d[k] -= lr * g[k]``, an optimizer's
    step); else a list of `seq` (the view listed), a snapshot as before."""
    recv = it.func.value
    if type(recv) is gast.Name and it.func.attr == "keys":
        v = lw.env.get(recv.id)
        if type(v) is Var and container_kind(lw, v) == "dict":
            return lw.op("srcad.runtime.dict_keys", [v], hint="keys")
    return lw.op("builtins.list", [seq], hint=it.func.attr)
