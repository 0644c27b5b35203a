"""Ported cases (session 36, corp36 np), NumPy, SciPy and `math` calls as users combine them in
losses, with inputs away from kinks: products and cumulative products through a ReLU, a learnable
p-norm, every `np.linalg.norm` order, einsum traces and diagonals, take/put_along_axis, offset
traces and diagonals, matrix powers and polyval, convolution modes, weighted averages and
percentiles, group means by `np.unique` and `np.bincount`, `np.interp` with learnable knots,
`np.gradient`/`np.trapezoid`/`np.cross`, a mix of decompositions (slogdet, eigh, svd, qr, lstsq,
pinv, det, inv), SciPy's expm, cho_solve and special functions, FFT losses, meshgrid fields,
kron/outer/tensordot, running maxima, sorting and partitioning, clip with bounds; modulo and
floor division of arrays and Python numbers (`divmod`, `math.fmod`, `math.remainder`), `frexp`/
`ldexp`, `copysign`, `hypot`, unwrapped phases, powers of every form, ints made from floats.

Float parameters -> float scalars."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg
import scipy.special

from . import Case

R = np.random.default_rng(36004)
A = R.standard_normal((4, 4))
S = A @ A.T + 4 * np.eye(4)
x6 = np.array([0.3, -1.2, 0.05, 0.8, 2.0, -0.4])


def prod_with_zero(x):
    h = np.maximum(x, 0.0)
    return np.prod(h + 0.5) + np.prod(h[[0, 2, 3]]) + np.sum(np.cumprod(h + x))


def cumprod_zero(x):
    return np.sum(np.cumprod(x) * np.arange(1.0, len(x) + 1))


def power_learnable(x, p):
    h = np.maximum(x, 0.0)
    return np.sum(h**p) ** (1.0 / p)


def norms(x, A):
    return (
        np.linalg.norm(x, 1)
        + np.linalg.norm(x, np.inf)
        + np.linalg.norm(A, "fro")
        + np.linalg.norm(A, "nuc")
        + np.linalg.norm(A, 2)
        + np.linalg.norm(A, axis=0) @ np.arange(4.0)
        + np.linalg.norm(A, ord=1)
    )


def einsum_diag(A, B):
    return (
        np.einsum("ii->", A @ B)
        + np.sum(np.einsum("ii->i", A) ** 2)
        + np.sum(np.einsum("...ij,...jk->...ik", A[None], B[None]))
        + np.einsum("ij,ij,i->", A, B, np.diag(A))
    )


def take_put_along(A, x):
    idx = np.argsort(A, axis=1)[:, :2]
    top = np.take_along_axis(A, idx, axis=1)
    B = A.copy()
    np.put_along_axis(B, idx, top * x[:, None], axis=1)
    return np.sum(B**2) + np.sum(top)


def trace_diag_offsets(A):
    return (
        np.trace(A, offset=1) * np.trace(A @ A, offset=-1)
        + np.sum(np.diagonal(A, offset=-1) ** 2)
        + np.sum(np.tril(A, k=-1) * np.triu(A.T, k=1))
    )


def matrix_power_poly(A, p):
    M = np.linalg.matrix_power(A * 0.3, 3)
    return np.sum(M) + np.sum(np.polyval(p, np.diag(A)))


def convolve_modes(x, k):
    return (
        np.sum(np.convolve(x, k, mode="same") ** 2)
        + np.sum(np.convolve(x, k) * 0.3)
        + np.sum(np.correlate(x, k, mode="valid") ** 3)
    )


def stats_misc(x, w):
    return (
        np.average(x, weights=np.exp(w))
        + np.var(x, ddof=1)
        + np.median(x)
        + np.percentile(x, 30)
        + np.std(x * w)
        + np.nanmean(np.where(x > 1.5, np.nan, x))
    )


def groups(x):
    keys = np.array([2, 0, 2, 1, 0, 2])
    u, inv = np.unique(keys, return_inverse=True)
    sums = np.bincount(inv, weights=x)
    counts = np.bincount(inv)
    return np.sum((sums / counts) ** 2) + np.sum(np.sort(x)[::2] * np.array([1.0, 2.0, 3.0]))


def interp_learnable(xp, fp, x):
    return np.sum(np.interp(x, np.cumsum(np.exp(xp)), fp) ** 2)


def grads_trapz(y, h):
    g = np.gradient(y, h)
    return np.trapezoid(g**2, dx=h) + np.sum(np.cross(y[:3], y[3:]))


def linalg_mix(S, b):
    sign, logdet = np.linalg.slogdet(S)
    w, V = np.linalg.eigh(S)
    U, s, Vt = np.linalg.svd(S[:3])
    Q, Rm = np.linalg.qr(S)
    sol = np.linalg.lstsq(S[:, :3], b, rcond=None)[0]
    return (
        logdet
        + np.sum(w**2)
        + np.abs(V[0, 0])
        + np.sum(s)
        + np.sum(np.abs(np.diag(Rm)))
        + np.sum(sol**2)
        + np.sum(np.linalg.pinv(S[:3]) ** 2)
        + np.linalg.det(S) * 1e-3
        + np.sum(np.linalg.inv(S))
    )


def scipy_mix(S, x):
    E = scipy.linalg.expm(0.1 * S)
    c = scipy.linalg.cho_factor(S)
    return (
        np.sum(E)
        + scipy.special.logsumexp(x, b=np.arange(1.0, 7.0))
        + np.sum(scipy.linalg.cho_solve(c, x[:4]))
        + np.sum(scipy.special.gammaln(np.exp(x)))
        + np.sum(scipy.special.expit(x) * scipy.special.log_softmax(x))
        + np.sum(scipy.special.erf(x) + scipy.special.xlogy(np.exp(x), np.exp(x) + 1))
    )


def fft_loss(x):
    F = np.fft.rfft(x)
    P = np.abs(F) ** 2
    y = np.fft.irfft(F * np.exp(-0.1 * np.arange(len(F))), n=len(x))
    return np.sum(P[1:] * np.arange(1, len(P))) + np.sum(y**2) + np.real(np.fft.fft(x)[1])


def meshgrid_field(a, b):
    X, Y = np.meshgrid(np.linspace(-1, 1, 4), np.linspace(0, 1, 3))
    F = np.stack([np.sin(a * X) * Y, np.cos(b * Y) + X], axis=-1)
    return np.sum(F[..., 0] * F[..., 1]) + np.sum(np.linalg.norm(F, axis=-1))


def kron_outer_tensordot(a, B):
    return (
        np.sum(np.kron(B, B.T) * 0.1)
        + np.sum(np.outer(a, a) @ B)
        + np.sum(np.tensordot(B[None] * a[:, None, None], B, axes=2))
    )


def cumsum_ops(x):
    c = np.cumsum(x[::-1])[::-1]
    d = np.diff(x, n=2)
    m = np.maximum.accumulate(x)
    return np.sum(c * x) + np.sum(d**2) + np.sum(m * x) + np.sum(np.minimum.accumulate(x) ** 2)


def sort_partition(x):
    s = np.sort(x)
    p = np.partition(x, 2)[:2]
    t = np.sort(np.vstack([x, x[::-1] * 2]), axis=0)
    return np.sum(s * np.arange(6.0)) + np.sum(p**2) + np.sum(t[1] * t[0])


def clip_ops(x, lo, hi):
    return np.sum(np.clip(x, lo, hi) ** 2) + np.sum(np.clip(x, None, hi) * x)


xs = np.array([-2.7, -0.3, 0.45, 1.8, 3.41])
ys = np.array([1.3, -0.7, -2.2, 0.95, 1.1])


def mods(x, y):
    return (
        np.sum(x % y)
        + np.sum(np.mod(x, 0.7))
        + np.sum(np.fmod(x, y))
        + np.sum(np.remainder(y, x))
        + np.sum(np.floor_divide(x, y) * x)
    )


def py_mods(a, b):
    q, r = divmod(a, b)
    return (
        r * 2
        + q * a
        + math.fmod(a, b) ** 2
        + (a % b) * (b % a)
        + math.modf(a * b)[0]
        + math.remainder(a, b)
    )


def math_misc(a, b):
    m, e = math.frexp(a * 5)
    return (
        math.ldexp(a, 3)
        + m * e
        + math.pow(abs(b), a)
        + math.copysign(a, b)
        + math.trunc(a) * b
        + math.ceil(b) * a
        + math.atan2(b, a)
        + math.hypot(a, b, 1.0)
        + math.log(a * a, 3)
        + math.log2(b * b)
        + math.log10(abs(a * b))
    )


def np_misc(x, y):
    return np.sum(
        np.arctan2(y, x)
        + np.hypot(x, y)
        + np.copysign(x, y)
        + np.cbrt(x)
        + np.exp2(y)
        + np.log2(np.abs(x))
        + np.logaddexp2(x, y)
        + np.sinc(x)
        + np.ldexp(x, 2)
        + np.modf(x * y)[0]
        + np.float_power(np.abs(x), y)
        + np.reciprocal(x)
        + np.fabs(y) * x
        + np.fmax(x, y) * np.fmin(x, y)
        + np.heaviside(x, 0.5) * y
        + np.deg2rad(x)
        + np.i0(y)
    )


def unwrap_angle(x):
    ang = np.angle(np.exp(1j * x * 3.0) * (1 + 0.5j))
    return np.sum(np.unwrap(ang) * np.arange(len(x))) + np.sum(np.abs(x + 1j * x**2))


def pow_forms(x, p):
    return (
        np.sum(np.abs(x) ** p)
        + np.sum(x**3)
        + np.sum(x**-2)
        + np.sum(np.power(x, 2))
        + np.sum(p**x)
        + np.sum(2.0**x)
        + np.sum(np.sign(x) * np.abs(x) ** 0.5)
    )


def int_mix(x):
    n = int(x[0] * 10)
    k = len([v for v in x if v > 0])
    return (
        x[1] * n
        + x[2] ** k
        + sum(i * v for i, v in enumerate(x))
        + round(x[3], 1) * x[3]
        + x[4] // 0.5 * x[4]
    )


CASES = [
    Case(prod_with_zero, (x6,), (0,)),
    Case(cumprod_zero, (np.array([0.5, 2.0, 0.0, 1.5, -1.0]),), (0,)),
    Case(power_learnable, (x6, 2.5), (0, 1)),
    Case(norms, (x6 + 0.1, A), (0, 1)),
    Case(einsum_diag, (A, S), (0, 1), extra="hvp"),
    Case(take_put_along, (A, np.array([1.0, 2.0, 0.5, -1.0])), (0, 1)),
    Case(trace_diag_offsets, (A,), (0,)),
    Case(matrix_power_poly, (A, np.array([0.5, -1.0, 2.0])), (0, 1)),
    Case(convolve_modes, (x6, np.array([0.5, -1.0, 0.25])), (0, 1)),
    Case(stats_misc, (x6 + 0.01, x6 * 0.3), (0, 1)),
    Case(groups, (x6,), (0,)),
    Case(
        interp_learnable,
        (
            np.array([0.1, -0.3, 0.2, 0.0]),
            np.array([1.0, 2.0, 0.5, -1.0]),
            np.array([1.5, 2.2, 3.1]),
        ),
        (0, 1, 2),
    ),
    Case(grads_trapz, (x6, 0.3), (0, 1), extra="hvp"),
    Case(linalg_mix, (S, np.array([1.0, 0.5, -0.5, 2.0])), (0, 1)),
    Case(scipy_mix, (S, x6), (0, 1), extra="hvp"),
    Case(fft_loss, (x6,), (0,), extra="hvp"),
    Case(meshgrid_field, (1.3, 0.7), (0, 1)),
    Case(kron_outer_tensordot, (np.array([0.5, 1.0, -1.0, 0.2]), A), (0, 1)),
    Case(cumsum_ops, (x6,), (0,)),
    Case(sort_partition, (x6,), (0,)),
    Case(clip_ops, (x6, -0.5, 0.9), (0, 1, 2)),
    Case(mods, (xs, ys), (0, 1)),
    Case(py_mods, (2.7, -0.8), (0, 1)),
    Case(py_mods, (-2.7, 0.8), (0, 1), name="ported_corp36_np.py_mods_negative"),
    Case(math_misc, (0.7, -1.3), (0, 1)),
    Case(np_misc, (xs, ys), (0, 1)),
    Case(unwrap_angle, (xs,), (0,)),
    Case(pow_forms, (xs, 1.7), (0, 1)),
    Case(int_mix, (xs + 3.07,), (0,)),
]
