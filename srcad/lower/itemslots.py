"""``for k, v in d.items():`` whose body writes only the current entry (``d[k] op= ...``), over a
dict made here: each `v` read as ``d[k]`` when its step starts, not from a list made before.

Input: the lowerer and the loop's iterable (lower/idioms.items_snapshot accepted the loop).
Output: the iteration space (start, stop, step, item(i)) or None (then the snapshot of the
items, lower/calls.iteration_space, as before).

Python's items iterator yields ``(k, d[k])`` as each step starts: `v` is the object the entry
holds then. A snapshot of the items holds the same objects, but a body updating ``d[k]`` in
place (``d[k] += v * x`` of an array) makes every later step of the snapshot a read of a list
holding an updated object, which the mutation check refused (it cannot tell the entries
apart). Reading ``d[k]`` from the dict as the body leaves it (its loop-carried value) is
Python's meaning here, since the keys cannot change (items_snapshot: no other write to `d`);
two keys sharing one array stay refused by the check of ``d``'s entries (passes/alias_slots.py)::

    for k, v in d.items():             keys = dict_keys(d)
        d[k] += v * x          ->      for i in range(len(keys)):
                                           k = keys[i]; v = d[k]
                                           d[k] += v * x
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.base import container_kind
from srcad.lower.idioms import stores_entry
from srcad.ssa.core import Const


def items_space(lw: Any, it: Any) -> tuple | None:
    """The space of the module docstring for `it` (``d.items()``), or None."""
    if it is not getattr(lw, "items_snapshot", None) or not isinstance(it.func.value, gast.Name):
        return None
    d = it.func.value
    loop = getattr(lw, "for_loop", None)
    if loop is None or loop.iter is not it or not _writes_entry(loop, d.id):
        return None  # (a loop reading the items only: the snapshot, whose keys are no operands)
    base = lw.value(d)
    if container_kind(lw, base) != "dict":
        return None
    keys = lw.op("srcad.runtime.dict_keys", [base], hint="keys")
    n = lw.op("len", [keys], hint="n")

    def item(i: Any) -> Any:
        k = lw.op("getitem", [keys, i])
        return lw.op("tuple", [k, lw.op("getitem", [lw.value(d), k])])

    return Const(0), n, Const(1), item


def _writes_entry(loop: Any, d: str) -> bool:
    """Does the body of `loop` (``for k, v in d.items()``) store into ``d[k]``?"""
    k = loop.target.elts[0].id
    return any(stores_entry(n, d, k) for stmt in loop.body for n in gast.walk(stmt))
