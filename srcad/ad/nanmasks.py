"""Reverse mode through NumPy's NaN-skipping reductions: the NaN entries' chain gets no cotangent.

Input: an op of primal IR and the VJP rule table. Output: `nan_skipped(op, table)`: for
``ans = np.nansum(u, ..)`` (and nanmean, nanmax, nanmin, nanvar, nanstd, nanprod, nanmedian,
nanquantile, nanpercentile) the operand `u` with the condition under which a position of `u` gets
no cotangent, ``_srcad.nan_left_out(u, ans, axis, keepdims)`` (`rules/condmasks.py`: a NaN entry
of a slice whose result is finite); None for any other op.

NumPy's value leaves the NaN entries out, so their cotangent is zero, and each reduction's rule
gives them 0; but the elementwise chain that made `u` multiplies that 0 by its local
derivative, NaN there as well (``np.nansum((data - w) ** 2)`` with a NaN in `data`: ``0 * 2 *
(data - w)`` is NaN, and so was the gradient). `ad/masks.py` reads the reduction of `u` as that
of ``np.where(left_out, 0.0, u)``, so the chain's contributions are masked as on the unselected
side of a ``where``::

    sel = _srcad.where_mask(np.shape(u), _srcad.nan_left_out(u, ans, None, False), keep=(False,))
    bt = np.where(sel, g * _srcad.pow_dx(t, 2), 0.0)          # u = t ** 2

A slice whose result is NaN or infinite (``np.nanmean`` of all NaNs, ``np.nanvar`` with
``ddof >= n``) keeps its NaN derivative, as its value.
"""

from __future__ import annotations

from srcad.ad.common import RT
from srcad.ad.rules import RuleTable
from srcad.ssa.core import Const, Op, Var

PRIMS = frozenset(
    f"numpy.nan{name}"
    for name in ("sum", "mean", "max", "min", "var", "std", "prod", "median", "quantile",
                 "percentile")
)  # fmt: skip
LEFT_OUT = RT + "nan_left_out"


def nan_skipped(op: Op, table: RuleTable) -> tuple[Var, tuple] | None:
    """-> (u, (cond, False)) for a NaN-skipping reduction `op` of the value `u`: `u`'s cotangent
    is zero wherever ``cond`` holds; None for another op (or `u` a constant, or a call the rule
    does not bind)."""
    rule = table.get(op.prim)
    if op.prim not in PRIMS or rule is None or len(op.results) != 1 or not op.args:
        return None
    try:
        bound = rule.bind(op.args, op.kwargs)
    except TypeError:
        return None
    u = bound.get("a")
    if type(u) is not Var:
        return None
    axis, keep = (_operand(bound.get(k, d)) for k, d in (("axis", None), ("keepdims", False)))
    return u, ((LEFT_OUT, u, op.result, axis, keep), False)


def _operand(v: object) -> object:
    return v if type(v) in (Var, Const) else Const(v)
