"""The cotangent of an array read in chained slices, ``x[:, :H]``, ``x[:, H:2*H]``, ..., ``x[:, k*H:]``
(an LSTM's gates), and its rules.

Input: the cotangents of the slices, the primal `x` (or its tape stand-in: only its type, shape and
dtype are read), the axis and the index tuples. Output: `x`'s cotangent; ``register(jvp, vjp)``
fills the rule tables. The reverse sweep (`srcad.ad.slice_chains`) calls `slices_vjp` only for
slices it proved chained: each ends where the next starts (the same operand), the first starts at
the beginning, the last runs to the end, steps of one. Then the slices tile `x` along the axis
exactly when their widths add up to its length (a chain whose bounds decrease somewhere overlaps,
and its widths add up to more), so the cotangents are put side by side, one `np.concatenate`,
instead of zeros and one assignment per slice::

    >>> slices_vjp((np.ones((2, 1)), np.zeros((2, 2))), np.empty((2, 3)), 1,
    ...            ((slice(None), slice(None, 1)), (slice(None), slice(1, None))))
    array([[1., 0., 0.],
           [1., 0., 0.]])
"""

from __future__ import annotations

import numpy as np

from srcad.ad.rules import RuleTable
from srcad.rules.helpers import deflinear_helper, helper
from srcad.rules.indexing import add_at, getitem_vjp
from srcad.rules.trees import unbroadcast

_F64 = np.dtype(np.float64)
_NDARRAY = np.ndarray


@helper
def slices_vjp(gs, x, axis, idxs):
    """``getitem_vjp(gs[0], x, idxs[0]) + ... + getitem_vjp(gs[-1], x, idxs[-1])`` for slices
    of `x` chained along `axis` (module docstring): `np.concatenate` of the cotangents when they
    are float64 arrays of `x`'s rank, none broadcast along the axis (a width of one: it could
    stand for any width), whose result has `x`'s shape; one by one otherwise (always for
    ``axis=None``: slices not known to be chained)."""
    if axis is not None and type(x) is _NDARRAY and x.dtype is _F64:
        nd = x.ndim
        for g in gs:
            if type(g) is not _NDARRAY or g.dtype is not _F64 or g.ndim != nd or g.shape[axis] == 1:
                break
        else:
            try:
                z = np.concatenate(gs, axis)
            except ValueError:  # broadcast along another axis: the path below
                z = None
            if z is not None and z.shape == x.shape:
                return z
    z = getitem_vjp(gs[0], x, idxs[0])
    for g, idx in zip(gs[1:], idxs[1:]):
        z = add_at(z, idx, g, x)
    return z


@helper
def slices_of(t, idxs, like=None):
    """The transpose of `slices_vjp` in its cotangents: ``(t[idxs[0]], ..., t[idxs[-1]])``,
    each summed down to the shape of its entry of `like` (the cotangents, which may be
    broadcast) when given."""
    if like is None:
        return tuple([t[idx] for idx in idxs])
    return tuple([unbroadcast(t[idx], v) for idx, v in zip(idxs, like)])


def register(jvp: RuleTable, vjp: RuleTable) -> None:
    """Rules of the chained-slice helpers (both linear in their first parameter)."""
    deflinear_helper(
        jvp, vjp, slices_vjp, "gs, x, axis, idxs",
        "_srcad.slices_vjp(dgs, x, axis, idxs)", "_srcad.slices_of(g, idxs, gs)",
    )  # fmt: skip
    deflinear_helper(
        jvp, vjp, slices_of, "t, idxs, like=None",
        "_srcad.slices_of(dt, idxs, like)", "_srcad.slices_vjp(g, t, None, idxs)",
    )  # fmt: skip
