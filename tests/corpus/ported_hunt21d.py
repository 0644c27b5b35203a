"""Ported cases (session 21, hunt21d), written anew after NumPy and Python idioms in users' code:
causal masks by np.tri and boolean writes, scipy.special softmax/log_softmax/expit/logit/xlogy,
rotary embeddings written in place and by strided slices, sliding_window_view, np.pad modes,
take/put_along_axis, argsort/argpartition top-k, where=/nan* reductions, np.average/cov/corrcoef,
ufunc accumulate/reduceat/outer, np.gradient, matrix norms and cond, np.piecewise/np.select,
apply_along_axis, np.vectorize, generators and functools.reduce, complex values and FFTs, polyfit,
kron/tensordot; and aliasing: writes through views, reshapes, transposes, ravel, out= arguments,
repeated indices, nonlocal accumulators, late-binding lambdas, while-else.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar-valued and
checked at second order (``extra="hvp"``) too."""

from __future__ import annotations

import functools
import math
import statistics

import numpy as np
import scipy.special as sp

from . import Case

R = np.random.default_rng(3)
XT = R.standard_normal((4, 6))


def attn_tri_mask(x):
    T = x.shape[0]
    s = x @ x.T / np.sqrt(x.shape[1])
    mask = np.tri(T, dtype=bool)
    s[~mask] = -np.inf
    p = sp.softmax(s, axis=-1)
    return np.sum(p * s.clip(-10, None))


def attn_where_1e9(x):
    T = x.shape[0]
    s = np.einsum("td,sd->ts", x, x)
    s = np.where(np.tril(np.ones((T, T))) == 0, -1e9, s)
    lp = sp.log_softmax(s, axis=1)
    return -np.sum(np.diag(lp))


def rope_inplace(x):
    y = x.copy()
    T, D = y.shape
    half = D // 2
    th = np.arange(T)[:, None] * (1.0 / 100 ** (np.arange(half) / half))[None, :]
    a = y[:, :half].copy()
    b = y[:, half:].copy()
    y[:, :half] = a * np.cos(th) - b * np.sin(th)
    y[:, half:] *= np.cos(th)
    y[:, half:] += a * np.sin(th)
    return np.sum(y**2 * np.arange(D))


def rope_strided(x):
    y = np.empty_like(x)
    th = np.arange(x.shape[0])[:, None] * np.array([1.0, 0.1, 0.01])
    y[:, 0::2] = x[:, 0::2] * np.cos(th) - x[:, 1::2] * np.sin(th)
    y[:, 1::2] = x[:, 0::2] * np.sin(th) + x[:, 1::2] * np.cos(th)
    return np.sum(y[..., None] * y[:, None, :]) + np.sum(y[-1] ** 3)


def sliding_conv(img):
    from numpy.lib.stride_tricks import sliding_window_view

    K = np.arange(9.0).reshape(3, 3) / 10
    w = sliding_window_view(img, (3, 3))
    out = np.einsum("ijkl,kl->ij", w, K)
    return np.sum(np.tanh(out) ** 2)


def pad_conv(img):
    p = np.pad(img, 1, mode="reflect")
    out = p[:-2, 1:-1] + p[2:, 1:-1] + p[1:-1, :-2] + p[1:-1, 2:] - 4 * img
    return np.sum(out**2)


def pad_edge(img):
    p = np.pad(img, ((1, 1), (2, 0)), mode="edge")
    return np.sum(p[1:, 1:] * p[:-1, :-1])


def take_along(x):
    L = x.reshape(4, 3)
    y = np.array([[2], [0], [1], [1]])
    lp = L - sp.logsumexp(L, axis=1, keepdims=True)
    return -np.mean(np.take_along_axis(lp, y, axis=1))


def put_along(x):
    L = x.reshape(4, 3).copy()
    idx = np.argmax(L, axis=1)[:, None]
    np.put_along_axis(L, idx, 0.0, axis=1)
    return np.sum(L**2)


