"""Ported cases (session 20, hunt20d), written anew after NumPy and Python idioms in users' numeric code:
row and column swaps by fancy indexing, np.interp (values and query points), np.polyfit/polyval,
a mix of np.linalg (det, inv, svd, eigvalsh, qr, slogdet, matrix_power, pinv, eigh vectors,
eigvals, lstsq), np.add.at and np.bincount with weights, cumprod/maximum.accumulate/ptp, einsum,
cross/kron/outer/tensordot, in-place sort, reversed cumsums, masked and out= writes, put/take, a
helper updating its argument in place, %, fmod, //, divmod, astype(int)/float()/int()/round()
as constants, norms and statistics (std ddof, percentile, quantile, median, nanmean, weighted
average), binary ufuncs, complex arithmetic (conj, angle, real/imag), late-binding lambdas,
sorted/max with a key; and this session's fix: entries patched where a formula is singular
(``r[np.isnan(r)] = 0``, ``r[~np.isfinite(r)] = 0``, np.select over singular branches, a clamp
written ``y[y < 0] = 0`` before np.sqrt/np.arccos: nan derivatives before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

M4 = np.random.default_rng(0).standard_normal((4, 4))
V6 = np.array([0.1, 0.5, 0.2, 0.9, 0.3, 0.6])
V8 = np.array([0.37, -0.61, 0.74, 1.3, -0.2, 0.9, 0.15, 0.55])


def swap_rows_view(A):
    A = A.copy()
    A[[0, 2]] = A[[2, 0]]
    A[:, [1, 3]] = A[:, [3, 1]]
    A[1], A[3] = A[3].copy(), A[1].copy()
    return np.sum(A * np.arange(16.0).reshape(4, 4))


def interp_poly(x):
    xs = np.linspace(0, 1, 6)
    y = np.interp(np.array([0.15, 0.5, 0.77]), xs, x)
    c = np.polyfit(xs, x, 2)
    return np.sum(y**2) + np.polyval(c, 0.3) + np.sum(c)


def interp_xq(q):
    xs = np.linspace(0, 1, 6)
    ys = np.sin(3 * xs)
    return np.sum(np.interp(q, xs, ys) ** 2)


def linalg_mix(A):
    M = A + 4 * np.eye(4)
    d = np.linalg.det(M)
    Mi = np.linalg.inv(M)
    s = np.linalg.svd(M, compute_uv=False)
    w = np.linalg.eigvalsh(M + M.T)
    Q, R = np.linalg.qr(M)
    sl, ld = np.linalg.slogdet(M)
    return d * 0.01 + np.sum(Mi) + s[0] + w[-1] + np.sum(np.abs(np.diag(R))) + ld


def lstsq_fit(p):
    X = np.vander(np.linspace(0, 1, 7), 3)
    y = np.exp(p[0] * np.linspace(0, 1, 7)) + p[1]
    c, *_ = np.linalg.lstsq(X, y, rcond=None)
    return np.sum(c**2)


def add_at(x):
    idx = np.array([0, 2, 2, 1, 0, 3])
    out = np.zeros(4)
    np.add.at(out, idx, x)
    return np.sum(out**2)


def bincount_w(x):
    idx = np.array([0, 2, 2, 1, 0, 3])
    return np.sum(np.bincount(idx, weights=x) ** 2)


def cumprod_etc(x):
    return np.sum(np.cumprod(x)) + np.prod(x[1:]) + np.sum(np.maximum.accumulate(x)) + np.ptp(x)


def einsum_mix(A):
    B = A.reshape(2, 3, 2)
    return (
        np.einsum("ijk,ijk->", B, B)
        + np.einsum("ij,jk->ik", A, A.T).trace()
        + np.einsum("ii", A[:2, :2])
    )


def kron_cross(x):
    a = x[:3]
    b = x[3:]
    return (
        np.sum(np.cross(a, b) ** 2)
        + np.sum(np.kron(a, b))
        + np.sum(np.outer(a, b) ** 2)
        + np.tensordot(a, b, 1)
    )


def sort_inplace(x):
    y = x.copy()
    y.sort()
    return np.sum(y * np.arange(len(y))) + np.sum(np.argsort(x) * x)


def cumsum_rev(x):
    return np.sum(np.cumsum(x[::-1])[::-1] ** 2) + np.sum(np.flip(np.cumsum(np.flip(x))) * x)


def masked_assign(x):
    y = x.copy()
    y[y < 0] = 0.0
    y[y > 1] *= 2
    return np.sum(y**2)


def where_inplace(x):
    y = x.copy()
    np.clip(y, -0.5, 0.5, out=y)
    return np.sum(y**3)


def put_take(x):
    y = np.zeros(8)
    np.put(y, [1, 3, 5], x[:3])
    return np.sum(np.take(y, [1, 1, 5]) * x[3:6]) + np.sum(y)


def step_inplace(u, r):
    u[1:-1] += r * (u[2:] - 2 * u[1:-1] + u[:-2])


def heat_helper(u0):
    u = u0.copy()
    for _ in range(5):
        step_inplace(u, 0.2)
    return np.sum(u * np.arange(len(u)))


def mods(x):
    a = x[0] % 1.0
    b = np.fmod(x[1], 0.7)
    c = np.remainder(x, 0.9)
    d = x[2] // 0.3
    q, r = divmod(x[3], 0.4)
    return a * 2 + b**2 + np.sum(c**2) + d * x[0] + r * q + math.fmod(x[0], 0.25)


def astype_stop(x):
    k = (x * 3).astype(int)
    f = float(x[0])
    i = int(x[1] * 10)
    return np.sum(k * x) + f**2 + i * x[2] + round(x[2], 2) * x[0] + math.floor(x[1] * 4) * x[1]


def stats(x):
    A = x.reshape(2, 4)
    return (
        np.std(x, ddof=1)
        + np.var(A, axis=0).sum()
        + np.percentile(x, 30)
        + np.quantile(x, [0.2, 0.9]).sum()
        + np.median(x)
        + np.nanmean(A)
        + np.average(x, weights=np.arange(1.0, 9.0))
    )


def ufunc_mix(x):
    a, b = x[:4], x[4:]
    return np.sum(
        np.logaddexp(a, b)
        + np.hypot(a, b)
        + np.arctan2(a, b)
        + np.sinc(a)
        + np.copysign(a, b)
        + np.fmax(a, b)
        + np.fmin(a, b)
        + np.expm1(a)
        + np.log1p(b**2)
        + np.cbrt(a)
        + np.arcsinh(b)
        + np.logaddexp2(a, b)
    )


def linalg2(A):
    M = A + 3 * np.eye(3)
    P = np.linalg.matrix_power(M, 3)
    Pi = np.linalg.pinv(M[:, :2])
    w, V = np.linalg.eigh(M + M.T)
    ev = np.linalg.eigvals(M @ M.T)
    return (
        np.sum(P) * 0.01
        + np.sum(Pi**2)
        + np.sum(V[:, 0] ** 2 * w)
        + np.sum(np.abs(V[0] * V[1]))
        + np.sum(ev.real)
    )


def complex_ops(x):
    z = x[:3] + 1j * x[3:]
    w = z * np.conj(z[::-1]) + np.exp(1j * x[:3])
    return np.sum(np.real(w) ** 2) + np.sum(np.imag(w)) + np.sum(np.angle(z)) + np.abs(np.sum(z**2))


def late_binding(x):
    fs = [lambda t: t * i for i in range(3)]  # noqa: B023 (late binding: all use i=2)
    gs = [lambda t, i=i: t * i for i in range(3)]
    return sum(f(x[0]) for f in fs) + sum(g(x[1]) for g in gs)


def sorted_elems(x):
    s = sorted(x, reverse=True)
    m = max(x[:3], key=lambda t: t * t)
    return s[0] * 3 + s[1] * 2 + s[-1] + m


# -- patches of singular entries (nan derivatives before hunt20's fix) -----------------------------
ZEROS = np.array([1.0, 0.0, 2.0, 0.0])


def patch_isnan(x):
    a = x[:4] * np.array([1.0, 0.0, 1.0, 0.0])
    b = x[4:] * ZEROS
    with np.errstate(invalid="ignore", divide="ignore"):
        r = a / b
    r[np.isnan(r)] = 0.0
    return np.sum(r**2)


def patch_nonfinite(x):
    b = x[4:] * ZEROS
    with np.errstate(divide="ignore"):
        r = 1.0 / b
    r[~np.isfinite(r)] = 0.0
    return np.sum(r) + np.sum(x**2)


def select_branches(x):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.sum(np.select([x > 1, x > 0], [np.sqrt(x - 1), np.log(x)], default=x**2))


def clamp_by_mask(x):
    y = x.copy()
    y[y < 0] = 0.0
    c = x * 0.8
    c[np.where(c > 1)] = 1.0
    c[c < -1] = -1.0
    return np.sum(np.sqrt(y) * x) + np.sum(np.arccos(c))


CASES = [
    Case(swap_rows_view, (M4,), (0,), extra="hvp"),
    Case(interp_poly, (V6,), (0,), extra="hvp"),
    Case(interp_xq, (np.array([0.13, 0.52, 0.91]),), (0,), extra="hvp"),
    Case(linalg_mix, (M4,), (0,), extra="hvp"),
    Case(lstsq_fit, (np.array([0.5, 0.2]),), (0,), extra="hvp"),
    Case(add_at, (V6,), (0,), extra="hvp"),
    Case(bincount_w, (V6,), (0,), extra="hvp"),
    Case(cumprod_etc, (V6,), (0,), extra="hvp"),
    Case(einsum_mix, (np.random.default_rng(0).standard_normal((3, 4)),), (0,), extra="hvp"),
    Case(kron_cross, (V6,), (0,), extra="hvp"),
    Case(sort_inplace, (V6,), (0,), extra="hvp"),
    Case(cumsum_rev, (V6,), (0,), extra="hvp"),
    Case(masked_assign, (np.array([0.1, -0.5, 1.2, 0.9, 1.3, -0.6]),), (0,), extra="hvp"),
    Case(where_inplace, (np.array([0.1, -0.7, 1.2, 0.4, 0.3, -0.6]),), (0,), extra="hvp"),
    Case(put_take, (np.array([0.1, -0.7, 1.2, 0.4, 0.3, -0.6]),), (0,), extra="hvp"),
    Case(heat_helper, (np.sin(np.linspace(0, 3, 8)),), (0,), extra="hvp"),
    Case(mods, (np.array([1.37, 2.11, 0.77, 1.55]),), (0,), extra="hvp"),
    Case(astype_stop, (np.array([0.37, 0.61, 0.74]),), (0,), extra="hvp"),
    Case(stats, (V8,), (0,), extra="hvp"),
    Case(ufunc_mix, (V8,), (0,), extra="hvp"),
    Case(linalg2, (np.random.default_rng(1).standard_normal((3, 3)),), (0,), extra="hvp"),
    Case(complex_ops, (V8[:6],), (0,), extra="hvp"),
    Case(late_binding, (np.array([0.37, -0.61]),), (0,), extra="hvp"),
    Case(sorted_elems, (np.array([0.37, -0.61, 1.1, 0.2]),), (0,), extra="hvp"),
    Case(patch_isnan, (V8,), (0,), extra="hvp"),
    Case(patch_nonfinite, (V8,), (0,), extra="hvp"),
    Case(select_branches, (np.array([-0.3, 0.7, 2.1, 0.4, 3.0]),), (0,), extra="hvp"),
    Case(clamp_by_mask, (np.array([-0.3, 0.7, 2.1, 0.4, 3.0]),), (0,), extra="hvp"),
]
