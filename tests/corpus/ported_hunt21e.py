"""Ported cases (session 21, hunt21e), written anew after users' NumPy code: np.subtract.at and
2-D np.add.at, np.copyto with where=, out= arguments of methods and functions, mixed fancy/slice/
mask writes and newaxis writes, 2-D fancy and boolean reads, np.where/np.nonzero positions,
compress/extract/choose; float()/.item()/astype casts, argmin by key and sorted pairs, a Cholesky
with a LinAlgError fallback, recursion over halves, a generator simulation, %/floor/fmod/round
terms, sign/heaviside/copysign, special functions and scipy.stats log densities; and pairwise
distances whose zero diagonal a write sets (np.fill_diagonal, arange/diag_indices/eye-mask
writes, a Matern kernel, an upper-triangle loop plus its transpose) before np.sqrt: forward mode
gave nan there before this session's fix (ad/fpartial.py).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import numpy as np

from . import Case

R = np.random.default_rng(16)


def sub_at(x):
    a = x[:4].copy()
    np.subtract.at(a, [0, 1, 0, 3, 0], x[4:9] ** 2)
    return np.sum(a**2)


def add_at_2d(x):
    A = np.zeros((3, 3))
    np.add.at(A, (np.array([0, 1, 0, 2]), np.array([1, 1, 1, 0])), x[:4])
    return np.sum(A**2) + np.sum(A @ A)


def copyto_where(x):
    a = np.zeros(5)
    np.copyto(a, x[:5] ** 2, where=x[:5] > 0)
    b = x[5:10].copy()
    np.copyto(b, 3.0, where=b < 0)
    return np.sum(a * b)


def method_out(x):
    a = x.copy()
    a.clip(-0.5, 0.5, out=a)
    b = np.empty(10)
    np.cumsum(x, out=b)
    c = np.empty(())
    np.dot(x, a, out=c)
    return np.sum(a * b) + c


def mixed_fancy_write(x):
    A = np.zeros((4, 4))
    A[[0, 2], 1:] = x[:3]
    A[1:3, [0, 3]] += x[3:5, None] if False else x[3:7].reshape(2, 2)
    A[np.array([[0, 1], [2, 3]]), 0] = x[7:9].reshape(1, 2) * 2
    m = A > 0.1
    A[m] *= 3
    A[3][1] += x[9]
    return np.sum(A**2) + np.sum(A * np.arange(16).reshape(4, 4))


def newaxis_write(x):
    A = np.zeros((3, 4))
    A[..., None][:, 1] = x[:3, None]
    A[None, 2, :] = x[3:7]
    return np.sum(A @ A.T)


def fancy_2d_read(x):
    A = x.reshape(2, 5)
    idx = np.array([[0, 4, 4], [1, 1, 2]])
    B = A[:, idx]
    C = A[np.array([1, 0, 1]), np.array([[0], [3]])]
    return np.sum(B**2) + np.sum(C * B[0, :, :1])


def boolean_2d_read(x):
    A = x.reshape(2, 5)
    M = np.array([[True, False, True, True, False], [False, True, True, False, True]])
    return np.sum(A[M] ** 3) + np.sum(A[:, M[0]] * A[:, M[1]])


def where_1arg(x):
    idx = np.where(x > 0)[0]
    nz = np.nonzero(x < 0)
    return np.sum(x[idx] ** 2) + np.sum(x[nz] ** 3) + np.sum(np.take(x, np.flatnonzero(x > 0.5)))


def compress_extract(x):
    return (
        np.sum(np.compress(x > 0, x) ** 2)
        + np.sum(np.extract(x < 0, x) ** 2)
        + np.sum(np.choose([0, 1, 0, 1, 1], [x[:5], x[5:10]]) ** 2)
    )


X = np.array([[0.1, 0.3], [1.0, -0.4], [0.5, 0.9], [-0.7, 0.2]])


def fd_diag(x):
    P = x.reshape(4, 2)
    sq = np.sum(P**2, 1)
    D2 = sq[:, None] + sq[None, :] - 2 * P @ P.T
    D2 = np.maximum(D2, 0.0)
    np.fill_diagonal(D2, 0.0)
    D = np.sqrt(D2)
    return np.sum(np.exp(-D))


def fd_diag2(x):
    P = x.reshape(4, 2)
    diff = P[:, None, :] - P[None, :, :]
    D2 = np.sum(diff**2, -1)
    n = len(P)
    D2[np.arange(n), np.arange(n)] = 0.0
    return np.sum(np.exp(-np.sqrt(D2)))


def fd_diag3(x):
    P = x.reshape(4, 2)
    G = P @ P.T
    d = np.diag(G)
    D2 = d[:, None] + d[None, :] - 2 * G
    D2[np.diag_indices(4)] = 0.0
    return np.sum(np.sqrt(D2) * np.arange(16).reshape(4, 4))


def fd_diag4(x):
    P = x.reshape(4, 2)
    D2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    D2 = D2 + np.eye(4) * 0.0
    D2[np.eye(4, dtype=bool)] = 0.0
    return np.sum(np.sqrt(D2))


def matern(x):
    P = x.reshape(4, 2)
    D2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    np.fill_diagonal(D2, 0.0)
    r = np.sqrt(D2)
    K = (1 + np.sqrt(3) * r) * np.exp(-np.sqrt(3) * r)
    return np.sum(K @ np.ones(4))


def uppertri(x):
    P = x.reshape(4, 2)
    D = np.zeros((4, 4))
    for i in range(4):
        for j in range(i + 1, 4):
            D[i, j] = np.sum((P[i] - P[j]) ** 2)
    D = D + D.T
    return np.sum(np.sqrt(D) ** 3)


R = np.random.default_rng(10)


def float_cast(x):
    a = float(x[0])
    b = x[1].item()
    c = np.float64(x[2])
    d = x.astype(np.float64)
    e = x.tolist()
    return a**2 + b * a + c**3 + np.sum(d**2) + sum(e) * e[0]


def argmin_key(x):
    i = min(range(len(x)), key=lambda k: x[k])
    j = int(np.argmax(x))
    s = sorted(zip(x, range(len(x))), key=lambda t: t[0])
    return x[i] ** 2 + x[j] ** 3 + s[1][0] * s[2][0]


def try_chol(x):
    A = x.reshape(3, 3)
    A = A @ A.T
    try:
        L = np.linalg.cholesky(A - 5.0 * np.eye(3))
        return np.sum(np.log(np.diag(L)))
    except np.linalg.LinAlgError:
        L = np.linalg.cholesky(A + 1e-3 * np.eye(3))
        return 2 * np.sum(np.log(np.diag(L)))


def recursive_tree(x):
    def f(a, depth):
        if depth == 0:
            return np.sum(a**2)
        m = len(a) // 2
        return f(a[:m] * 1.1, depth - 1) + f(np.sin(a[m:]), depth - 1)

    return f(x, 2)


def gen_sim(x):
    def steps(y, n):
        for _ in range(n):
            y = y - 0.1 * np.cos(y)
            yield y

    tot = 0.0
    for y in steps(x, 5):
        tot = tot + np.sum(y**2)
    return tot


def int_mix(x):
    n = len(x)
    s = 0
    for i in range(n):
        s += i * x[i] // 1 * 0 + x[i] ** 2 / (i + 1)
    return s + n


def mod_floor(x):
    return (
        np.sum((x % 1.0) ** 2)
        + np.sum(np.floor(x) * x)
        + np.sum(np.fmod(x, 0.7))
        + np.sum(np.remainder(x, 0.3) * x)
    )


def round_ops(x):
    return np.sum(np.round(x, 1) * x) + np.sum(np.trunc(x) * x**2) + np.sum(np.rint(x * 3) * x)


def heaviside_sign(x):
    return (
        np.sum(np.sign(x) * x**2) + np.sum(np.heaviside(x, 0.5) * x) + np.sum(np.copysign(x**2, -x))
    )


def hypot_arctan2(x):
    return np.sum(np.hypot(x[:3], x[3:])) + np.sum(np.arctan2(x[:3], x[3:]) ** 2)


def special_funcs(x):
    import scipy.special as sp

    return (
        np.sum(sp.gammaln(np.exp(x)))
        + np.sum(sp.digamma(np.exp(x) + 1))
        + np.sum(sp.erfc(x))
        + np.sum(sp.log_ndtr(x))
        + np.sum(sp.softplus(x) if hasattr(sp, "softplus") else np.log1p(np.exp(x)))
    )


def stats_logpdf(x):
    from scipy import stats

    return (
        np.sum(stats.norm.logpdf(x, loc=0.3, scale=1.5))
        + np.sum(stats.t.logpdf(x, df=4.0))
        + np.sum(stats.gamma.logpdf(np.exp(x), a=2.0))
        + np.sum(stats.beta.logpdf(1 / (1 + np.exp(-x)), 2.0, 3.0))
    )


CASES = [
    Case(sub_at, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(add_at_2d, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(copyto_where, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(method_out, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(mixed_fancy_write, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(newaxis_write, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(fancy_2d_read, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(boolean_2d_read, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(where_1arg, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(compress_extract, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(fd_diag, (X.ravel(),), (0,), extra="hvp"),
    Case(fd_diag2, (X.ravel(),), (0,), extra="hvp"),
    Case(fd_diag3, (X.ravel(),), (0,), extra="hvp"),
    Case(fd_diag4, (X.ravel(),), (0,), extra="hvp"),
    Case(matern, (X.ravel(),), (0,), extra="hvp"),
    Case(uppertri, (X.ravel(),), (0,), extra="hvp"),
    Case(float_cast, (R.standard_normal(3),), (0,), extra="hvp"),
    Case(argmin_key, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(try_chol, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(recursive_tree, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(gen_sim, (R.standard_normal(3),), (0,), extra="hvp"),
    Case(int_mix, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(mod_floor, (R.standard_normal(5) * 3,), (0,), extra="hvp"),
    Case(round_ops, (R.standard_normal(5) * 3,), (0,), extra="hvp"),
    Case(heaviside_sign, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(hypot_arctan2, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(special_funcs, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(stats_logpdf, (R.standard_normal(4),), (0,), extra="hvp"),
]
