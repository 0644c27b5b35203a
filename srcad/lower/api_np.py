"""NumPy 2's array-API functions written as the older primitives they equal (more of
`srcad.lower.library.REWRITES`), so every order of derivative closes.

Input: the bound arguments of a call (`Operand`s) and the lowerer `lc` that emits ops. Output: the
result operand, or None (the call is then lowered as it is: refused, no rule).

- ``np.linalg.vector_norm(x, axis=, keepdims=, ord=)`` -> ``np.linalg.norm`` of `x` with the
  reduced axes moved last and flattened into one (``vector_norm_layout``: NumPy's axis checks), a
  vector norm whatever the number of axes, reshaped to the kept dimensions for ``keepdims=True``;
- ``np.linalg.matrix_norm(x, keepdims=, ord='fro')`` -> ``np.linalg.norm(x, ord, (-2, -1),
  keepdims)``;
- ``np.cumulative_sum``/``cumulative_prod(x, axis=, dtype=, include_initial=)`` ->
  ``np.cumsum``/``cumprod`` (``axis=None`` only of a 1-D `x`, checked when it runs:
  ``cumulative_axis``), with ``include_initial=True`` the identity (False/True: they take the
  result's dtype) joined in front along the axis;
- ``np.unstack(x, axis=)`` -> ``tuple(np.moveaxis(x, axis, 0))`` (NumPy's definition);
- ``np.linalg.tensordot(x1, x2, axes=)`` -> ``np.tensordot(x1, x2, axes)``;
- ``np.broadcast_arrays(*args)`` -> ``tuple(np.broadcast_to(a, shape) for a in args)``, `shape`
  the shape they broadcast to;
- ``np.average(a, axis, weights, returned=True)`` -> ``(np.average(a, axis, weights), s)``, `s`
  the weights (broadcast as NumPy broadcasts them: ``_srcad.average_weights``) summed along
  `axis` and broadcast to the average's shape, or NumPy's count when there are no weights.

- ``np.linspace(..., retstep=True)`` -> the samples and ``(stop - start) / div``;
- ``np.ascontiguousarray``/``asfortranarray`` -> ``np.atleast_1d(np.asarray(a, dtype, order))``.
- ``np.asarray_chkfinite(a, dtype, order)`` -> ``np.asarray(a, dtype, order=order)`` after
  NumPy's check that it holds no inf or NaN (its ValueError, raised when the code runs).

A computed (not constant) `keepdims` or `include_initial` keeps the call as it is (refused).

``x.astype(dtype, copy=False)`` (`astype_nocopy`, asked by lower/calls.py) -> ``np.asarray(x,
dtype=dtype)`` after a run-time check that `x` is an ndarray (else refused when it runs): both are
`x` itself when its dtype is `dtype` (the mutation check follows that), else a new array.
"""

from __future__ import annotations

from typing import Any

import gast
import numpy as np

from srcad.ssa.core import Const, Operand


def vector_norm(lc: Any, x: Operand, axis: Operand, keepdims: Operand, ord: Operand) -> Any:
    if not isinstance(keepdims, Const):
        return None
    lay = lc.op("srcad.runtime.vector_norm_layout", [x, axis])
    src, dst, flat, kept = (lc.op("getitem", [lay, Const(i)]) for i in range(4))
    moved = lc.op("numpy.reshape", [lc.op("numpy.moveaxis", [x, src, dst]), flat])
    n = lc.op("numpy.linalg.norm", [moved], {"ord": ord, "axis": Const(-1)})
    return lc.op("numpy.reshape", [n, kept]) if keepdims.value else n


def matrix_norm(lc: Any, x: Operand, keepdims: Operand, ord: Operand) -> Any:
    kw = {"ord": ord, "axis": Const((-2, -1)), "keepdims": keepdims}
    return lc.op("numpy.linalg.norm", [x], kw)


