"""Updating list/dict methods on a receiver whose kind the lowering cannot see.

Input: the lowerer at ``xs.pop()``, ``xs.pop(i)``, ``xs.insert(i, v)``, ``xs.remove(v)``,
``xs.reverse()``, ``xs.clear()``, ``d.pop(k)`` (a statement or an expression) or ``del xs[k]``
whose receiver, a local name, lower/base.container_kind cannot show to be a list or a dict: an
argument (its private copy, lower/argcopy.py, written back into the caller's object at the
end), a helper's result. Output: the arguments lowered once, then the method lowered as
lower/idioms.py lowers it on a known list or dict (the name rebound to the new value, the old
object marked as updated):

- a list-only method (``pop()``, ``insert``, ``remove``, ``reverse``): after
  ``_srcad.plain_list(xs)``, a located refusal when it runs on anything but a builtin list
  (a deque, a user class with its own ``pop``, an array);
- ``pop(k)``, ``clear()`` and ``del xs[k]``, a list's or a dict's: ``if type(xs) is dict:``
  the dict's, ``else:`` ``plain_list`` and the list's; the call's value joined from the path
  taken; ``del xs[a:b]``, a list's only (lower/listedits.delete).

Exact where it runs: a builtin list or dict behaves as the known-kind lowering assumes; any
other type is refused at run time, never lowered as a list's. A dict subclass (``defaultdict``,
whose ``d[k]`` would insert a missing key) takes the list path and is refused there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gast

from srcad import lazy
from srcad.ssa.core import Const, Operand

_listedits = lazy.module("srcad.lower.listedits")  # (it calls `delete` here)
PLAIN_LIST = "srcad.runtime.plain_list"
_LIST_ONLY = frozenset({("pop", 0), ("insert", 2), ("remove", 1), ("reverse", 0)})
_EITHER = frozenset({("pop", 1), ("clear", 0)})


def update(
    lw: Any, node: gast.Call, recv: gast.Name, old: Operand, update_as: Callable
) -> tuple[bool, Operand | None]:
    """(handled, the call's value) of the updating method `node` on `recv` (bound to `old`, of
    unknown kind); `update_as(lw, node, recv, old, kind, args)` lowers it for a known kind
    (lower/idioms.update_as). (False, None): not one of these forms (refused as before)."""
    form = (node.func.attr, len(node.args))
    if node.keywords or form not in _LIST_ONLY | _EITHER:
        return False, None
    args = [lw.value(a) for a in node.args]  # once, before the method runs (Python's order)
    lw.at(node)
    if form in _LIST_ONLY:
        lw.op(PLAIN_LIST, [old])
        return update_as(lw, node, recv, old, "list", args)
    is_dict = lw.op("is", [lw.op("type", [old]), Const(dict)])
    out = _listedits._temp(lw)
    done: list[bool] = []

    def as_kind(kind: str) -> Callable[[], None]:
        def lower() -> None:
            if kind == "list":
                lw.op(PLAIN_LIST, [old])
            handled, item = update_as(lw, node, recv, old, kind, args)
            done.append(handled)
            lw.env[out] = item if item is not None else Const(None)

        return lower

    lw.branch(is_dict, as_kind("dict"), as_kind("list"), node)
    item = lw.env.pop(out)
    if not all(done):  # (every form above is handled for both kinds)
        raise lw.error(node, f"`.{form[0]}()` of a value srcad cannot tell is a list or a dict")
    return True, item


def delete(lw: Any, s: gast.Delete, t: gast.Subscript, old: Operand, delete_as: Callable) -> None:
    """``del xs[k]`` / ``del xs[a:b]`` (the statement `s`) of `t`, its base (bound to `old`) of
    unknown kind; `delete_as(lw, t, old, kind, key)` lowers it for a known kind
    (lower/listedits.delete_as)."""
    lw.at(s)
    if isinstance(t.slice, gast.Slice):
        lw.op(PLAIN_LIST, [old])
        return delete_as(lw, t, old, "list", None)
    key = lw.value(t.slice)
    lw.at(s)
    is_dict = lw.op("is", [lw.op("type", [old]), Const(dict)])

    def as_list() -> None:
        lw.at(s)
        lw.op(PLAIN_LIST, [old])
        delete_as(lw, t, old, "list", key)

    lw.branch(is_dict, lambda: delete_as(lw, t, old, "dict", key), as_list, t)
