"""The masks of a user function's parameters, carried to the arguments of a call of it.

Input: the masks `ad/masks.py` found for the parameters of a helper the reverse sweep calls
(where each parameter's cotangent can be non-zero, in the helper's terms), and the operands a
call passes. Output: `summary(fn, pmasks)`, what a caller needs (the parameters, their masks, the
helper's ops that compute the conditions), and `arg_masks(summary, args)`, the same masks in the
caller's terms: each condition computed again from the call's operands (`maskcarry.Carry`, as for
a condition a branch computes; one that cannot be is dropped from its conjunction: sound)::

    def helper(r):                          # r's cotangent: zero where np.isnan(r)
        return np.where(np.isnan(r), 0.0, r)
    y = helper(a / b)                       # a / b: masked where recomputed('numpy.isnan', a / b)

The caller then masks the contributions of the op making the argument (``g / b`` at ``b = 0`` is
``0 / 0``: nan, though the helper gave that position no cotangent). Only a helper that writes into
no array or list (no ``setitem``, ``list_append``, in-place operator) has a summary: a condition
is recomputed from the argument after the call."""

from __future__ import annotations

from typing import Any

from srcad.ad import nanmasks, wheremasks
from srcad.ad.maskcarry import _FAIL, Carry, Moved, _defs
from srcad.ssa.core import Const, Function, Op, Var, walk_ops

# the reductions whose operand's NaN (or unselected) entries a helper's mask leaves out: their
# condition (`nanmasks`, `wheremasks`) reads the reduction's result, recomputed by the caller
_REDUCTIONS = nanmasks.PRIMS | wheremasks.PRIMS
_LEFT = frozenset((nanmasks.LEFT_OUT, wheremasks.LEFT_OUT, "numpy.logical_and"))  # (left_out_all)
_WRITES = ("setitem", "list_append", "iadd", "isub", "imul", "itruediv", "ifloordiv", "ipow")


def summary(fn: Function, pmasks: dict) -> tuple | None:
    """-> (params, their masks or None, the helper's defining ops); None when nothing is masked
    or the helper writes into a value in place."""
    if not any(pmasks.get(p) for p in fn.params):
        return None
    if any(op.prim in _WRITES or op.prim.startswith("srcad.runtime.") and "write" in op.prim
           for op in walk_ops(fn.body)):  # fmt: skip
        return None
    return list(fn.params), [pmasks.get(p) for p in fn.params], _defs(fn.body.ops, False)


def arg_masks(s: tuple | None, args: list) -> list | None:
    """The masks of the call's operands `args` (in the helper's parameter order), () for an
    operand whose parameter is not masked; None when there is no summary."""
    if s is None:
        return None
    params, masks, defs = s
    if len(params) != len(args):
        return None
    subst = {p: a for p, a in zip(params, args) if type(a) is Var}
    consts = {p: a for p, a in zip(params, args) if type(a) is Const}
    carry = _Call(subst, lambda v: _FAIL if v in params and v not in subst else defs.get(v, _FAIL))
    carry.consts = consts
    out: list[Any] = []
    for m in masks:
        out.append(_plain(carry.masks(m)) if m else ())
    return out


class _Call(Carry):
    """`Carry` with the parameters a call binds to constants (``cap(r, 10.0)``) read as them, and
    the result of a NaN-skipping or masked reduction the helper makes (the `ans` its
    `nan_left_out`/`where_left_out` condition reads) recomputed from the carried operands."""

    consts: dict = {}

    def operand(self, a: Any) -> Any:
        if type(a) is Var and a in self.consts:
            return self.consts[a]
        op = self.hidden(a) if type(a) is Var and a not in self.subst else None
        if type(op) is Op and op.prim in _REDUCTIONS and len(op.results) == 1:
            return self._expr(op.prim, op.args, op.kwargs)  # (no write: the same values)
        return super().operand(a)


def _plain(m: tuple) -> tuple:
    """`m` with only the conditions recomputed as values (no `Moved`/write masks of the helper:
    those name its own values); a conjunction left empty keeps everything."""
    out = []
    for conj in m:
        kept = tuple(
            (c, k)
            for c, k in conj
            if type(c) is not tuple and type(c) is not Moved or type(c) is tuple and c[0] in _LEFT
        )
        if not kept:
            return ()
        out.append(kept)
    return tuple(out)
