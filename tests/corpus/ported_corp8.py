"""Ported cases (session 8, corp8), written anew: scipy's global-optimisation benchmark functions
and its Rosenbrock problem, Myia's and JAX's autodiff test functions as user code, functorch-style
examples (a NeRF-like MLP, an ensemble, per-sample losses), pyperformance's float benchmarks
(n-body, spectral norm, a raytracer's vectors) and classic numerical recipes (adaptive
Runge-Kutta-Fehlberg, Gauss-Seidel, power iteration, conjugate gradient).

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); the
scalar-valued rows are also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import functools
import math
import operator
from dataclasses import dataclass

import numpy as np
import scipy.optimize as so

from . import Case

R = np.random.default_rng(13700003)
X2 = np.array([0.37, -0.64])
X5 = np.array([0.41, -0.83, 1.12, 0.56, -0.27])
X6 = np.array([0.31, -0.72, 1.13, 0.57, -0.29, 0.86])
W1, B1 = R.standard_normal((10, 6)) * 0.5, R.standard_normal(6) * 0.1
W2, B2 = R.standard_normal((6, 4)) * 0.5, R.standard_normal(4) * 0.1
XS, YS = R.standard_normal((5, 3)), R.standard_normal(5)


# -- scipy's global-optimisation benchmarks (go_benchmark_functions) -----------------------------
def go_ackley(x):
    n = x.size
    a = -20.0 * np.exp(-0.2 * np.sqrt(np.sum(x * x) / n))
    return a - np.exp(np.sum(np.cos(2.0 * np.pi * x)) / n) + 20.0 + np.e


def go_rastrigin(x):
    return 10.0 * x.size + np.sum(x**2 - 10.0 * np.cos(2.0 * np.pi * x))


def go_griewank(x):
    i = np.arange(1.0, x.size + 1.0)
    return np.sum(x**2) / 4000.0 - np.prod(np.cos(x / np.sqrt(i))) + 1.0


def go_schwefel26(x):
    y = 100.0 * x + 250.0  # inside [-500, 500], away from the kink of |y| at 0
    return 418.9829 * x.size - np.sum(y * np.sin(np.sqrt(np.abs(y))))


def go_michalewicz(x):
    i = np.arange(1, x.size + 1)
    return -np.sum(np.sin(x) * np.sin(i * x**2 / np.pi) ** 20)


def go_rosenbrock_modified(x):
    a = 74.0 + 100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2
    return a - 400.0 * np.exp(-((x[0] + 1.0) ** 2 + (x[1] + 1.0) ** 2) / 0.1)


def go_schwefel_cumsum(x):
    # Schwefel 1.2: the squares of the partial sums
    return np.sum(np.cumsum(x) ** 2)


def go_styblinski_tang(x):
    return np.sum(x**4 - 16.0 * x**2 + 5.0 * x) / 2.0


def go_levy(x):
    w = 1.0 + (x - 1.0) / 4.0
    head = np.sin(np.pi * w[0]) ** 2
    mid = np.sum((w[:-1] - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * w[:-1] + 1.0) ** 2))
    tail = (w[-1] - 1.0) ** 2 * (1.0 + np.sin(2.0 * np.pi * w[-1]) ** 2)
    return head + mid + tail


def go_trid_loop(x):
    total = 0.0
    for i in range(x.size):
        total += (x[i] - 1.0) ** 2
        if i > 0:
            total -= x[i] * x[i - 1]
    return total


def go_salomon(x):
    r = np.sqrt(np.sum(x**2))
    return 1.0 - np.cos(2.0 * np.pi * r) + 0.1 * r


def go_alpine_sign(x):
    # Alpine 1 as |g| = sign(g) * g (both have the same derivative away from g = 0)
    g = x * np.sin(x) + 0.1 * x
    return np.sum(np.sign(g) * g)


def go_katsuura_floor(x):
    # floor(2**k x) is piecewise constant: its derivative is 0 between the jumps
    out = 1.0
    for i in range(x.size):
        s = np.sum(np.floor(2.0 ** np.arange(1, 4) * x[i]) / 2.0 ** np.arange(1, 4))
        out *= 1.0 + (i + 1) * s
    return out * np.sum(x**2)


def go_where_pieces(x):
    # a Deb-style piecewise function: np.where over a smooth pair of branches
    return np.sum(np.where(x > 0.0, x**2 * np.cos(x), np.sinh(x) * x))


def go_weierstrass_small(x):
    k = np.arange(3.0)[:, None]  # few terms: central differences still converge
    terms = 0.5**k * np.cos(2.0 * np.pi * 3.0**k * (0.25 * x + 0.5))
    return np.sum(terms) - x.size * np.sum(0.5**k * np.cos(np.pi * 3.0**k))


def go_dixon_price(x):
    i = np.arange(2, x.size + 1)
    return (x[0] - 1.0) ** 2 + np.sum(i * (2.0 * x[1:] ** 2 - x[:-1]) ** 2)


def go_zakharov(x):
    u = np.sum(0.5 * np.arange(1, x.size + 1) * x)
    return np.sum(x**2) + u**2 + u**4


def go_scipy_rosen(x):
    return so.rosen(x) + np.sum(so.rosen_der(x) * x) / 100.0


def go_scipy_rosen_hess(x):
    p = np.linspace(-1.0, 1.0, x.size)
    return np.sum(so.rosen_hess_prod(x, p) ** 2) / 1e4 + np.trace(so.rosen_hess(x)) / 100.0


def go_roll_sum(x):
    # Sargan-style neighbour products with np.roll
    nxt = np.roll(x, -1)[:-1]
    return np.sum(x.size * (x**2 + 0.4 * np.sum(x[:-1] * nxt)))


# -- Myia's and JAX's autodiff tests, as user code ------------------------------------------------
@dataclass
class Pt:
    x: float
    y: float

    def norm(self):
        return (self.x**2 + self.y**2) ** 0.5


def my_dataclass_method(v):
    p = Pt(v[0], v[1])
    return p.x * p.y + p.norm()


def my_quadruple_args(v):
    def g(a, b, c, d):
        return a * b * c * d

    return g(v[0], v[0], v[0], v[1])


def my_while_square(v):
    r = v[0] + 2.0
    while r < 100:
        r = r * r
    return r


def my_while_count(v):
    x, step = v[0] + 4.0, abs(v[1]) + 1.0
    acc = 0
    while x > -0.1:
        acc = acc + v[1]
        x = x - step
    return acc * x


def my_nested_while_pow(v):
    r, j = v[0], 0
    while j < 3:
        i = 0
        while i < 3:
            r = r * v[0]
            i = i + 1
        j = j + 1
    return r


def my_list_index_while(v):
    xs = [v[0], v[1], 2.0]
    y, k = 1.0, 0
    while k < len(xs):
        y = y * xs[k]
        k = k + 1
    return y


def my_reduce_operator(v):
    return functools.reduce(operator.mul, v) + sum(map(operator.mul, v, v[::-1]))


def jx_cumulative(x):
    a = np.cumsum(x[::-1]) ** 2
    b = np.cumprod(0.5 * x + 1.0)
    c = np.maximum.accumulate(x) * np.arange(1.0, x.size + 1.0)
    return np.sum(a) + np.sum(b) + np.sum(c) + np.sum(np.logaddexp.accumulate(x))


def jx_sort_reduce(x):
    m = x.reshape(2, 3)
    top = np.max(m, axis=1) @ np.array([1.0, 2.0])
    return np.sum(np.sort(x) * np.arange(x.size)) + top + np.prod(m, axis=1).sum()


def jx_linalg(x):
    a = np.outer(x[:3], x[3:]) + 3.0 * np.eye(3)
    sign, logdet = np.linalg.slogdet(a)
    return sign * logdet + np.sum(np.linalg.solve(a, x[3:])) + np.trace(np.linalg.inv(a))


def jx_scan(x):
    carry, ys = 0.0, []
    for t in x:
        carry = 0.9 * carry + t
        ys.append(carry**2)
    return carry + sum(ys)


def jx_cond_branches(x):
    def yes(v):
        return np.sum(np.sin(v))

    def no(v):
        return np.sum(np.cos(v))

    return yes(x) if x[0] > 0 else no(x)


# -- functorch-style examples -----------------------------------------------------------------
def _encode(p, levels=2):
    parts = [p]
    for k in range(levels):
        parts.append(np.sin(2.0**k * np.pi * p))
        parts.append(np.cos(2.0**k * np.pi * p))
    return np.concatenate(parts, axis=-1)


def ft_nerf(x):
    h = _encode(x.reshape(3, 2) * 0.3)
    h = np.maximum(h @ W1 + B1, 0.0)
    out = h @ W2 + B2
    sigma = np.logaddexp(0.0, out[:, 0])
    rgb = 1.0 / (1.0 + np.exp(-out[:, 1:]))
    alpha = 1.0 - np.exp(-sigma * np.array([0.5, 0.5, 1e10]))
    trans = np.cumprod(np.concatenate([[1.0], 1.0 - alpha[:-1] + 1e-10]))
    w = alpha * trans
    return np.sum(w[:, None] * rgb) + np.sum(w)


def ft_ensemble(x):
    models = [(W1[:3, :4] * (1.0 + 0.1 * k), B1[:4]) for k in range(3)]
    outs = [np.tanh(x[:3] @ w + b) for w, b in models]
    return np.sum(np.stack(outs).mean(axis=0) ** 2)


def ft_per_sample(x):
    w, b = x[:3], x[3]
    total = 0.0
    for i in range(XS.shape[0]):
        r = XS[i] @ w + b - YS[i]
        g = 2.0 * r * np.append(XS[i], 1.0)  # the per-sample gradient, written out
        total = total + r**2 + 0.01 * np.sum(g**2)
    return total / XS.shape[0]


def ft_maml_inner(x):
    w = x[:3]
    for _ in range(2):
        w = w - 0.05 * (2.0 * XS.T @ (XS @ w - YS) / len(YS))
    return np.mean((XS @ w - YS) ** 2) + x[4] * np.sum(w)


# -- pyperformance's float benchmarks -------------------------------------------------------------
def pp_nbody(x):
    pos = [[x[0], 0.1, 0.0], [1.0, x[1], 0.0], [-1.0, 0.2, x[2]]]
    vel = [[0.0, x[3], 0.0], [0.0, 0.3, 0.1], [0.1, -0.2, 0.0]]
    mass = [1.0, 0.5, 0.8]
    pairs = [(i, j) for i in range(3) for j in range(i + 1, 3)]
    dt = 0.01
    for _ in range(3):
        for i in range(3):  # (`for i, j in pairs:` here is refused: /tmp/s8/refusals_found.md)
            for j in range(i + 1, 3):
                d = [pos[i][k] - pos[j][k] for k in range(3)]
                mag = dt * (d[0] ** 2 + d[1] ** 2 + d[2] ** 2) ** -1.5
                for k in range(3):
                    vel[i][k] -= d[k] * mass[j] * mag
                    vel[j][k] += d[k] * mass[i] * mag
        for i in range(3):
            for k in range(3):
                pos[i][k] += dt * vel[i][k]
    e = 0.0
    for i, j in pairs:
        d2 = sum((pos[i][k] - pos[j][k]) ** 2 for k in range(3))
        e -= mass[i] * mass[j] / math.sqrt(d2)
    for i in range(3):
        e += 0.5 * mass[i] * sum(v * v for v in vel[i])
    return e


def _eval_a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) // 2 + i + 1)


def _a_times(u):
    return [sum(_eval_a(i, j) * uj for j, uj in enumerate(u)) for i in range(len(u))]


def _at_times(u):
    return [sum(_eval_a(j, i) * uj for j, uj in enumerate(u)) for i in range(len(u))]


def pp_spectral_norm(x):
    u = list(x[:4] + 1.0)
    for _ in range(3):
        v = _at_times(_a_times(u))
        u = _at_times(_a_times(v))
    vbv = sum(a * b for a, b in zip(u, v))
    vv = sum(b * b for b in v)
    return math.sqrt(vbv / vv) + 1e-3 * u[0]


class V3:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def scale(self, f):
        return V3(self.x * f, self.y * f, self.z * f)

    def __add__(self, o):
        return V3(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return V3(self.x - o.x, self.y - o.y, self.z - o.z)

    def unit(self):
        return self.scale(1.0 / math.sqrt(self.dot(self)))

    def reflect(self, n):
        return self - n.scale(2.0 * self.dot(n))


def _sphere_hit(centre, radius, start, d):
    cp = centre - start
    v = cp.dot(d)
    disc = radius * radius - (cp.dot(cp) - v * v)
    return None if disc < 0 else v - math.sqrt(disc)


def pp_raytrace(x):
    centre, radius = V3(0.0, 0.0, 5.0 + x[0]), 1.0 + 0.1 * x[1]
    start = V3(0.1 * x[2], 0.1 * x[3], 0.0)
    d = V3(0.05, 0.02, 1.0).unit()
    t = _sphere_hit(centre, radius, start, d)
    if t is None:
        return 0.0
    n = (start + d.scale(t) - centre).unit()
    light = V3(1.0, 1.0, -1.0).unit()
    return max(n.dot(light), 0.0) + 0.5 * d.reflect(n).dot(light) + t


# -- numerical recipes ----------------------------------------------------------------------------
def _oscillator(t, y, a, b):
    return np.array([y[1], -a * y[0] - 0.1 * b * y[1]])


def nr_rkf45(x):
    # adaptive Runge-Kutta-Fehlberg 4(5): the accepted steps and the step sizes depend on x
    a, b = x[0] + 1.0, x[1]
    t, h, tol, y = 0.0, 0.1, 1e-6, np.array([1.0 + x[2], 0.0])
    while t < 1.0:
        h = min(h, 1.0 - t)
        k1 = h * _oscillator(t, y, a, b)
        k2 = h * _oscillator(t + h / 4, y + k1 / 4, a, b)
        k3 = h * _oscillator(t + 3 * h / 8, y + 3 * k1 / 32 + 9 * k2 / 32, a, b)
        y4_ = y + 1932 * k1 / 2197 - 7200 * k2 / 2197 + 7296 * k3 / 2197
        k4 = h * _oscillator(t + 12 * h / 13, y4_, a, b)
        y5_ = y + 439 * k1 / 216 - 8 * k2 + 3680 * k3 / 513 - 845 * k4 / 4104
        k5 = h * _oscillator(t + h, y5_, a, b)
        y6_ = y - 8 * k1 / 27 + 2 * k2 - 3544 * k3 / 2565 + 1859 * k4 / 4104 - 11 * k5 / 40
        k6 = h * _oscillator(t + h / 2, y6_, a, b)
        lo = y + 25 * k1 / 216 + 1408 * k3 / 2565 + 2197 * k4 / 4104 - k5 / 5
        hi = y + 16 * k1 / 135 + 6656 * k3 / 12825 + 28561 * k4 / 56430 - 9 * k5 / 50 + 2 * k6 / 55
        err = np.max(np.abs(hi - lo)) + 1e-16
        if err <= tol:
            t, y = t + h, hi
        h = 0.9 * h * (tol / err) ** 0.2
    return y[0] + 2.0 * y[1]


def nr_gauss_seidel(x):
    a = np.array([[4.0, 1.0, 0.5], [1.0, 5.0, 1.0], [0.5, 1.0, 3.0]]) + np.diag(x[:3] ** 2)
    u = np.zeros(3)
    for _ in range(12):
        for i in range(3):
            s = x[3 + i]
            for j in range(3):
                if j != i:
                    s = s - a[i, j] * u[j]
            u[i] = s / a[i, i]
    return np.sum(u * np.array([1.0, -2.0, 0.5]))


def nr_power_iteration(x):
    a = np.outer(x[:3], x[:3]) + np.diag([3.0, 1.0, 0.5])
    v = np.ones(3)
    for _ in range(30):
        w = a @ v
        v = w / np.linalg.norm(w)
    return v @ a @ v


def nr_conjugate_gradient(x):
    a = np.outer(x[:3], x[:3]) + np.diag([3.0, 2.0, 1.5])
    u, r = np.zeros(3), x[3:6].copy()
    p, rs = r.copy(), r @ r
    while math.sqrt(rs) > 1e-10:
        ap = a @ p
        alpha = rs / (p @ ap)
        u = u + alpha * p
        r = r - alpha * ap
        rs_new = r @ r
        p = r + (rs_new / rs) * p
        rs = rs_new
    return np.sum(u * np.array([1.0, 2.0, 3.0]))


def nr_newton_sqrt(x):
    out = []
    for a in x:
        a = abs(a) + 1.0
        g = a
        while abs(g * g - a) > 1e-13 * a:
            g = 0.5 * (g + a / g)
        out.append(g)
    return sum(out)


def nr_simpson(x):
    def fun(t):
        return math.exp(-x[0] * t * t) * math.cos(x[1] * t)

    n, h = 10, 0.1
    s = fun(0.0) + fun(1.0)
    for i in range(1, n):
        s += (4 if i % 2 else 2) * fun(i * h)
    return s * h / 3


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    *(
        _hvp(f, X5)
        for f in (
            go_ackley,
            go_rastrigin,
            go_griewank,
            go_schwefel26,
            go_michalewicz,
            go_schwefel_cumsum,
            go_styblinski_tang,
            go_levy,
            go_trid_loop,
            go_salomon,
            go_alpine_sign,
            go_where_pieces,
            go_weierstrass_small,
            go_dixon_price,
            go_zakharov,
            go_scipy_rosen,
            go_scipy_rosen_hess,
            go_roll_sum,
        )
    ),
    _hvp(go_rosenbrock_modified, X2),
    _hvp(go_katsuura_floor, X5, jitter=0.0),
    *(
        _hvp(f, X2)
        for f in (
            my_dataclass_method,
            my_quadruple_args,
            my_while_square,
            my_nested_while_pow,
            my_list_index_while,
        )
    ),
    _hvp(my_while_count, X2, jitter=0.0),
    _hvp(my_reduce_operator, X5),
    *(
        _hvp(f, X6)
        for f in (
            jx_cumulative,
            jx_sort_reduce,
            jx_linalg,
            jx_scan,
            jx_cond_branches,
            ft_nerf,
            ft_ensemble,
            ft_per_sample,
            ft_maml_inner,
            pp_nbody,
            pp_spectral_norm,
            pp_raytrace,
            nr_gauss_seidel,
            nr_power_iteration,
            nr_conjugate_gradient,
            nr_newton_sqrt,
            nr_simpson,
        )
    ),
    _hvp(nr_rkf45, X6, jitter=0.0),
]


# -- JAX's lax_numpy reducers and linear algebra, as user code ---------------------------------
def jx_order_stats(x):
    return np.ptp(x) + np.median(x) + np.percentile(x, 30.0)


def jx_weighted(x):
    a = np.average(x, weights=np.arange(1.0, 7.0))
    return a + np.average(x.reshape(2, 3), axis=0, weights=[0.3, 0.7]).sum()


def jx_cov_corr(x):
    m = np.stack([x, np.sin(x), x**2])
    return np.sum(np.cov(m)) + np.sum(np.corrcoef(m)[0])


def jx_det_eigvalsh(x):
    a = np.outer(x[:3], x[3:])
    a = a + a.T + 4.0 * np.eye(3)
    return np.linalg.det(a) + np.sum(np.linalg.eigvalsh(a) ** 2)


def jx_pinv_lstsq(x):
    a = x.reshape(3, 2)
    sol = np.linalg.lstsq(a, np.array([1.0, 2.0, 0.5]), rcond=None)[0]
    return np.sum(np.linalg.pinv(a)) + np.sum(sol)


def jx_trapezoid_interp(x):
    t = np.linspace(0.0, 1.0, 6)
    smooth = np.sum(np.diff(x, 2) ** 2) + np.sum(np.gradient(x) * x)
    return np.trapezoid(x**2, t) + np.interp(0.37, t, x) + smooth


def jx_convolve_fft(x):
    c = np.sum(np.convolve(x, [0.25, 0.5, 0.25], mode="same") ** 2)
    return c + np.sum(np.abs(np.fft.rfft(x)) ** 2) + np.real(np.fft.fft(x)[1])


def jx_triangles(x):
    m = np.outer(x, x)
    return np.sum(np.triu(m, 1)) - np.sum(np.tril(m, -1) ** 2) + np.trace(m, offset=1)


def jx_complex(x):
    z = x[:3] + 1j * x[3:]
    return np.sum(np.abs(z * np.conj(z[::-1])) + np.real(np.exp(z)))


CASES += [
    _hvp(f, X6)
    for f in (
        jx_order_stats,
        jx_weighted,
        jx_cov_corr,
        jx_det_eigvalsh,
        jx_pinv_lstsq,
        jx_trapezoid_interp,
        jx_convolve_fft,
        jx_triangles,
        jx_complex,
    )
]
