"""Runtime helpers: reductions (sum, mean, var/std, max, cumsum, ...) and their derivatives.

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import math

import numpy as np

from srcad.runtime.indexing import _zeros_for
from srcad.runtime.trees import _SCALARS, array_vjp, unbroadcast


def _axes(axis, ndim: int) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % ndim for a in axis))
    return (axis % ndim,)


def _expand(g, shape, axis, keepdims):
    """`g` (a reduction's cotangent) reshaped to broadcast against the unreduced `shape`."""
    g = np.asarray(g)
    if not keepdims:
        axes = _axes(axis, len(shape))
        g = g.reshape([1 if i in axes else n for i, n in enumerate(shape)])
    return g


def _like_input(ct, a):
    """An array cotangent given the structure of the primal input (list, Python scalar, array)."""
    t = type(a)
    if t is list or t is tuple:
        return array_vjp(ct, a)
    if t in _SCALARS:
        return np.asarray(ct).item()
    return ct


def expand_reduced(g, a, axis=None, keepdims=False):
    """The cotangent `g` of a reduction of `a` over `axis`, broadcast back to the shape of `a`."""
    shape = np.shape(a)
    return np.broadcast_to(_expand(g, shape, axis, keepdims), shape)


def sum_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.sum(a, axis, keepdims=keepdims)``."""
    # A read-only broadcast view, not a copy: consumers multiply it or reduce it, and the only
    # in-place updates srcad emits are on accumulators it allocated itself.
    return _like_input(expand_reduced(g, a, axis, keepdims), a)


def mean_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.mean(a, axis, keepdims=keepdims)``."""
    shape = np.shape(a)
    count = math.prod(shape[i] for i in _axes(axis, len(shape)))
    return _like_input(expand_reduced(g, a, axis, keepdims) / count, a)


def prod_others(a, axis=None):
    """For each element of `a`, the product of the other elements along `axis` (zeros allowed)."""
    a = np.asarray(a)
    axes = _axes(axis, a.ndim)
    k = len(axes)
    dest = tuple(range(a.ndim - k, a.ndim))
    moved = np.moveaxis(a, axes, dest)
    flat = moved.reshape(moved.shape[: a.ndim - k] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), flat.dtype)
    left = np.concatenate([ones, np.cumprod(flat[..., :-1], axis=-1)], axis=-1)
    right = np.concatenate([np.cumprod(flat[..., :0:-1], axis=-1)[..., ::-1], ones], axis=-1)
    return np.moveaxis((left * right).reshape(moved.shape), dest, axes)


def ext_weights(a, ans, axis=None, keepdims=False):
    """Weights of ``max``/``min`` over `axis`: 1/count on the tied extreme elements, 0 elsewhere."""
    shape = np.shape(a)
    mask = np.equal(a, _expand(ans, shape, axis, keepdims))
    return mask / np.sum(mask, axis=axis, keepdims=True)


def var_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    return 2.0 * np.sum(centered * da, axis=axis, keepdims=keepdims) / (n - ddof)


