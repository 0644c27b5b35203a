"""Ported cases (session 31, hunt31b), written anew after NumPy code that writes into arrays of
other dtypes and through views: an integer ``np.identity(n, int)`` mask patched with a float
(truncated), ``np.fill_diagonal`` into an integer count matrix, a reduction's ``out=`` into an
integer buffer, ``np.diagflat`` then a write into it, ``np.copyto`` of a value with a leading
length-1 axis, ``np.putmask`` of a number into an integer array, Gaussian elimination with row
swaps by fancy indexing, writes with repeated and negative indices (the last write wins).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

X6 = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])
W6 = np.arange(1.0, 7.0) - 2.5
M9 = np.arange(9.0).reshape(3, 3) - 3.3


def integer_identity_patched(x):
    mask = np.identity(3, int)
    mask[0, 2] = x[0] * 10  # stored as an int: no derivative
    return np.sum(mask * np.outer(x[:3], x[3:])) + x[1] ** 2


def diagonal_counts(x):
    counts = np.zeros((3, 3), int)
    np.fill_diagonal(counts, x[:3] * 10)  # truncated counts
    w = np.outer(x[:3], x[3:])
    np.fill_diagonal(w, x[3:] ** 2)  # a float matrix: differentiated
    return np.sum(counts * w) + np.sum(w * M9)


def integer_histogram_buffer(x):
    buf = np.zeros(3, int)
    np.sum(x.reshape(2, 3) * 10, axis=0, out=buf)
    tot = np.zeros(3)
    np.sum(x.reshape(2, 3) ** 2, axis=0, out=tot)
    return np.sum(buf * x[:3]) + np.sum(tot * W6[:3])


def banded_from_diagflat(x):
    a = np.diagflat(x[:3] ** 2)
    a[0, 1] = x[4]
    a[2, 1] = -x[5]
    return np.sum(np.linalg.solve(a + 2.0 * np.eye(3), x[3:]))


def copy_row_vector(x):
    y = x * 1.0
    np.copyto(y[:2], x[4:].reshape(1, 2) ** 2)
    return np.sum(y * W6)


def putmask_number_into_counts(x):
    counts = np.zeros(6, int)
    np.putmask(counts, x > 0, x[0] * 10)
    y = x.copy()
    np.putmask(y, y > 0.4, x[:4] * 2.0)
    return np.sum(counts * x) + np.sum(y * W6)


def gauss_pivot_solve(x):
    a = x.reshape(2, 3)[:, :2].T @ x.reshape(2, 3)[:, :2] + np.eye(2) * 0.5
    a = np.vstack([np.hstack([a, x[4:].reshape(2, 1)]), [x[0], x[1], 3.0]])
    b = np.array([1.0, -2.0, 0.5])
    for k in range(3):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if p != k:
            a[[k, p]] = a[[p, k]]
            b[[k, p]] = b[[p, k]]
        for i in range(k + 1, 3):
            f = a[i, k] / a[k, k]
            a[i, k:] -= f * a[k, k:]
            b[i] -= f * b[k]
    sol = np.zeros(3)
    for i in range(2, -1, -1):
        sol[i] = (b[i] - a[i, i + 1 :] @ sol[i + 1 :]) / a[i, i]
    return np.sum(sol * np.array([1.0, 0.5, -1.0]))


def repeated_index_writes(x):
    y = x.copy()
    y[[0, -6, 2]] = x[3:] ** 2  # y[0] twice: the second write wins
    y[[1, 1]] += x[4:]  # not accumulated: one += of the last value
    np.add.at(y, [5, 5], x[:2])  # accumulated
    return np.sum(y * W6)


CASES = [
    Case(integer_identity_patched, (X6,), (0,), extra="hvp"),
    Case(diagonal_counts, (X6,), (0,), extra="hvp"),
    Case(integer_histogram_buffer, (X6,), (0,), extra="hvp"),
    Case(banded_from_diagflat, (X6,), (0,), extra="hvp"),
    Case(copy_row_vector, (X6,), (0,), extra="hvp"),
    Case(putmask_number_into_counts, (X6,), (0,), extra="hvp"),
    Case(gauss_pivot_solve, (X6,), (0,), extra="hvp"),
    Case(repeated_index_writes, (X6,), (0,), extra="hvp"),
]
