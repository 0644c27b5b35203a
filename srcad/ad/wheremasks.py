"""Reverse mode through a reduction's ``where=``: the entries it leaves out get no cotangent.

Input: an op of primal IR and the VJP rule table. Output: `where_kept(op, table)`: for
``ans = np.sum(u, .., where=c)`` (mean, prod, var, std, max, min, their methods and the
NaN-skipping reductions) the operand `u` with the condition under which a position of `u` gets
no cotangent, ``_srcad.where_left_out(u, ans, c, axis, keepdims)`` (`rules/condmasks.py`: where
`c`, broadcast to `u`'s shape, is False, in a slice whose result is finite; a slice with a NaN
result, the mean of no entry, keeps its NaN derivative, as its value); None for any other op.

NumPy's value does not read those entries and each reduction's rule gives them 0; but the
elementwise chain that made `u` multiplies that 0 by its local derivative, which may be NaN or
infinite there (``np.mean(np.sqrt(x), where=x > 0)``: ``0 * 0.5 / sqrt(-0.3)`` is NaN, and so
was the gradient). `ad/masks.py` reads the reduction of `u` as that of ``np.where(c, u, ..)``,
so the chain's contributions are masked as on the unselected side of a ``where``::

    sel = _srcad.where_mask(np.shape(u), _srcad.where_left_out(u, ans, c, None, False), keep=(False,))
    bx = np.where(sel, g * (0.5 / u), 0.0)
"""

from __future__ import annotations

from srcad.ad.common import RT
from srcad.ad.rules import RuleTable
from srcad.ssa.core import Const, Op, Var

LEFT_OUT = RT + "where_left_out"
_FUNCS = ("sum", "mean", "prod", "var", "std", "max", "min", "amax", "amin")
_NANS = ("nansum", "nanmean", "nanprod", "nanvar", "nanstd", "nanmax", "nanmin")
_METHODS = ("sum", "mean", "prod", "var", "std", "max", "min")
PRIMS = frozenset(
    (
        *(f"numpy.{n}" for n in (*_FUNCS, *_NANS)),
        *(f"method.{n}" for n in _METHODS),
    )
)


def has_where(op: Op) -> bool:
    """Is `op` a reduction of `PRIMS` called with a ``where=`` that is a value of the IR?"""
    return op.prim in PRIMS and type(op.kwargs.get("where")) is Var


def where_kept(op: Op, table: RuleTable) -> tuple[Var, tuple] | None:
    """-> (u, (cond, False)) for a reduction `op` of the value `u` with ``where=c``: `u`'s
    cotangent is zero wherever ``cond`` holds; None for another op (or `u` a constant, or a call
    the rule does not bind)."""
    rule = table.get(op.prim)
    if not has_where(op) or rule is None or len(op.results) != 1 or not op.args:
        return None
    try:
        bound = rule.bind(op.args, op.kwargs)
    except TypeError:
        return None
    first = next(iter(rule.sig.parameters), None)  # (`a`, or a method's receiver `x`)
    u, c = bound.get(first), bound.get("where")
    if type(u) is not Var or type(c) is not Var:
        return None
    axis, keep = (_operand(bound.get(k, d)) for k, d in (("axis", None), ("keepdims", False)))
    return u, ((LEFT_OUT, u, op.result, c, axis, keep), False)


def _operand(v: object) -> object:
    return v if type(v) in (Var, Const) else Const(v)
