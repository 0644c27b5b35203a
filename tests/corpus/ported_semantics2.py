"""Ported cases: NumPy semantics that differ from the obvious reading.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them)."""

from __future__ import annotations

import math

import numpy as np

from . import Case
from .ported import M23, M33, M34, P5, SPD, T234, V3, V5


def sy_norm_logpdf(x):
    from scipy.stats import norm

    return norm.logpdf(x, 0.3, 1.5) + norm.cdf(x)


def sy_dot_list_weights(x):
    w = [0.5, -1.0, 2.0]
    return np.dot(w, x)


def sy_sum_tuple_axis(T):
    return np.sum(T, axis=(0, 2)) @ np.ones(3)


def sy_amax_tuple_axis(T):
    return np.max(T, axis=(0, 2))


def sy_broadcast_scalar_vec(x):
    return x[:, None, None] * T234


def sy_broadcast_reduce(x):
    return np.sum(M23 * x, axis=0) + np.sum(x[:, None] * M33, axis=0)


def sy_int_pow_neg(x):
    return x**-2 + x ** (-1)


def sy_pow_array_base_scalar(a, x):
    return a**x


def sy_pow_neg_base_int(x):
    return (x - 2.0) ** 3


def sy_abs_at_zero(x):
    return np.abs(x - x[0])


def sy_math_trunc(x):
    return math.floor(x) * x + math.ceil(x) * x


def sy_min_builtin_zero(x):
    return max(0.0, x) + min(x, 1.0)


def sy_linalg_eigvalsh(A):
    return np.linalg.eigvalsh(A)


def sy_linalg_lstsq(A, b):
    return np.linalg.lstsq(A, b, rcond=None)[0]


def sy_linalg_cond_free(A):
    s = np.linalg.svd(A, compute_uv=False)
    return s[0] / s[-1]


def sy_svd_recon(A):
    u, s, vt = np.linalg.svd(A, full_matrices=False)
    return (u * s) @ vt


def sy_cholesky_solve(A, b):
    L = np.linalg.cholesky(A)
    y = np.linalg.solve(L, b)
    return y @ y


def sy_triangular_loop(A):
    n = A.shape[0]
    out = np.zeros(n)
    for i in range(n):
        s = 0.0
        for j in range(i):
            s = s + A[i, j] * out[j]
        out[i] = (1.0 - s) / A[i, i]
    return out


def sy_while_tolerance(x):
    y = x
    k = 0
    while np.max(np.abs(y)) > 0.01 and k < 100:
        y = y * 0.5
        k += 1
    return y


def sy_argsort_gather(x):
    idx = np.argsort(x)
    return x[idx] * np.arange(5.0) + x[idx[::-1]]


def sy_searchsorted_interp(x):
    grid = np.array([0.0, 0.5, 1.0, 1.5, 2.0])
    k = np.searchsorted(grid, x) - 1
    k = np.clip(k, 0, 3)
    return x * k


def sy_unique_counts(x):
    u = np.unique(np.round(x))
    return u.sum() * x


def sy_meshgrid(x, y):
    X, Y = np.meshgrid(x, y)
    return X * Y


def sy_sum_of_list_of_arrays(x):
    parts = [x * k for k in range(3)]
    return sum(parts)


def sy_tuple_of_arrays(x):
    a, b = np.sin(x), np.cos(x)
    return np.sum(a * b)


def sy_reduce_loop_min(x):
    m = x[0]
    for v in x[1:]:
        if v < m:
            m = v
    return m


def sy_loop_over_rows(A):
    s = 0.0
    for row in A:
        s = s + np.dot(row, row)
    return s


def sy_nested_index_update(A):
    B = A.copy()
    for i in range(2):
        for j in range(3):
            B[i, j] = B[i, j] * (i + j + 1) + A[1 - i, 2 - j]
    return B


def sy_pop_statement(x):
    a = [x, 2.0 * x, 3.0 * x]
    a.pop()
    return a[0] * a[-1]


def sy_insert(x):
    a = [x, 2.0 * x]
    a.insert(0, 5.0 * x)
    return a[0] * a[1]


def sy_list_mul(x):
    a = [x] * 3
    return a[0] * a[1] + len(a)


def sy_dict_loop_keys(p):
    s = 0.0
    for k in p:
        s = s + p[k] ** 2
    return s


def sy_sorted_key(x):
    pairs = [(x[0], 1.0), (x[1], 2.0), (x[2], 3.0)]
    ordered = sorted(pairs, key=lambda t: t[0])
    return ordered[0][0] * ordered[0][1] + ordered[-1][0]


def sy_max_key(x):
    return max([x[0], x[1], x[2]], key=abs)


def sy_any_all(x):
    if np.all(x > -5.0) and np.any(x > 1.0):
        return np.sum(x**2)
    return np.sum(x)


def sy_global_const(x):
    return np.sum(x * V5)


def sy_closure_counter(x):
    acc = [0.0]

    def add(v):
        acc[0] = acc[0] + v

    add(x)
    add(x * x)
    return acc[0]


def sy_class_model(x):
    m = _Lin(np.array([0.5, -1.0, 2.0]), 0.3)
    return m(x) + m.energy(x)


class _Lin:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.dot(self.w, x) + self.b

    def energy(self, x):
        return 0.5 * np.sum((x * self.w) ** 2)


def sy_try_except(x):
    try:
        y = np.log(x)
    except ValueError:
        y = x
    return y


def sy_math_isclose(x):
    if math.isclose(x, 0.0):
        return 0.0
    return math.sin(x) / x


