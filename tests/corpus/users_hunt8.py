"""User-style programs of soundness hunt 8, accepted and right: Newton/secant/fixed-point
iterations with tolerances, quadrature (Gauss-Legendre, Simpson), Hermite spline evaluation with
``np.searchsorted``, sorting statistics (median, trimmed mean, top-k, partition), NumPy linear
algebra and scipy.special/scipy.stats likelihoods in losses, FFT convolution and complex
intermediates, itertools (zip with ``count``, product, compress, accumulate, combinations), list
edits, iterators, dicts of functions and lists of layer objects, namedtuple ops. Checked forward,
reverse and (``extra="hvp"``) at second order (tests/corpus/test_second_order.py)."""

from __future__ import annotations

import itertools
import math
import operator
from collections import namedtuple

import numpy as np
import scipy.special as sp
import scipy.stats as st

from . import Case

X8 = np.array([0.3, -0.7, 1.05, 0.45, 0.9, -0.2, 0.6, 0.15])
A0 = np.array([[3.0, 0.5, 0.2], [0.5, 2.0, -0.3], [0.2, -0.3, 1.5]])
XS = np.array([0.0, 0.5, 1.2, 2.0, 3.1])
P3 = namedtuple("P3", "a b c")


def newton_sqrt(x):
    a = x[2] ** 2 + 1.0
    y = 1.0
    dx = 1.0
    while abs(dx) > 1e-12:
        dx = (y * y - a) / (2 * y)
        y = y - dx
    return y * x[0]


def kepler(x):
    M, e = 1.0 + x[0], 0.3 + 0.1 * x[1]
    E = M
    for _ in range(50):
        d = (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
        E -= d
        if abs(d) < 1e-13:
            break
    return E


def fixed_point_cos(x):
    a = 0.5 + 0.1 * x[0]
    z = 0.0
    for _ in range(200):
        z_new = math.cos(a * z)
        if abs(z_new - z) < 1e-14:
            break
        z = z_new
    return z


def secant_cubic(x):
    c = 2.0 + x[1]

    def f(t):
        return t**3 + t - c

    t0, t1 = 0.0, 1.0
    while abs(t1 - t0) > 1e-13:
        t0, t1 = t1, t1 - f(t1) * (t1 - t0) / (f(t1) - f(t0))
    return t1


def gauss_legendre(x):
    nodes, weights = np.polynomial.legendre.leggauss(6)
    a, b = 0.0, 1.0 + x[0] ** 2
    t = 0.5 * (b - a) * nodes + 0.5 * (a + b)
    return 0.5 * (b - a) * np.sum(weights * np.exp(-x[1] * t**2))


def simpson(x):
    n = 10
    a, b = x[0], 2.0 + x[1]
    h = (b - a) / n
    s = math.exp(-a * a) + math.exp(-b * b)
    for i in range(1, n):
        t = a + i * h
        s += (4 if i % 2 else 2) * math.exp(-t * t) * (1 + x[2] * t)
    return s * h / 3


def hermite_spline(x):
    ys = np.array([0.0, 0.4, 0.9, 0.7, 0.2]) + 0.1 * x[:5]
    q = np.array([0.25, 1.0, 2.9]) + 0.05 * x[5]
    i = np.clip(np.searchsorted(XS, q) - 1, 0, XS.size - 2)
    t = (q - XS[i]) / (XS[i + 1] - XS[i])
    h00 = 2 * t**3 - 3 * t**2 + 1
    h01 = -2 * t**3 + 3 * t**2
    return np.sum(h00 * ys[i] + h01 * ys[i + 1])


def sort_stats(x):
    s = np.sort(x)
    trimmed = np.mean(s[1:-1])
    top = np.sum(x[np.argsort(x)[-3:]] ** 2)
    p = np.partition(x, 2)
    return np.median(x) * 2 + trimmed + top + np.sum(p[:2]) + p[2] ** 2


def cumsum_norm(x):
    c = np.cumsum(np.exp(x))
    c = c / c[-1]
    return np.sum(c**2) + np.sum(np.cumprod(1 + 0.1 * x))


def piecewise_losses(x):
    sel = np.select([x < -0.5, x < 0.5], [x**2, np.sin(x)], default=2 * x)
    pw = np.piecewise(x, [x < 0, x >= 0], [lambda v: -(v**3), lambda v: v**2])
    return np.sum(sel) + np.sum(pw) + np.sum(np.where(x > 0, np.log1p(x), x**2))


def linalg_mix(x):
    A = A0 + 0.1 * np.outer(x[:3], x[3:6])
    b = np.array([1.0, 2.0, -1.0])
    sol = np.linalg.solve(A, b)
    w, V = np.linalg.eigh(A + A.T)
    L = np.linalg.cholesky(A @ A.T + np.eye(3))
    s = np.linalg.svd(A, compute_uv=False)
    return np.sum(sol**2) + w[0] + np.sum(np.log(np.diag(L))) + s[0] + np.linalg.slogdet(A)[1]


def gp_marginal(x):
    t = np.linspace(0, 1, 4)
    ell = 0.5 + 0.1 * x[0]
    K = np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / ell**2) + 0.1 * np.eye(4)
    y = x[1:5]
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def special_likelihood(x):
    a = np.exp(x[:3]) + 0.5
    p = sp.expit(x)
    ll = np.sum(sp.gammaln(a) + sp.digamma(a) * a) + sp.logsumexp(x)
    ll += np.sum(sp.xlogy(p, p) + sp.xlog1py(1 - p, -p))
    ll += np.sum(st.norm.logpdf(x[2:], x[0], np.exp(x[1])))
    ll += np.sum(st.t.logpdf(x, df=4.0, loc=x[0], scale=1.2))
    return ll


