"""``np.multiply.at`` / ``np.divide.at`` / ``np.maximum.at`` / ``np.minimum.at`` on a local
array, as a new array computed from differentiable NumPy calls (`np.add.at` /
`np.subtract.at`: lower/inplace_np.py's ``scatter_add``).

Input: the lowerer, the ufunc's name, the gast call ``np.<ufunc>.at(a, idx, v)`` with `a` a local
array name. Output: ops rebinding `a` to the written array (the op marked as updating the old
object in place, as lower/inplace_np._rebind does), or None (refused by the caller).

NumPy applies ``a[p] = op(a[p], w)`` for each written element in turn, so a position written
twice is combined twice. With the positions grouped (`rules/ufunc_at.at_table`: per distinct
flat position `u`, the elements written there in NumPy's order, padded), the new values are

- multiply: ``np.cumprod([a_u | w_1 .. w_L], axis=1)[:, -1]`` (the same sequential products,
  bit for bit; padding 1.0);
- maximum / minimum: ``np.max`` / ``np.min`` of ``[a_u | w_1 .. w_L]`` (padding -inf / +inf;
  exact; a tie shares the derivative evenly, as ``np.max`` does, which is what central
  differences see);
- divide: ``a_u / np.prod(w, axis=1)`` plus ``at_divide_fix`` (zero derivative): NumPy's
  sequential quotients minus that value, a rounding difference; it refuses when running
  (`DiffError`) where the two are not within rounding (overflow of the product);

written back by ``put_write(a, u, r, "raise", "flat")``. `at_table` runs NumPy's own
``ufunc.at`` on a copy first, so an index, broadcast or cast error is NumPy's; arrays other than
float ones (integer arithmetic) are refused when it runs.
"""

from __future__ import annotations

from typing import Any

import gast

from srcad.ssa.core import Const, Operand

KINDS = {
    "numpy.multiply": "multiply",
    "numpy.divide": "divide",
    "numpy.true_divide": "divide",
    "numpy.maximum": "maximum",
    "numpy.minimum": "minimum",
}


def lower(lw: Any, ufunc: str, node: gast.Call) -> Operand | None:
    """``np.<ufunc>.at(a, idx, v)``: the new `a`'s value (the caller rebinds), or None."""
    kind = KINDS.get(ufunc)
    if kind is None:
        return None
    a, idx, v = (lw.value(e) for e in node.args)
    lw.at(node)
    rt = "srcad.runtime."
    table = lw.op(rt + "at_table", [a, idx, v, Const(kind)])
    u = lw.op("getitem", [table, Const((slice(None), 0))])
    gidx = lw.op("getitem", [table, Const((slice(None), slice(1, None)))])
    valid = lw.op("ge", [gidx, Const(0)])
    wb = lw.op("numpy.broadcast_to", [v, lw.op(rt + "at_shape", [a, idx])])
    pad = {"multiply": 1.0, "divide": 1.0, "maximum": -float("inf"), "minimum": float("inf")}
    w = lw.op("numpy.where", [valid, lw.op("numpy.take", [wb, gidx]), Const(pad[kind])])
    au = lw.op("numpy.take", [a, u])
    if kind == "divide":
        r0 = lw.op("truediv", [au, lw.op("numpy.prod", [w], {"axis": Const(1)})])
        r = lw.op("add", [r0, lw.op(rt + "at_divide_fix", [a, idx, v, u, r0])])
    else:
        cols = lw.op("numpy.column_stack", [lw.op("tuple", [au, w])])
        if kind == "multiply":
            prods = lw.op("numpy.cumprod", [cols], {"axis": Const(1)})
            r = lw.op("getitem", [prods, Const((slice(None), -1))])
        else:
            r = lw.op("numpy.max" if kind == "maximum" else "numpy.min", [cols], {"axis": Const(1)})
    return lw.op(rt + "put_write", [a, u, r, Const("raise"), Const("flat")])
