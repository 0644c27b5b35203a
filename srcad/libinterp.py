"""Derivatives of ``scipy.interpolate.interp1d(x, y)(q)`` and ``CubicSpline(x, y)(q)``.

Input: nothing at import (scipy is imported on first use). Output: `interp1d_eval` and
`cubic_spline_eval` (what a call of the interpolant computes: the constructor's arguments and
the query), and `register(prim)`, which gives each a rule record in both modes
(`srcad.custom.register`), made by `srcad.custom.custom_of_prim` the first time a transform
meets the call. The lowering (lower/scipy_calls.py) makes ``f = interp1d(x, y, **kw)`` a
partial application of `interp1d_eval`, so ``f(q)`` is ``interp1d_eval(x, y, q, **kw)``.

The value is affine in `y` (a spline's coefficients solve a linear system; a fill value or a
clamped end's slope is the constant part): its Jacobian in `y` is the interpolant of the
identity's columns minus that of zeros. In `q` the derivative is the interpolant's slope
(``.derivative()`` of the spline; the slope of the segment for linear interpolation, the right
one at a knot; zero for the piecewise constant kinds). `x` is not differentiated (its
argument is nondiff). Refused: a `y` of more than one dimension, second derivatives.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from srcad.custom import _BY_PRIM
from srcad.custom import register as register_custom
from srcad.errors import DiffError

REASON = "scipy's interpolants are differentiated once (first derivatives only)"
_ORDER = {"linear": 1, "slinear": 1, "quadratic": 2, "cubic": 3}


def interp1d_eval(x: Any, y: Any, q: Any, **kw: Any) -> Any:
    """``scipy.interpolate.interp1d(x, y, **kw)(q)``."""
    from scipy.interpolate import interp1d

    return interp1d(x, y, **kw)(q)


def cubic_spline_eval(x: Any, y: Any, q: Any, nu: int = 0, **kw: Any) -> Any:
    """``scipy.interpolate.CubicSpline(x, y, **kw)(q, nu)``."""
    from scipy.interpolate import CubicSpline

    return CubicSpline(x, y, **kw)(q, nu)


def _jac_y(fn: Any, x: Any, y: Any, q: Any, kw: dict) -> np.ndarray:
    """d out / d y: (q.size, n)."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise DiffError("an interpolant of a y with more than one dimension is not differentiated")
    n = y.size
    kw = {**kw, "axis": 0}
    bc = kw.get("bc_type")
    if isinstance(bc, tuple):  # CubicSpline's (order, value) ends: a value per column
        kw["bc_type"] = tuple(_per_column(end, n) for end in bc)
    eye = fn(x, np.eye(n), q, **kw)
    zero = fn(x, np.zeros((n, n)), q, **kw)
    return (np.asarray(eye, dtype=float) - zero).reshape(np.size(q), n)


def _check_sorted(fn: Any, x: Any, kw: dict) -> None:
    """Refuse ``interp1d(x, y, assume_sorted=True)`` with an `x` not in increasing order: scipy
    does not sort it then, and its 1-D y (np.interp) and N-D y (its own search) give different
    meaningless values, so neither the y columns nor the slope are the derivative."""
    if fn is interp1d_eval and kw.get("assume_sorted") and np.any(np.diff(np.asarray(x)) < 0):
        raise DiffError(
            "interp1d(x, y, assume_sorted=True) with `x` not in increasing order: scipy's "
            "value is then meaningless and not differentiated",
            hint="sort x and y together, or drop assume_sorted=True (interp1d sorts them)",
        )


def _per_column(end: Any, n: int) -> Any:
    if isinstance(end, tuple) and len(end) == 2:
        return (end[0], np.broadcast_to(np.asarray(end[1], dtype=float), (n,)))
    return end


