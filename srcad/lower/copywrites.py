"""Writes into the copy an advanced index makes: ``K[d][:, d] += ke`` with `d` an index array (a
list display, a name bound to ``np.array([...])`` of a list, ``np.arange``, ...).

Input: the lowerer and an item-assignment target ``B[idx][...]`` (what ``x[i][j] = v`` lowers
through, `lower/exprs.assign_to`). Output: whether the write was taken (True: nothing written
back). NumPy's ``B[idx]`` with such an index is a new array, so Python changes that temporary
and leaves `B` as it was, where the functional write-back ``B = setitem(B, idx, ...)`` would
change `B`. The statement becomes the run-time check ``_srcad.copy_write(B, idx)``: NumPy's
own errors of ``B[idx]``, and a `SrcadError` when `B` is no ndarray or ``B[idx]`` shares its
memory after all (the write would then reach `B`)::

    K[d][:, d] += ke      ->      _srcad.copy_write(K, d)        # K unchanged, as in Python
"""

from __future__ import annotations

import copy
from typing import Any

import gast

from srcad.lower.base import container_kind
from srcad.lower.values import defining_op
from srcad.ssa.core import Const, Var

_ARRAYS = ("numpy.arange", "numpy.flatnonzero", "numpy.argsort")  # int arrays of one dimension
_MAKERS = ("numpy.array", "numpy.asarray")  # of a list: an array of one or more dimensions


def copy_write(lw: Any, target: Any) -> bool:
    """``B[idx][...] = v`` with `idx` certainly an index array: the check, nothing written."""
    inner = target.value
    if not isinstance(inner, gast.Subscript) or not _advanced(lw, inner.slice):
        return False
    base = lw.value(as_load(inner.value))
    lw.at(target)
    lw.op("srcad.runtime.copy_write", [base, lw.index(inner.slice)])
    return True


def _advanced(lw: Any, node: Any) -> bool:
    if isinstance(node, gast.List):
        return all(isinstance(e, (gast.Constant, gast.Name)) for e in node.elts)
    if not isinstance(node, gast.Name):
        return False
    v = lw.env.get(node.id)
    if type(v) is not Var:
        return False
    if container_kind(lw, v) == "list":
        return True
    op = defining_op(v, lw.b.block.ops, lw.outer_ops)
    if op is None or op.kwargs:
        return False
    if op.prim in _ARRAYS:
        return True
    if op.prim not in _MAKERS or len(op.args) != 1:
        return False
    a = op.args[0]
    return container_kind(lw, a) == "list" or (isinstance(a, Const) and type(a.value) is list)


def as_load(node: Any) -> Any:
    """A copy of the target expression `node` that reads it (every ``ctx`` Load)."""
    n2 = copy.deepcopy(node)
    for n in gast.walk(n2):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return n2
