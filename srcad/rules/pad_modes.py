"""The tangent of ``np.pad`` in every mode, and the cotangent of its statistic and ramp modes.

Input: a tangent (or cotangent), the padded array, `pad_width` and `mode`. Output: the tangent of
``np.pad(array, pad_width, mode)`` (`pad_jvp`), or the cotangent of `array` (`pad_stat_vjp`, for
'maximum', 'minimum', 'mean', 'median' and 'linear_ramp'; `shape_vjp.pad_vjp` hands those over).

The copying modes ('constant', 'edge', 'reflect', 'symmetric', 'wrap') and 'mean' and
'linear_ramp' (towards its default end value 0) are linear in the array: their tangent is the
padded tangent. 'maximum', 'minimum' and 'median' are not: NumPy pads one axis after the other,
each border a statistic of the values along that axis (borders of the axes before included), so
the tangent of a border is the statistic's weights (max/min: 1/count on the tied extremes, as
``np.max``'s rule; median: the two middle elements' weights, as ``np.median``'s) applied to the
tangent along that axis, axis by axis; the cotangent goes back the same way in reverse. Example::

    np.pad(x, 1, mode='maximum')   jvp: _srcad.pad_jvp(dx, x, 1, 'maximum')
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules import pad_kwargs
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import _unsupported
from srcad.rules.numpy_extra import _quantile_weights  # median: np.median's weights

LINEAR = ("constant", "edge", "reflect", "symmetric", "wrap", "mean", "linear_ramp")
STATS = ("maximum", "minimum", "median", "mean", "linear_ramp")


def _widths(pad_width, nd: int) -> list[tuple[int, int]]:
    pw = np.broadcast_to(np.asarray(pad_width, int), (nd, 2))
    return [(int(a), int(b)) for a, b in pw]


def _one_axis(pw: list[tuple[int, int]], k: int) -> list[tuple[int, int]]:
    return [w if i == k else (0, 0) for i, w in enumerate(pw)]


def _weights(x: np.ndarray, k: int, mode: str) -> np.ndarray:
    """The weight of each element of `x` along axis `k` in the border value of `mode`."""
    n = x.shape[k]
    if mode == "mean":
        return np.full(x.shape, 1.0 / n)
    if mode in ("maximum", "minimum"):
        ext = np.max(x, axis=k, keepdims=True) if mode == "maximum" else np.min(x, k, keepdims=True)
        mask = x == ext
        return mask / np.sum(mask, axis=k, keepdims=True)
    return _quantile_weights(x, 0.5, k, "linear", False)[0]


def _ramps(n: int, a: int, b: int) -> tuple[np.ndarray, np.ndarray]:
    """The edge value's weight in each border element of 'linear_ramp' (end value 0)."""
    left = np.arange(a) / a if a else np.zeros(0)
    right = np.arange(b)[::-1] / b if b else np.zeros(0)
    return left, right


def _shape_along(w: np.ndarray, nd: int, k: int) -> np.ndarray:
    return np.reshape(w, [-1 if i == k else 1 for i in range(nd)])


@helper
def pad_jvp(dx, array, pad_width, mode="constant", kw=None):
    """Tangent of ``np.pad(array, pad_width, mode, **kw)`` for the array's tangent `dx` (`kw`:
    `srcad.rules.pad_kwargs.pad_kw`)."""
    if np.size(array) == 0:  # (NumPy extends no empty axis but by 'constant': the result is too)
        return np.pad(dx, pad_width)
    if kw:
        return pad_kwargs.pad_axes(dx, np.shape(array), pad_width, mode, kw)
    if mode in LINEAR:
        return np.pad(dx, pad_width, mode)
    if mode not in STATS:
        raise _unsupported(f"no derivative for np.pad with mode={mode!r}")
    x = np.asarray(array)
    t = np.asarray(dx)
    pw = _widths(pad_width, x.ndim)
    for k, (a, b) in enumerate(pw):
        stat = np.sum(_weights(x, k, mode) * t, axis=k, keepdims=True)
        edges = [np.repeat(stat, a, axis=k), t, np.repeat(stat, b, axis=k)]
        t = np.concatenate(edges, axis=k)
        x = np.pad(x, _one_axis(pw, k), mode)
    return t


@helper
def pad_stat_vjp(g, array, pad_width, mode):
    """Cotangent of `array` for ``np.pad(array, pad_width, mode)``, `mode` one of `STATS`."""
    x = np.asarray(array)
    pw = _widths(pad_width, x.ndim)
    stages = [x]
    for k in range(x.ndim):
        stages.append(np.pad(stages[-1], _one_axis(pw, k), mode))
    g = np.asarray(g, dtype=np.result_type(g, float))
    for k in reversed(range(x.ndim)):
        a, b = pw[k]
        xk = stages[k]
        n = xk.shape[k]
        mid = np.take(g, np.arange(a, a + n), axis=k)
        left = np.take(g, np.arange(a), axis=k)
        right = np.take(g, np.arange(a + n, a + n + b), axis=k)
        if mode == "linear_ramp":
            wl, wr = _ramps(n, a, b)
            first = np.take(mid, [0], axis=k) + np.sum(
                left * _shape_along(wl, g.ndim, k), k, keepdims=True
            )
            last = np.take(mid, [n - 1], axis=k) + np.sum(
                right * _shape_along(wr, g.ndim, k), k, keepdims=True
            )
            mid = mid.copy()
            if n == 1:
                first = first + last - np.take(mid, [0], axis=k)
                mid[(slice(None),) * k + (slice(0, 1),)] = first
            else:
                mid[(slice(None),) * k + (slice(0, 1),)] = first
                mid[(slice(None),) * k + (slice(n - 1, n),)] = last
        else:
            border = np.sum(left, axis=k, keepdims=True) + np.sum(right, axis=k, keepdims=True)
            mid = mid + _weights(xk, k, mode) * border
        g = mid
    return g


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """The helpers' rules: both linear in their first parameter, each the other's transpose."""
    deflinear_helper(
        jvp, vjp, pad_jvp, "t, array, pad_width, mode='constant', kw=None",
        "_srcad.pad_jvp(dt, array, pad_width, mode, kw)",
        "_srcad.pad_vjp(g, array, pad_width, mode, kw)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, pad_stat_vjp, "t, array, pad_width, mode",
        "_srcad.pad_stat_vjp(dt, array, pad_width, mode)",
        "_srcad.pad_jvp(g, array, pad_width, mode)",
    )  # fmt: skip
