"""NumPy functions beyond the first release: order statistics (median, percentile, quantile and
their nan- variants), interp, polyval, gradient (trapezoid: `srcad.rules.trapezoid`), with the
runtime helpers their rules call and those helpers' own rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

Order statistics: every `method` of ``np.quantile`` is ``(1 - f) * s[i] + f * s[i + 1]`` of the
sorted values `s` at a virtual index ``i + f`` that depends on `q` and the count only (it is the
quantile of ``arange(n)``), so the derivative is that weight on the two selected elements. Ties
go to the elements a stable sort puts at those ranks (the first occurrence first); NaN-skipping
variants count only the non-NaN values; a slice with a NaN (not skipped) has NaN weights. `q`
carries no derivative (an active `q` is refused). interp: the helpers of its rules (which are in
`srcad.rules.numpy_api13`). Example (``np.median(a, axis=0)``)::

    jvp: _srcad.quantile_jvp(da, a, 0.5, axis, keepdims, 'linear', False)
    vjp: ba = _srcad.quantile_vjp(g, a, 0.5, axis, keepdims, 'linear', False)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand, real_part
from srcad.rules import trapezoid
from srcad.rules.helpers import helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.reductions import _axes, _like_input

_Q = "overwrite_input=False, method='linear', keepdims=False, *, weights=None"
# prim -> (signature, q expression, q scale, NaN-skipping)
QUANTILES = {
    "numpy.median": ("a, axis=None, out=None, overwrite_input=False, keepdims=False", "0.5", 1, 0),
    "numpy.nanmedian": (
        "a, axis=None, out=None, overwrite_input=False, keepdims=False",
        "0.5",
        1,
        1,
    ),
    "numpy.quantile": (f"a, q, axis=None, out=None, {_Q}", "q", 1, 0),
    "numpy.nanquantile": (f"a, q, axis=None, out=None, {_Q}", "q", 1, 1),
    "numpy.percentile": (f"a, q, axis=None, out=None, {_Q}", "q", 100, 0),
    "numpy.nanpercentile": (f"a, q, axis=None, out=None, {_Q}", "q", 100, 1),
}
_QH = "t, a, q, axis, keepdims, method, nan"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    for prim, (sig, q, scale, nan) in QUANTILES.items():
        method = "method" if "method" in sig else "'linear'"
        if "weights" in sig:  # weights (inverted_cdf only): refused at run time when given
            method = f"_srcad.no_weights({method}, weights)"
        qs = q if scale == 1 else f"np.divide({q}, {scale})"
        args = f"a, {qs}, axis, keepdims, {method}, {bool(nan)}"
        nondiff = ("axis", "out", "overwrite_input", "method", "keepdims", "weights")
        nondiff = tuple(n for n in nondiff if f"{n}=" in sig)
        # `q` has no term: an active q is refused at transform time.
        jvp.defjvp(prim, sig, nondiff=nondiff, a=f"_srcad.quantile_jvp(da, {args})")
        vjp.defvjp(prim, sig, nondiff=nondiff, a=f"_srcad.quantile_vjp(g, {args})")
    nd = ("axis", "keepdims", "method", "nan")
    zero_a = {"a": "_srcad.zeros_like(ans)"}
    jvp.defjvp(rt(quantile_jvp), _QH, nondiff=nd, t=f"_srcad.quantile_jvp(dt, {_QH[3:]})", **zero_a)
    jvp.defjvp(rt(quantile_vjp), _QH, nondiff=nd, t=f"_srcad.quantile_vjp(dt, {_QH[3:]})", **zero_a)
    zero_a = {"a": "_srcad.zeros_like(a)"}
    vjp.defvjp(rt(quantile_jvp), _QH, nondiff=nd, t=f"_srcad.quantile_vjp(g, {_QH[3:]})", **zero_a)
    vjp.defvjp(rt(quantile_vjp), _QH, nondiff=nd, t=f"_srcad.quantile_jvp(g, {_QH[3:]})", **zero_a)
    for prim in (rt(no_weights), "numpy.argpartition"):
        jvp.defzero(prim)
        vjp.defzero(prim)
    _poly_rules(jvp, vjp)


def _inexact(v):
    """`v` as a float array, or a complex one when it is complex (never cast to real)."""
    return np.asarray(v, np.result_type(np.asarray(v), float))


# -- order statistics ------------------------------------------------------------------------
def _quantile_weights(a, q, axis, method, nan):
    """(W, axes): W of shape ``shape(q) + shape(a)``, the weight of each element of `a` in
    ``np.quantile(a, q, axis, method=method)`` (or nanquantile), and the reduced axes of `a`."""
    a = real_operand(a, "np.quantile")
    q = np.asarray(q, dtype=float)
    axes = _axes(axis, a.ndim)
    keep = [i for i in range(a.ndim) if i not in axes]
    moved = np.transpose(a, keep + list(axes))
    rows = moved.reshape(moved.shape[: len(keep)] + (math.prod(moved.shape[len(keep) :]),))
    m = rows.shape[-1]
    order = np.argsort(rows, axis=-1, kind="stable")  # NaNs last
    isnan = np.isnan(rows)
    counts = np.sum(~isnan, axis=-1) if nan else np.full(rows.shape[:-1], m)
    ws = np.zeros(q.shape + rows.shape)
    for n in np.unique(counts):
        sel = counts == n
        if n == 0:
            ws[..., sel, :] = np.nan
            continue
        v = np.quantile(np.arange(n, dtype=float), q, method=method)
        lo = np.clip(np.floor(v), 0, n - 1).astype(int)
        f = v - lo
        hi = np.minimum(lo + 1, n - 1)
        w = np.zeros(q.shape + (m,))
        idx = np.indices(q.shape)
        np.add.at(w, (*idx, lo), 1.0 - f)
        np.add.at(w, (*idx, hi), f)
        ws[..., sel, :] = w[..., None, :]
    if not nan:
        ws = np.where(np.any(isnan, axis=-1, keepdims=True), np.nan, ws)
    inv = np.argsort(order, axis=-1)
    wr = np.take_along_axis(ws, np.broadcast_to(inv, ws.shape), axis=-1)
    wr = wr.reshape(q.shape + moved.shape)
    back = np.argsort(keep + list(axes))
    return np.transpose(wr, tuple(range(q.ndim)) + tuple(q.ndim + back)), axes


@helper
def quantile_jvp(t, a, q, axis, keepdims, method, nan):
    """Tangent of ``np.quantile(a, q, axis, method=method, keepdims=keepdims)`` (``nanquantile``
    when `nan`) in the direction `t`: the weights of the selected order statistics times `t`."""
    W, axes = _quantile_weights(a, q, axis, method, nan)
    k = np.ndim(q)
    t = real_operand(t, "np.quantile")
    with np.errstate(invalid="ignore"):  # (an unselected element adds nothing, even a nan)
        r = np.sum(np.where(W != 0, W * t, 0.0), axis=tuple(k + i for i in axes), keepdims=keepdims)
    return r if np.ndim(r) else float(r)


@helper
def quantile_vjp(g, a, q, axis, keepdims, method, nan):
    """Cotangent of `a` for ``np.quantile(a, q, axis, ...)`` (the transpose of `quantile_jvp`)."""
    W, axes = _quantile_weights(a, q, axis, method, nan)
    k = np.ndim(q)
    g = real_part(g)
    if not keepdims:
        g = np.expand_dims(g, tuple(k + i for i in axes))
    return _like_input(np.sum(g * W, axis=tuple(range(k))), a)


@helper
def no_weights(method, weights):
    """`method`, after refusing the `weights` of ``np.quantile`` (no derivative rule)."""
    if weights is not None:
        raise _unsupported("np.quantile/np.percentile with `weights=` has no derivative rule")
    return method


# -- interp ----------------------------------------------------------------------------------
def _interp_segments(x, xp, period):
    """(x, xp, j, inside): the (periodic-normalised) points, breakpoints, the segment index j of
    each point (``xp[j] <= x < xp[j+1]``) and whether it lies in ``[xp[0], xp[-1])``."""
    x = real_operand(x, "np.interp")
    xp = real_operand(xp, "np.interp")
    if period is not None:
        if period == 0:
            raise ValueError("period must be a non-zero value")
        period = abs(period)
        x = x % period
        xp = np.sort(xp % period)
        xp = np.concatenate((xp[-1:] - period, xp, xp[0:1] + period))
    j = np.searchsorted(xp, x, side="right") - 1
    inside = (j >= 0) & (j < len(xp) - 1)
    return x, xp, np.clip(j, 0, max(len(xp) - 2, 0)), inside


def _interp_fp(fp, xp, period):
    fp = _inexact(fp)  # complex values: np.interp is linear in them
    if period is None:
        return fp
    order = np.argsort(np.asarray(xp, dtype=float) % abs(period), kind="stable")
    fp = fp[order]
    return np.concatenate((fp[-1:], fp, fp[0:1]))


@helper
def interp_slope(x, xp, fp, period):
    """d np.interp(x, xp, fp, period=period) / dx: the slope of the segment ``[xp[j], xp[j+1])``
    holding x (the right-hand derivative at a breakpoint), 0 outside ``[xp[0], xp[-1])``. A
    decreasing `xp` (no period) is refused: NumPy's bisection then finds no segment of x."""
    if period is None and np.any(np.diff(np.asarray(xp)) < 0):
        raise _unsupported(
            "np.interp with `xp` not in increasing order: NumPy's value is then not "
            "a piecewise-linear function of x and xp (NumPy does not check; its result "
            "is meaningless); sort xp and fp together (np.argsort(xp)) first"
        )
    x, xpe, j, inside = _interp_segments(x, xp, period)
    fpe = _interp_fp(fp, xp, period)
    if len(xpe) < 2:
        return np.zeros(x.shape) if x.ndim else 0.0
    s = (fpe[j + 1] - fpe[j]) / (xpe[j + 1] - xpe[j])
    s = np.where(inside, s, 0.0)
    return s if s.ndim else s.item()


