"""Ported cases: loops that update arrays; broadcasting shapes.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import numpy as np

from . import Case
from .ported import M23, M33, P5, SPD, V3, V5, R


def lp_read_ahead(x):
    out = x.copy()
    for i in range(4):
        out[i] = out[i + 1] * out[i] + 1.0
    return out


def lp_two_back(x):
    out = np.zeros(6)
    out[0] = x[0]
    out[1] = x[1]
    for i in range(2, 6):
        out[i] = out[i - 1] * 0.5 + out[i - 2] * x[i % 3]
    return out


def lp_whole_read(x):
    out = np.ones(4)
    for i in range(4):
        out[i] = np.sum(out) * x[i]
    return out


def lp_double_buffer(x):
    old = x.copy()
    new = np.zeros_like(x)
    for _ in range(3):
        for i in range(1, 4):
            new[i] = 0.25 * old[i - 1] + 0.5 * old[i] + 0.25 * old[i + 1]
        new[0] = old[0]
        new[4] = old[4]
        old, new = new, old
    return old


def lp_row_col(A):
    B = A.copy()
    for i in range(3):
        B[i, :] = B[i, :] * B[:, i].sum()
    return B


def lp_copy_each_iter(x):
    for i in range(3):
        x = x.copy()
        x[i] = x[i] * x[i + 1]
    return x


def lp_update_then_read_old(x):
    y = x.copy()
    prev = y[2]
    y[2] = y[2] * 3.0
    return y * prev


def lp_snapshot(x):
    out = np.zeros(4)
    snaps = []
    for i in range(4):
        out[i] = x[i] * 2.0
        snaps.append(out.copy())
    return snaps[1] + snaps[3]


def lp_snapshot_no_copy(x):
    out = np.zeros(4)
    total = 0.0
    for i in range(4):
        out[i] = x[i] * (i + 1)
        total = total + out[i] * out[0]
    return total


def lp_cumulative_max(x):
    out = np.zeros(5)
    m = x[0]
    for i in range(5):
        if x[i] > m:
            m = x[i]
        out[i] = m
    return out


def lp_matrix_fill(x):
    M = np.zeros((3, 3))
    for i in range(3):
        for j in range(3):
            M[i, j] = x[i] * x[j] + (i == j)
    return np.linalg.det(M)


def lp_gauss_seidel(A, b):
    x = np.zeros(3)
    for _ in range(5):
        for i in range(3):
            s = b[i]
            for j in range(3):
                if j != i:
                    s = s - A[i, j] * x[j]
            x[i] = s / A[i, i]
    return x


def lp_list_state(x):
    hist = [x]
    for _ in range(3):
        hist.append(np.tanh(hist[-1]) * 1.5)
    return hist[-1] + hist[1]


def lp_running_product_array(x):
    acc = np.ones_like(x)
    for k in range(3):
        acc = acc * (x + k)
    return acc


def lp_where_in_loop(x):
    for _ in range(3):
        x = np.where(x > 0, x * 0.5, x * 2.0)
    return x


def lp_slice_update_loop(x):
    y = np.zeros(6)
    for i in range(3):
        y[i : i + 3] += x[i] * np.array([1.0, 2.0, 1.0])
    return y


def lp_mask_update_loop(x):
    y = x.copy()
    for _ in range(2):
        y[y > 0.5] = y[y > 0.5] * 0.5
    return y


def lp_matrix_power_loop(A):
    P = np.eye(3)
    for _ in range(3):
        P = P @ A
    return P


def lp_2d_stencil(A):
    B = A.copy()
    for i in range(1, A.shape[0] - 1):
        for j in range(1, A.shape[1] - 1):
            B[i, j] = 0.25 * (A[i - 1, j] + A[i + 1, j] + A[i, j - 1] + A[i, j + 1])
    return B


def bc_col_row(x, y):
    return x[:, None] * y[None, :] + x[None, :] * y[:, None]


def bc_square_transpose(A, B):
    return (A * B.T) @ A + A.T * B


def bc_keepdims_mix(A):
    return A * A.sum(axis=1, keepdims=True) + A * A.sum(axis=0)


def bc_scalar_shape_1(A, c):
    return A * c[0] + c


def bc_rank_promote(x, A):
    return np.sum(A * x, axis=0) + np.sum((A.T * x[:2]).T, axis=0)


def bc_reduce_then_broadcast(x):
    m = np.mean(x)
    return (x - m) * (x - m)[::-1]


def bc_outer_from_none(x):
    return (x[None, :] * x[:, None])[0, :] + x[None, :][0]


def bc_newaxis_update(x):
    y = x[None, :].copy()
    y[0, 1] = y[0, 0] * 2.0
    return y


def bc_matmul_1d_2d(x, A):
    return x @ A @ x


def bc_size_one_axis(A):
    B = A[:1, :] * A
    return B.sum(axis=0)


CASES: list[Case] = [
    Case(lp_read_ahead, (V5,), (0,)),
    Case(lp_two_back, (V3,), (0,)),
    Case(lp_whole_read, (V5[:4].copy(),), (0,)),
    Case(lp_double_buffer, (V5,), (0,)),
    Case(lp_row_col, (M33,), (0,)),
    Case(lp_copy_each_iter, (V5,), (0,)),
    Case(lp_update_then_read_old, (V5,), (0,)),
    Case(lp_snapshot, (V5[:4].copy(),), (0,)),
    Case(lp_snapshot_no_copy, (V5[:4].copy(),), (0,)),
    Case(lp_cumulative_max, (V5,), (0,)),
    Case(lp_matrix_fill, (V3,), (0,)),
    Case(lp_gauss_seidel, (SPD, V3), (0, 1)),
    Case(lp_list_state, (V3,), (0,)),
    Case(lp_running_product_array, (V3,), (0,)),
    Case(lp_where_in_loop, (V5,), (0,)),
    Case(lp_slice_update_loop, (V3,), (0,)),
    Case(lp_mask_update_loop, (P5 + 0.01,), (0,)),
    Case(lp_matrix_power_loop, (M33,), (0,)),
    Case(lp_2d_stencil, (R.standard_normal((4, 4)),), (0,)),
    Case(bc_col_row, (V3, P5[:3].copy()), (0, 1)),
    Case(bc_square_transpose, (M33, SPD), (0, 1)),
    Case(bc_keepdims_mix, (M33,), (0,)),
    Case(bc_scalar_shape_1, (M23, np.array([0.7])), (0, 1)),
    Case(bc_rank_promote, (V3, M23), (0, 1)),
    Case(bc_reduce_then_broadcast, (V5,), (0,)),
    Case(bc_outer_from_none, (V3,), (0,)),
    Case(bc_newaxis_update, (V3,), (0,)),
    Case(bc_matmul_1d_2d, (V3, M33), (0, 1)),
    Case(bc_size_one_axis, (M23,), (0,)),
]
