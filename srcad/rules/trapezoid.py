"""``np.trapezoid`` (and ``np.trapz`` where NumPy still has it): its rules, the runtime helpers
they call and those helpers' own rules (split from `srcad.rules.numpy_extra`).

Input: the `RuleTable` pair. Output: the tables filled with those rules.

``np.trapezoid(y, x, dx, axis)`` is NumPy's ``sum(d * (y[1:] + y[:-1]) / 2, axis)`` with the
spacing `d` (`_spacing`: `dx`, a number or an array broadcast against the slices, or the
differences of `x`, a 1-D one laid along `axis` of `y`, one of more dimensions differenced along
its own `axis` and broadcast): linear in `y` and in `d`. The helpers transpose that computation
as NumPy does it (an `x` with more or fewer dimensions than `y` included). Example (``np.trapezoid(y, x)``)::

    jvp: np.trapezoid(dy, x, dx, axis) + np.trapezoid(y, dx_of_x, 1.0, axis)
    vjp: by = _srcad.trapz_yvjp(g, y, x, dx, axis); bx = _srcad.trapz_xvjp(g, y, x, axis)
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.arrays import real_operand
from srcad.rules.helpers import helper, rt
from srcad.rules.reductions import _like_input
from srcad.rules.trees import unbroadcast


def _inexact(v):
    """`v` as a float array, or a complex one when it is complex (never cast to real)."""
    return np.asarray(v, np.result_type(np.asarray(v), float))


def _along(v, axis, ndim):
    """A 1-D `v` shaped to broadcast along `axis` of an array with `ndim` dimensions."""
    shape = [1] * ndim
    shape[axis] = -1
    return np.reshape(v, shape)


def _spacing(y, x, h, axis):
    """NumPy's spacing `d` for ``np.trapezoid(y, x, h, axis)``: `h` without `x`, the differences
    of a 1-D `x` laid along `axis` of `y`, or those of an `x` of more dimensions along its own
    `axis`; the result is ``sum(d * (y[1:] + y[:-1]) / 2, axis)`` (slices along `axis` of `y`,
    the sum along `axis` of their broadcast with `d`)."""
    if x is None:
        return h
    x = real_operand(x, "np.trapezoid")
    return _along(np.diff(x), axis, np.ndim(y)) if x.ndim == 1 else np.diff(x, axis=axis)


def _halves(nd, axis):
    """The index tuples of the slices ``[1:]`` and ``[:-1]`` along `axis` of `nd` dimensions."""
    hi, lo = [slice(None)] * nd, [slice(None)] * nd
    hi[axis], lo[axis] = slice(1, None), slice(None, -1)
    return tuple(hi), tuple(lo)


def _spread(t, axis, d, half_shape):
    """The cotangent `t` of the sum along `axis` spread over the broadcast of `d` and a half."""
    full = np.broadcast_shapes(np.shape(d), half_shape)
    return np.broadcast_to(np.expand_dims(_inexact(t), axis), full)


def _sum_to(g, shape):
    return unbroadcast(g, np.broadcast_to(0.0, shape))


@helper
def trapz_yvjp(t, y, x, h, axis):
    """Cotangent of `y` for ``np.trapezoid(y, x, h, axis)`` with cotangent `t` (NumPy's
    computation, `_spacing`, transposed; complex y, t: linear in y, no conjugate)."""
    shape = np.shape(y)
    d = _spacing(y, x, h, axis)
    hi, lo = _halves(len(shape), axis)
    half = np.empty(shape)[hi].shape
    g = _sum_to(0.5 * d * _spread(t, axis, d, half), half)
    ct = np.zeros(shape, g.dtype)
    ct[hi] += g
    ct[lo] += g
    return _like_input(ct, y)


@helper
def trapz_xvjp(t, y, x, axis):
    """Cotangent of the sample points `x` for ``np.trapezoid(y, x, axis=axis)``."""
    y = _inexact(y)  # complex y, t: bilinear in (y, x), no conjugate
    hi, lo = _halves(y.ndim, axis)
    mid = 0.5 * (y[hi] + y[lo])
    d = _spacing(y, x, None, axis)
    gd = _sum_to(_spread(t, axis, d, mid.shape) * mid, np.shape(d))
    ax = axis if np.ndim(x) > 1 else 0
    gd = gd if np.ndim(x) > 1 else np.ravel(gd)
    pad = [(0, 0)] * gd.ndim
    pad[ax] = (1, 1)
    return _like_input(-np.diff(np.pad(gd, pad), axis=ax), x)


@helper
def trapz_hvjp(t, y, h, axis):
    """Cotangent of the spacing `h` (a number, or an array broadcast against the slices) for
    ``np.trapezoid(y, dx=h, axis=axis)`` with cotangent `t`."""
    y = _inexact(y)  # complex y, t: bilinear in (y, h), no conjugate
    hi, lo = _halves(y.ndim, axis)
    mid = 0.5 * (y[hi] + y[lo])
    return _like_input(_sum_to(_spread(t, axis, h, mid.shape) * mid, np.shape(h)), h)


_TRAPZ = "y, x=None, dx=1.0, axis=-1"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with np.trapezoid's (and np.trapz's) rules and its helpers'."""
    for prim in (
        ("numpy.trapezoid", "numpy.trapz") if hasattr(np, "trapz") else ("numpy.trapezoid",)
    ):
        # In the `x` term, `dx` is x's tangent (the spacing `dx` is unused when x is given).
        jvp.defjvp(
            prim, _TRAPZ, nondiff=("axis",),
            y="np.trapezoid(dy, x, dx, axis)",
            x="np.trapezoid(y, dx, 1.0, axis)",
            dx="np.trapezoid(y, None, ddx, axis) if x is None else _srcad.zeros_like(ans)",
        )  # fmt: skip
        vjp.defvjp(
            prim, _TRAPZ, nondiff=("axis",),
            y="_srcad.trapz_yvjp(g, y, x, dx, axis)",
            x="_srcad.trapz_xvjp(g, y, x, axis)",
            dx="_srcad.trapz_hvjp(g, y, dx, axis) if x is None else _srcad.zeros_like(dx)",
        )  # fmt: skip
    sig = "t, y, x, h, axis"
    jvp.defjvp(
        rt(trapz_yvjp), sig, nondiff=('axis',),
        t="_srcad.trapz_yvjp(dt, y, x, h, axis)", y="_srcad.zeros_like(ans)",
        x="_srcad.trapz_yvjp(t, y, dx, 1.0, axis)",
        h="_srcad.trapz_yvjp(t, y, None, dh, axis) if x is None else _srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(trapz_yvjp), sig, nondiff=('axis',),
        t="_srcad.unbroadcast(np.trapezoid(g, x, h, axis), t)", y="_srcad.zeros_like(y)",
        x="_srcad.trapz_xvjp(t, g, x, axis)",
        h="_srcad.trapz_hvjp(t, g, h, axis) if x is None else _srcad.zeros_like(h)",
    )  # fmt: skip
    sig = "t, y, x, axis"
    jvp.defjvp(
        rt(trapz_xvjp), sig, nondiff=('axis',),
        t="_srcad.trapz_xvjp(dt, y, x, axis)", y="_srcad.trapz_xvjp(t, dy, x, axis)",
        x="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(trapz_xvjp), sig, nondiff=('axis',),
        t="_srcad.unbroadcast(np.trapezoid(y, g, 1.0, axis), t)",
        y="_srcad.trapz_yvjp(t, y, g, 1.0, axis)", x="_srcad.zeros_like(x)",
    )  # fmt: skip
    sig = "t, y, h, axis"
    jvp.defjvp(
        rt(trapz_hvjp), sig, nondiff=('axis',),
        t="_srcad.trapz_hvjp(dt, y, h, axis)", y="_srcad.trapz_hvjp(t, dy, h, axis)",
        h="_srcad.zeros_like(ans)",
    )  # fmt: skip
    vjp.defvjp(
        rt(trapz_hvjp), sig, nondiff=('axis',),
        t="_srcad.unbroadcast(np.trapezoid(y, None, g, axis), t)",
        y="_srcad.trapz_yvjp(t, y, None, g, axis)", h="_srcad.zeros_like(h)",
    )  # fmt: skip
