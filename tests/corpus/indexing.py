"""Subscripts (ints, slices, tuples, None, Ellipsis, integer arrays) and subscript assignment."""

from __future__ import annotations

import numpy as np

from . import Case


def index_int(x):
    return x[0] * x[-1] + x[1] ** 2


def index_slices(x):
    return (x[1:] - x[:-1]).sum() + x[::2].sum() * x[-2:].sum()


def index_tuple(A):
    return A[0, 1] * A[1, :].sum() + A[:, -1] @ A[:, 0]


def index_none_ellipsis(x, y):
    outer = x[:, None] * y[None, :]
    return outer[..., 0].sum() + outer[1, ...].sum()


def index_int_array(x, idx):
    return (x[idx] ** 2).sum()


def setitem_int(x, v):
    y = x.copy()
    y[1] = v
    y[0] = y[2] * v
    return y


def setitem_slice2d(A, v):
    B = A.copy()
    B[1:3, :] = v
    B[0, 1:] = B[0, 1:] * 2.0
    return B


def setitem_in_loop(x):
    n = x.shape[0]
    out = np.zeros(n)
    for i in range(n):
        out[i] = x[i] * (i + 1.0)
    return out


def cumsum_loop(x):
    out = np.zeros_like(x)
    out[0] = x[0]
    for i in range(1, x.shape[0]):
        out[i] = out[i - 1] + x[i]
    return out


def attributes(A):
    B = A.T
    r, c = A.shape
    return B.sum(axis=0) * r + A.sum(axis=1).mean() * c


def finite_diff_stencil(u, h):
    d = np.zeros_like(u)
    d[1:-1] = (u[2:] - u[:-2]) / (2.0 * h)
    d[0] = (u[1] - u[0]) / h
    d[-1] = (u[-1] - u[-2]) / h
    return d


CASES = [
    Case(index_int, (np.array([0.5, 1.5, -2.0]),), (0,)),
    Case(index_slices, (np.array([0.5, 1.5, -2.0, 0.3, 0.9]),), (0,)),
    Case(index_tuple, (np.array([[0.5, 1.5, -2.0], [0.3, 0.9, 1.1]]),), (0,)),
    Case(index_none_ellipsis, (np.array([0.5, 1.5]), np.array([0.2, -0.4, 0.6])), (0, 1)),
    Case(index_int_array, (np.array([0.5, 1.5, -2.0, 0.3]), np.array([0, 2, 2, 3])), (0,)),
    Case(setitem_int, (np.array([0.5, 1.5, -2.0]), 0.7), (0, 1)),
    Case(setitem_slice2d, (np.arange(12.0).reshape(4, 3) / 10.0, 0.25), (0, 1)),
    Case(setitem_in_loop, (np.array([0.5, 1.5, -2.0]),), (0,)),
    Case(cumsum_loop, (np.array([0.5, 1.5, -2.0, 0.1]),), (0,)),
    Case(attributes, (np.array([[0.5, 1.5, -2.0], [0.3, 0.9, 1.1]]),), (0,)),
    Case(finite_diff_stencil, (np.array([0.0, 0.5, 0.8, 0.9, 1.2]), 0.1), (0, 1)),
]
