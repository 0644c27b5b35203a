"""Runtime helpers: shape functions (reshape, concatenate, stack, split, ...) and their derivatives.

Part of `srcad.runtime` (see its docstring); generated code calls them as ``_srcad.<name>``.
"""

from __future__ import annotations

import math

import numpy as np

from srcad.runtime.indexing import _unsupported, _zeros_for
from srcad.runtime.reductions import _like_input


def inverse_perm(axes):
    """The permutation undoing ``np.transpose(x, axes)`` (None stays None)."""
    if axes is None:
        return None
    n = len(axes)
    return tuple(int(i) for i in np.argsort([a % n for a in axes]))


def _seq_like(pieces, arrays):
    if isinstance(arrays, np.ndarray):
        return np.stack(pieces)
    return type(arrays)(_like_input(p, x) for p, x in zip(pieces, arrays))


def concatenate_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.concatenate(arrays, axis)``, in the structure of `arrays`."""
    if axis is None:
        sizes = [np.size(x) for x in arrays]
        parts = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in arrays]
        parts = np.split(g, np.cumsum(sizes)[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


_STACKERS = {
    "hstack": np.atleast_1d,
    "vstack": np.atleast_2d,
    "dstack": np.atleast_3d,
    "column_stack": lambda x: np.asarray(x).reshape(-1, 1) if np.ndim(x) < 2 else np.asarray(x),
}


def stack_family_vjp(g, arrays, kind):
    """Cotangents of `arrays` for ``np.hstack/vstack/dstack/column_stack(arrays)``."""
    shapes = [np.shape(_STACKERS[kind](x)) for x in arrays]
    if kind == "hstack":
        axis = 0 if len(shapes[0]) == 1 else 1
    else:
        axis = {"vstack": 0, "dstack": 2, "column_stack": 1}[kind]
    parts = np.split(g, np.cumsum([s[axis] for s in shapes])[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


def stack_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.stack(arrays, axis)``."""
    return _seq_like([np.take(g, i, axis=axis) for i in range(len(arrays))], arrays)


def split_vjp(g, ary, indices_or_sections, axis=0):
    """Cotangent of `ary` for ``np.split(ary, ...)``; `g` is a list (None entries are zeros)."""
    z = _zeros_for(ary, g[0] if g and g[0] is not None else 0.0)
    for view, gi in zip(np.array_split(z, indices_or_sections, axis), g):
        if gi is not None:
            view[...] = gi
    return z


def tile_vjp(g, A, reps):
    """Cotangent of `A` for ``np.tile(A, reps)``: the tiles summed."""
    shape = np.shape(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    d = max(len(shape), len(reps))
    s = (1,) * (d - len(shape)) + tuple(shape)
    r = (1,) * (d - len(reps)) + reps
    g = np.reshape(g, [n for pair in zip(r, s) for n in pair]).sum(axis=tuple(range(0, 2 * d, 2)))
    return _like_input(np.reshape(g, shape), A)


def repeat_vjp(g, a, repeats, axis=None):
    """Cotangent of `a` for ``np.repeat(a, repeats, axis)``: the repeats summed."""
    shape = np.shape(a)
    if axis is None:
        n = math.prod(shape)
        idx = np.repeat(np.arange(n), repeats)
        z = np.zeros(n, np.result_type(g, float))
        np.add.at(z, idx, np.ravel(g))
        return _like_input(z.reshape(shape), a)
    ax = axis % len(shape)
    idx = np.repeat(np.arange(shape[ax]), repeats)
    gm = np.moveaxis(g, ax, 0)
    z = np.zeros((shape[ax],) + gm.shape[1:], np.result_type(g, float))
    np.add.at(z, idx, gm)
    return np.moveaxis(z, 0, ax)


def pad_vjp(g, array, pad_width, mode="constant"):
    """Cotangent of `array` for ``np.pad(array, pad_width, mode)`` (constant/edge/reflect/...)."""
    shape = np.shape(array)
    if mode == "constant":
        pw = np.broadcast_to(np.asarray(pad_width, int), (len(shape), 2))
        return g[tuple(slice(int(b), int(b) + n) for (b, _), n in zip(pw, shape))]
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        size = math.prod(shape)
        src = np.pad(np.arange(size).reshape(shape), pad_width, mode)
        return np.bincount(src.ravel(), np.ravel(g), size).reshape(shape)
    raise _unsupported(f"no derivative for np.pad with mode={mode!r}")


def take_vjp(g, a, indices, axis=None):
    """Cotangent of `a` for ``np.take(a, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(a, g)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
    else:
        np.add.at(z, (slice(None),) * (axis % z.ndim) + (indices,), g)
    return z


def diff_vjp(g, a, n=1, axis=-1):
    """Cotangent of `a` for ``np.diff(a, n, axis)``."""
    pw = [(0, 0)] * np.ndim(a)
    pw[axis] = (1, 1)
    for _ in range(n):
        g = -np.diff(np.pad(g, pw), axis=axis)
    return g


def diagonal_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.diagonal(a, offset, axis1, axis2)``: `g` on that diagonal."""
    z = _zeros_for(a, g)
    zm = np.moveaxis(z, (axis1, axis2), (-2, -1))
    k = np.shape(g)[-1]
    i = np.arange(k) + max(-offset, 0)
    zm[..., i, i + offset] = g
    return z


def trace_vjp(g, a, offset=0, axis1=0, axis2=1):
    """Cotangent of `a` for ``np.trace(a, offset, axis1, axis2)``."""
    k = np.diagonal(a, offset, axis1, axis2).shape[-1]
    gd = np.broadcast_to(np.expand_dims(g, -1), np.shape(g) + (k,))
    return diagonal_vjp(gd, a, offset, axis1, axis2)


def diag_vjp(g, v, k=0):
    """Cotangent of `v` for ``np.diag(v, k)`` (1-D: take the diagonal; 2-D: embed it)."""
    if np.ndim(v) == 1:
        return np.diagonal(g, k).copy()
    return diagonal_vjp(g, v, k, 0, 1)


def linspace_weights(num, endpoint, which):
    """Weights of `start` (which=0) or `stop` (which=1) in ``np.linspace(start, stop, num)``."""
    t = np.linspace(0.0, 1.0, num, endpoint=endpoint) if num > 1 else np.zeros(num)
    return 1.0 - t if which == 0 else t


def linspace_tangent(dt, num, endpoint, which):
    """Tangent of ``np.linspace`` from the tangent of its `start` (0) or `stop` (1)."""
    w = linspace_weights(num, endpoint, which)
    return np.multiply.outer(w, dt)


def linspace_vjp(g, x, num, endpoint, which):
    """Cotangent of `start` (0) or `stop` (1) for ``np.linspace(start, stop, num)``."""
    w = linspace_weights(num, endpoint, which)
    return _like_input(np.tensordot(w, g, axes=(0, 0)), x)
