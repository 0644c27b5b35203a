"""NumPy's shape and data-movement functions, methods and attributes; np.partition (a
permutation, like sort), np.angle/np.real_if_close on real input (np.imag:
srcad.rules.numpy_fft). The runtime helpers their rules call (transposes of concatenate, stack,
split, tile, repeat, pad, take, ...) and those helpers' rules are in `srcad.rules.shape_vjp`.

Input: the `RuleTable` pair. Output: the tables filled with those rules and the helpers' rules.

All of these are linear in their first argument: the JVP applies the same function to the tangent,
the VJP applies its transpose (the inverse permutation, a reshape back, a sum of tiles, ...). Each
entry of `LINEAR` is ``prim: (signature, jvp, vjp)``; the first parameter is the differentiable one.
Example (``np.moveaxis(a, 0, -1)``)::

    jvp: np.moveaxis(da, source, destination)
    vjp: ba = np.moveaxis(g, destination, source)
"""

from __future__ import annotations

from srcad.ad.rules import RuleTable, parse_signature

_T = ("x", "np.transpose(dx)", "np.transpose(g)")
_MT = ("x, /", "np.swapaxes(dx, -1, -2)", "np.swapaxes(g, -1, -2)")
_CONJ = ("x", "np.conjugate(dx)", "np.conjugate(g)")

LINEAR = {
    "numpy.reshape": (
        "a, /, shape, order='C', *, copy=None",
        "_srcad.reshape_order(da, shape, _srcad.layout_order(a, order))",
        "_srcad.reshape_order(g, np.shape(a), _srcad.layout_order(a, order))",
    ),
    "method.reshape": (
        "x, *shape, order='C'",
        "_srcad.reshape_order(dx, np.shape(ans), _srcad.layout_order(x, order))",
        "_srcad.reshape_order(g, np.shape(x), _srcad.layout_order(x, order))",
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
        "_srcad.ravel_order(da, a, order)",
        "_srcad.ravel_order_vjp(g, a, order)",
    ),
    "method.ravel": (
        "x, order='C'",
        "_srcad.ravel_order(dx, x, order)",
        "_srcad.ravel_order_vjp(g, x, order)",
    ),
    "method.flatten": (
        "x, order='C'",
        "_srcad.ravel_order(dx, x, order)",
        "_srcad.ravel_order_vjp(g, x, order)",
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
    # the windows are views of `x`: each element's cotangent is the sum over the windows holding it
    "numpy.lib.stride_tricks.sliding_window_view": (
        "x, window_shape, axis=None, *, subok=False, writeable=False",
        "np.lib.stride_tricks.sliding_window_view(dx, window_shape, axis)",
        "_srcad.sliding_window_vjp(g, x, window_shape, axis)",
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

ZERO_ATTRS = ("shape", "ndim", "size", "dtype", "itemsize", "nbytes", "strides")


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with the shape rules."""
    for prim, (sig, jt, vt) in LINEAR.items():
        params = list(parse_signature(prim, sig).parameters)
        zero = ("tol",) if prim == "numpy.real_if_close" else ()  # a threshold
        nondiff = tuple(p for p in params[1:] if p not in zero)
        jvp.defjvp(prim, sig, nondiff=nondiff, zero_in=zero, **{params[0]: jt})
        vjp.defvjp(prim, sig, nondiff=nondiff, zero_in=zero, **{params[0]: vt})
    for name in ZERO_ATTRS:
        jvp.defzero(f"attr.{name}", "x")
        vjp.defzero(f"attr.{name}", "x")
