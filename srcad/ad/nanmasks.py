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
``ddof >= n``) keeps its NaN derivative, as its value. More such reductions of one value than
`ad/masks.py` keeps alternatives for (``np.nansum(z) + np.nanmax(z) + ...``) are masked by the
conjunction of their conditions (`left_out_all`): the union of "keep where c_i is False".
"""

from __future__ import annotations

from srcad.ad.common import RT
from srcad.ad.maskcarry import Expr, Moved
from srcad.ad.rules import RuleTable
from srcad.ssa.core import Const, Op, Var

PRIMS = frozenset(
    f"numpy.nan{name}"
    for name in ("sum", "mean", "max", "min", "var", "std", "prod", "median", "quantile",
                 "percentile")
)  # fmt: skip
# the runtime helpers of their derivatives, differentiated again (grad of grad, grad of jvp):
# the operands (of `a`'s shape) that get no cotangent where `a` is NaN (their rules give exact 0s)
HELPERS = {
    RT + "nanvar_vjp": ("a",), RT + "nanvar_jvp": ("t", "a"), RT + "quantile_jvp": ("t", "a"),
    RT + "quantile_vjp": ("a",),  # (`a`'s: zeros, the weights being locally constant)
    RT + "std_adj_check": ("a",), RT + "std_d2_check": ("a",),  # (zeros, or a refusal)
}  # fmt: skip
SKIPPING = PRIMS | frozenset(HELPERS)
LEFT_OUT = RT + "nan_left_out"
_LEFT_OUTS = (LEFT_OUT, RT + "where_left_out")  # (and `wheremasks.LEFT_OUT`)


def nan_skipped(op: Op, table: RuleTable) -> tuple[Var, tuple] | None:
    """-> (u, (cond, False)) for a NaN-skipping reduction `op` of the value `u`: `u`'s cotangent
    is zero wherever ``cond`` holds; None for another op (or `u` a constant, or a call the rule
    does not bind)."""
    rule = table.get(op.prim)
    if op.prim not in SKIPPING or rule is None or len(op.results) != 1 or not op.args:
        return None
    try:
        bound = rule.bind(op.args, op.kwargs)
    except TypeError:
        return None
    u = bound.get("a")
    if op.prim in HELPERS:
        return _helper_skipped(op, bound, u)
    if type(u) is not Var:
        return None
    axis, keep = (_operand(bound.get(k, d)) for k, d in (("axis", None), ("keepdims", False)))
    return u, ((LEFT_OUT, u, op.result, axis, keep), False)


def _helper_skipped(op: Op, bound: dict, a: object) -> tuple[tuple, tuple] | None:
    """-> (the operands of the derivative helper `op` that get no cotangent where `a` is NaN,
    (``np.isnan(a)``, False)); None where it is not a NaN-skipping one (``quantile_jvp`` of
    ``np.quantile``: its `nan` False)."""
    nan = bound.get("nan", Const(True))
    if type(a) is not Var or type(nan) is not Const or nan.value is not True:
        return None
    us = tuple(v for k in HELPERS[op.prim] if type(v := bound.get(k)) is Var)
    return (us, (("numpy.isnan", a), False)) if us else None


def _operand(v: object) -> object:
    return v if type(v) in (Var, Const) else Const(v)


def left_out_all(alts: list, v: object = None) -> tuple:
    """The masks of `alts`, alternatives each keeping the positions where the condition `c_i` of
    one NaN-skipping or ``where=`` reduction of the value is False, as one: keep where ``c_1 &
    c_2 & ...`` is False (their union, exactly; each `c_i` has the value's shape, or is False).
    Alternatives of another form, masks of the value `v`: their union in `v`'s shape as one
    condition, ``Moved("shape", v, v, alts)`` (`maskemit` ors their selections in `v`'s shape;
    an op making `v` from operands of other shapes reads it as a broadcast condition); () (mask
    nothing) without `v`."""
    if type(v) is Var and not all(
        len(conj) == 1 and type(conj[0][0]) is tuple and conj[0][0][0] in _LEFT_OUTS
        for conj in alts
    ):
        return (((Moved("shape", v, v, tuple(alts), []), True),),)
    if not all(
        len(conj) == 1
        and conj[0][1] is False
        and type(conj[0][0]) is tuple
        and conj[0][0][0] in _LEFT_OUTS
        for conj in alts
    ):
        return ()
    conds = [Expr(c[0], list(c[1:]), {}) for ((c, _),) in alts]
    both = conds[0]
    for e in conds[1:-1]:
        both = Expr("numpy.logical_and", [both, e], {})
    return (((("numpy.logical_and", both, conds[-1]), False),),)
