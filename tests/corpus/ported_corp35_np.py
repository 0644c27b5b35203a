"""Ported cases (session 35, hunt35b): NumPy and SciPy calls as other AD tools' test suites
exercise them (autograd's systematic and linear-algebra tests, JAX's lax_numpy tests, Tangent's
control-flow tests), written anew: reductions with ``axis``/``keepdims``/``where=``/``initial=``,
the NaN-skipping reductions, cumulative and ufunc-method forms, fancy and boolean indexing with
index assignment, sorting and ``take_along_axis``, ``polyval``/``convolve``/``correlate`` (a
kernel longer than the signal), ``interp``, ``diff``/``gradient``/``trapezoid``, covariance,
norms of every order, linear algebra on triangles of non-symmetric matrices (``eigh``,
``cholesky``, ``solve_triangular`` read one triangle), matrix powers, and Python control flow
around them. Reductions with ``where=`` over a chain with NaN entries (``np.mean(np.sqrt(x),
where=x > 0)``) had NaN gradients (tests/soundness/test_hunt35b.py). What srcad has no rule for
is recorded as refused; ``scipy.linalg.qr``/``pinv`` were refused and are now lowered as
NumPy's.

Float arrays -> a float or an array each."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from . import Case, refused_when_differentiated

R = np.random.default_rng(35002)
V5 = np.array([0.45, -1.15, 0.8, 1.65, -0.35])
POS = np.array([0.5, -0.3, 1.3, -0.7, 2.0])  # negative entries: masked out below
M34 = R.standard_normal((3, 4))
T234 = R.standard_normal((2, 3, 4))
_B = R.standard_normal((3, 3))
SPD = _B @ _B.T + 3.0 * np.eye(3)
NONSYM = SPD + 0.4 * np.triu(R.standard_normal((3, 3)), 1)
MASK34 = np.array([[1, 0, 1, 1], [0, 1, 1, 0], [1, 1, 0, 1]], dtype=bool)


def masked_moments(x):
    r = np.sqrt(x)
    return np.mean(r, where=x > 0) * np.var(r, where=x > 0) + np.prod(r, where=x > 0)


def masked_extremes(x):
    r = np.log(x) + x
    hi = np.max(r, where=x > 0, initial=-5.0)
    return hi - np.min(np.sqrt(x), where=x > 0, initial=9.0)


def masked_rows(a):
    return np.sum(a * a, axis=1, where=MASK34)[:, None] + np.mean(np.exp(a), axis=0, where=MASK34)


def reduce_initial(a):
    return np.sum(np.sin(a), initial=1.5, where=MASK34) * np.prod(a, axis=1, initial=2.0).sum()


def nan_family(a):
    b = np.where(a > 0.4, np.nan, a)
    return np.nansum(b * b, axis=0).sum() + np.nanmean(b**2) + np.nanmax(b, axis=1).sum()


def cumulative(a):
    return np.cumsum(a, axis=-1) * np.cumprod(a / 3.0 + 1.0, axis=0)


def ufunc_methods(a):
    acc = np.add.accumulate(a, axis=1) + np.maximum.accumulate(a, axis=0)
    return acc.sum() + np.multiply.reduce(a, axis=1).sum() + np.add.outer(a[0], a[1]).sum()


def keepdims_stats(t):
    z = (t - t.mean(axis=(0, 2), keepdims=True)) / t.std(axis=(0, 2), keepdims=True, ddof=1)
    return np.median(z, axis=1).sum() * np.percentile(z, 30, axis=-1)


def fancy_reads(a):
    return a[[2, 0, 2], 1:] * a[np.ix_([0, 1], [3, 3, 0])].sum() + a[a > 0.2].sum()


def index_assign(x):
    y = np.zeros(7)
    y[[0, 3, 5]] = x[:3] ** 2
    y[1:3] += x[3:]
    y[y < 0.3] = 0.5 * x[0]
    np.add.at(y, [6, 6, 2], x[:3])
    return y * np.arange(1.0, 8.0)


def sorted_weights(a):
    s = np.take_along_axis(a, np.argsort(a, axis=1), axis=1)
    return s @ np.linspace(0.0, 1.0, 4) + np.sort(a, axis=0)[-1, :3]


def short_kernel_first(x):
    k = np.array([0.2, -0.5, 1.0, 0.3, 0.1, -0.2])
    return np.convolve(x[:3], k, mode="same") + np.correlate(x[:3], k, mode="same")


def conv_both(x):
    return np.convolve(x, x[::-1] ** 2, mode="valid") + np.correlate(x, x[:2], "full")[:4].sum()


def polyval_grid(x):
    return np.polyval(x[:4], np.reshape(np.linspace(-1.0, 1.0, 6), (2, 3))) + np.polyval(
        [1.0, x[4], 0.5], x[0]
    )


def interp_table(x):
    xp = np.array([-2.0, -0.5, 0.4, 1.1, 2.5])
    return np.interp(x, xp, np.sin(xp)) + np.interp(0.7, xp, x**2, left=0.0)


def differences(x):
    g = np.gradient(x**2, np.array([0.0, 0.4, 1.1, 1.5, 2.6]), edge_order=2)
    return np.diff(x, n=2, prepend=0.0, append=x[-1]) + g + np.ediff1d(x, to_end=x[0])[:5]


def trapezoids(a):
    return np.trapezoid(a**2, x=np.array([0.0, 0.3, 1.0, 1.4]), axis=1)


def covariance(a):
    return np.cov(a, aweights=np.array([1.0, 0.5, 2.0, 1.5])) + np.corrcoef(a[0], a[1] ** 2)[0, 1]


def norms_all(a):
    out = np.linalg.norm(a, "nuc") + np.linalg.norm(a, 2) + np.linalg.norm(a, -2)
    out = out + np.linalg.norm(a, 1) + np.linalg.norm(a, -np.inf) + np.linalg.norm(a[0], 3)
    return out + np.linalg.norm(a, axis=0, ord=-1).sum()


def batched_fro(t):
    return (
        np.linalg.norm(t, "fro", axis=(1, 2)) * np.linalg.norm(t, axis=(0, 2), keepdims=True).sum()
    )


def one_triangle(n):
    w = np.linalg.eigvalsh(n, UPLO="U")
    c = sla.cholesky(n) + np.linalg.cholesky(n)
    return w.sum() + c.sum() + sla.solve_triangular(n, np.ones(3), lower=True).sum()


def sym_solves(n):
    return sla.solve(n, np.arange(1.0, 4.0), assume_a="pos") + np.linalg.solve(n, np.ones(3))


def matrix_powers(a):
    return np.linalg.matrix_power(a, 3) - np.linalg.matrix_power(a, -2) + np.linalg.det(a)


def near_singular(a):
    s = np.outer(a[0], a[0]) + 1e-3 * np.eye(3)
    return np.linalg.det(s) + np.linalg.slogdet(s)[1] + np.trace(np.linalg.pinv(a))


def decompositions(t):
    q, r = np.linalg.qr(t)
    u, s, vt = np.linalg.svd(t, full_matrices=False)
    return (
        np.abs(q).sum()
        + np.abs(np.diag(r)).sum()
        + s.sum()
        + np.linalg.lstsq(t, t[:, 0] ** 2)[0].sum()
    )


def prod_with_zero(x):
    y = x * np.array([1.0, 0.0, 1.0, 1.0, 1.0])
    return np.prod(y) + np.cumprod(y)[-2] + x.sum()


def tangent_style(x):
    s, i = 0.0, 0
    while i < len(x):
        a, b = x[i], x[i - 1]
        if a > b:
            s += a * b
        else:
            s -= np.sin(a)
        i += 1
    for k, v in enumerate(reversed(x)):
        if k == 3:
            break
        s *= 1.0 + 0.1 * v
    return s


def nested_helpers(x):
    def scale(v, c=2.0):
        return v * c

    def chain(v):
        return scale(np.tanh(v), c=v[0]) + scale(v)

    a, (b, c) = x[0], (x[1], x[2])
    return np.sum(chain(x)) * a + b * c


def tensordot_linalg(a):
    return np.linalg.tensordot(a, a, axes=2) if hasattr(np.linalg, "tensordot") else np.sum(a * a)


def scipy_qr(t):
    return sla.qr(t, mode="economic")[1]


def scipy_pinv(t):
    return sla.pinv(t)


def divide_reduce(x):
    return np.divide.reduce(x)


def polyval_matrix_coeffs(x):
    return np.polyval([x, x**2], 0.5)


CASES = [
    Case(masked_moments, (POS,), (0,)),
    Case(masked_extremes, (POS,), (0,)),
    Case(masked_rows, (M34,), (0,)),
    Case(reduce_initial, (M34,), (0,)),
    Case(nan_family, (M34,), (0,)),
    Case(cumulative, (M34,), (0,)),
    Case(ufunc_methods, (M34,), (0,)),
    Case(keepdims_stats, (T234,), (0,)),
    Case(fancy_reads, (M34,), (0,)),
    Case(index_assign, (V5,), (0,)),
    Case(sorted_weights, (M34,), (0,)),
    Case(short_kernel_first, (V5,), (0,)),
    Case(conv_both, (V5,), (0,)),
    Case(polyval_grid, (V5,), (0,)),
    Case(interp_table, (V5,), (0,)),
    Case(differences, (V5,), (0,)),
    Case(trapezoids, (M34,), (0,)),
    Case(covariance, (M34,), (0,)),
    Case(norms_all, (M34,), (0,)),
    Case(batched_fro, (T234,), (0,)),
    Case(one_triangle, (NONSYM,), (0,)),
    Case(sym_solves, (NONSYM,), (0,)),
    Case(matrix_powers, (SPD,), (0,)),
    Case(near_singular, (_B,), (0,)),
    Case(decompositions, (M34.T,), (0,)),
    Case(prod_with_zero, (V5,), (0,)),
    Case(tangent_style, (V5,), (0,)),
    Case(nested_helpers, (V5,), (0,)),
    Case(tensordot_linalg, (M34,), (0,)),
    Case(scipy_qr, (M34.T,), (0,)),
    Case(scipy_pinv, (M34,), (0,)),
    Case(
        divide_reduce,
        (np.abs(V5) + 0.5,),
        (0,),
        xfail=refused_when_differentiated("no rule for the ufunc method np.divide.reduce"),
    ),
    Case(polyval_matrix_coeffs, (V5,), (0,)),  # one polynomial per column (refuse36)
]