def cumulative(prim: str, identity: bool) -> Any:
    """``np.cumulative_sum`` (`prim` cumsum, identity False: 0) / ``cumulative_prod``
    (cumprod, True: 1)."""

    def rewrite(lc: Any, x, axis, dtype, out, include_initial):  # noqa: ANN001
        if out != Const(None) or not isinstance(include_initial, Const):
            return None
        x = lc.op("numpy.atleast_1d", [x])  # (NumPy's: a 0-d x accumulates as a 1-D one)
        axis = lc.op("srcad.runtime.cumulative_axis", [x, axis])
        c = lc.op(prim, [x], {"axis": axis, "dtype": dtype})
        if not include_initial.value:
            return c
        shape = lc.op("numpy.shape", [c])
        edge = lc.op("srcad.runtime.diff_edge", [Const(identity), shape, axis])
        return lc.op("numpy.concatenate", [lc.op("tuple", [edge, c])], {"axis": axis})

    return rewrite


def unstack(lc: Any, x: Operand, axis: Operand) -> Operand:
    return lc.op("builtins.tuple", [lc.op("numpy.moveaxis", [x, axis, Const(0)])])


def broadcast_arrays(lc: Any, args: Any, subok: Operand) -> Any:
    if subok != Const(False) or not isinstance(args, (list, tuple)):
        return None
    shape = lc.op("srcad.runtime.common_shape", [lc.op("list", list(args))])
    return lc.op("tuple", [lc.op("numpy.broadcast_to", [a, shape]) for a in args])


def average(lc: Any, a, axis, weights, returned, keepdims):  # noqa: ANN001
    """``np.average(..., returned=True)`` -> ``(np.average(...), the sum of the weights)``."""
    if not isinstance(returned, Const) or returned.value is not True:
        return None
    kd = Const(False) if keepdims == Const(np._NoValue) else keepdims
    avg = lc.op("numpy.average", [a], {"axis": axis, "weights": weights, "keepdims": kd})
    if weights == Const(None):  # NumPy's count, a constant
        return lc.op("tuple", [avg, lc.op("srcad.runtime.average_count", [a, avg])])
    w = lc.op("srcad.runtime.average_weights", [weights, a, axis])
    total = lc.op("numpy.sum", [w], {"axis": axis, "keepdims": kd})
    scl = lc.op("add", [total, lc.op("numpy.zeros_like", [avg])])  # broadcast, a new array
    return lc.op("tuple", [avg, scl])


def linspace_step(lc: Any, start, stop, num, endpoint, retstep, dtype, axis):  # noqa: ANN001
    """``np.linspace(..., retstep=True)`` -> ``(np.linspace(start, stop, num, endpoint), (stop -
    start) / div)``, `div` ``num - 1`` or `num` (constants; NumPy's NaN step of one sample and
    a `dtype` keeps the call as it is: refused). ``axis=k`` without `retstep`: the samples
    ``np.moveaxis(np.linspace(start, stop, num, endpoint), 0, k)``, as NumPy makes them."""
    if axis != Const(0) and retstep == Const(False) and dtype == Const(None):
        if not isinstance(axis, Const) or type(axis.value) is not int:
            return None
        samples = lc.op("numpy.linspace", [start, stop, num, endpoint])
        return lc.op("numpy.moveaxis", [samples, Const(0), axis])
    if retstep != Const(True) or dtype != Const(None) or axis != Const(0):
        return None
    if not (isinstance(num, Const) and isinstance(endpoint, Const)):
        return None
    div = num.value - 1 if endpoint.value else num.value
    if not isinstance(div, int) or div <= 0:
        return None
    samples = lc.op("numpy.linspace", [start, stop, num, endpoint])
    return lc.op("tuple", [samples, lc.op("truediv", [lc.op("sub", [stop, start]), Const(div)])])


