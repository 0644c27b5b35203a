"""Ported cases (session 27, hunt27c), written anew after array idioms: ``x[mask] = 0``, int and bool
arrays mixed with float64 (``astype(float)``, ``mask * x``, ``~mask``), float32 masks, keepdims
and ``np.newaxis`` broadcasting, ``einsum`` with repeated and ellipsis indices, in-place updates of
views (``A[:, 0] *= s``, ``np.fill_diagonal``, ``out[..., 1] += ...``, a slice of a slice), ``np.clip``
with array bounds, NaN-safe ``np.where`` patterns (``np.sqrt(np.where(x > 0, x, 1))``), integer
indices from ``astype(int)``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case


def mask_zero(x):
    y = x.copy()
    y[y < 0] = 0
    return np.sum(y**2) + np.sum(np.where(x > 0.25, x, 0) * x)


def int_mix(x):
    counts = np.array([1, 2, 3, 4])
    flags = np.array([True, False, True, True])
    w = counts.astype(float) / counts.sum()
    return np.sum(w * x**2) + np.sum(x[flags]) * counts[1] + flags.sum() * x[0]


def float32_mix(x):
    a = x.astype(np.float32)
    b = np.float64(2.0) * x
    return float(np.sum(np.where(a > 0, b, 0.0) ** 2)) + np.sum(b) * np.float32(0.5)


def bool_arith(x):
    m = x > 0
    return np.sum(m * x**2) + np.sum(~m * np.exp(x)) + m.mean() * x[1]


def keepdims_norm(x):
    X = x.reshape(2, 3)
    mu = X.mean(axis=1, keepdims=True)
    sd = X.std(axis=1, keepdims=True)
    Z = (X - mu) / sd
    return np.sum(Z[:, :, np.newaxis] * Z[:, np.newaxis, :] * np.arange(3)[None, None, :])


def newaxis_pair(x):
    d = x[:, None] - x[None, :]
    return np.sum(np.exp(-(d**2))) + np.sum(x[np.newaxis] @ x[:, np.newaxis])


def einsum_trace(x):
    A = x.reshape(2, 2)
    return np.einsum("ii", A @ A) + np.einsum("ij,ij->", A, A) + np.einsum("ii->i", A).sum() ** 2


def einsum_ellipsis(x):
    A = x.reshape(2, 2, 2)
    B = np.einsum("...ij,...jk->...ik", A, A)
    return (
        np.einsum("...ii->...", B).sum()
        + np.einsum("b...,b...->b...", A, A).sum(axis=(1, 2)) @ np.array([1.0, 2.0])
        + np.einsum("bij->b", A) @ np.array([1.0, -1.0])
    )


def einsum_batch(x):
    W = x[:6].reshape(2, 3)
    v = np.array([[1.0, 0.5, -0.2], [0.3, 0.1, 0.9]])
    return np.einsum("ij,kj->ik", W, v).sum() + np.einsum("ij,ij,ij->", W, W, v)


def view_col_scale(x):
    A = x.reshape(3, 2).copy()
    s = A[:, 1].sum()
    A[:, 0] *= s
    A[1:, 1] += A[:-1, 0]
    return np.sum(A**2)


def fill_diag(x):
    K = np.exp(-((x[:, None] - x[None, :]) ** 2))
    np.fill_diagonal(K, 0.0)
    K2 = K + 0.0
    np.fill_diagonal(K2, x)
    return np.sum(K) + np.sum(K2**2)


def ellipsis_add(x):
    out = np.zeros((2, 3))
    P = x.reshape(2, 3)
    out[..., 1] += P[..., 0] * P[..., 2]
    out[..., 0] = P[..., 1] ** 2
    out[...] *= 2
    return np.sum(out**2)


def clip_bounds(x):
    lo = np.array([-0.2, 0.0, 0.1, -1.0])
    hi = np.array([0.5, 0.4, 1.0, 0.0])
    return np.sum(np.clip(x, lo, hi) ** 2) + np.sum(np.clip(x * 2, lo, None))


def nan_safe_sqrt(x):
    y = np.where(x > 0, np.sqrt(np.where(x > 0, x, 1.0)), 0.0)
    z = np.where(x != 0, np.sin(x) / np.where(x != 0, x, 1.0), 1.0)
    return np.sum(y * 3 + z)


def nan_safe_log(x):
    safe = np.where(x > 0, x, 1.0)
    return np.sum(np.where(x > 0, safe * np.log(safe), 0.0))


def masked_inplace(x):
    y = x.copy()
    neg = y < 0
    y[neg] *= -0.1
    y[~neg] = y[~neg] ** 2
    return np.sum(y)


def diag_view_update(x):
    A = np.outer(x, x)
    d = np.einsum("ii->i", A)  # read-only view
    return np.sum(d**2) + np.trace(A)


def where_int_cond(x):
    k = np.arange(len(x))
    return np.sum(np.where(k % 2 == 0, x, -x) ** 3) + np.sum(x[k >= 2])


def astype_int_idx(x):
    idx = (np.abs(x) * 3).astype(int) % len(x)
    return np.sum(x[idx] * x)


def view_chain(x):
    a = x.copy()
    b = a[1:]
    c = b[::2]
    c *= 3.0
    b[0] += a[0]
    return np.sum(a**2) + np.sum(c)


def diag_fill_loop(x):
    n = len(x)
    M = np.zeros((n, n))
    for i in range(n):
        M[i, i:] = x[i:] * x[i]
    M += M.T
    return np.sum(np.diag(M)) + np.sum(M**2) * 0.1


CASES = [
    Case(mask_zero, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(int_mix, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(float32_mix, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(bool_arith, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(keepdims_norm, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(newaxis_pair, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(einsum_trace, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(
        einsum_ellipsis, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9, 0.4, 0.6]),), (0,), extra="hvp"
    ),
    Case(einsum_batch, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(view_col_scale, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(fill_diag, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(ellipsis_add, (np.array([0.3, -0.5, 0.2, 0.7, 0.1, -0.9]),), (0,), extra="hvp"),
    Case(clip_bounds, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(nan_safe_sqrt, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(nan_safe_log, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(masked_inplace, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(diag_view_update, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
    Case(where_int_cond, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(astype_int_idx, (np.array([0.3, -0.5, 0.2, 0.7]),), (0,), extra="hvp"),
    Case(view_chain, (np.array([0.3, -0.5, 0.2, 0.7, 0.1]),), (0,), extra="hvp"),
    Case(diag_fill_loop, (np.array([0.3, -0.5, 0.2]),), (0,), extra="hvp"),
]
