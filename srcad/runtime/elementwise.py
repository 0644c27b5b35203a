"""Runtime helpers: scalar-friendly elementwise helpers (derivative factors safe at 0 and inf).

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import math

import numpy as np

from srcad.runtime.trees import _SCALAR_TYPES, _SCALARS, zeros_like


def sign(x):
    """Sign of `x` (0 at 0): a Python float for Python numbers, else ``np.sign(x)``."""
    if type(x) is float or type(x) is int:
        return (x > 0) - (x < 0) + 0.0
    return np.sign(x)


def _ieee(v):
    """A NumPy float64 result as a Python float (inf/nan kept, no warning)."""
    return float(v)


def fdiv(x, y):
    """``x / y``, with NumPy's inf/nan instead of ZeroDivisionError when both are Python numbers
    (derivative factors like ``0.5 / math.sqrt(x)`` at ``x == 0``)."""
    if (type(y) is float or type(y) is int) and y == 0 and type(x) in _SCALARS:
        with np.errstate(divide="ignore", invalid="ignore"):
            return _ieee(np.divide(np.float64(x), np.float64(y)))
    return x / y


def div0(x, y):
    """``x / y``, 0 where ``y == 0``: the minimum-norm subgradient of norm-like functions at 0
    (``hypot(0, 0)``, ``std`` of constant data). Python numbers stay Python floats."""
    if type(x) in _SCALARS and type(y) in _SCALARS:
        return x / y if y != 0 else 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        zero = np.equal(y, 0)
        out = np.where(zero, 0.0, np.divide(x, np.where(zero, 1.0, y)))
    return out[()] if out.ndim == 0 else out


def logaddexp_weight(x, a, base2=False):
    """``d logaddexp(x, y) / dx = exp(x - a)`` with ``a = logaddexp(x, y)`` (``exp2`` for
    ``logaddexp2``), finite where the subtraction is not: 0 where ``x = -inf`` (it does not
    contribute, also when ``y = -inf`` too, where the formula gives ``exp(nan)``), 1 where
    ``x = a = +inf``."""
    with np.errstate(invalid="ignore"):
        d = np.subtract(x, a)
        w = np.exp2(d) if base2 else np.exp(d)
        w = np.where(np.isneginf(x), 0.0, w)
        w = np.where(np.isposinf(x), np.where(np.equal(x, a), 1.0, 0.0), w)
    return w[()] if w.ndim == 0 else w


def int_zero(t, dtype=None):
    """The tangent/cotangent `t` of a value cast to `dtype`: zeros when `dtype` is integer or
    boolean (the cast is piecewise constant), else `t` unchanged."""
    if dtype is None or np.dtype(dtype).kind not in "biu":
        return t
    if type(t) in _SCALARS:
        return 0.0
    return np.zeros(np.shape(t))


def _int_valued(ans, dtype) -> bool:
    return (dtype is not None and np.dtype(dtype).kind in "biu") or np.asarray(
        ans
    ).dtype.kind in "biu"


def arange_tangent(dt, ans, stop, dtype, which):
    """Tangent of ``np.arange(start, stop, step)`` (``ans[k] = start + k * step``) for the
    argument `which` (0: start, 1: step, 2: stop); the count is piecewise constant, and with one
    argument `start` is the stop."""
    n = np.shape(ans)[0]
    if _int_valued(ans, dtype) or which == 2 or (which == 0 and stop is None):
        return np.zeros(n)
    if which == 0:
        return np.full(n, dt, dtype=float)
    return np.arange(n) * dt


def arange_vjp(g, x, ans, stop, dtype, which):
    """Cotangent of the argument `x` (`which` as in `arange_tangent`) of ``np.arange``."""
    ct = np.vdot(arange_tangent(1.0, ans, stop, dtype, which), g)
    return float(ct) if type(x) in _SCALARS else np.asarray(ct, float)[()]


def pow_dx(x, y):
    """``d(x ** y)/dx = y * x ** (y - 1)``, 0 where ``y == 0`` (so ``0 ** -1`` never runs)."""
    if type(y) is int or type(y) is float:
        if y == 0:
            return 0.0 * x
        if type(x) in _SCALAR_TYPES:
            if x == 0 and y < 1:  # 0.0 ** -0.5 raises in Python; NumPy says inf
                with np.errstate(divide="ignore", invalid="ignore"):
                    return _ieee(y * np.power(np.float64(x), y - 1))
            return y * x ** (y - 1)
        if y == 2:
            return 2.0 * x
        if y == 1:
            return np.ones_like(x, dtype=float)
        return y * np.power(x, y - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(np.equal(y, 0), 0.0, y * np.power(x, np.subtract(y, 1)))


def pow_dy(x, ans):
    """``d(x ** y)/dy = x ** y * log(x)``: 0 where ``x == 0``, nan where ``x < 0``."""
    if type(x) is float or type(x) is int:
        if x > 0:
            return ans * math.log(x)
        return 0.0 if x == 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        safe = np.where(np.greater(x, 0), x, 1.0)
        out = np.where(np.greater(x, 0), np.multiply(ans, np.log(safe)), 0.0)
        return np.where(np.less(x, 0), np.nan, out)


def sinc_dx(x):
    """Derivative of ``np.sinc`` (normalized): ``(cos(pi x) - sinc(x)) / x``, 0 at 0."""
    x = np.asarray(x, float)
    safe = np.where(x == 0, 1.0, x)
    return np.where(x == 0, 0.0, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)


def digamma(x):
    """The digamma function (derivative of ``lgamma``), for Python floats or arrays."""
    scalar = type(x) is float or type(x) is int
    x = np.asarray(x, float)
    refl = x < 0.5
    # Reflection psi(x) = psi(1 - x) - pi / tan(pi x) for x < 0.5, then recurrence up to z >= 6.
    z = np.where(refl, 1.0 - x, x)
    acc = np.zeros_like(z)
    for _ in range(6):
        small = z < 6.0
        acc = acc - np.where(small, 1.0 / np.where(small, z, 1.0), 0.0)
        z = np.where(small, z + 1.0, z)
    w = 1.0 / (z * z)
    series = (
        np.log(z)
        - 0.5 / z
        - w * (1 / 12 - w * (1 / 120 - w * (1 / 252 - w * (1 / 240 - w * (1 / 132)))))
    )
    out = acc + series
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(refl, out - np.pi / np.tan(np.pi * x), out)
    return float(out) if scalar else out


def clip_region(a, a_min, a_max, lo=None, hi=None):
    """Where ``np.clip`` put each element: 0 inside, 1 at the lower, 2 at the upper bound."""
    lo = a_min if a_min is not None else lo
    hi = a_max if a_max is not None else hi
    region = np.zeros(np.broadcast_shapes(np.shape(a), np.shape(lo), np.shape(hi)), np.int8)
    if lo is not None:
        region = np.where(np.less(a, lo), 1, region)
    if hi is not None:
        region = np.where(np.greater(a, hi), 2, region)
    return region


def astype_tangent(dx, dtype):
    """Tangent of ``x.astype(dtype)``: zero (float) for integer/bool dtypes, else cast."""
    if np.dtype(dtype).kind in "biu":
        return np.zeros(np.shape(dx))
    return np.asarray(dx).astype(dtype)


def astype_vjp(g, x, dtype):
    """Cotangent of `x` for ``x.astype(dtype)``."""
    if np.dtype(dtype).kind in "biu":
        return zeros_like(x)
    return np.asarray(g).astype(np.result_type(x, float))