def sy_float_power(x):
    return np.float_power(x, 2.5)


def sy_ldexp_frexp(x):
    return np.ldexp(x, 2)


def sy_copysign(x):
    return np.copysign(x, -1.0) + np.copysign(2.0, x) * x


def sy_arctan2_arr(x, y):
    return np.arctan2(x, y)


def sy_log_softmax_axis0(A):
    return A - np.log(np.sum(np.exp(A), axis=0))


def sy_cov(A):
    return np.cov(A)


def sy_corrcoef(A):
    return np.corrcoef(A)[0, 1]


def sy_convolve(x, k):
    return np.convolve(x, k)


def sy_correlate_valid(x, k):
    return np.correlate(x, k, mode="valid")


def sy_histogram_free(x):
    return np.sum(x * np.digitize(x, [0.0, 1.0]))


def sy_vander(x):
    return np.vander(x, 3) @ np.array([1.0, -1.0, 0.5])


def sy_polyfit_coef(y):
    return np.polyfit(np.arange(5.0), y, 2)


def sy_tri_indices(A):
    iu = np.triu_indices(3)
    return A[iu]


def sy_ix_(A):
    return A[np.ix_([0, 2], [1, 2])]


def sy_put_like(x):
    y = np.zeros(6)
    y[[1, 3, 5]] = x[:3] * 2.0
    y[[0, 2]] = x[3:]
    return y


def sy_setitem_broadcast_row(A, v):
    B = A.copy()
    B[0] = v
    B[:, 1] = v[1]
    return B


def sy_setitem_overlap(x):
    y = x.copy()
    y[1:] = y[:-1] * 2.0
    return y


def sy_roll_sum_loop(x):
    y = x
    for _ in range(3):
        y = 0.5 * (y + np.roll(y, 1))
    return y


CASES: list[Case] = [
    Case(sy_norm_logpdf, (V5,), (0,)),
    Case(sy_dot_list_weights, (V3,), (0,)),
    Case(sy_sum_tuple_axis, (T234,), (0,)),
    Case(sy_amax_tuple_axis, (T234,), (0,)),
    Case(sy_broadcast_scalar_vec, (P5[:2].copy(),), (0,)),
    Case(sy_broadcast_reduce, (V3,), (0,)),
    Case(sy_int_pow_neg, (P5,), (0,)),
    Case(sy_pow_array_base_scalar, (1.7, V5), (0, 1)),
    Case(sy_pow_neg_base_int, (V5,), (0,)),
    Case(sy_abs_at_zero, (V5,), (0,)),
    Case(sy_math_trunc, (1.3,), (0,)),
    Case(sy_min_builtin_zero, (0.7,), (0,)),
    Case(sy_linalg_eigvalsh, (SPD,), (0,)),
    Case(sy_linalg_lstsq, (M34.T.copy(), V5[:4].copy()), (0, 1)),
    Case(sy_linalg_cond_free, (M23,), (0,)),
    Case(sy_svd_recon, (M23,), (0,)),
    Case(sy_cholesky_solve, (SPD, V3), (0, 1)),
    Case(sy_triangular_loop, (SPD,), (0,)),
    Case(sy_while_tolerance, (V3,), (0,)),
    Case(sy_argsort_gather, (V5,), (0,)),
    Case(sy_searchsorted_interp, (P5,), (0,)),
    Case(sy_unique_counts, (V5,), (0,)),
    Case(sy_meshgrid, (V3, P5[:2].copy()), (0, 1)),
    Case(sy_sum_of_list_of_arrays, (V3,), (0,)),
    Case(sy_tuple_of_arrays, (V3,), (0,)),
    Case(sy_reduce_loop_min, (V5,), (0,)),
    Case(sy_loop_over_rows, (M23,), (0,)),
    Case(sy_nested_index_update, (M23,), (0,)),
    Case(sy_pop_statement, (0.7,), (0,)),
    Case(sy_insert, (0.7,), (0,)),
    Case(sy_list_mul, (0.7,), (0,)),
    Case(sy_dict_loop_keys, ({"a": 0.7, "b": -1.2},), (0,)),
    Case(sy_sorted_key, (V3,), (0,)),
    Case(sy_max_key, (V3,), (0,)),
    Case(sy_any_all, (V5,), (0,)),
    Case(sy_global_const, (V5,), (0,)),
    Case(sy_class_model, (V3,), (0,)),
    Case(sy_math_isclose, (0.7,), (0,)),
    Case(sy_float_power, (P5,), (0,)),
    Case(sy_ldexp_frexp, (V5,), (0,)),
    Case(sy_copysign, (V5,), (0,)),
    Case(sy_arctan2_arr, (V5, P5), (0, 1)),
    Case(sy_log_softmax_axis0, (M23,), (0,)),
    Case(sy_cov, (M34,), (0,)),
    Case(sy_corrcoef, (M34,), (0,)),
    Case(sy_convolve, (V5, V3), (0, 1)),
    Case(sy_correlate_valid, (V5, V3), (0, 1)),
    Case(sy_histogram_free, (V5,), (0,)),
    Case(sy_vander, (V5,), (0,)),
    Case(sy_polyfit_coef, (V5,), (0,)),
    Case(sy_tri_indices, (M33,), (0,)),
    Case(sy_ix_, (M33,), (0,)),
    Case(sy_put_like, (V5,), (0,)),
    Case(sy_setitem_broadcast_row, (M23, V3), (0, 1)),
    Case(sy_setitem_overlap, (V5,), (0,)),
    Case(sy_roll_sum_loop, (V5,), (0,)),
]
