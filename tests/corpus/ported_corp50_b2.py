"""Ported cases (session 50, hunt50b): pymoo's WFG many-objective suite
(pymoo/problems/many/wfg.py) as functions: populations as 2-D arrays, the shape, transformation
and reduction helpers, ``correct_to_01`` clipping its argument in place through boolean masks
(``X[np.logical_and(X < 0, X >= -eps)] = 0``) and called on temporaries (``y.mean(axis=1)``: was
refused, "modifies its argument `X` in place"), ``x[:, k:n] = ...`` slice writes, ``np.floor`` and
``np.fabs`` steps, ``np.column_stack`` of lists, ``ret *= ...`` and a loop variable shadowing its
bound (``for m in range(1, m)``).

A float64 array (population x variables) -> an array (population x objectives), or a float.
Each row is checked forward and reverse (``extra="hvp"``: also at second order)."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(50202)


def correct_to_01(X, epsilon=1.0e-10):
    X[np.logical_and(X < 0, X >= 0 - epsilon)] = 0
    X[np.logical_and(X > 1, X <= 1 + epsilon)] = 1
    return X


def _shift_linear(value, shift=0.35):
    return correct_to_01(np.fabs(value - shift) / np.fabs(np.floor(shift - value) + shift))


def _shift_multi_modal(y, A, B, C):
    tmp1 = np.fabs(y - C) / (2.0 * (np.floor(C - y) + C))
    tmp2 = (4.0 * A + 2.0) * np.pi * (0.5 - tmp1)
    ret = (1.0 + np.cos(tmp2) + 4.0 * B * np.power(tmp1, 2.0)) / (B + 2.0)
    return correct_to_01(ret)


def _bias_flat(y, a, b, c):
    ret = (
        a
        + np.minimum(0, np.floor(y - b)) * (a * (b - y) / b)
        - np.minimum(0, np.floor(c - y)) * ((1.0 - a) * (y - c) / (1.0 - c))
    )
    return correct_to_01(ret)


def _bias_poly(y, alpha):
    return correct_to_01(y**alpha)


def _param_dependent(y, y_deg, A=0.98 / 49.98, B=0.02, C=50.0):
    aux = A - (1.0 - 2.0 * y_deg) * np.fabs(np.floor(0.5 - y_deg) + A)
    ret = np.power(y, B + (C - B) * aux)
    return correct_to_01(ret)


def _param_deceptive(y, A=0.35, B=0.001, C=0.05):
    tmp1 = np.floor(y - A + B) * (1.0 - C + (A - B) / B) / (A - B)
    tmp2 = np.floor(A + B - y) * (1.0 - C + (1.0 - A - B) / B) / (1.0 - A - B)
    ret = 1.0 + (np.fabs(y - A) - B) * (tmp1 + tmp2 + 1.0 / B)
    return correct_to_01(ret)


def _weighted_sum(y, w):
    return correct_to_01(np.dot(y, w) / w.sum())


def _weighted_sum_uniform(y):
    return correct_to_01(y.mean(axis=1))


def _non_sep(y, A):
    n, m = y.shape
    val = np.ceil(A / 2.0)
    num = np.zeros(n)
    for j in range(m):
        num += y[:, j]
        for k in range(A - 1):
            num += np.fabs(y[:, j] - y[:, (1 + j + k) % m])
    denom = m * val * (1.0 + 2.0 * A - 2 * val) / A
    return correct_to_01(num / denom)


def _shape_concave(x, m):
    M = x.shape[1]
    if m == 1:
        ret = np.prod(np.sin(0.5 * x[:, :M] * np.pi), axis=1)
    elif 1 < m <= M:
        ret = np.prod(np.sin(0.5 * x[:, : M - m + 1] * np.pi), axis=1)
        ret *= np.cos(0.5 * x[:, M - m + 1] * np.pi)
    else:
        ret = np.cos(0.5 * x[:, 0] * np.pi)
    return correct_to_01(ret)


def _shape_convex(x, m):
    M = x.shape[1]
    if m == 1:
        ret = np.prod(1.0 - np.cos(0.5 * x[:, :M] * np.pi), axis=1)
    elif 1 < m <= M:
        ret = np.prod(1.0 - np.cos(0.5 * x[:, : M - m + 1] * np.pi), axis=1)
        ret *= 1.0 - np.sin(0.5 * x[:, M - m + 1] * np.pi)
    else:
        ret = 1.0 - np.sin(0.5 * x[:, 0] * np.pi)
    return correct_to_01(ret)


def _shape_linear(x, m):
    M = x.shape[1]
    if m == 1:
        ret = np.prod(x, axis=1)
    elif 1 < m <= M:
        ret = np.prod(x[:, : M - m + 1], axis=1)
        ret *= 1.0 - x[:, M - m + 1]
    else:
        ret = 1.0 - x[:, 0]
    return correct_to_01(ret)


def _shape_mixed(x, A=5.0, alpha=1.0):
    aux = 2.0 * A * np.pi
    ret = np.power(1.0 - x - (np.cos(aux * x + 0.5 * np.pi) / aux), alpha)
    return correct_to_01(ret)


def _shape_disconnected(x, alpha=1.0, beta=1.0, A=5.0):
    aux = np.cos(A * np.pi * x**beta)
    return correct_to_01(1.0 - x**alpha * aux**2)


def _post(t, a):
    x = []
    for i in range(t.shape[1] - 1):
        x.append(np.maximum(t[:, -1], a[i]) * (t[:, i] - 0.5) + 0.5)
    x.append(t[:, -1])
    return np.column_stack(x)


def _calculate(x, s, h):
    return x[:, -1][:, None] + s * np.column_stack(h)


def _t1_shift(x, n, k):
    x[:, k:n] = _shift_linear(x[:, k:n], 0.35)
    return x


def _wfg1_t2(x, n, k):
    x[:, k:n] = _bias_flat(x[:, k:n], 0.8, 0.75, 0.85)
    return x


def _wfg1_t3(x, n):
    x[:, :n] = _bias_poly(x[:, :n], 0.02)
    return x


def _wfg1_t4(x, m, n, k):
    w = np.arange(2, 2 * n + 1, 2)
    gap = k // (m - 1)
    t = []
    for m in range(1, m):  # noqa: B020  (pymoo's own loop)
        _y = x[:, (m - 1) * gap : (m * gap)]
        _w = w[(m - 1) * gap : (m * gap)]
        t.append(_weighted_sum(_y, _w))
    t.append(_weighted_sum(x[:, k:n], w[k:n]))
    return np.column_stack(t)


def _wfg2_t2(x, n, k):
    y = [x[:, i] for i in range(k)]
    l = n - k  # noqa: E741
    ind_non_sep = k + l // 2
    i = k + 1
    while i <= ind_non_sep:
        head = k + 2 * (i - k) - 2
        tail = k + 2 * (i - k)
        y.append(_non_sep(x[:, head:tail], 2))
        i += 1
    return np.column_stack(y)


def _wfg2_t3(x, m, n, k):
    ind_r_sum = k + (n - k) // 2
    gap = k // (m - 1)
    t = [_weighted_sum_uniform(x[:, (m - 1) * gap : (m * gap)]) for m in range(1, m)]
    t.append(_weighted_sum_uniform(x[:, k:ind_r_sum]))
    return np.column_stack(t)


def _wfg4_t2(x, m, k):
    gap = k // (m - 1)
    t = [_weighted_sum_uniform(x[:, (m - 1) * gap : (m * gap)]) for m in range(1, m)]
    t.append(_weighted_sum_uniform(x[:, k:]))
    return np.column_stack(t)


def _wfg6_t2(x, m, n, k):
    gap = k // (m - 1)
    t = [_non_sep(x[:, (m - 1) * gap : (m * gap)], gap) for m in range(1, m)]
    t.append(_non_sep(x[:, k:], n - k))
    return np.column_stack(t)


def _wfg7_t1(x, k):
    for i in range(k):
        aux = _weighted_sum_uniform(x[:, i + 1 :])
        x[:, i] = _param_dependent(x[:, i], aux)
    return x


def _wfg8_t1(x, n, k):
    ret = []
    for i in range(k, n):
        aux = _weighted_sum_uniform(x[:, :i])
        ret.append(_param_dependent(x[:, i], aux, A=0.98 / 49.98, B=0.02, C=50.0))
    return np.column_stack(ret)


def _wfg9_t1(x, n):
    ret = []
    for i in range(0, n - 1):
        aux = _weighted_sum_uniform(x[:, i + 1 :])
        ret.append(_param_dependent(x[:, i], aux))
    ret.append(x[:, -1])
    return np.column_stack(ret)


def _setup(n_var, n_obj):
    xu = 2 * np.arange(1, n_var + 1).astype(float)
    S = np.arange(2, 2 * n_obj + 1, 2).astype(float)
    A = np.ones(n_obj - 1)
    return xu, S, A


def wfg1(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _t1_shift(y, n_var, k)
    y = _wfg1_t2(y, n_var, k)
    y = _wfg1_t3(y, n_var)
    y = _wfg1_t4(y, n_obj, n_var, k)
    y = _post(y, A)
    h = [_shape_convex(y[:, :-1], m + 1) for m in range(n_obj - 1)]
    h.append(_shape_mixed(y[:, 0], alpha=1.0, A=5.0))
    return _calculate(y, S, h)


def wfg2(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _t1_shift(y, n_var, k)
    y = _wfg2_t2(y, n_var, k)
    y = _wfg2_t3(y, n_obj, n_var, k)
    y = _post(y, A)
    h = [_shape_convex(y[:, :-1], m + 1) for m in range(n_obj - 1)]
    h.append(_shape_disconnected(y[:, 0], alpha=1.0, beta=1.0, A=5.0))
    return _calculate(y, S, h)


def wfg3(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    A[1:] = 0
    y = x / xu
    y = _t1_shift(y, n_var, k)
    y = _wfg2_t2(y, n_var, k)
    y = _wfg2_t3(y, n_obj, n_var, k)
    y = _post(y, A)
    h = [_shape_linear(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg4(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _shift_multi_modal(y, 30.0, 10.0, 0.35)
    y = _wfg4_t2(y, n_obj, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg5(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _param_deceptive(y, A=0.35, B=0.001, C=0.05)
    y = _wfg4_t2(y, n_obj, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg6(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _t1_shift(y, n_var, k)
    y = _wfg6_t2(y, n_obj, n_var, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg7(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _wfg7_t1(y, k)
    y = _t1_shift(y, n_var, k)
    y = _wfg4_t2(y, n_obj, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg8(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y[:, k:n_var] = _wfg8_t1(y, n_var, k)
    y = _t1_shift(y, n_var, k)
    y = _wfg4_t2(y, n_obj, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg9(x, n_obj=3, k=4):
    n_var = x.shape[1]
    xu, S, A = _setup(n_var, n_obj)
    y = x / xu
    y = _wfg9_t1(y, n_var)
    y = _wfg6_t2(y, n_obj, n_var, k)
    y = _post(y, A)
    h = [_shape_concave(y[:, :-1], m + 1) for m in range(n_obj)]
    return _calculate(y, S, h)


def wfg_total(x):
    # a scalarised WFG7 (a weighted sum of the objectives over the population; WFG4's
    # multi-modal shift, cos(122 pi y), is too steep for the Hessian's finite differences)
    return np.sum(wfg7(x) * np.array([0.2, 0.3, 0.5]))


_XW = R.uniform(0.1, 0.9, (3, 8)) * (2 * np.arange(1, 9))


def _c(fn, *args, **kw):
    return Case(fn, args, (0,), **kw)


CASES = [
    *(_c(f, _XW.copy()) for f in (wfg1, wfg2, wfg3, wfg4, wfg5, wfg6, wfg7, wfg8, wfg9)),
    _c(wfg_total, _XW.copy(), extra="hvp"),
]
