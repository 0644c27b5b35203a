"""NumPy's shape and data-movement functions, methods and attributes, with the runtime helpers
their rules call (transposes of concatenate, stack, split, tile, repeat, pad, take, ...);
np.partition (a permutation, like sort), np.angle/np.real_if_close on real input (np.imag:
srcad.rules.numpy_fft).

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

All of these are linear in their first argument: the JVP applies the same function to the tangent,
the VJP applies its transpose (the inverse permutation, a reshape back, a sum of tiles, ...). Each
entry of `LINEAR` is ``prim: (signature, jvp, vjp)``; the first parameter is the differentiable one.
Example (``np.moveaxis(a, 0, -1)``)::

    jvp: np.moveaxis(da, source, destination)
    vjp: ba = np.moveaxis(g, destination, source)
"""

from __future__ import annotations

import math

import numpy as np

from srcad import arrays
from srcad.ad.rules import RuleTable, parse_signature
from srcad.rules.helpers import deflinear_helper, defzero_helper, helper
from srcad.rules.indexing import _unsupported, _zeros_for
from srcad.rules.reductions import _like_input

_T = ("x", "np.transpose(dx)", "np.transpose(g)")
_MT = ("x, /", "np.swapaxes(dx, -1, -2)", "np.swapaxes(g, -1, -2)")
_CONJ = ("x", "np.conjugate(dx)", "np.conjugate(g)")

