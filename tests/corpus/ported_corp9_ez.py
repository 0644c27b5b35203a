"""Ported cases (session 9, corp9), written anew as user code:
Enzyme's integration programs and PyTorch's test_autograd functions
as NumPy user code.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math  # noqa: F401

import numpy as np
import scipy.linalg as sla  # noqa: F401
from scipy import special  # noqa: F401

from . import Case

R = np.random.default_rng(15200015)
X24 = np.round(R.standard_normal(24) * 0.5, 3)
X20 = np.round(R.standard_normal(20) * 0.6, 3)


def ez_insertsort_sum(x):
    a = x.copy()
    n = a.shape[0]
    for i in range(1, n):
        j = i
        while j > 0 and a[j - 1] < a[j]:
            tmp = a[j]
            a[j] = a[j - 1]
            a[j - 1] = tmp
            j -= 1
    total = 0.0
    for i in range(n // 2):
        total += a[i]
    return total


def ez_insertsort_list(x):
    a = [float(v) for v in x]
    for i in range(1, len(a)):
        j = i
        while j > 0 and a[j - 1] < a[j]:
            a[j], a[j - 1] = a[j - 1], a[j]
            j -= 1
    return sum(a[: len(a) // 2]) + a[0] * a[-1]


def ez_manymax(x):
    m = x[0]
    for v in x[1:]:
        m = max(m, v)
    return m * m + max(x[0], x[1], x[2])


def ez_mycos(x):
    # Taylor series of cos, summed until the terms are negligible
    def mycos(v):
        total = 0.0
        term = 1.0
        n = 0
        while abs(term) > 1e-12:
            total += term
            n += 2
            term = -term * v * v / (n * (n - 1))
        return total

    return sum(mycos(float(v)) for v in x[:4])


def ez_sumtil(x):
    total = 0.0
    i = 0
    while i < x.shape[0]:
        total += x[i] * x[i]
        if total > 2.0:
            break
        i += 1
    return total


def ez_loops_nested(x):
    n = 3
    a = x[:9].reshape(n, n)
    total = 0.0
    for i in range(n):
        for j in range(n):
            for k in range(j + 1):
                total += a[i, j] * a[j, k] * 0.5
    return total


def ez_manydiv(x):
    v = x[0] + 3.0
    for i in range(1, 6):
        v = v / (1.0 + 0.1 * i * x[i % x.size] ** 2)
    return v


def ez_integrate_exp(x):
    # explicit Euler for y' = -k y, k and y0 differentiable
    k, y = 1.0 + 0.1 * x[0], 1.0 + x[1]
    dt = 0.01
    t = 0.0
    while t < 0.5:
        y = y + dt * (-k * y)
        t += dt
    return y


def ez_fixed_point(x):
    # Babylonian square root to convergence
    a = x[0] ** 2 + 1.0
    g = a
    for _ in range(60):
        new = 0.5 * (g + a / g)
        if abs(new - g) < 1e-14:
            break
        g = new
    return g * x[1]


def ez_newton_inversion(x):
    # solve exp(y) + y = c for y by Newton, c depending on x
    c = 2.0 + x[0] ** 2
    y = 0.0
    for _ in range(30):
        f = math.exp(y) + y - c
        y = y - f / (math.exp(y) + 1.0)
    return y


def ez_entropy(x):
    gamma = 1.4
    u = np.array([1.2, 0.3, -0.2, 0.1, 3.0]) + 0.05 * x[:5]
    rho = u[0]
    kin = 0.5 * (u[1] ** 2 + u[2] ** 2 + u[3] ** 2) / rho
    p = (gamma - 1.0) * (u[4] - kin)
    s = math.log(p) - gamma * math.log(rho)
    return -rho * s / (gamma - 1.0)


def ez_fwdsolve(x):
    n = 4
    lm = np.tril(x[:16].reshape(n, n)) * 0.3 + 2.0 * np.eye(n)
    b = x[:4]
    out = [0.0] * n
    for i in range(n):
        s = b[i]
        for j in range(i):
            s -= lm[i, j] * out[j]
        out[i] = s / lm[i, i]
    return sum(v * v for v in out)


def ez_taylorlog(x):
    # log(1 + v) by its series, v in (-1, 1)
    v = 0.4 * math.tanh(x[0])
    total = 0.0
    for i in range(1, 40):
        total += (-1) ** (i + 1) * v**i / i
    return total


def ez_frexp(x):
    m, e = math.frexp(3.0 + x[0] ** 2)
    return m * 2.0**e + m


def ez_multivecmax(x):
    a = x[:6].reshape(2, 3)
    return sum(max(row) for row in a) + float(np.max(a))


def ez_readwriteread(x):
    buf = np.zeros(3)
    buf[0] = x[0]
    buf[1] = buf[0] * x[1]
    buf[0] = buf[1] * buf[0]
    buf[2] = buf[0] + buf[1]
    return buf[2] * buf[0]


def ez_recursion(x):
    def power(v, n):
        if n == 0:
            return 1.0
        return v * power(v, n - 1)

    return power(x[0], 5) + power(x[1], 2)


def pt_prod_zeros(x):
    a = x.copy()
    a[1] = 0.0
    a[4] = 0.0
    b = x.copy()
    b[2] = 0.0
    return np.prod(a[:3]) + np.prod(b) + np.prod(x[5:9].reshape(2, 2), axis=0).sum()


def pt_cumprod_zeros(x):
    a = x[:6].copy()
    a[2] = 0.0
    return np.sum(np.cumprod(a) * np.arange(1.0, 7.0)) + np.sum(
        np.cumprod(x[6:12].reshape(2, 3), axis=1)
    )


def pt_pow_zero(x):
    z = x * 0.0
    return np.sum(z**2 + 3.0 * x) + np.sum(x**0.0) + np.sum(np.power(np.abs(x) + 0.5, x))


def pt_sinc(x):
    a = x.copy()
    a[0] = 0.0
    return np.sum(np.sinc(a)) + np.sum(np.sinc(x))


def pt_norm_variants(x):
    a = x[:6].reshape(2, 3)
    return (
        np.linalg.norm(a)
        + np.linalg.norm(x, 1)
        + np.linalg.norm(x, np.inf)
        + np.sum(np.linalg.norm(a, axis=1, ord=3))
    )


def pt_std_var_mean(x):
    a = x[:12].reshape(3, 4)
    return np.std(a) + np.sum(np.var(a, axis=0, ddof=1)) + np.sum(np.mean(a, axis=1) ** 2)


def pt_atan2_hypot(x):
    return np.sum(np.arctan2(x[:6], x[6:12] + 2.0)) + np.sum(np.hypot(x[:6], x[6:12]))


def pt_where_masked_fill(x):
    a = np.where(x > 0.2, x**2, -x)
    b = x.copy()
    b[x < -0.3] = 0.0
    return np.sum(a) + np.sum(b**3)


def pt_index_put(x):
    a = np.zeros(8)
    a[[1, 3, 5]] = x[:3]
    a[2:4] += x[3:5]
    np.add.at(a, [0, 0, 7], x[5:8])
    return np.sum(a**2)


def pt_cat_stack(x):
    a = np.concatenate([x[:3], x[3:5] ** 2, np.sin(x[5:9])])
    b = np.stack([x[:4], x[4:8]], axis=1)
    return np.sum(a * np.arange(9.0)) + np.sum(b[:, 0] * b[:, 1])


def pt_trapz_cdist(x):
    a = x[:6].reshape(3, 2)
    b = x[6:12].reshape(3, 2)
    d = np.sqrt(np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1))
    return np.trapezoid(x[:8] ** 2) + np.sum(d)


def pt_lerp_copysign(x):
    lerp = x[:4] + 0.3 * (x[4:8] - x[:4])
    return np.sum(lerp**2) + np.sum(np.copysign(x[:4] + 3.0, x[4:8]))


def pt_logsumexp_softmax(x):
    a = x[:12].reshape(3, 4)
    m = np.max(a, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(a - m), axis=1)) + m[:, 0]
    sm = np.exp(a - lse[:, None])
    return np.sum(lse) + np.sum(sm[:, 0] ** 2)


def pt_renorm_clamp(x):
    a = x[:12].reshape(3, 4)
    nrm = np.linalg.norm(a, axis=1, keepdims=True)
    scale = np.where(nrm > 1.0, 1.0 / nrm, 1.0)
    return np.sum((a * scale) ** 2) + np.sum(np.clip(x, -0.5, 0.5) * x)


def pt_max_unique(x):
    a = x[:12].reshape(3, 4)
    return np.sum(np.max(a, axis=1)) + np.sum(np.min(a, axis=0)) + np.max(x) * np.min(x)


def pt_unbind_split(x):
    parts = np.split(x[:12], 3)
    rows = list(x[12:18].reshape(2, 3))
    return sum(np.sum(p**2) * (i + 1) for i, p in enumerate(parts)) + sum(np.prod(r) for r in rows)


def pt_diagonal_triu(x):
    a = x[:16].reshape(4, 4)
    return (
        np.sum(np.diagonal(a, 1) ** 2)
        + np.sum(np.triu(a, -1) * np.tril(a.T))
        + np.trace(np.fliplr(a))
    )


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(ez_insertsort_sum, X20, jitter=0.0),
    _hvp(ez_insertsort_list, X20, jitter=0.0),
    _hvp(ez_manymax, X20, jitter=0.0),
    _hvp(ez_mycos, X20, jitter=0.0),
    _hvp(ez_sumtil, X20, jitter=0.0),
    _hvp(ez_loops_nested, X20),
    _hvp(ez_manydiv, X20),
    _hvp(ez_integrate_exp, X20, jitter=0.0),
    _hvp(ez_fixed_point, X20, jitter=0.0),
    _hvp(ez_newton_inversion, X20),
    _hvp(ez_entropy, X20),
    _hvp(ez_fwdsolve, X20),
    _hvp(ez_taylorlog, X20),
    _hvp(ez_frexp, X20, jitter=0.0),
    _hvp(ez_multivecmax, X20, jitter=0.0),
    _hvp(ez_readwriteread, X20),
    _hvp(ez_recursion, X20),
    _hvp(pt_prod_zeros, X20),
    _hvp(pt_cumprod_zeros, X20),
    _hvp(pt_pow_zero, X20),
    _hvp(pt_sinc, X20),
    _hvp(pt_norm_variants, X20, jitter=0.0),
    _hvp(pt_std_var_mean, X20),
    _hvp(pt_atan2_hypot, X20),
    _hvp(pt_where_masked_fill, X20, jitter=0.0),
    _hvp(pt_index_put, X20),
    _hvp(pt_cat_stack, X20),
    _hvp(pt_trapz_cdist, X20),
    _hvp(pt_lerp_copysign, X20, jitter=0.0),
    _hvp(pt_logsumexp_softmax, X20),
    _hvp(pt_renorm_clamp, X20, jitter=0.0),
    _hvp(pt_max_unique, X20, jitter=0.0),
    _hvp(pt_unbind_split, X20),
    _hvp(pt_diagonal_triu, X20),
]