def ordered(order: str) -> Any:
    """``np.ascontiguousarray``/``asfortranarray(a, dtype)`` -> ``np.atleast_1d(np.asarray(a,
    dtype, order))``: NumPy's own definition (``array(a, dtype, copy=None, order, ndmin=1)``),
    both maybe `a` itself, as the mutation check knows them."""

    def rewrite(lc: Any, a, dtype, like):  # noqa: ANN001
        if like != Const(None):
            return None
        arr = lc.op("numpy.asarray", [a], {"dtype": dtype, "order": Const(order)})
        return lc.op("numpy.atleast_1d", [arr])

    return rewrite


def chkfinite(lc: Any, a, dtype, order):  # noqa: ANN001
    """``np.asarray_chkfinite(a, dtype, order)``: the array, and NumPy's ValueError where it
    holds an inf or a NaN (`require`; integer and bool arrays always pass)."""
    arr = lc.op("numpy.asarray", [a], {"dtype": dtype, "order": order})
    ok = lc.op("numpy.all", [lc.op("numpy.isfinite", [arr])])
    msg = Const("array must not contain infs or NaNs")
    lc.op("srcad.runtime.require", [ok, msg, Const("ValueError")])
    return arr


def astype_nocopy(lc: Any, node: gast.Call) -> Operand | None:
    """``x.astype(dtype, copy=False)`` (no other keyword but ``dtype=``): ``np.asarray(x,
    dtype=dtype)``, `x` checked an ndarray when it runs; None for any other call."""
    func, kws = node.func, {k.arg: k.value for k in node.keywords}
    if (
        not isinstance(func, gast.Attribute)
        or func.attr != "astype"
        or set(kws) - {"copy", "dtype"}
    ):
        return None
    copy = kws.get("copy")
    if not (isinstance(copy, gast.Constant) and copy.value is False):
        return None
    if len(node.args) + ("dtype" in kws) != 1 or any(
        isinstance(a, gast.Starred) for a in node.args
    ):
        return None
    x = lc.operand(lc.expr(func.value), func.value)
    dtype = lc.value(node.args[0] if node.args else kws["dtype"])
    lc.at(node)
    ok = lc.op("isinstance", [x, Const(np.ndarray)])
    msg = Const("`.astype(dtype, copy=False)` of something other than a NumPy array")
    lc.op("srcad.runtime.require", [ok, msg, Const("srcad")])
    return lc.op("numpy.asarray", [x], {"dtype": dtype})


def _cum_sig(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
    """NumPy 2's signature of ``np.cumulative_sum``/``cumulative_prod``."""


REWRITES = {
    "numpy.linalg.vector_norm": (
        lambda x, /, *, axis=None, keepdims=False, ord=2: None,
        vector_norm,
    ),
    "numpy.linalg.matrix_norm": (lambda x, /, *, keepdims=False, ord="fro": None, matrix_norm),
    "numpy.cumulative_sum": (_cum_sig, cumulative("numpy.cumsum", False)),
    "numpy.cumulative_prod": (_cum_sig, cumulative("numpy.cumprod", True)),
    "numpy.unstack": (lambda x, /, *, axis=0: None, unstack),
    "numpy.linalg.tensordot": (
        lambda x1, x2, /, *, axes=2: None,
        lambda lc, x1, x2, axes: lc.op("numpy.tensordot", [x1, x2, axes]),
    ),
    "numpy.linspace": (
        lambda start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0: None,
        linspace_step,
    ),
    "numpy.ascontiguousarray": (lambda a, dtype=None, *, like=None: None, ordered("C")),
    "numpy.asfortranarray": (lambda a, dtype=None, *, like=None: None, ordered("F")),
    "numpy.asarray_chkfinite": (lambda a, dtype=None, order=None: None, chkfinite),
    "numpy.broadcast_arrays": (lambda *args, subok=False: None, broadcast_arrays),
    "numpy.average": (
        lambda a, axis=None, weights=None, returned=False, *, keepdims=np._NoValue: None,
        average,
    ),
}
