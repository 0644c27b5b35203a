"""User-style programs writing through NumPy views held in names (task views10), accepted and right:
``for row in A: row /= row.sum()``, ``r = A[1]; r *= 2``, ``v = y.reshape(2, 2); v[:, 0] *= 3``,
``w = u.reshape(-1)[1:]; w += v``, ``u.T[0] += v``, ``z = y[::2]; z *= 2``, ``a = b[:, None]``,
a pivot row read while later rows are updated (Gaussian elimination). Checked forward, reverse
and (``extra="hvp"``) at second order (tests/corpus/test_second_order.py)."""

from __future__ import annotations

import numpy as np

from . import Case

X4 = np.array([0.31, -0.72, 1.13, 0.57])
P3 = np.array([[2.3, 1.5, 2.9], [3.2, 2.4, 1.2], [2.1, 2.6, 1.8]])


def rows_normalised(x):
    A = np.outer(x, x) + 1.0
    for row in A:
        row /= row.sum()
    return np.sum(A**2)


def row_view_scaled(x):
    A = np.outer(x, x) + 1.0
    r = A[1]
    r *= 2.0
    return np.sum(A**2) + r.sum()


def reshape_view_column(x):
    y = np.zeros(4)
    y += x
    v = y.reshape(2, 2)
    v[:, 0] *= 3.0
    y[1:] += y[:-1] * 0.5
    return np.sum(y**2) + np.sum(v)


def flat_tail_view(x):
    u = np.zeros((2, 2))
    u += np.outer(x[:2], x[2:])
    w = u.reshape(-1)[1:]
    w += x[1:]
    return np.sum(u**2) + w[0]


def transposed_row_write(x):
    u = np.outer(x, x[:2]) * 1.0
    u.T[0] += x
    return np.sum(u**3)


def strided_view(x):
    y = np.array(x)
    z = y[::2]
    z *= 2.0
    return np.sum(y**2) * z[0]


def newaxis_view(x):
    b = np.zeros(4) + 1.0
    a = b[:, None]
    a *= x[:, None]
    return np.sum(np.sin(b)) + np.sum(a)


def enumerate_rows(x):
    A = np.outer(x, x) + 1.0
    for i, row in enumerate(A):
        row[i] = x[i] ** 2
        row *= x[i]
    return np.sum(A**2)


def softmax_rows(x):
    E = np.exp(np.outer(x, x))
    for row in E:
        row /= np.sum(row)
    return np.sum(E * E)


def row_then_base_write(x):
    A = np.zeros((3, 4))
    r = A[0]
    A[0, 1] = x[0]
    r += x
    A += 0.5
    return np.sum(A**2) + np.sum(r * x)


def rows_in_branches(x):
    A = np.zeros((4, 4))
    for i in range(4):
        r = A[i]
        if x[i] > 0:
            r += x
        else:
            r[i] = x[i] ** 2
    return np.sum(np.sin(A))


def gauss_eliminate(x):
    M = np.outer(x, x) + 3.0 * np.eye(4)
    for k in range(4):
        p = M[k]
        for i in range(k + 1, 4):
            row = M[i]
            row -= (row[k] / p[k]) * p
    return np.sum(M**2)


def column_view_loop(x):
    G = np.ones((4, 3))
    c = G[:, 1]
    for i in range(4):
        c[i] = c[i] * x[i] + 1.0
    return np.sum(G * G) + c[2]


# a copy of the argument: an ndarray (C-contiguous) checked when the code runs
def copied_rows_normalised(x):
    A = x.copy()
    for row in A:
        row /= row.sum()
    return np.sum(A**2)


def copied_rows_enumerate(x):
    A = x.copy()
    for i, row in enumerate(A):
        row[i] *= 2.0
        row[:i] -= 0.5 * row[i]
    return np.sum(A**3)


def copied_transposed_row(x):
    u = x.copy()
    u.T[0] += x[0]
    return np.sum(u**3)


def copied_reshape_column(x):
    y = x.copy()
    v = y.reshape(-1)
    v[::2] *= 3.0
    y[1:] += y[:-1] * 0.5
    return np.sum(y**2)


def swapped_axes_view(x):
    u = np.zeros((2, 3, 3)) + x  # an array's arithmetic with anything: checked when it runs
    w = np.swapaxes(u, 0, -1)
    w += -1.0
    w[0] *= x[:, :2]
    return np.sum(u * u) + np.sum(np.tanh(w))


def swapped_copy_row(x):
    u = x.swapaxes(0, 1).copy()
    v = u.swapaxes(1, 0)
    v[1] += x[0]
    return np.sum(u**3)


def lu_rows_of_copy(x):
    U = x.copy()
    for k in range(3):
        pivot = U[k]
        for i in range(k + 1, 3):
            row = U[i]
            row -= row[k] / pivot[k] * pivot
    return np.prod(np.diag(U))


def standardised_rows(x):
    Z = x.copy()
    for row in Z:
        row -= row.mean()
        row /= row.std() + 1e-3
    return np.sum(Z**3)


def modified_gram_schmidt(x):
    Q = x.copy()
    for j in range(3):
        q = Q[:, j]
        q /= np.linalg.norm(q)
        for k in range(j + 1, 3):
            Q[:, k] -= (q @ Q[:, k]) * q
    return np.sum(Q * np.arange(9.0).reshape(3, 3))


CASES = [
    Case(f, (P3.copy(),), (0,), extra="hvp")
    for f in (
        lu_rows_of_copy,
        standardised_rows,
        modified_gram_schmidt,
        swapped_axes_view,
        swapped_copy_row,
        copied_rows_normalised,
        copied_rows_enumerate,
        copied_transposed_row,
        copied_reshape_column,
    )
] + [
    Case(f, (X4.copy(),), (0,), extra="hvp")
    for f in (
        rows_normalised,
        row_view_scaled,
        reshape_view_column,
        flat_tail_view,
        transposed_row_write,
        strided_view,
        newaxis_view,
        enumerate_rows,
        softmax_rows,
        row_then_base_write,
        rows_in_branches,
        gauss_eliminate,
        column_view_loop,
    )
]