@helper
def interp_slope_vjp(g, x, xp, fp, period):
    """Cotangent of `fp` for ``interp_slope(x, xp, fp, period) * g`` summed (linear in `fp`)."""
    n = len(np.asarray(fp))
    eye = np.eye(n)
    cols = [np.sum(np.asarray(g) * interp_slope(x, xp, eye[k], period)) for k in range(n)]
    return _like_input(np.array(cols), fp)


@helper
def interp_fp_vjp(g, x, xp, fp, left, right, period):
    """Cotangent of `fp` for ``np.interp(x, xp, fp, left, right, period)`` (linear in `fp`; a
    given `left`/`right` is a constant, not a weight of fp)."""
    n = len(np.asarray(fp))
    eye = np.eye(n)
    lo = None if left is None else 0.0
    hi = None if right is None else 0.0
    g = np.asarray(g)
    cols = [np.sum(g * np.interp(x, xp, eye[k], lo, hi, period)) for k in range(n)]
    return _like_input(np.array(cols), fp)


# -- polyval ---------------------------------------------------------------------------------
def _poly_powers(p, k):
    """(coefficients as a float array, exponents after k derivatives, falling factorials). An
    N-D `p` holds one polynomial per trailing index (NumPy's Horner loop ``y = y * x + p[i]``
    broadcasts each row ``p[i]`` against `x`)."""
    c = _inexact(p)  # complex coefficients: holomorphic, no conjugate
    if c.ndim == 0:
        raise _unsupported("np.polyval of a 0-d coefficient array has no derivative rule")
    m = np.arange(len(c) - 1, -1, -1)
    fall = np.array([math.perm(int(e), k) if e >= k else 0 for e in m], dtype=float)
    return c, np.maximum(m - k, 0), fall


