"""Ported cases (session 25, higher25, second batch): second order where a rule's shortcut could
lose it: np.prod/np.cumprod with zero entries, np.linalg.det of a matrix singular in exact
arithmetic (its determinant rounds to ~1e-17: srcad/rules/det_cond.py), np.where whose other
side is nan or inf (sqrt, log, 1/x of the unselected entries), relu/clip/maximum away from their
kinks, the stable softplus / BCE with logits at 0, boolean-mask reads, argsort indexing,
``np.add.at`` with repeated indices, ``y[[0, 2]] += ..``, in-place ``*=``/``/=``/``**=``, a
``while True`` with ``break``, Python lists with min/max/sorted; srcad.value_and_grad, jvp, vjp
and grad of a dict inside; lstsq, qr, fft, cholesky/solve_triangular/cho_factor, eigh with close
eigenvalues, expm, logm/sqrtm, slogdet of a negative-determinant matrix; scipy.special
(polygamma, betaln, erfinv, ndtri, log_ndtr, Bessel, gammainc, xlogy with zero weights) and
scipy.stats log-densities in their parameters.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); all scalar, all checked at
second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla
import scipy.special as sp
import scipy.stats as st

import srcad

from . import Case

R = np.random.default_rng(251)
XD = R.standard_normal((7, 3))
LAB = (np.arange(7) % 2).astype(float)
X0 = np.array([0.5, -0.3, 0.0, 0.8, 0.2, -0.6])
X1 = np.array([0.45, -0.3, 0.15, 0.8, 0.35, -0.6])
X2 = np.array([0.5, 0.0, -0.3, 0.0, 0.2, 0.9])


def prod_zero(x):
    return np.prod(x) + np.prod(x[:3]) ** 2


def prod_two_zeros(x):
    return np.prod(x) * 3.0 + np.sum(np.cumprod(x)) + np.sum(np.cumprod(x) ** 2)


def det_singular(x):
    a = np.outer(x[:3], x[3:]) + np.outer(x[3:], x[:3])  # rank 2: det(a) == 0 for every x
    return np.linalg.det(a) + np.linalg.det(a + np.diag(x[:3])) + sla.det(a) * x[0]


def where_nan_side(x):
    return (
        np.sum(np.where(x > 0, np.sqrt(x), 0.5 * x)) * np.sum(x)
        + np.sum(np.where(x > 0, np.log(x) * x, x) ** 2)
        + np.sum(np.where(np.abs(x) > 0.2, 1.0 / x, 5.0 * x) ** 2)
    )


def kinks_away(x):
    return (
        np.sum(np.maximum(x, 0.0) ** 2 * x)
        + np.sum(np.minimum(x, 0.2) ** 3)
        + np.sum(np.clip(x, -0.5, 0.5) ** 3)
        + np.sum(np.clip(x * 2, -1.0, 1.0) * x)
    )


def softplus_bce(x):
    z = XD @ x[:3] + x[3:].sum()
    sp_ = np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))
    return np.sum(sp_) + np.sum(np.maximum(z, 0) - z * LAB + np.log1p(np.exp(-np.abs(z))))


def masks_and_sorting(x):
    m = x > 0
    idx = np.argsort(x)
    return (
        np.sum(x[m] ** 3) / max(np.sum(m), 1)
        + np.mean(x[~m] ** 2)
        + np.sum(x[idx[:3]] ** 2 * x[idx[3:]])
        + np.sum(np.take(x, [0, 0, 5]) ** 3)
    )


def scatter_and_inplace(x):
    y = np.zeros(3)
    np.add.at(y, [0, 1, 0, 2, 2, 2], x)
    z = np.ones(4)
    z[[0, 2]] += x[:2] ** 2
    z[1:3] *= x[2:4]
    z[3] = z[0] * x[5]
    u = x.copy()
    u *= 2.0
    u[1:] += u[:-1] * 0.5
    u /= 1.0 + x**2
    u **= 2
    return np.sum(y**3) + np.sum(z**2) * x[4] + np.sum(u) + u[3] * u[0]


def loops_lists(x):
    s = 0.0
    i = 0
    while True:
        s = s + np.sin(x[i]) * x[(i + 1) % 6]
        i += 1
        if i >= 6 or s > 3.0:
            break
    xs = [x[k] for k in range(6)]
    m = min(xs[:3]) * max(xs[3:])
    return s**2 + i + m * sum(v**2 for v in xs) + sorted(xs)[2] ** 3


def api_inside(x):
    def g(v):
        return np.sum(np.exp(0.3 * v) * v)

    def h(v):
        return np.tanh(v) * v[::-1]

    def d(p):
        return np.sum(p["a"] ** 2 * p["b"]) + np.sum(np.sin(p["a"]))

    val, gr = srcad.value_and_grad(g)(x)
    out, t = srcad.jvp(h, (x,), (np.ones(6),))
    _, pull = srcad.vjp(h, x)
    gd = srcad.grad(d)({"a": x[:3], "b": x[3:]})
    return (
        val**2
        + np.sum(gr**3)
        + np.sum(out * t)
        + np.sum(pull(np.arange(6.0))[0] ** 2)
        + np.sum(gd["a"] ** 2)
        + np.sum(gd["b"] * x[:3])
    )


def decompositions(x):
    a = np.array([[1.0, 0.5], [0.3, 2.0], [1.0, -1.0]]) + np.outer(x[:3], x[3:5])
    sol = np.linalg.lstsq(a, np.array([1.0, 2.0, 0.5]), rcond=None)[0]
    q, r = np.linalg.qr(a)
    f = np.fft.fft(x)
    return (
        np.sum(sol**2)
        + np.sum(q[:, 0] ** 3)
        + np.sum(np.diag(r) ** 2)
        + r[0, 1] * q[1, 1]
        + np.sum(np.abs(f) ** 2 * np.arange(6))
        + np.sum(np.abs(np.fft.rfft(x * x)))
    )


def cholesky_family(x):
    s = np.eye(3) * 2 + np.outer(x[:3], x[:3]) + np.diag(np.exp(x[3:]))
    L = np.linalg.cholesky(s)
    Li = sla.solve_triangular(L, np.eye(3), lower=True)
    return (
        np.sum(Li**2)
        + np.sum(np.log(np.diag(L)) ** 2)
        + np.sum(sla.cho_solve(sla.cho_factor(s), x[3:]) ** 2)
    )


def spectral_family(x):
    s = np.diag([1.0, 1.0 + 1e-3, 3.0]) + 0.01 * (np.outer(x[:3], x[3:]) + np.outer(x[3:], x[:3]))
    w, V = np.linalg.eigh(s)
    a = np.array([[0.0, x[0], x[1]], [-x[0], 0.0, x[2]], [-x[1], -x[2], 0.0]]) + 0.2 * np.diag(
        x[3:]
    )
    e = sla.expm(a)
    p = np.eye(3) * 1.5 + 0.2 * np.outer(x[:3], x[:3]) + 0.1 * np.diag(x[3:])
    return (
        np.sum(w**3)
        + np.sum(V[:, 2] ** 4)
        + np.sum(e @ np.array([1.0, 0.0, 0.5])) ** 2
        + np.trace(e)
        + np.sum(sla.logm(p) ** 2)
        + np.sum(sla.sqrtm(p) * np.arange(9.0).reshape(3, 3))
    )


def det_signs(x):
    a = np.diag([-2.0, 3.0, 1.0]) + 0.3 * np.outer(x[:3], x[3:])
    s, ld = np.linalg.slogdet(a)
    b = np.diag([2.0, 3.0, 4.0]) + np.outer(x[:3], x[3:])
    return s * np.exp(ld) + ld**2 + np.linalg.det(np.linalg.inv(b)) + np.sum(np.linalg.inv(b @ b.T))


def special_family(x):
    a = np.exp(x) + 0.3
    c = np.array([0.0, 1.0, 0.0, 2.0, 0.5, 0.0])
    return (
        np.sum(sp.polygamma(1, a))
        + np.sum(sp.betaln(a, 2.0 * a))
        + np.sum(sp.erfinv(np.tanh(x) * 0.5))
        + np.sum(sp.ndtri(sp.expit(x)))
        + np.sum(sp.log_ndtr(x))
        + np.sum(sp.xlogy(c, np.exp(x)))
        + np.sum(sp.xlogy(c * x, 2.0 + x**2))
        + np.sum(sp.i0(a))
        + np.sum(sp.kv(1.5, a))
        + np.sum(sp.gammainc(2.0, a))
    )


def stats_family(x):
    return (
        np.sum(st.norm.logpdf(x, loc=0.1, scale=np.exp(x[0])))
        + np.sum(st.t.logpdf(x, df=3.0 + x[1] ** 2))
        + np.sum(st.gamma.logpdf(np.abs(x) + 0.5, a=2.0 + x[2] ** 2))
    )


CASES = [
    Case(prod_zero, (X0,), (0,), extra="hvp"),
    Case(prod_two_zeros, (X2,), (0,), extra="hvp", jitter=0.0),
    Case(det_singular, (X0,), (0,), extra="hvp"),
    Case(where_nan_side, (X1,), (0,), extra="hvp"),
    Case(kinks_away, (X1,), (0,), extra="hvp"),
    Case(softplus_bce, (X1,), (0,), extra="hvp"),
    Case(
        softplus_bce,
        (np.array([0.0, 0.3, -0.2, 0.0, 1.0, -1.0]),),
        (0,),
        extra="hvp",
        name="ported_higher25b.softplus_bce_at0",
    ),
    Case(masks_and_sorting, (X1,), (0,), extra="hvp"),
    Case(scatter_and_inplace, (X1,), (0,), extra="hvp"),
    Case(loops_lists, (X1,), (0,), extra="hvp"),
    Case(api_inside, (X1,), (0,), extra="hvp"),
    Case(decompositions, (X1,), (0,), extra="hvp"),
    Case(cholesky_family, (X1,), (0,), extra="hvp"),
    Case(spectral_family, (X1,), (0,), extra="hvp"),
    Case(det_signs, (X1,), (0,), extra="hvp"),
    Case(special_family, (X1,), (0,), extra="hvp"),
    Case(stats_family, (X1,), (0,), extra="hvp"),
]