def poisson_gamma(x):
    lam = np.exp(x)
    k = np.arange(8)
    nll = np.sum(lam - k * np.log(lam) + sp.gammaln(k + 1))
    return nll + np.sum(st.gamma.logpdf(np.exp(x[2:]), np.exp(x[0]) + 1, scale=2.0))


def fft_conv(x):
    k = np.array([0.5, 0.3, 0.2])
    n = x.size + k.size - 1
    y = np.fft.irfft(np.fft.rfft(x, n) * np.fft.rfft(k, n), n)
    F = np.fft.fft(x)
    return np.sum(y**2) + np.sum(np.abs(F[1:3]))


def complex_abs_angle(x):
    z = x[:4] + 1j * x[4:]
    w = z * z.conj() + np.exp(1j * x[:4])
    return np.sum(np.abs(z) ** 2 + np.angle(z)) + np.sum(w.real)


def zip_count_repeat(x):
    s = sum(i * v * v for i, v in zip(itertools.count(1), x))
    t = 0.0
    for v, w in zip(x, itertools.repeat(x[0] ** 2)):
        t = t * 0.5 + v * w
    return s + t


def itertools_mix(x):
    s = sum(a * b for a, b in itertools.product(x[:3], x[3:6]))
    s += sum(v**2 for v in itertools.compress(x, x > 0.4))
    acc = list(itertools.accumulate(x))
    s += sum(t * t for t in acc)
    s += sum(a * b * c for a, b, c in itertools.combinations(x[:5], 3))
    s += sum((b - a) ** 2 for a, b in itertools.pairwise(x))
    return s + list(itertools.accumulate(x[:4], operator.mul))[-1]


def next_first_match(x):
    ps = list(zip(x, x[1:]))
    return next((v * 2 for v in x if v > 0.5 and v < 1.0), x[0]) + next(
        u * w for u, w in ps if u > w
    )


def list_edits(x):
    xs = list(x)
    xs.remove(max(xs))
    a = xs.pop()
    b = xs.pop(0)
    xs.insert(1, x[3] * 2)
    del xs[-1]
    return a * b + sum(v * (k + 1) for k, v in enumerate(xs))


def iter_next(x):
    it = iter(x)
    first = next(it)
    second = next(it)
    s = 0.0
    for v in it:
        s += v * first
    return s * second


def gen_late_binding(x):
    k = 1.0
    g = (v * k for v in x)
    k = x[1]
    return sum(g)


class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, h):
        return np.tanh(self.w * h + self.b)


class Scale:
    def __init__(self, s):
        self.s = s

    def __call__(self, h):
        return self.s * h


def layer_list(x):
    layers = [Dense(x[0], x[1]), Scale(x[2]), Dense(x[3], 0.1)]
    h = x[4]
    for layer in layers:
        h = layer(h)
    for layer in reversed(layers):
        h = layer(h)
    return h


def fn_dict_runtime(x):
    acts = {0: np.tanh, 1: np.sin, 2: lambda v: v**3}
    ops = {"sin": np.sin, "sq": lambda v: v * v, "exp": math.exp}
    s = sum(ops[k](x[i]) for i, k in enumerate(["sin", "sq", "exp"]))
    for i in range(6):
        s += acts[i % 3](x[i])
    return s


def namedtuple_ops(x):
    p = P3(x[0], x[1], x[2])
    q = p._replace(b=x[3] * 2)
    d = p._asdict()
    a, b, c = q
    return q.a * q.b + sum(v * v for v in d.values()) + a * b * c + max(p) + (p + (x[4],))[3]


def power_iteration(x):
    M = np.outer(x[:4], x[:4]) + np.diag(np.abs(x[4:]) + 1.0)
    v = np.ones(4) / 2
    for _ in range(30):
        v = M @ v
        v = v / np.linalg.norm(v)
    return v @ M @ v


def attention(x):
    Q = x[:4].reshape(2, 2)
    K = x[4:].reshape(2, 2)
    S = Q @ K.T / math.sqrt(2)
    A = np.exp(S - S.max(axis=1, keepdims=True))
    A = A / A.sum(axis=1, keepdims=True)
    return np.sum(A @ K)


def lennard_jones(x):
    P = x.reshape(4, 2) * 2
    E = 0.0
    for i in range(4):
        for j in range(i + 1, 4):
            r2 = np.sum((P[i] - P[j]) ** 2) + 0.5
            E += 4 * (r2**-6 - r2**-3)
    return E


def reparam_seeded(x):
    rng = np.random.default_rng(42)
    eps = rng.standard_normal(x.shape)
    z = x * 0.5 + np.exp(0.1 * x) * eps
    return np.mean(z**2)


def batch_solve_det(x):
    A = np.stack(
        [np.eye(2) * 2 + 0.1 * x[:4].reshape(2, 2), np.eye(2) * 3 + 0.1 * x[4:].reshape(2, 2)]
    )
    b = np.ones((2, 2, 1))
    return np.sum(np.linalg.solve(A, b) ** 2) + np.sum(np.linalg.det(A))


CASES = [
    Case(f, (X8.copy(),), (0,), extra="hvp")
    for f in (
        newton_sqrt,
        kepler,
        fixed_point_cos,
        secant_cubic,
        gauss_legendre,
        simpson,
        hermite_spline,
        sort_stats,
        cumsum_norm,
        piecewise_losses,
        linalg_mix,
        gp_marginal,
        special_likelihood,
        poisson_gamma,
        fft_conv,
        complex_abs_angle,
        zip_count_repeat,
        itertools_mix,
        next_first_match,
        list_edits,
        iter_next,
        gen_late_binding,
        layer_list,
        fn_dict_runtime,
        namedtuple_ops,
        power_iteration,
        attention,
        lennard_jones,
        reparam_seeded,
        batch_solve_det,
    )
]
