"""``A.flat[k]``: NumPy's flat iterator indexed, read and written, as its functional forms.

Input: the lowerer at an assignment, an augmented assignment or a subscript expression. Output:
ops, or False/None when the node is not such an index (the caller lowers it as before):

- ``A.flat[k] = v`` (`A` a local array name) -> ``A = _srcad.put_write(A, p, v, "raise",
  "flat")``, which is ``np.put(A, p, v)`` on a copy: NumPy documents ``np.put(a, ind, v)`` as
  ``a.flat[ind] = v`` (C order whatever the layout, `v` repeated or cut to the positions, the
  last of a repeated position winning); `p` is `k` for an integer constant, else the positions
  ``np.arange(np.size(A))[k]`` (a slice, a mask or a list of positions as the iterator reads
  them). The op updates the old array in place (`Function.augmented`, as ``A.fill(v)``), so the
  mutation check refuses it when another name holding `A` is read afterwards or `A` is an
  argument;
- ``A.flat[k] op= v`` -> the read below, ``op``, then the write;
- a read ``e.flat[k]`` -> ``np.take(e, p)``: a copy (as the iterator's index returns), the
  element for an integer;
- ``for v in e.flat`` / ``enumerate(e.flat)`` (loops, comprehensions) -> over ``e.ravel()``
  (lower/iterzip.flat_items).

A tuple index (``A.flat[1, 2]``) and anything but a name before ``.flat`` in a write stay as
they were (refused).
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.lower.inplace_np import _local, _rebind
from srcad.lower.values import LocalObj
from srcad.ssa.core import Const, Operand
from srcad.ssa.prims import BINOPS


def _flat_index(node: Any) -> gast.Subscript | None:
    """`node` when it is ``<expr>.flat[k]`` with a non-tuple index, else None."""
    if (
        isinstance(node, gast.Subscript)
        and isinstance(node.value, gast.Attribute)
        and node.value.attr == "flat"
        and not isinstance(node.slice, gast.Tuple)
    ):
        return node
    return None


def _positions(lw: Any, base: Operand, sl: Any) -> Operand:
    """The flat positions `sl` picks: an int constant as it is, else ``np.arange(size)[sl]``."""
    if isinstance(sl, gast.Constant) and type(sl.value) is int:
        return Const(sl.value)
    idx = lw.index(sl)
    size = lw.op("numpy.size", [base])
    return lw.op("getitem", [lw.op("numpy.arange", [size]), idx])


def _writable(lw: Any, node: Any) -> bool:
    """Is ``node.flat[k] = v`` a write srcad rebinds: `node` a local name holding a value (not
    an object built here, whose ``flat`` is its own field)?"""
    return _local(lw, node) and not isinstance(lw.env[node.id], LocalObj)


def read(lw: Any, node: gast.Subscript) -> Operand | None:
    """``e.flat[k]`` as ``np.take(e, p)``, or None (not such a read, or `e` an object's)."""
    if _flat_index(node) is None:
        return None
    raw = lw.expr(node.value.value)
    if isinstance(raw, LocalObj):
        return None
    base = lw.operand(raw, node.value.value)
    pos = _positions(lw, base, node.slice)
    lw.at(node)
    return lw.op("numpy.take", [base, pos])


def _write(lw: Any, target: gast.Subscript, base: Operand, pos: Operand, v: Operand) -> None:
    name = target.value.value
    lw.at(target)
    new = lw.op("srcad.runtime.put_write", [base, pos, v, Const("raise"), Const("flat")],
                hint=name.id)  # fmt: skip
    _rebind(lw, name, new, ".flat[...]")  # the old array updated in place ("written into by")


def assign(lw: Any, s: gast.Assign) -> bool:
    """``A.flat[k] = v`` lowered (True), or False."""
    if len(s.targets) != 1 or (t := _flat_index(s.targets[0])) is None:
        return False
    if not _writable(lw, t.value.value):
        return False
    v = lw.value(s.value)  # (Python evaluates the value first)
    base = lw.value(gast.Name(id=t.value.value.id, ctx=gast.Load(), annotation=None,
                              type_comment=None))  # fmt: skip
    pos = _positions(lw, base, t.slice)
    _write(lw, t, base, pos, v)
    return True


def aug_assign(lw: Any, s: gast.AugAssign, prim: str) -> bool:
    """``A.flat[k] op= v`` lowered (True), or False: the items read, `op`, written back."""
    if (t := _flat_index(s.target)) is None or not _writable(lw, t.value.value):
        return False
    base = lw.value(gast.Name(id=t.value.value.id, ctx=gast.Load(), annotation=None,
                              type_comment=None))  # fmt: skip
    pos = _positions(lw, base, t.slice)
    lw.at(t)
    old = lw.op("numpy.take", [base, pos])
    rhs = lw.value(s.value)
    lw.at(s)
    new = lw.op(prim, [old, rhs])
    _write(lw, t, base, pos, new)
    return True


class FlatIndexing:
    """The lowerer's hooks (a mixin before the lowerer's classes)."""

    def stmt_Assign(self, s: gast.Assign, live: set) -> None:
        if not assign(self, s):
            super().stmt_Assign(s, live)  # type: ignore[misc]

    def stmt_AugAssign(self, s: gast.AugAssign, live: set) -> None:
        if not aug_assign(self, s, BINOPS[type(s.op)]):
            super().stmt_AugAssign(s, live)  # type: ignore[misc]

    def expr_Subscript(self, node: gast.Subscript) -> Operand:
        out = read(self, node)
        return out if out is not None else super().expr_Subscript(node)  # type: ignore[misc]