def var_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.var(a, axis, ddof=ddof, keepdims=keepdims)``."""
    shape = np.shape(a)
    n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    centered = a - np.mean(a, axis=axis, keepdims=True)
    return _like_input(expand_reduced(g, a, axis, keepdims) * centered * (2.0 / (n - ddof)), a)


def std_scale(a, axis=None, keepdims=False, ans=0.0, nan=False):
    """``1 / (2 std)`` (``d std = d var / (2 std)``), 0 where the std is 0 or at the rounding
    level of the data: constant data up to rounding, whose minimum-norm subgradient is 0 (the
    formula would divide rounding noise by rounding noise). NaN stays NaN."""
    arr = np.abs(np.asarray(a, float))
    if nan:
        n = np.sum(~np.isnan(arr), axis=axis, keepdims=keepdims)
        big = np.nanmax(arr, axis=axis, keepdims=keepdims, initial=0.0)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
        big = np.max(arr, axis=axis, keepdims=keepdims, initial=0.0)
    tol = 8.0 * n * np.finfo(float).eps * big
    ans = np.asarray(ans)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(ans <= tol, 0.0, 0.5 / np.where(ans <= tol, 1.0, ans))
    return out[()] if out.ndim == 0 else out


def ddof_factor(a, axis=None, ddof=0, keepdims=False, nan=False):
    """``1 / (n - ddof)`` per reduced slice (``n`` counts the non-NaN entries when `nan`): the
    derivative of ``np.var`` with respect to `ddof` is ``ans * ddof_factor(...)``."""
    if nan:
        n = np.sum(~np.isnan(np.asarray(a, float)), axis=axis, keepdims=keepdims)
    else:
        shape = np.shape(a)
        n = math.prod(shape[i] for i in _axes(axis, len(shape)))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(1.0, np.subtract(n, ddof))


def nanvar_jvp(da, a, axis=None, ddof=0, keepdims=False):
    """Tangent of ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)`` (NaNs left out)."""
    a = np.asarray(a, float)
    keep = ~np.isnan(a)
    n = np.sum(keep, axis=axis, keepdims=keepdims)
    centered = np.where(keep, a - np.nanmean(a, axis=axis, keepdims=True), 0.0)
    out = 2.0 * np.sum(centered * np.where(keep, da, 0.0), axis=axis, keepdims=keepdims)
    return out / (n - ddof)


def nanvar_vjp(g, a, axis=None, ddof=0, keepdims=False):
    """Cotangent of `a` for ``np.nanvar(a, axis, ddof=ddof, keepdims=keepdims)``."""
    arr = np.asarray(a, float)
    keep = ~np.isnan(arr)
    n = np.sum(keep, axis=axis, keepdims=True)
    centered = np.where(keep, arr - np.nanmean(arr, axis=axis, keepdims=True), 0.0)
    return _like_input(expand_reduced(g, arr, axis, keepdims) * centered * 2.0 / (n - ddof), a)


def nanmean_vjp(g, a, axis=None, keepdims=False):
    """Cotangent of `a` for ``np.nanmean(a, axis, keepdims=keepdims)``."""
    arr = np.asarray(a, float)
    keep = ~np.isnan(arr)
    n = np.sum(keep, axis=axis, keepdims=True)
    return _like_input(np.where(keep, expand_reduced(g, arr, axis, keepdims) / n, 0.0), a)


def cumsum_vjp(g, a, axis=None):
    """Cotangent of `a` for ``np.cumsum(a, axis)`` (a reversed cumulative sum)."""
    if axis is None:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(a))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


def _average_w(weights, a, axis):
    """`weights` of ``np.average`` broadcast against `a` (they may be 1-D along `axis`)."""
    w = np.asarray(weights)
    if w.shape != np.shape(a):
        shape = [1] * np.ndim(a)
        shape[axis] = w.shape[0]
        w = w.reshape(shape)
    return w


def average_jvp_w(dw, a, axis, weights, ans, keepdims=False):
    """Tangent of ``np.average(a, axis, weights)`` from the weights' tangent `dw`."""
    w = _average_w(weights, a, axis)
    dw = _average_w(dw, a, axis)
    centered = a - _expand(ans, np.shape(a), axis, keepdims)
    total = np.sum(np.broadcast_to(w, np.shape(a)), axis=axis, keepdims=keepdims)
    return np.sum(dw * centered, axis=axis, keepdims=keepdims) / total


def average_vjp_a(g, a, axis, weights, keepdims=False):
    """Cotangent of `a` for ``np.average(a, axis, weights)``."""
    if weights is None:
        return mean_vjp(g, a, axis, keepdims)
    w = np.broadcast_to(_average_w(weights, a, axis), np.shape(a))
    return expand_reduced(g, a, axis, keepdims) * w / np.sum(w, axis=axis, keepdims=True)


def average_vjp_w(g, a, axis, weights, ans, keepdims=False):
    """Cotangent of `weights` for ``np.average(a, axis, weights)``."""
    w = _average_w(weights, a, axis)
    shape = np.shape(a)
    centered = a - _expand(ans, shape, axis, keepdims)
    total = np.sum(np.broadcast_to(w, shape), axis=axis, keepdims=True)
    gw = expand_reduced(g, a, axis, keepdims) * centered / total
    return np.reshape(unbroadcast(gw, w), np.shape(weights))


def take_along_axis_vjp(g, arr, indices, axis=-1):
    """Cotangent of `arr` for ``np.take_along_axis(arr, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(arr, g)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
        return z
    ax = axis % z.ndim
    idx = [
        np.arange(n).reshape([-1 if i == d else 1 for i in range(z.ndim)])
        for d, n in enumerate(np.shape(indices))
    ]
    idx[ax] = indices
    np.add.at(z, tuple(idx), g)
    return z


def sort_vjp(g, a, axis=-1):
    """Cotangent of `a` for ``np.sort(a, axis)``."""
    return take_along_axis_vjp(g, a, np.argsort(a, axis=axis), axis)