def topk_mean(x):
    k = 3
    idx = np.argsort(x)[-k:]
    return np.mean(x[idx] ** 2)


def argpartition_sum(x):
    idx = np.argpartition(-x, 2)[:2]
    return np.sum(np.exp(x[idx]))


def norm_axis(x):
    X = x.reshape(3, 4)
    n = np.linalg.norm(X, axis=1, keepdims=True)
    Xn = X / n
    return np.sum(Xn @ Xn.T)


def clip_arrays(x):
    lo = np.array([-0.5, -0.2, 0.0, -1.0, -0.3])
    hi = lo + 1.0
    return np.sum(np.clip(x, lo, hi) ** 2 * x)


def expit_logit(x):
    p = sp.expit(x)
    return np.sum(sp.logit(0.1 + 0.8 * p) ** 2) + np.sum(sp.xlogy(p, p) + sp.xlog1py(1 - p, -p))


def ellipsis_einsum(x):
    A = x.reshape(2, 2, 3)
    B = np.einsum("...ij,...kj->...ik", A, A)
    return np.sum(np.linalg.det(B + np.eye(2)))


def gelu_erf(x):
    return np.sum(0.5 * x * (1 + sp.erf(x / np.sqrt(2))))


def silu_swiglu(x):
    X = x.reshape(2, 6)
    a, b = np.split(X, 2, axis=1)
    return np.sum((a * sp.expit(a)) * b)


def mish(x):
    return np.sum(x * np.tanh(np.log1p(np.exp(x))))


def logcosh(x):
    return np.sum(np.logaddexp(x, -x) - np.log(2))


def huber_where(x):
    d = np.abs(x)
    return np.sum(np.where(d < 1.0, 0.5 * x**2, d - 0.5))


def smooth_l1_mask(x):
    d = np.abs(x - 0.3)
    m = d < 0.5
    loss = np.empty_like(d)
    loss[m] = 0.5 * d[m] ** 2 / 0.5
    loss[~m] = d[~m] - 0.25
    return loss.sum()


R = np.random.default_rng(4)


def f_where_kw(x):
    return np.mean(x**2, where=x > 0) + np.sum(x, where=[True, False, True, True, False])


def f_nan(x):
    y = np.where(x > 0.5, np.nan, x)
    return np.nansum(y**2) + np.nanmean(y) + np.nanmax(y)


def f_average(x):
    return (
        np.average(x**2, weights=np.arange(1.0, 6.0))
        + np.average(x.reshape(5, 1) * x, axis=0, weights=x**2).sum()
    )


def f_cov(x):
    X = x.reshape(4, 3)
    C = np.cov(X, rowvar=False)
    return np.sum(C**2) + np.sum(np.corrcoef(X.T))


def f_std(x):
    X = x.reshape(3, 4)
    return np.sum(np.std(X, axis=1, ddof=1)) + np.var(X, ddof=1) + np.std(X[0])


def f_reduce_ufuncs(x):
    return (
        np.sum(np.maximum.accumulate(x) * np.minimum.accumulate(x[::-1]))
        + np.maximum.reduce(x)
        + np.sum(np.subtract.outer(x, x) ** 2)
        + np.sum(np.add.reduceat(x, [0, 2, 3]) ** 2)
    )


def f_multiply_outer(x):
    return (
        np.sum(np.multiply.outer(x, x[:2]) ** 2)
        + np.sum(np.add.accumulate(x) ** 2)
        + np.multiply.reduce(x)
    )


def f_gradient(x):
    g = np.gradient(x, 0.5)
    return (
        np.sum(g**2) + np.trapezoid(x**2, dx=0.5) + np.sum(np.diff(x, prepend=0.0, append=1.0) ** 2)
    )


def f_diff2(x):
    X = x.reshape(3, 4)
    return np.sum(np.diff(X, n=2, axis=1) ** 2) + np.sum(
        np.cumsum(X, axis=0) * np.cumprod(X, axis=1)
    )