def _slope(fn: Any, x: Any, y: Any, q: Any, kw: dict) -> np.ndarray:
    """d out / d q, elementwise (q's shape)."""
    from scipy.interpolate import make_interp_spline

    if fn is cubic_spline_eval:
        return np.asarray(fn(x, y, q, **{**kw, "nu": kw.get("nu", 0) + 1}), dtype=float)
    kind = kw.get("kind", "linear")
    order = kind if isinstance(kind, int) else _ORDER.get(kind, 0)
    if order == 0:
        return np.zeros(np.shape(q))
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    at = np.argsort(xs, kind="stable")
    xs, ys = xs[at], ys[at]
    qa = np.asarray(q, dtype=float)
    if order == 1:
        i = np.clip(np.searchsorted(xs, qa, side="right") - 1, 0, xs.size - 2)
        s = (ys[i + 1] - ys[i]) / (xs[i + 1] - xs[i])
    else:
        s = make_interp_spline(xs, ys, k=order).derivative()(qa)
    fill = kw.get("fill_value", np.nan)
    inside = (qa >= xs[0]) & (qa <= xs[-1])
    if not (isinstance(fill, str) and fill == "extrapolate"):
        s = np.where(inside, s, np.nan if _nan(fill) else 0.0)
    return np.asarray(s, dtype=float)


def _nan(fill: Any) -> bool:
    try:
        return bool(np.any(np.isnan(np.asarray(fill, dtype=float))))
    except (TypeError, ValueError):
        return False


def _make(fn: Any) -> tuple:
    name = fn.__name__
    sig = list(inspect.signature(fn).parameters)  # x, y, q, [nu], kw

    def fwd(x: Any, y: Any, q: Any, *rest: Any) -> tuple:
        kw = _kw(rest)
        return fn(x, y, q, **kw), (x, y, q, kw)

    def bwd(*a: Any) -> tuple:
        (x, y, q, kw), g = a[-2], a[-1]
        g = np.asarray(g, dtype=float)
        _check_sorted(fn, x, kw)
        jy = _jac_y(fn, x, y, q, kw)
        gy = jy.T @ g.reshape(-1)
        gq = g * _slope(fn, x, y, q, kw)
        return gy.reshape(np.shape(y)), gq if np.ndim(q) else float(gq)

    def jvp(*a: Any) -> tuple:
        x, rest, (y, q), (dy, dq) = a[0], a[1:-2], a[-2], a[-1]
        kw = _kw(rest)
        _check_sorted(fn, x, kw)
        out = fn(x, y, q, **kw)
        t = np.zeros(np.shape(out))
        if dy is not None:
            t = t + (_jac_y(fn, x, y, q, kw) @ np.ravel(dy)).reshape(np.shape(out))
        if dq is not None:
            t = t + _slope(fn, x, y, q, kw) * dq
        return out, t if np.ndim(out) else float(t)

    def _kw(rest: tuple) -> dict:
        names = [n for n in sig[3:] if n != "kw"]
        kw = dict(zip(names, rest[: len(names)]))
        more = rest[len(names)] if len(rest) > len(names) else {}
        return {**kw, **(more or {})}

    for rule, suffix in ((fwd, "fwd"), (bwd, "bwd"), (jvp, "jvp")):
        rule.__name__ = rule.__qualname__ = f"{name}_{suffix}"
        rule.__srcad_no_derivative__ = REASON  # type: ignore[attr-defined]
    return fwd, bwd, jvp


def register(prim: str = "") -> None:
    """Give `interp1d_eval` or `cubic_spline_eval` (by `prim`) its rules (once)."""
    fn = cubic_spline_eval if prim.endswith("cubic_spline_eval") else interp1d_eval
    nd = tuple(k for k, n in enumerate(inspect.signature(fn).parameters) if n not in ("y", "q"))
    rec = register_custom(fn, nd, library=False)
    _BY_PRIM[f"srcad.libinterp.{fn.__name__}"] = rec  # (the lowering names it so: scipy_calls)
    if rec.fwd is None:
        rec.fwd, rec.bwd, rec.jvp_rule = _make(fn)
