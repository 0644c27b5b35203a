"""Ported cases (session 37, corp37_np), in the spirit of JAX's lax_numpy tests and numba's
examples, written as user code: scatter-adds with repeated indices (``np.add.at`` and buffered
``x[idx] += v``), `take_along_axis` / `put_along_axis`, `np.piecewise` and `np.select`,
`np.apply_along_axis` and `np.vectorize`, `np.fill_diagonal` on a copy, reflect/wrap padding,
`maximum.accumulate`, `add.reduceat`, `np.gradient`, a `np.polyfit` trend, `np.interp` on a
moving grid, `np.median` / `np.percentile`, `np.lexsort` ranking, `np.ix_` blocks, a banded
`np.convolve`, `np.ufunc.outer`, `np.copyto(where=)`, and a numba-style explicit-loop kernel.

Float parameters -> float scalars or arrays."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(37003)
IDX = np.array([0, 2, 2, 4, 0, 1, 2])


def scatter_add_at(x, v):
    out = np.zeros_like(x)
    np.add.at(out, IDX, v * x[IDX])
    return np.sum(out**2) + out @ x


def buffered_fancy_iadd(x, v):
    y = x.copy()
    y[IDX] += v  # buffered: a repeated index gets one of the updates, not their sum
    return np.sum(np.sin(y) * np.arange(1.0, 6.0))


def take_put_along(S, w):
    order = np.argsort(S, axis=1)
    top = np.take_along_axis(S, order[:, -2:], axis=1)
    out = np.zeros_like(S)
    np.put_along_axis(out, order[:, :1], w[:, None] * top[:, :1], axis=1)
    return np.sum(top * w[:, None]) + np.sum(out**2)


def piecewise_select(x, a):
    p = np.piecewise(
        x,
        [x < -0.5, (x >= -0.5) & (x < 0.5), x >= 0.5],
        [lambda t: -a * t, lambda t: t**2, lambda t: a * np.sqrt(t)],
    )
    s = np.select([x < 0, x < 1], [np.exp(x), a * x], default=np.log1p(x))
    return np.sum(p) + np.sum(s * x)


def apply_rows(M, c):
    def row_norm(r):
        return np.sqrt(np.sum(r**2) + c)

    return np.sum(np.apply_along_axis(row_norm, 1, M) ** 2) + np.sum(
        np.apply_along_axis(np.cumsum, 0, M)[-1] * c
    )


def vectorized_kernel(x, y):
    def k(a, b):
        return np.exp(-((a - b) ** 2)) if a > b else a * b

    return np.sum(np.vectorize(k)(x[:, None], y[None, :]))


def fill_diag_copy(A, d):
    B = A.copy()
    np.fill_diagonal(B, d)
    return np.sum(np.linalg.inv(B + 3 * np.eye(3)))


def padded_stencils(u):
    r = np.pad(u, 2, mode="reflect")
    w = np.pad(u, (1, 2), mode="wrap")
    e = np.pad(u, ((1, 1),), mode="edge")
    return np.sum(r[:-4] * r[4:]) + np.sum(w[:-3] * w[3:] ** 2) + np.sum(np.diff(e) ** 2)


def running_max_drawdown(prices):
    peak = np.maximum.accumulate(prices)
    dd = (peak - prices) / peak
    return np.max(dd) + np.mean(dd)


def segment_sums(x, w):
    starts = np.array([0, 2, 3, 6])
    return np.sum(np.add.reduceat(x * w, starts) ** 2) + np.multiply.reduce(x[:3])


def gradient_field(f, h):
    gx, gy = np.gradient(f, h, 2 * h)
    return np.sum(gx**2 + gy * f) + np.sum(np.gradient(f[0], edge_order=2) ** 2)


def detrend_polyfit(y):
    t = np.linspace(0.0, 1.0, len(y))
    coef = np.polyfit(t, y, 2)
    resid = y - np.polyval(coef, t)
    return np.sum(resid**2) + coef[0]


def moving_grid_interp(knots_y, shift):
    xp = np.linspace(0.0, 1.0, len(knots_y))
    xq = np.linspace(0.05, 0.95, 7) + shift
    return np.sum(np.interp(xq, xp, knots_y) ** 2)


def robust_stats(x):
    med = np.median(x)
    q1, q3 = np.percentile(x, [25, 75])
    return (x[0] - med) / (q3 - q1) + np.quantile(x, 0.9)


KEYS2 = np.array([1, 0, 1, 0, 2, 2])


def lexsort_rank(v):
    order = np.lexsort((v, KEYS2))
    ranked = v[order]
    weights = np.linspace(1.0, 2.0, len(v))
    return np.sum(ranked * weights)


def ix_blocks(A, w):
    rows, cols = np.array([0, 2]), np.array([1, 2, 3])
    blk = A[np.ix_(rows, cols)]
    B = A.copy()
    B[np.ix_(rows, cols)] = blk * w
    return np.sum(B**2) + np.sum(blk)


def banded_conv(x, k):
    full = np.convolve(x, k, mode="full")
    same = np.convolve(x, k[::-1], mode="same")
    valid = np.correlate(x, k, mode="valid")
    return np.sum(full**2) + same @ x[: len(same)] + np.sum(valid)


def ufunc_outer_pairs(x, y):
    d = np.subtract.outer(x, y)
    m = np.maximum.outer(x, y)
    return np.sum(np.exp(-(d**2)) * m) + np.sum(np.multiply.outer(x, x))


def copyto_where(x, y):
    out = np.full_like(x, 0.5)
    np.copyto(out, y * 2, where=x > 0)
    return np.sum(out * x)


def numba_pairwise_loop(X):
    n = X.shape[0]
    D = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            d = 0.0
            for k in range(X.shape[1]):
                tmp = X[i, k] - X[j, k]
                d += tmp * tmp
            D[i, j] = np.sqrt(d + 1e-3)
    return np.sum(D * np.tri(n))


CASES = [
    Case(scatter_add_at, (R.standard_normal(5), R.standard_normal(7)), (0, 1), extra="hvp"),
    Case(buffered_fancy_iadd, (R.standard_normal(5), R.standard_normal(7)), (0, 1)),
    Case(take_put_along, (R.standard_normal((3, 4)), R.standard_normal(3)), (0, 1)),
    Case(piecewise_select, (np.array([-0.9, -0.2, 0.3, 0.7, 1.4]), 1.3), (0, 1)),
    Case(apply_rows, (R.standard_normal((3, 4)), 0.4), (0, 1)),
    Case(vectorized_kernel, (R.standard_normal(3), R.standard_normal(4)), (0, 1)),
    Case(fill_diag_copy, (R.standard_normal((3, 3)) * 0.3, R.standard_normal(3)), (0, 1)),
    Case(padded_stencils, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(running_max_drawdown, (np.array([1.0, 1.3, 1.1, 1.5, 1.2, 0.9, 1.4]),), (0,)),
    Case(segment_sums, (R.standard_normal(8), R.standard_normal(8)), (0, 1)),
    Case(gradient_field, (R.standard_normal((4, 5)), 0.3), (0, 1), extra="hvp"),
    Case(detrend_polyfit, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(moving_grid_interp, (R.standard_normal(6), 0.013), (0, 1)),
    Case(robust_stats, (R.standard_normal(9),), (0,)),
    Case(lexsort_rank, (R.standard_normal(6),), (0,)),
    Case(ix_blocks, (R.standard_normal((3, 4)), 1.7), (0, 1)),
    Case(banded_conv, (R.standard_normal(6), R.standard_normal(3)), (0, 1)),
    Case(ufunc_outer_pairs, (R.standard_normal(3), R.standard_normal(4)), (0, 1)),
    Case(copyto_where, (R.standard_normal(5), R.standard_normal(5)), (0, 1)),
    Case(numba_pairwise_loop, (R.standard_normal((4, 2)),), (0,), extra="hvp"),
]
