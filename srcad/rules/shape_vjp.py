"""The runtime helpers of `srcad.rules.shape`'s rules: the transposes of NumPy's shape and
data-movement functions (concatenate, stack, split, tile, repeat, pad, take, sort, diff, item,
sliding windows), and those helpers' own rules (each linear: its transpose is the NumPy function
again).

Input: the `RuleTable` pair. Output: the tables filled with the helpers' rules. Example
(``np.tile(A, reps)``: its VJP sums the tiles; that sum's transpose tiles again)::

    tile_vjp(g, A, reps)      jvp: tile_vjp(dt, A, reps)      vjp: np.tile(g, reps)
"""

from __future__ import annotations

import math

import numpy as np

from srcad import arrays
from srcad.ad.rules import RuleTable
from srcad.rules import pad_kwargs, pad_modes
from srcad.rules.helpers import deflinear_helper, deflinear_helpers, defzero_helper, helper
from srcad.rules.indexing import _unsupported, _zeros_for
from srcad.rules.reductions import _like_input
from srcad.trees import seq_like

reshape_order = helper(arrays.reshape_order)  # np.reshape with order=, Dask arrays too


@helper
def layout_order(a, order):
    """The order NumPy reshapes or ravels `a` in: 'A' is 'F' for an array that is Fortran and not
    C contiguous, else 'C'; 'K' (ravel) 'C' or 'F' for such arrays, 'K' for other strides. A
    tangent or cotangent need not have `a`'s memory layout, so its rule reads the order here."""
    o = order.upper() if isinstance(order, str) else order
    if o not in ("A", "K"):
        return order
    if type(a) is not np.ndarray:
        return "C"
    if a.flags.f_contiguous and not a.flags.c_contiguous:
        return "F"
    return "C" if o == "A" or a.flags.c_contiguous else "K"


def _memory_perm(a):
    """Where ``np.ravel(a, 'K')`` takes each element from, as C-order flat indices of `a`."""
    idx = np.empty_like(a, dtype=np.intp)  # (order='K': the axes laid out as a's are)
    idx[...] = np.arange(a.size).reshape(a.shape)
    return np.ravel(idx, "K")


@helper
def ravel_order(t, a, order):
    """The tangent `t` of `a` raveled as ``np.ravel(a, order)`` reads `a`."""
    o = layout_order(a, order)
    if o != "K":
        return reshape_order(t, -1, o)
    return np.reshape(t, -1)[_memory_perm(a)]


@helper
def ravel_order_vjp(g, a, order):
    """Cotangent of `a` for ``np.ravel(a, order)``: `g` put back where each element came from."""
    o = layout_order(a, order)
    if o != "K":
        return reshape_order(g, np.shape(a), o)
    z = np.zeros(np.size(a), dtype=np.result_type(g, float))
    z[_memory_perm(a)] = g
    return z.reshape(np.shape(a))


@helper
def inverse_perm(axes):
    """The permutation undoing ``np.transpose(x, axes)`` (None stays None)."""
    if axes is None:
        return None
    n = len(axes)
    return tuple(int(i) for i in np.argsort([a % n for a in axes]))


@helper
def varargs(args):
    """Normalize a method's ``*args`` axes/shape: ``()`` -> None, ``((1, 0),)`` -> ``(1, 0)``
    (a 1-D array of them too: ``x.transpose(np.array([1, 0]))``, as NumPy takes it)."""
    if len(args) == 0:
        return None
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return args[0]
    if len(args) == 1 and isinstance(args[0], np.ndarray) and args[0].ndim == 1:
        return tuple(args[0].tolist())
    return tuple(args)


def _seq_like(pieces, arrays):
    if isinstance(arrays, np.ndarray):
        return np.stack(pieces)
    return seq_like(arrays, [_like_input(p, x) for p, x in zip(pieces, arrays)])