def f_norms(x):
    A = x.reshape(3, 3)
    return (
        np.linalg.norm(A, 1)
        + np.linalg.norm(A, np.inf)
        + np.linalg.norm(A, "fro")
        + np.linalg.norm(A, "nuc")
        + np.linalg.norm(A, 2)
        + np.linalg.norm(x, 3)
        + np.linalg.norm(x, -np.inf)
    )


def f_cond(x):
    A = x.reshape(3, 3) + 3 * np.eye(3)
    return np.linalg.cond(A) + np.trace(np.linalg.matrix_power(A, 3)) / 100


def f_median(x):
    return (
        np.median(x) ** 2
        + np.quantile(x, [0.25, 0.75]).sum()
        + np.percentile(x, 40, method="nearest")
    )


def f_piecewise(x):
    y = np.piecewise(x, [x < 0, x >= 0], [lambda t: t**2, lambda t: np.sin(t)])
    z = np.select([x < -0.5, x < 0.5], [x**3, 2 * x], default=np.exp(x))
    return np.sum(y + z)


def f_apply_along(x):
    X = x.reshape(3, 4)
    r = np.apply_along_axis(lambda row: np.sum(row**2) * row[0], 1, X)
    return np.sum(r)


def f_vectorize(x):
    g = np.vectorize(lambda t: t**2 if t > 0 else -t)
    return np.sum(g(x) * x)


def f_genexpr(x):
    s = sum(xi**2 for xi in x if xi > -1)
    p = functools.reduce(lambda a, b: a * b, x[:3], 1.0)
    m = sum(map(lambda t: t * t, x))
    z = sum(a * b for a, b in zip(x, x[1:]))
    return (
        s
        + p
        + m
        + z
        + math.fsum([x[0], x[1] ** 2])
        + math.prod(x[:2])
        + math.hypot(*x[:3])
        + math.dist(x[:2], x[2:4])
    )


def f_statistics(x):
    lst = [float(v) for v in x]
    return statistics.fmean(lst) ** 2 + statistics.mean(lst)


def f_sort_inplace(x):
    y = x.copy()
    y.sort()
    return np.sum(y * np.arange(len(y)))


def f_slice_of_slice(x):
    y = x.copy()
    y[1:][::2] += y[:3] ** 2
    y[::-1][1:3] *= 2
    return np.sum(y**2)


def f_dict_sgd(x):
    params = {"w": x[:3].copy(), "b": x[3]}
    for _ in range(3):
        pred = params["w"] @ np.array([1.0, 2.0, 3.0]) + params["b"]
        g = 2 * (pred - 1.0)
        params["w"] -= 0.01 * g * np.array([1.0, 2.0, 3.0])
        params["b"] -= 0.01 * g
    return sum(np.sum(v**2) for v in params.values())


def f_complex(x):
    z = x[:3] + 1j * x[3:]
    w = z * z.conj() + np.exp(1j * x[:3])
    return np.sum(np.abs(w)) + np.sum(np.angle(z) ** 2) + np.real(np.sum(z**2))


def f_fft(x):
    F = np.fft.fft(x)
    G = np.fft.ifft(F * np.exp(-np.arange(len(x))))
    return (
        np.sum(np.abs(F) ** 2)
        + np.sum(G.real**2)
        + np.sum(np.fft.irfft(np.fft.rfft(x) * 0.5, len(x)) ** 2)
    )


def f_polyval(x):
    c = np.polyfit(np.arange(5.0), x, 2)
    return np.polyval(c, 2.5) + np.sum(np.polyder(c) ** 2) + np.polyval(np.polyint(c), 1.0)


def f_interp(x):
    xp = np.cumsum(np.exp(x))
    return np.sum(np.interp([0.5, 1.5, 3.0], xp, x**2))


def f_roll_tile(x):
    y = np.tile(x, 2) * np.repeat(x, 2)
    return np.sum(np.roll(y, 3) * y) + np.sum(np.flip(x) * np.sort(x)[::-1])


