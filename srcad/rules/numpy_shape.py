"""Derivative rules of NumPy's shape and data-movement functions, methods and attributes.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

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
        "np.reshape(da, shape, order=order)",
        "np.reshape(g, np.shape(a), order=order)",
    ),
    "method.reshape": (
        "x, *shape, order='C'",
        "np.reshape(dx, np.shape(ans), order=order)",
        "np.reshape(g, np.shape(x), order=order)",
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
        "np.ravel(da, order)",
        "np.reshape(g, np.shape(a), order=order)",
    ),
    "method.ravel": (
        "x, order='C'",
        "np.ravel(dx, order)",
        "np.reshape(g, np.shape(x), order=order)",
    ),
    "method.flatten": (
        "x, order='C'",
        "np.ravel(dx, order)",
        "np.reshape(g, np.shape(x), order=order)",
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
    # Constant mode pads with zeros only (a `constant_values` argument does not bind).
    "numpy.pad": (
        "array, pad_width, mode='constant'",
        "np.pad(darray, pad_width, mode)",
        "_srcad.pad_vjp(g, array, pad_width, mode)",
    ),
    "numpy.take": (
        "a, indices, axis=None",
        "np.take(da, indices, axis)",
        "_srcad.take_vjp(g, a, indices, axis)",
    ),
    "method.take": (
        "x, indices, axis=None",
        "np.take(dx, indices, axis)",
        "_srcad.take_vjp(g, x, indices, axis)",
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
