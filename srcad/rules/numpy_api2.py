"""Runtime helpers of NumPy 2's array-API functions that `srcad.lower.api_np` writes as older
primitives (``np.linalg.vector_norm`` as ``np.linalg.norm`` over one flattened axis,
``np.cumulative_sum``/``cumulative_prod`` as ``np.cumsum``/``cumprod``), with their rules.

Input: the `RuleTable` pair. Output: the tables filled with those rules.

- ``vector_norm_layout(x, axis)``: (source axes, destination axes, the shape with the reduced axes
  flattened into one last axis, the shape ``keepdims=True`` gives), NumPy's checks of `axis`;
- ``average_count(a, avg)``: what ``np.average(a, axis, returned=True)`` returns as the sum of
  the weights when there are none (the count, in the average's dtype and shape);
- ``cumulative_axis(x, axis)``: `axis`, or 0 for ``axis=None`` of a 1-D `x` (NumPy refuses
  ``axis=None`` otherwise: the same ValueError).
- ``gradient_scale(fm, x, edge_order)``: what a spacing `x` of ``np.gradient`` along `fm`'s last
  axis is multiplied by to give the coordinates (``arange(n)`` for a number, ones for an array),
  after NumPy's checks of the lengths (`srcad.lower.gradient_np`);
- ``gradient_axes(f, axis, n)``: the axes of ``np.gradient(f, *n spacings, axis=axis)``;
- ``gradient_all(f, x, edge_order)``: ``np.gradient(f, x, edge_order=edge_order)`` over all axes
  (in `f` ``gradient_all_t``, NumPy's gradient or its transpose, linear; in `x` a refusal when
  it runs, ``gradient_spacing_refused``).

All are shapes, axes and counts, locally constant: zero derivative. Example::

    np.linalg.vector_norm(x, axis=(0, 2))
    ->  s = _srcad.vector_norm_layout(x, (0, 2))
        np.linalg.norm(np.reshape(np.moveaxis(x, s[0], s[1]), s[2]), ord=2, axis=-1)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper, rt
from srcad.rules.indexing import _unsupported
from srcad.rules.numpy_more import gradient_jvp, gradient_vjp


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    defzero_helper(jvp, vjp, vector_norm_layout, cumulative_axis, average_count)
    defzero_helper(jvp, vjp, gradient_scale, gradient_axes, gradient_spacing_refused)
    sig = "f, x, edge_order"
    refused = "_srcad.gradient_spacing_refused"
    jvp.defjvp(
        rt(gradient_all), sig, nondiff=("edge_order",),
        f="_srcad.gradient_all_t(df, f, x, edge_order, False)", x=f"{refused}(dx)",
    )  # fmt: skip
    vjp.defvjp(
        rt(gradient_all), sig, nondiff=("edge_order",),
        f="_srcad.gradient_all_t(g, f, x, edge_order, True)", x=f"{refused}(g)",
    )  # fmt: skip
    sig = "t, f, x, edge_order, transpose"
    nd = ("edge_order", "transpose")
    jvp.defjvp(
        rt(gradient_all_t), sig, nondiff=nd,
        t="_srcad.gradient_all_t(dt, f, x, edge_order, transpose)",
        f="_srcad.zeros_like(ans)", x=f"{refused}(dx)",
    )  # fmt: skip
    vjp.defvjp(
        rt(gradient_all_t), sig, nondiff=nd,
        t="_srcad.gradient_all_t(g, f, x, edge_order, not transpose)",
        f="_srcad.zeros_like(f)", x=f"{refused}(g)",
    )  # fmt: skip


@helper
def vector_norm_layout(x, axis):
    """How ``np.linalg.vector_norm(x, axis=axis)`` lays `x` out for a norm over its last axis."""
    shape = np.shape(x)
    nd = len(shape)
    if axis is None:
        axes = tuple(range(nd))
    else:
        axes = np.lib.array_utils.normalize_axis_tuple(axis, nd)  # NumPy's AxisError, repeats
    keep = [i for i in range(nd) if i not in axes]
    dst = tuple(range(len(keep), nd))
    flat = tuple(shape[i] for i in keep) + (math.prod(shape[i] for i in axes),)
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    return axes, dst, flat, kept


@helper
def cumulative_axis(x, axis):
    """The axis ``np.cumulative_sum(x, axis=axis)`` accumulates along."""
    if axis is not None:
        return axis
    if np.ndim(x) != 1:
        raise ValueError(
            "For arrays which have more than one dimension ``axis`` argument is required."
        )
    return 0


@helper
def average_count(a, avg):
    """The count ``np.average(a, axis, returned=True)`` returns without weights."""
    avg = np.asanyarray(avg)
    scl = avg.dtype.type(np.size(a) / avg.size)
    return np.broadcast_to(scl, avg.shape).copy() if avg.shape else scl


@helper
def gradient_scale(fm, x, edge_order):
    """The factor of the spacing `x` of ``np.gradient`` along the last axis of `fm` that gives
    its coordinates: ``arange(n)`` (a number), ones (an array of length n); NumPy's errors."""
    n = np.shape(fm)[-1]
    if n < edge_order + 1:
        raise ValueError(
            "Shape of array too small to calculate a numerical gradient, at least (edge_order + "
            "1) elements are required."
        )
    if np.ndim(x) == 0:
        return np.arange(n, dtype=float)
    if np.ndim(x) != 1:
        raise ValueError("distances must be either scalars or 1d")
    if len(x) != n:
        raise ValueError("when 1d, distances must match the length of the corresponding dimension")
    return np.ones(n)


@helper
def gradient_axes(f, axis, n):
    """The axes ``np.gradient(f, <n spacings>, axis=axis)`` differentiates along (NumPy's error
    when their number is not `n`)."""
    nd = np.ndim(f)
    axes = tuple(range(nd)) if axis is None else tuple(int(a) % nd for a in axis)
    if len(axes) != n:
        raise TypeError("invalid number of arguments")
    return axes


@helper
def gradient_all(f, x, edge_order):
    """``np.gradient(f, x, edge_order=edge_order)`` over all axes of an n-D `f`."""
    return np.gradient(f, x, edge_order=edge_order)


@helper
def gradient_all_t(t, f, x, edge_order, transpose):
    """`gradient_all` applied to the tangent `t` (its transpose to a cotangent: `transpose`)."""
    fn = gradient_vjp if transpose else gradient_jvp
    return fn(t, f, (x,), None, edge_order)


@helper
def gradient_spacing_refused(t):
    """The refusal of a derivative in the spacing of ``np.gradient`` over all axes."""
    raise _unsupported(
        "np.gradient(f, x) of an n-D f over all axes with a differentiated spacing x has no "
        "derivative rule; pass axis=k for one axis at a time"
    )