def f_kron_tensordot(x):
    A = x[:4].reshape(2, 2)
    return (
        np.sum(np.kron(A, A.T) ** 2)
        + np.tensordot(A, A, axes=([0, 1], [1, 0]))
        + np.sum(np.inner(A, A))
        + np.vdot(A, A)
    )


def f_triu_idx(x):
    A = np.zeros((4, 4))
    iu = np.triu_indices(4)
    A[iu] = x
    A = A + A.T - np.diag(np.diag(A))
    return np.linalg.slogdet(A @ A.T + np.eye(4))[1]


def f_matrix_fn(x):
    import scipy.linalg as sl

    A = x.reshape(3, 3) * 0.3
    return (
        np.sum(sl.expm(A))
        + np.trace(sl.sqrtm(A @ A.T + np.eye(3))).real
        + np.sum(sl.logm(np.eye(3) + 0.1 * A @ A.T)).real
    )


VEC = [f_multiply_outer]

R = np.random.default_rng(5)


def view_then_write(x):
    y = x.copy()
    v = y[1:]
    y[2] = y[0] ** 2
    return np.sum(v**2)


def reshape_view_write(x):
    y = x.copy()
    m = y.reshape(2, 3)
    m[0, :] *= m[1, :]
    return np.sum(y * np.arange(6))


def transpose_view_write(x):
    A = x.reshape(2, 3).copy()
    B = A.T
    B[0] += B[1] ** 2
    return np.sum(A**2) + np.sum(B)


def alias_assign(x):
    a = x.copy()
    b = a
    b += a**2
    b *= 2
    return np.sum(a)


def list_repeat_alias(x):
    hs = [np.zeros(3)] * 2
    hs[0] += x
    return np.sum(hs[1] * x)


def repeated_idx_set(x):
    y = x.copy()
    idx = np.array([0, 1, 0, 2])
    y[idx] += x[:4] ** 2
    return np.sum(y**2)


def repeated_idx_assign(x):
    y = np.zeros(3)
    y[[0, 0, 1]] = x[:3]
    return np.sum(y * np.array([1.0, 2.0, 3.0])) + y[0] ** 2


def mask_reverse(x):
    y = x.copy()
    m = y > 0
    y[m] = y[m][::-1] * 2
    return np.sum(y**2 * np.arange(len(y)))


def out_kwarg(x):
    a = x.copy()
    b = x[::-1].copy()
    np.add(a, b**2, out=a)
    np.multiply(a, b, out=b)
    np.exp(b, out=b)
    return np.sum(a) + np.sum(b)


def bcast_inplace(x):
    A = np.ones((3, 4))
    A *= x[:4]
    A += x[4:7, None]
    A[1] -= A[0] * A[2]
    return np.sum(A**2)


def late_binding(x):
    fs = [lambda t: t * i for i in range(3)]  # noqa: B023
    gs = [lambda t, i=i: t * i for i in range(3)]
    return sum(f(x[0]) for f in fs) + sum(g(x[1]) ** 2 for g in gs)


def nonlocal_acc(x):
    total = 0.0

    def add(v):
        nonlocal total
        total += v**2

    for xi in x:
        add(xi)
    add(total)
    return total


def while_else(x):
    i = 0
    s = 0.0
    while i < len(x):
        if x[i] > 2.0:
            break
        s += x[i] ** 2
        i += 1
    else:
        s *= 2
    return s


def swap_tuple(x):
    a, b = x[0], x[1]
    for _ in range(3):
        a, b = b, a * b + 1
    y = x.copy()
    y[0], y[1] = y[1], y[0]
    return a + b + y[0] * 3 + y[1]


def swap_rows_tuple(x):
    A = x.reshape(3, 2).copy()
    A[0], A[1] = A[1].copy(), A[0].copy()
    return np.sum(A * np.arange(6).reshape(3, 2))


def swap_rows_views(x):
    A = x.reshape(3, 2).copy()
    A[0], A[1] = A[1], A[0]  # numpy pitfall: both become old A[1]
    return np.sum(A * np.arange(6).reshape(3, 2))


