"""Reverse mode through a reduction's ``where=``: the entries it leaves out get no cotangent.

Input: an op of primal IR and the VJP rule table. Output: `where_kept(op, table)`: for
``ans = np.sum(u, .., where=c)`` (mean, prod, var, std, max, min, their methods and the
NaN-skipping reductions) the operand `u` with the condition ``(c, True)``: a position of `u`
where `c` (broadcast to `u`'s shape) is False gets no cotangent; None for any other op.

NumPy's value does not read those entries and each reduction's rule gives them 0; but the
elementwise chain that made `u` multiplies that 0 by its local derivative, which may be NaN or
infinite there (``np.mean(np.sqrt(x), where=x > 0)``: ``0 * 0.5 / sqrt(-0.3)`` is NaN, and so
was the gradient). `ad/masks.py` reads the reduction of `u` as that of ``np.where(c, u, ..)``,
so the chain's contributions are masked as on the unselected side of a ``where``::

    sel = _srcad.where_mask(np.shape(u), c)             # u = np.sqrt(x)
    bx = np.where(sel, g * (0.5 / u), 0.0)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable
from srcad.ssa.core import Op, Var

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
    """-> (u, (c, True)) for a reduction `op` of the value `u` with ``where=c``: `u`'s
    cotangent is zero wherever ``c`` is False; None for another op (or `u` a constant, or a call
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
    return u, (c, True)