@helper
def concatenate_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.concatenate(arrays, axis)``, in the structure of `arrays`."""
    ta = type(arrays)
    if (ta is list or ta is tuple) and type(g) is np.ndarray and type(axis) is int:
        parts = _pieces(g, arrays, axis)  # np.split's views, without its Python-level work
        if parts is not None:
            return ta(parts)
    if axis is None:
        sizes = [np.size(x) for x in arrays]
        parts = np.split(np.ravel(g), np.cumsum(sizes)[:-1])
    else:
        sizes = [np.shape(x)[axis] for x in arrays]
        parts = np.split(g, np.cumsum(sizes)[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


def _pieces(g, arrays, axis):
    """The views ``g[..., a:b]`` along `axis` holding each of `arrays` (NumPy arrays of `g`'s
    rank, together as long as `g` on `axis`), or None when they are not all such arrays."""
    nd = g.ndim
    ax = axis + nd if axis < 0 else axis
    if not 0 <= ax < nd:
        return None
    head = (slice(None),) * ax
    parts, start = [], 0
    for x in arrays:
        if type(x) is not np.ndarray or x.ndim != nd:
            return None
        stop = start + x.shape[ax]
        parts.append(g[(*head, slice(start, stop))])
        start = stop
    if start != g.shape[ax] or any(p.shape != x.shape for p, x in zip(parts, arrays)):
        return None
    return parts


_STACKERS = {
    "hstack": np.atleast_1d,
    "vstack": np.atleast_2d,
    "dstack": np.atleast_3d,
    "column_stack": lambda x: np.asarray(x).reshape(-1, 1) if np.ndim(x) < 2 else np.asarray(x),
}


@helper
def stack_family(tup, kind):
    """``np.hstack/vstack/dstack/column_stack(tup)`` by name (the transpose of
    `stack_family_vjp`)."""
    return getattr(np, kind)(tup)


@helper
def stack_family_vjp(g, arrays, kind):
    """Cotangents of `arrays` for ``np.hstack/vstack/dstack/column_stack(arrays)``."""
    shapes = [np.shape(_STACKERS[kind](x)) for x in arrays]
    if kind == "hstack":
        axis = 0 if len(shapes[0]) == 1 else 1
    else:
        axis = {"vstack": 0, "dstack": 2, "column_stack": 1}[kind]
    parts = np.split(g, np.cumsum([s[axis] for s in shapes])[:-1], axis)
    return _seq_like([np.reshape(p, np.shape(x)) for p, x in zip(parts, arrays)], arrays)


@helper
def rollaxis_perm(ndim, axis, start=0):
    """The permutation ``np.rollaxis(x, axis, start)`` applies to the axes of an `ndim` array."""
    axis %= ndim
    start = start + ndim if start < 0 else start
    axes = list(range(ndim))
    axes.remove(axis)
    axes.insert(start - 1 if axis < start else start, axis)
    return tuple(axes)


@helper
def stack_vjp(g, arrays, axis=0):
    """Cotangents of `arrays` for ``np.stack(arrays, axis)``."""
    return _seq_like([np.take(g, i, axis=axis) for i in range(len(arrays))], arrays)


@helper
def split_vjp(g, ary, indices_or_sections, axis=0):
    """Cotangent of `ary` for ``np.split(ary, ...)``; `g` is a list (None entries are zeros)."""
    z = _zeros_for(ary, g[0] if g and g[0] is not None else 0.0)
    for view, gi in zip(np.array_split(z, indices_or_sections, axis), g):
        if gi is not None:
            view[...] = gi
    return z


@helper
def tile_vjp(g, A, reps):
    """Cotangent of `A` for ``np.tile(A, reps)``: the tiles summed."""
    shape = np.shape(A)
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    d = max(len(shape), len(reps))
    s = (1,) * (d - len(shape)) + tuple(shape)
    r = (1,) * (d - len(reps)) + reps
    g = np.reshape(g, [n for pair in zip(r, s) for n in pair]).sum(axis=tuple(range(0, 2 * d, 2)))
    return _like_input(np.reshape(g, shape), A)


@helper
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
    gm = np.moveaxis(g, ax, 0)
    if isinstance(repeats, (int, np.integer)):  # each entry r times in a row: sum r rows
        gm = np.sum(np.reshape(gm, (shape[ax], int(repeats)) + gm.shape[1:]), axis=1)
        return np.moveaxis(gm, 0, ax)  # (lazy on a Dask array: no np.add.at)
    idx = np.repeat(np.arange(shape[ax]), repeats)
    z = np.zeros((shape[ax],) + gm.shape[1:], np.result_type(g, float))
    np.add.at(z, idx, gm)
    return np.moveaxis(z, 0, ax)


@helper
def pad_vjp(g, array, pad_width, mode="constant", kw=None):
    """Cotangent of `array` for ``np.pad(array, pad_width, mode, **kw)`` (constant/edge/...)."""
    shape = np.shape(array)
    if math.prod(shape) == 0:  # (NumPy extends no empty axis but by 'constant': g is empty)
        return np.zeros(shape, np.result_type(g, float))
    if kw:
        return pad_kwargs.pad_axes(g, shape, pad_width, mode, kw, True)
    if mode == "constant":
        pw = np.broadcast_to(np.asarray(pad_width, int), (len(shape), 2))
        return g[tuple(slice(int(b), int(b) + n) for (b, _), n in zip(pw, shape))]
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        if np.iscomplexobj(g):  # (np.bincount takes real weights only)
            re = pad_vjp(np.real(g), array, pad_width, mode, kw)
            return re + 1j * pad_vjp(np.imag(g), array, pad_width, mode, kw)
        size = math.prod(shape)
        src = np.pad(np.arange(size).reshape(shape), pad_width, mode)
        return arrays.tag_sum(src, g, size).reshape(shape)
    if mode in pad_modes.STATS:
        return pad_modes.pad_stat_vjp(g, array, pad_width, mode)
    raise _unsupported(f"no derivative for np.pad with mode={mode!r}")


@helper
def take_vjp(g, a, indices, axis=None):
    """Cotangent of `a` for ``np.take(a, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(a, g)
    if np.size(g) == 0:  # (NumPy takes any position from an empty axis into an empty result)
        return z
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
    else:
        np.add.at(z, (slice(None),) * (axis % z.ndim) + (indices,), g)
    return z


@helper
def take_along_axis_vjp(g, arr, indices, axis=-1):
    """Cotangent of `arr` for ``np.take_along_axis(arr, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(arr, g)
    if axis is None:
        np.add.at(z.reshape(-1), indices, g)
        return z
    ax = axis % z.ndim  # NumPy's index: arr's positions along the other axes, broadcast with
    idx = [  # `indices` (either may have length 1 there)
        np.arange(n).reshape([-1 if i == d else 1 for i in range(z.ndim)])
        for d, n in enumerate(z.shape)
    ]
    idx[ax] = indices
    np.add.at(z, tuple(idx), g)
    return z


@helper
def sliding_window_vjp(g, x, window_shape, axis=None):
    """Cotangent of `x` for ``sliding_window_view(x, window_shape, axis)``: each element's
    cotangent is the sum of `g` over the windows holding it."""
    if np.iscomplexobj(g):
        re = sliding_window_vjp(np.real(g), x, window_shape, axis)
        return re + 1j * sliding_window_vjp(np.imag(g), x, window_shape, axis)
    shape, size = np.shape(x), np.size(x)
    src = np.lib.stride_tricks.sliding_window_view(
        np.arange(size).reshape(shape), window_shape, axis
    )
    return arrays.tag_sum(src, g, size).reshape(shape)


@helper
def sort_vjp(g, a, axis=-1):
    """Cotangent of `a` for ``np.sort(a, axis)``."""
    return take_along_axis_vjp(g, a, np.argsort(a, axis=axis), axis)


@helper
def diff_vjp(g, a, n=1, axis=-1):
    """Cotangent of `a` for ``np.diff(a, n, axis)``."""
    nd = np.ndim(a)
    if n >= np.shape(a)[axis]:  # an empty difference: `a` reaches no output element
        return np.zeros(np.shape(a), np.result_type(g, 1.0))
    for _ in range(n):
        g = -np.diff(_padded(np.asarray(g), nd, axis), axis=axis)
    return g


def _padded(g, nd, axis):
    """``np.pad(g, pw)`` with one zero on each side of `axis` (`g` of rank `nd`), made by
    assignment into zeros (np.pad's Python-level work is most of a small diff's cotangent)."""
    shape = list(g.shape)
    shape[axis] += 2
    z = np.zeros(shape, g.dtype)
    idx = [slice(None)] * nd
    idx[axis] = slice(1, shape[axis] - 1)
    z[tuple(idx)] = g
    return z


@helper
def item(x, args):
    """``x.item(*args)`` for a tangent `x` (a Python scalar is returned as is)."""
    return np.asarray(x).item(*args)


@helper
def item_vjp(g, x, args):
    """Cotangent of `x` for ``x.item(*args)``."""
    z = np.zeros(np.shape(x))
    if not args:
        z[...] = g
    elif len(args) == 1 and not isinstance(args[0], tuple):
        z.flat[args[0]] = g
    else:
        z[args[0] if len(args) == 1 else args] = g
    return z


_FILLED = "_srcad.add(g, _srcad.zeros_like(%s))"


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the rules of the shape helpers (linear: their transposes)."""
    defzero_helper(jvp, vjp, inverse_perm, varargs, rollaxis_perm, layout_order)
    deflinear_helper(
        jvp, vjp, ravel_order, "t, a, order",
        "_srcad.ravel_order(dt, a, order)", "_srcad.ravel_order_vjp(g, a, order)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, ravel_order_vjp, "t, a, order",
        "_srcad.ravel_order_vjp(dt, a, order)", "_srcad.ravel_order(g, a, order)",
    )  # fmt: skip
    # transposes of the NumPy functions' VJP helpers: the functions themselves (of a list
    # cotangent whose symbolic zeros, None, are zeros of the pieces' shapes: `_FILLED`)
    deflinear_helpers(jvp, vjp, (
        (concatenate_vjp, "t, arrays, axis=0", f"np.concatenate({_FILLED % 'arrays'}, axis=axis)"),
        (stack_vjp, "t, arrays, axis=0", f"np.stack({_FILLED % 'arrays'}, axis=axis)"),
        (stack_family_vjp, "t, tup, kind", f"_srcad.stack_family({_FILLED % 'tup'}, kind)"),
        (split_vjp, "t, ary, indices_or_sections, axis=0",
         "np.array_split(g, indices_or_sections, axis)"),
        (tile_vjp, "t, A, reps", "np.tile(g, reps)"),
        (repeat_vjp, "t, a, repeats, axis=None", "np.repeat(g, repeats, axis)"),
        (pad_vjp, "t, array, pad_width, mode='constant', kw=None",
         "_srcad.pad_jvp(g, array, pad_width, mode, kw)"),
        (take_vjp, "t, a, indices, axis=None", "np.take(g, indices, axis)"),
        (take_along_axis_vjp, "t, arr, indices, axis=-1",
         "np.take_along_axis(g, indices, axis=axis)"),
        (sort_vjp, "t, a, axis=-1", "np.take_along_axis(g, np.argsort(a, axis=axis), axis=axis)"),
        (diff_vjp, "t, a, n=1, axis=-1", "np.diff(g, n, axis)"),
        (sliding_window_vjp, "t, x, window_shape, axis=None",
         "np.lib.stride_tricks.sliding_window_view(g, window_shape, axis)"),
        (item_vjp, "t, x, args", "_srcad.item(g, args)"),
    ))  # fmt: skip
    deflinear_helper(
        jvp, vjp, reshape_order, "x, shape, order",
        "_srcad.reshape_order(dx, shape, order)", "_srcad.reshape_order(g, np.shape(x), order)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, stack_family, "tup, kind",
        "_srcad.stack_family(dtup, kind)", "_srcad.stack_family_vjp(g, tup, kind)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, item, "x, args", "_srcad.item(dx, args)", "_srcad.item_vjp(g, x, args)"
    )