LINEAR = {
    "numpy.reshape": (
        "a, /, shape, order='C', *, copy=None",
        "_srcad.reshape_order(da, shape, order)",
        "_srcad.reshape_order(g, np.shape(a), order)",
    ),
    "method.reshape": (
        "x, *shape, order='C'",
        "_srcad.reshape_order(dx, np.shape(ans), order)",
        "_srcad.reshape_order(g, np.shape(x), order)",
    ),
    "numpy.transpose": (
        "a, axes=None",
        "np.transpose(da, axes)",
        "np.transpose(g, _srcad.inverse_perm(axes))",
    ),
    "method.transpose": (
        "x, *axes",
        "np.transpose(dx, _srcad.varargs(axes))",
        "np.transpose(g, _srcad.inverse_perm(_srcad.varargs(axes)))",
    ),
    "attr.T": _T,
    "attr.mT": _MT,
    "numpy.matrix_transpose": _MT,
    "numpy.swapaxes": (
        "a, axis1, axis2",
        "np.swapaxes(da, axis1, axis2)",
        "np.swapaxes(g, axis1, axis2)",
    ),
    "method.swapaxes": (
        "x, axis1, axis2",
        "np.swapaxes(dx, axis1, axis2)",
        "np.swapaxes(g, axis1, axis2)",
    ),
    "numpy.moveaxis": (
        "a, source, destination",
        "np.moveaxis(da, source, destination)",
        "np.moveaxis(g, destination, source)",
    ),
    "numpy.expand_dims": (
        "a, axis",
        "np.expand_dims(da, axis)",
        "np.reshape(g, np.shape(a))",
    ),
    "numpy.squeeze": ("a, axis=None", "np.squeeze(da, axis)", "np.reshape(g, np.shape(a))"),
    "method.squeeze": ("x, axis=None", "np.squeeze(dx, axis)", "np.reshape(g, np.shape(x))"),
    "numpy.ravel": (
        "a, order='C'",
        "_srcad.reshape_order(da, -1, order)",
        "_srcad.reshape_order(g, np.shape(a), order)",
    ),
    "method.ravel": (
        "x, order='C'",
        "_srcad.reshape_order(dx, -1, order)",
        "_srcad.reshape_order(g, np.shape(x), order)",
    ),
    "method.flatten": (
        "x, order='C'",
        "_srcad.reshape_order(dx, -1, order)",
        "_srcad.reshape_order(g, np.shape(x), order)",
    ),
    "numpy.atleast_1d": ("x, /", "np.atleast_1d(dx)", "np.reshape(g, np.shape(x))"),
    "numpy.atleast_2d": ("x, /", "np.atleast_2d(dx)", "np.reshape(g, np.shape(x))"),
    "numpy.atleast_3d": ("x, /", "np.atleast_3d(dx)", "np.reshape(g, np.shape(x))"),
    "numpy.broadcast_to": (
        "array, shape, subok=False",
        "np.broadcast_to(darray, shape)",
        "_srcad.unbroadcast(g, array)",
    ),
    "numpy.concatenate": (
        "arrays, /, axis=0, out=None, *, dtype=None, casting='same_kind'",
        "np.concatenate(darrays, axis=axis)",
        "_srcad.concatenate_vjp(g, arrays, axis)",
    ),
    "numpy.stack": (
        "arrays, axis=0, out=None, *, dtype=None, casting='same_kind'",
        "np.stack(darrays, axis=axis)",
        "_srcad.stack_vjp(g, arrays, axis)",
    ),
    "numpy.hstack": (
        "tup, *, dtype=None, casting='same_kind'",
        "np.hstack(dtup)",
        "_srcad.stack_family_vjp(g, tup, 'hstack')",
    ),
    "numpy.vstack": (
        "tup, *, dtype=None, casting='same_kind'",
        "np.vstack(dtup)",
        "_srcad.stack_family_vjp(g, tup, 'vstack')",
    ),
    "numpy.dstack": ("tup", "np.dstack(dtup)", "_srcad.stack_family_vjp(g, tup, 'dstack')"),
    "numpy.column_stack": (
        "tup",
        "np.column_stack(dtup)",
        "_srcad.stack_family_vjp(g, tup, 'column_stack')",
    ),
    "numpy.split": (
        "ary, indices_or_sections, axis=0",
        "np.split(dary, indices_or_sections, axis)",
        "_srcad.split_vjp(g, ary, indices_or_sections, axis)",
    ),
    "numpy.array_split": (
        "ary, indices_or_sections, axis=0",
        "np.array_split(dary, indices_or_sections, axis)",
        "_srcad.split_vjp(g, ary, indices_or_sections, axis)",
    ),
    "numpy.vsplit": (
        "ary, indices_or_sections",
        "np.vsplit(dary, indices_or_sections)",
        "_srcad.split_vjp(g, ary, indices_or_sections, 0)",
    ),
    "numpy.hsplit": (
        "ary, indices_or_sections",
        "np.hsplit(dary, indices_or_sections)",
        "_srcad.split_vjp(g, ary, indices_or_sections, 1 if np.ndim(ary) > 1 else 0)",
    ),
    "numpy.dsplit": (
        "ary, indices_or_sections",
        "np.dsplit(dary, indices_or_sections)",
        "_srcad.split_vjp(g, ary, indices_or_sections, 2)",
    ),
    "numpy.rollaxis": (
        "a, axis, start=0",
        "np.rollaxis(da, axis, start)",
        "np.transpose(g, _srcad.inverse_perm(_srcad.rollaxis_perm(np.ndim(a), axis, start)))",
    ),
    # The derivative goes to the elements np.argpartition puts at each place (ties: its pick).
    "numpy.partition": (
        "a, kth, axis=-1, kind='introselect', order=None",
        "np.take_along_axis(da, np.argpartition(a, kth, axis=axis), axis=axis)",
        "_srcad.take_along_axis_vjp(g, a, np.argpartition(a, kth, axis=axis), axis)",
    ),
    # Real input only (srcad differentiates real code): the identity / zero.
    "numpy.real_if_close": (
        "a, tol=100",
        "_srcad.real_only(da, a, 'np.real_if_close')",
        "_srcad.real_only(g, a, 'np.real_if_close')",
    ),
    "numpy.angle": (
        "z, deg=False",
        "_srcad.real_zero(z, 'np.angle')",
        "_srcad.real_zero(z, 'np.angle')",
    ),
    "numpy.tile": ("A, reps", "np.tile(dA, reps)", "_srcad.tile_vjp(g, A, reps)"),
    "numpy.repeat": (
        "a, repeats, axis=None",
        "np.repeat(da, repeats, axis)",
        "_srcad.repeat_vjp(g, a, repeats, axis)",
    ),
    "method.repeat": (
        "x, repeats, axis=None",
        "np.repeat(dx, repeats, axis)",
        "_srcad.repeat_vjp(g, x, repeats, axis)",
    ),
    "numpy.flip": ("m, axis=None", "np.flip(dm, axis)", "np.flip(g, axis)"),
    "numpy.fliplr": ("m", "np.fliplr(dm)", "np.fliplr(g)"),
    "numpy.flipud": ("m", "np.flipud(dm)", "np.flipud(g)"),
    "numpy.rot90": ("m, k=1, axes=(0, 1)", "np.rot90(dm, k, axes)", "np.rot90(g, -k, axes)"),
    "numpy.roll": (
        "a, shift, axis=None",
        "np.roll(da, shift, axis)",
        "np.roll(g, np.negative(shift), axis)",
    ),
    # np.pad (differentiable in `constant_values` too): in srcad.rules.numpy_more.
    "numpy.take": (
        "a, indices, axis=None, *, mode='raise'",
        "np.take(da, indices, axis, mode=mode)",
        "_srcad.take_vjp(g, a, _srcad.take_index(indices, np.shape(a), axis, mode), axis)",
    ),
    "method.take": (
        "x, indices, axis=None, *, mode='raise'",
        "np.take(dx, indices, axis, mode=mode)",
        "_srcad.take_vjp(g, x, _srcad.take_index(indices, np.shape(x), axis, mode), axis)",
    ),
    "numpy.take_along_axis": (
        "arr, indices, axis=-1",
        "np.take_along_axis(darr, indices, axis=axis)",
        "_srcad.take_along_axis_vjp(g, arr, indices, axis)",
    ),
    "numpy.diff": ("a, n=1, axis=-1", "np.diff(da, n, axis)", "_srcad.diff_vjp(g, a, n, axis)"),
    "numpy.copy": ("a, order='K', subok=False", "np.copy(da)", "g"),
    "method.copy": ("x, order='C'", "_srcad.shallow_copy(dx)", "g"),  # arrays, lists, dicts
    "numpy.real": ("val", "np.real(dval)", "np.real(g)"),
    "attr.real": ("x", "np.real(dx)", "np.real(g)"),
    "method.conj": _CONJ,
    "method.conjugate": _CONJ,
    "method.item": ("x, *args", "_srcad.item(dx, args)", "_srcad.item_vjp(g, x, args)"),
    "method.astype": (
        "x, dtype, order='K', casting='unsafe', subok=True, copy=True",
        "_srcad.astype_tangent(dx, dtype)",
        "_srcad.astype_vjp(g, x, dtype)",
    ),
}

