"""Ported cases (session 9, corp9), written anew as user code:
Zygote.jl's gradcheck functions as NumPy user code.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math  # noqa: F401

import numpy as np
import scipy.linalg as sla  # noqa: F401
from scipy import special  # noqa: F401

from . import Case

R = np.random.default_rng(15200014)
X24 = np.round(R.standard_normal(24) * 0.5, 3)
X20 = np.round(R.standard_normal(20) * 0.6, 3)
ZY_W25 = R.standard_normal((2, 5))
ZY_Q = R.standard_normal(24)


def zy_dense_tanh(x):
    w = x[:10].reshape(2, 5)
    return np.sum(np.tanh(w @ x[10:15] + x[15:17]))


def zy_dense_batch(x):
    xs = x[:15].reshape(5, 3)
    return np.sum(np.tanh(ZY_W25 @ xs + x[15:17, None]))


def zy_adjoint_mul(x):
    w = x[:20].reshape(10, 2)
    return np.sum((w.T @ ZY_Q[:10]) ** 2)


def zy_sum_dims(x):
    a = x[:24].reshape(2, 3, 4)
    return np.sum(np.sum(a, axis=(1, 2)) ** 2)


def zy_sum_abs2_dims(x):
    a = x[:24].reshape(4, 3, 2)
    return np.sum(np.sum(np.abs(a) ** 2, axis=0, keepdims=True) * ZY_Q[:6].reshape(1, 3, 2))


def zy_sum_generator(x):
    return sum(x[i] * x[i] for i in range(len(x)))


def zy_sum_map_lambda(x):
    sq = lambda v: v**2  # noqa: E731
    return sum(map(sq, x))


def zy_prod_dims(x):
    a = 1.0 + 0.1 * x[:24].reshape(2, 3, 4)
    return np.sum(np.prod(a, axis=(1, 2))) + np.prod(a[0])


def zy_cumsum_dims(x):
    a = x[:24].reshape(2, 3, 4)
    return np.sum(np.cumsum(a, axis=1) ** 2) + np.sum(np.cumsum(x) * ZY_Q[: x.size])


def zy_det_logdet(x):
    a = x[:16].reshape(4, 4) + 3.0 * np.eye(4)
    s = a @ a.T
    sign, la = np.linalg.slogdet(a)
    return np.linalg.det(a) + np.log(np.linalg.det(s)) + la


def zy_indexing(x):
    a = x[:12].reshape(3, 4)
    return (
        np.sum(a[:, 1] ** 2)
        + np.sum(a[0:2, 2:4])
        + np.sum(a[:, [0, 1, 1]] ** 3)
        + np.sum(a[1, [2, 2, 0]])
    )


def zy_reverse(x):
    return np.sum(x[::-1] * ZY_Q[: x.size]) + np.sum(
        np.concatenate([x[:7], x[7:12][::-1], x[12:]]) * ZY_Q[: x.size]
    )


def zy_permutedims(x):
    a = x[:24].reshape(2, 3, 4)
    return np.sum(np.transpose(a, (2, 0, 1)) * np.arange(24.0).reshape(4, 2, 3))


def zy_repeat(x):
    v = x[:5]
    inner = np.repeat(v, 2)
    both = np.tile(np.repeat(v, 2), 3)
    return (
        np.sum(inner**2)
        + np.sum(both * np.arange(30.0))
        + np.sum(np.tile(x[:6].reshape(2, 3), (3, 2)) ** 2)
    )


def zy_trace_fill(x):
    a = x[:16].reshape(4, 4)
    return np.trace(a @ a) + np.sum(np.full((3, 2), x[0]) ** 2)


def zy_dot_kron(x):
    return (
        np.dot(x[:5], x[5:10])
        + np.sum(np.kron(x[:3], x[3:5]) ** 2)
        + np.sum(np.kron(x[:4].reshape(2, 2), x[4:8].reshape(2, 2)))
    )


def zy_map_eachcol(x):
    a = x[:12].reshape(3, 4)
    return sum(np.linalg.norm(a[:, j]) for j in range(a.shape[1])) + sum(map(np.sum, a.T))


def zy_solve_shapes(x):
    a = x[:9].reshape(3, 3) + 3.0 * np.eye(3)
    b = x[9:15].reshape(3, 2)
    return np.sum(np.linalg.solve(a, b)) + np.sum(np.linalg.solve(a, b[:, 0]) ** 2)


def zy_triangular(x):
    lm = np.tril(x[:9].reshape(3, 3)) + 3.0 * np.eye(3)
    y = x[9:15].reshape(3, 2)
    lo = sla.solve_triangular(lm, y, lower=True)
    up = sla.solve_triangular(lm.T, y, lower=False)
    return np.sum(lo**2) + np.sum(up)


def zy_right_division(x):
    a = x[:9].reshape(3, 3) + 3.0 * np.eye(3)
    y = x[9:15].reshape(2, 3)
    return np.sum(np.linalg.solve(a.T, y.T).T ** 2)  # Y / A


def zy_diagonal(x):
    a = x[:16].reshape(4, 4)
    d = x[:4] + 2.0
    return (
        np.sum(np.diag(a) ** 2)
        + np.sum(np.diag(d) @ a)
        + np.sum(np.linalg.solve(np.diag(d), a[:, 0]))
    )


def zy_uniform_scaling(x):
    a = x[:9].reshape(3, 3)
    return (
        np.sum((a + 5 * np.eye(3)) ** 2) + np.sum(5 * np.eye(3) - a) + np.sum(a + x[0] * np.eye(3))
    )


def zy_cholesky(x):
    a = x[:9].reshape(3, 3)
    c = np.linalg.cholesky(a.T @ a + np.eye(3))
    return np.sum(c.T) + 2.0 * np.sum(np.log(np.diag(c)))


def zy_lyap(x):
    a = x[:9].reshape(3, 3) - 4.0 * np.eye(3)
    c = x[9:18].reshape(3, 3)
    c = c @ c.T
    return np.sum(sla.solve_continuous_lyapunov(a, -c))


def zy_expm(x):
    a = 0.3 * x[:9].reshape(3, 3)
    return np.sum(sla.expm(a) * np.arange(9.0).reshape(3, 3))


def zy_distances(x):
    a = x[:12].reshape(3, 4)
    b = ZY_Q[:12].reshape(3, 4)
    sq = np.sum((a[:, :, None] - b[:, None, :]) ** 2, axis=0)  # pairwise, dims=2
    return np.sum(np.sqrt(sq + 1e-3)) + np.sum(np.sqrt(np.sum((a - b) ** 2, axis=0)))


def zy_cat(x):
    a = x[:6].reshape(2, 3)
    b = x[6:12].reshape(2, 3)
    return (
        np.sum(np.concatenate([a, b], axis=0) ** 2 * np.arange(12.0).reshape(4, 3))
        + np.sum(np.stack([a, b], axis=2) ** 3)
        + np.sum(np.hstack([a, b]) * np.arange(12.0).reshape(2, 6))
    )


def zy_logexp(x):
    a = np.abs(x[:9]) + 0.1
    b = x[9:18]
    return (
        np.sum(special.xlogy(a, a))
        + np.sum(np.log1p(np.exp(b)))
        + np.sum(np.logaddexp(a, b))
        + np.sum(np.log(np.exp(a + 1.0) - np.exp(b - 5.0)))
        + special.logsumexp(b)
        + np.sum(special.logsumexp(b.reshape(3, 3), axis=0))
    )


def zy_foo_closure(x):
    def inner(y):
        return y * x[0] + np.sin(y)

    return np.sum(inner(x) ** 2)


def zy_broadcast_fill(x):
    return np.sum(np.exp(np.full(4, 3.0 * x[0]))) + np.sum(
        np.full((2, 3), x[1]) / np.full((3,), x[2] + 2.0)
    )


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(zy_dense_tanh, X24),
    _hvp(zy_dense_batch, X24),
    _hvp(zy_adjoint_mul, X24),
    _hvp(zy_sum_dims, X24),
    _hvp(zy_sum_abs2_dims, X24),
    _hvp(zy_sum_generator, X24),
    _hvp(zy_sum_map_lambda, X24),
    _hvp(zy_prod_dims, X24),
    _hvp(zy_cumsum_dims, X24),
    _hvp(zy_det_logdet, X24),
    _hvp(zy_indexing, X24),
    _hvp(zy_reverse, X24),
    _hvp(zy_permutedims, X24),
    _hvp(zy_repeat, X24),
    _hvp(zy_trace_fill, X24),
    _hvp(zy_dot_kron, X24),
    _hvp(zy_map_eachcol, X24),
    _hvp(zy_solve_shapes, X24),
    _hvp(zy_triangular, X24),
    _hvp(zy_right_division, X24),
    _hvp(zy_diagonal, X24),
    _hvp(zy_uniform_scaling, X24),
    _hvp(zy_cholesky, X24),
    _hvp(zy_lyap, X24),
    _hvp(zy_expm, X24),
    _hvp(zy_distances, X24, jitter=0.0),
    _hvp(zy_cat, X24),
    _hvp(zy_logexp, X24),
    _hvp(zy_foo_closure, X24),
    _hvp(zy_broadcast_fill, X24),
]