@helper
def polyval_dx(p, x, k):
    """The k-th derivative in x of ``np.polyval(p, x)`` (k = 0: polyval itself)."""
    c, e, fall = _poly_powers(p, k)
    x = _inexact(x)
    if c.ndim > 1 and len(c):  # sum_i fall_i p[i] x**e_i, broadcast as NumPy's loop
        r = sum((f * ci) * x**ei for ci, ei, f in zip(c, e, fall)) + np.zeros(x.shape)
        return r if np.ndim(r) else r.item()
    r = np.sum((c * fall) * x[..., None] ** e, axis=-1) if len(c) else np.zeros(x.shape)
    return r if np.ndim(r) else r.item()


@helper
def polyval_pvjp(g, p, x, k):
    """Cotangent of `p` for ``polyval_dx(p, x, k)`` with cotangent `g` (linear in g)."""
    c, e, fall = _poly_powers(p, k)
    x = _inexact(x)
    if c.ndim > 1:  # row i: g * fall_i * x**e_i summed to a row's shape
        g = _inexact(g)
        rows = [_sum_to(g * f * x**ei, c.shape[1:]) for ei, f in zip(e, fall)]
        return _like_input(np.array(rows).reshape(c.shape), p)
    g = np.broadcast_to(_inexact(g), np.broadcast_shapes(np.shape(g), x.shape))
    x = np.broadcast_to(x, g.shape)
    r = np.sum(g[..., None] * fall * x[..., None] ** e, axis=tuple(range(g.ndim)))
    return _like_input(r, p)


