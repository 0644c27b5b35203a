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

All are shapes, axes and counts, locally constant: zero derivative. Example::

    np.linalg.vector_norm(x, axis=(0, 2))
    ->  s = _srcad.vector_norm_layout(x, (0, 2))
        np.linalg.norm(np.reshape(np.moveaxis(x, s[0], s[1]), s[2]), ord=2, axis=-1)
"""

from __future__ import annotations

import math

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import defzero_helper, helper


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Fill `jvp` and `vjp` with this family's rules."""
    defzero_helper(jvp, vjp, vector_norm_layout, cumulative_axis, average_count)


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
