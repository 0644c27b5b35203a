"""Read-only broadcast views of float64 values, made without `np.broadcast_to`'s Python checks.

Input: a value and a shape it broadcasts to. Output: what ``np.broadcast_to(value, shape)``
returns (a read-only view, zero strides along the broadcast axes), built with one
``np.ndarray(...)`` call when the value is a float or a float64 array laid out simply enough;
`np.broadcast_to` itself otherwise (it raises for shapes that do not broadcast). Issue 11: the
reduction helpers (``sum_vjp``, ``mean_vjp``) broadcast a cotangent back on every call, and
`np.broadcast_to` costs several microseconds of Python (a third of a small ``sum_vjp``)::

    >>> filled(2.0, (2, 3))
    array([[2., 2., 2.],
           [2., 2., 2.]])
    >>> broadcast_view(np.array([[1.0], [2.0]]), (2, 3))
    array([[1., 1., 1.],
           [2., 2., 2.]])
"""

from __future__ import annotations

import numpy as np

_F64DT = np.dtype(np.float64)
_NDARRAY = np.ndarray


def filled(g: float, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(g, shape)`` for a float `g`: a read-only zero-stride view of it."""
    v = _NDARRAY(shape, _F64DT, np.array(g, _F64DT), 0, (0,) * len(shape))
    v.setflags(write=False)
    return v


def broadcast_view(e: object, shape: tuple[int, ...]) -> np.ndarray:
    """``np.broadcast_to(e, shape)``. Made directly for a non-empty float64 array `e` of
    ``len(shape)`` axes, each of `shape`'s length or 1: all strides zero (one number
    broadcast, e.g. the cotangent of a full reduction passed through another reduction) is
    `filled` with that number; a C-contiguous `e` is viewed with zero strides on its axes of
    length 1 (its buffer, kept alive by the view)."""
    if type(e) is _NDARRAY and e.dtype is _F64DT and e.ndim == len(shape) and e.size:
        es = e.shape
        if es == shape:
            v = e.view()
            v.setflags(write=False)
            return v
        strides = []
        for m, n, s in zip(es, shape, e.strides):
            if m == n:
                strides.append(s)
            elif m == 1:
                strides.append(0)
            else:
                return np.broadcast_to(e, shape)  # (raises: does not broadcast)
        if not any(e.strides):
            return filled(e.item(0), shape)
        if e.flags.c_contiguous:
            v = _NDARRAY(shape, _F64DT, e, 0, tuple(strides))
            v.setflags(write=False)
            return v
    return np.broadcast_to(e, shape)