def _sum_to(t, shape):
    """`t` summed over the axes broadcasting added to or stretched in an array of `shape`."""
    t = np.asarray(t)
    lead = t.ndim - len(shape)
    t = np.sum(t, axis=tuple(range(lead))) if lead > 0 else t
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and t.shape[i] != 1)
    t = np.sum(t, axis=axes, keepdims=True) if axes else t
    return np.broadcast_to(t, shape)


def _poly_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    jvp.defjvp(
        "numpy.polyval", "p, x",
        p="_srcad.polyval_dx(dp, x, 0)", x="dx * _srcad.polyval_dx(p, x, 1)",
    )  # fmt: skip
    vjp.defvjp(
        "numpy.polyval", "p, x",
        p="_srcad.polyval_pvjp(g, p, x, 0)",
        x="_srcad.unbroadcast(g * _srcad.polyval_dx(p, x, 1), x)",
    )  # fmt: skip
    jvp.defjvp(
        rt(polyval_dx), "p, x, k", nondiff=('k',),
        p="_srcad.polyval_dx(dp, x, k)", x="dx * _srcad.polyval_dx(p, x, k + 1)",
    )  # fmt: skip
    vjp.defvjp(
        rt(polyval_dx), "p, x, k", nondiff=('k',),
        p="_srcad.polyval_pvjp(g, p, x, k)",
        x="_srcad.unbroadcast(g * _srcad.polyval_dx(p, x, k + 1), x)",
    )  # fmt: skip
    # polyval_pvjp(t, p, x, k)_j = sum_i t_i D^k x_i^m_j: linear in t; p: only its length.
    jvp.defjvp(
        rt(polyval_pvjp), "t, p, x, k", nondiff=('k',),
        t="_srcad.polyval_pvjp(dt, p, x, k)", p="_srcad.zeros_like(ans)",
        x="_srcad.polyval_pvjp(t * dx, p, x, k + 1)",
    )  # fmt: skip
    vjp.defvjp(
        rt(polyval_pvjp), "t, p, x, k", nondiff=('k',),
        t="_srcad.unbroadcast(_srcad.polyval_dx(g, x, k) + 0.0 * t, t)",
        p="_srcad.zeros_like(p)",
        x="_srcad.unbroadcast(t * _srcad.polyval_dx(g, x, k + 1), x)",
    )  # fmt: skip
    trapezoid.register(jvp, vjp)
    _gradient_rules(jvp, vjp)


# -- gradient --------------------------------------------------------------------------------
@helper
def gradient_apply(t, f, varargs, axis, edge_order, transpose):
    """``np.gradient(t, *varargs, axis=axis, edge_order=edge_order)`` over one axis of `f` (its
    matrix transposed when `transpose`): linear in t for fixed spacing."""
    nd = np.ndim(f)
    axes = _axes(axis, nd) if not isinstance(axis, list) else tuple(axis)
    if len(axes) != 1:
        raise _unsupported(
            "np.gradient over several axes (a tuple of arrays) has no derivative rule; "
            "pass axis=k for one axis at a time"
        )
    ax = axes[0]
    n = np.shape(f)[ax]
    M = np.gradient(np.eye(n), *varargs, axis=0, edge_order=edge_order)
    if transpose:
        M = M.T
    r = np.moveaxis(np.tensordot(M, np.moveaxis(_inexact(t), ax, 0), 1), 0, ax)
    return _like_input(r, f)


def _gradient_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    sig = "f, *varargs, axis=None, edge_order=1"
    nd = ("axis", "edge_order")  # varargs (the spacing): no term, refused when active
    jvp.defjvp(
        "numpy.gradient", sig, nondiff=nd,
        f="_srcad.gradient_jvp(df, f, varargs, axis, edge_order)",  # numpy_more: several axes
    )  # fmt: skip
    vjp.defvjp(
        "numpy.gradient", sig, nondiff=nd,
        f="_srcad.gradient_vjp(g, f, varargs, axis, edge_order)",
    )  # fmt: skip
    sig = "t, f, varargs, axis, edge_order, transpose"
    nd = ("axis", "edge_order", "transpose")
    jvp.defjvp(
        rt(gradient_apply), sig, nondiff=nd,
        t="_srcad.gradient_apply(dt, f, varargs, axis, edge_order, transpose)",
        f="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(gradient_apply), sig, nondiff=nd,
        t="_srcad.gradient_apply(g, f, varargs, axis, edge_order, not transpose)",
        f="_srcad.zeros_like(f)",
    )  # fmt: skip