def ravel_write(x):
    A = x.reshape(2, 3).copy()
    f = A.ravel()
    f[0] = 10.0 * f[5]
    return np.sum(A**2)


def flat_write(x):
    A = x.reshape(2, 3).copy()
    A.flat[[1, 4]] = A.flat[[0, 3]] ** 2
    return np.sum(A * A.T.T)


def diag_view(x):
    A = x.reshape(3, 3).copy()
    d = np.einsum("ii->i", A)
    A[np.diag_indices(3)] = np.exp(d)
    np.fill_diagonal(A, A.diagonal() + 1)
    return np.sum(A**2)


def squeeze_view_write(x):
    A = x.reshape(1, 6).copy()
    s = A[0]
    s[::2] = s[1::2] * s[::2]
    return np.sum(A**2)


def array_of_list_of_arrays(x):
    rows = [x[:3], x[3:] ** 2]
    M = np.array(rows)
    rows[0] = rows[0] * 10
    return np.sum(M) + np.sum(rows[0])


def asarray_alias(x):
    y = np.asarray(x)
    z = np.array(x, copy=False) if False else np.asanyarray(x)
    w = x.copy()
    u = np.asarray(w)
    u[0] = 5.0 * w[1]
    return np.sum(w**2) + np.sum(y) + np.sum(z)


CASES = [
    Case(attn_tri_mask, (XT,), (0,), extra="hvp"),
    Case(attn_where_1e9, (XT,), (0,), extra="hvp"),
    Case(rope_inplace, (XT,), (0,), extra="hvp"),
    Case(rope_strided, (XT,), (0,), extra="hvp"),
    Case(sliding_conv, (R.standard_normal((5, 5)),), (0,), extra="hvp"),
    Case(pad_conv, (R.standard_normal((4, 4)),), (0,), extra="hvp"),
    Case(pad_edge, (R.standard_normal((3, 4)),), (0,), extra="hvp"),
    Case(take_along, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(put_along, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(topk_mean, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(argpartition_sum, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(norm_axis, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(clip_arrays, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(expit_logit, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(ellipsis_einsum, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(gelu_erf, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(silu_swiglu, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(mish, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(logcosh, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(huber_where, (R.standard_normal(5) * 2,), (0,), extra="hvp"),
    Case(smooth_l1_mask, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_where_kw, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_nan, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_average, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_cov, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(f_std, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(f_reduce_ufuncs, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_multiply_outer, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(f_gradient, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_diff2, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(f_cond, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(f_median, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_piecewise, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_apply_along, (R.standard_normal(12),), (0,), extra="hvp"),
    Case(f_vectorize, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_genexpr, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_statistics, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_sort_inplace, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_slice_of_slice, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(f_dict_sgd, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(f_complex, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(f_fft, (R.standard_normal(8),), (0,), extra="hvp"),
    Case(f_polyval, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_interp, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(f_roll_tile, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(f_kron_tensordot, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(f_triu_idx, (R.standard_normal(10),), (0,), extra="hvp"),
    Case(f_matrix_fn, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(view_then_write, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(reshape_view_write, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(transpose_view_write, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(alias_assign, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(repeated_idx_set, (R.standard_normal(5),), (0,), extra="hvp"),
    Case(repeated_idx_assign, (R.standard_normal(3),), (0,), extra="hvp"),
    Case(mask_reverse, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(out_kwarg, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(bcast_inplace, (R.standard_normal(7),), (0,), extra="hvp"),
    Case(late_binding, (R.standard_normal(2),), (0,), extra="hvp"),
    Case(nonlocal_acc, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(while_else, (R.standard_normal(4),), (0,), extra="hvp"),
    Case(swap_tuple, (R.standard_normal(3),), (0,), extra="hvp"),
    Case(swap_rows_tuple, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(ravel_write, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(diag_view, (R.standard_normal(9),), (0,), extra="hvp"),
    Case(squeeze_view_write, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(array_of_list_of_arrays, (R.standard_normal(6),), (0,), extra="hvp"),
]