ZERO_ATTRS = ("shape", "ndim", "size", "dtype", "itemsize", "nbytes")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the shape rules."""
    for prim, (sig, jt, vt) in LINEAR.items():
        params = list(parse_signature(prim, sig).parameters)
        nondiff = tuple(params[1:])
        jvp.defjvp(prim, sig, nondiff=nondiff, **{params[0]: jt})
        vjp.defvjp(prim, sig, nondiff=nondiff, **{params[0]: vt})
    for name in ZERO_ATTRS:
        jvp.defzero(f"attr.{name}", "x")
        vjp.defzero(f"attr.{name}", "x")
    _helper_rules(jvp, vjp)


reshape_order = helper(arrays.reshape_order)  # np.reshape with order=, Dask arrays too


@helper
def inverse_perm(axes):
    """The permutation undoing ``np.transpose(x, axes)`` (None stays None)."""
    if axes is None:
        return None
    n = len(axes)
    return tuple(int(i) for i in np.argsort([a % n for a in axes]))


@helper
def varargs(args):
    """Normalize a method's ``*args`` axes/shape: ``()`` -> None, ``((1, 0),)`` -> ``(1, 0)``."""
    if len(args) == 0:
        return None
    if len(args) == 1 and (args[0] is None or isinstance(args[0], (tuple, list))):
        return args[0]
    return tuple(args)


def _seq_like(pieces, arrays):
    if isinstance(arrays, np.ndarray):
        return np.stack(pieces)
    return type(arrays)(_like_input(p, x) for p, x in zip(pieces, arrays))


@helper
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


@helper
def take_vjp(g, a, indices, axis=None):
    """Cotangent of `a` for ``np.take(a, indices, axis)`` (repeats accumulate)."""
    z = _zeros_for(a, g)
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
    ax = axis % z.ndim
    idx = [
        np.arange(n).reshape([-1 if i == d else 1 for i in range(z.ndim)])
        for d, n in enumerate(np.shape(indices))
    ]
    idx[ax] = indices
    np.add.at(z, tuple(idx), g)
    return z


@helper
def sort_vjp(g, a, axis=-1):
    """Cotangent of `a` for ``np.sort(a, axis)``."""
    return take_along_axis_vjp(g, a, np.argsort(a, axis=axis), axis)


@helper
def diff_vjp(g, a, n=1, axis=-1):
    """Cotangent of `a` for ``np.diff(a, n, axis)``."""
    pw = [(0, 0)] * np.ndim(a)
    pw[axis] = (1, 1)
    for _ in range(n):
        g = -np.diff(np.pad(g, pw), axis=axis)
    return g


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


def _helper_rules(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the shape helpers."""
    defzero_helper(jvp, vjp, inverse_perm, varargs, rollaxis_perm)
    # transposes of the NumPy functions' VJP helpers: the functions themselves
    for fn, sig, transpose in (
        (concatenate_vjp, "t, arrays, axis=0", "np.concatenate(g, axis=axis)"),
        (stack_vjp, "t, arrays, axis=0", "np.stack(g, axis=axis)"),
        (stack_family_vjp, "t, tup, kind", "_srcad.stack_family(g, kind)"),
        (split_vjp, "t, ary, indices_or_sections, axis=0",
         "np.array_split(g, indices_or_sections, axis)"),
        (tile_vjp, "t, A, reps", "np.tile(g, reps)"),
        (repeat_vjp, "t, a, repeats, axis=None", "np.repeat(g, repeats, axis)"),
        (pad_vjp, "t, array, pad_width, mode='constant'", "np.pad(g, pad_width, mode)"),
        (take_vjp, "t, a, indices, axis=None", "np.take(g, indices, axis)"),
        (take_along_axis_vjp, "t, arr, indices, axis=-1",
         "np.take_along_axis(g, indices, axis=axis)"),
        (sort_vjp, "t, a, axis=-1", "np.take_along_axis(g, np.argsort(a, axis=axis), axis=axis)"),
        (diff_vjp, "t, a, n=1, axis=-1", "np.diff(g, n, axis)"),
        (item_vjp, "t, x, args", "_srcad.item(g, args)"),
    ):  # fmt: skip
        params = ", ".join(p.split("=")[0].strip() for p in sig.split(",")[1:])
        tangent = f"_srcad.{fn.__name__}(dt, {params})"
        deflinear_helper(jvp, vjp, fn, sig, tangent, transpose)
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
