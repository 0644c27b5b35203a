"""Ported cases (session 18, hunt18), written anew after programs users write: the classic
optimisation test functions (Ackley, Rastrigin, Griewank, Levy, Michalewicz, Styblinski-Tang,
Dixon-Price, Zakharov, Powell singular, Beale/Himmelblau on pairs), a Lennard-Jones energy with
pair loops and a cutoff, an explicit Burgers solver and a 1-D shallow-water scheme, a continuous
relaxation of a 2-D Ising model, a cubic Hermite spline located with np.searchsorted, kernels of
pythran's test corpus (arc distance, Cronbach's alpha, Harris corners, exponential smoothing,
a 4th-order periodic Laplacian, weighted distances in loops), and this session's fix: the scaled
Bessel functions ``i0e``/``i1e`` at arguments beyond 2**31 (nan derivatives before).

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``) but the Bessel case."""

from __future__ import annotations

import numpy as np
import scipy.special

from . import Case

X = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58, 0.84, -0.15, 0.66, -1.02, 0.19, 0.48])


# -- optimisation test functions ------------------------------------------------------------------
def opt_ackley(x, a=20.0, b=0.2, c=2 * np.pi):
    d = len(x)
    return (
        -a * np.exp(-b * np.sqrt(np.sum(x**2) / d)) - np.exp(np.sum(np.cos(c * x)) / d) + a + np.e
    )


def opt_rastrigin_griewank(x):
    i = np.arange(1, len(x) + 1)
    r = 10 * len(x) + np.sum(x**2 - 10 * np.cos(2 * np.pi * x))
    return r + np.sum(x**2) / 4000 - np.prod(np.cos(x / np.sqrt(i))) + 1


def opt_levy_michalewicz(x, m=3):  # (m=10 is usual: its 20th power is beyond the finite
    # differences of tests/higher/test_corpus_hessians at X)
    w = 1 + (x - 1) / 4
    levy = np.sin(np.pi * w[0]) ** 2 + np.sum(
        (w[:-1] - 1) ** 2 * (1 + 10 * np.sin(np.pi * w[:-1] + 1) ** 2)
    )
    levy += (w[-1] - 1) ** 2 * (1 + np.sin(2 * np.pi * w[-1]) ** 2)
    i = np.arange(1, len(x) + 1)
    return levy - np.sum(np.sin(x + 2) * np.sin(i * (x + 2) ** 2 / np.pi) ** (2 * m))


def opt_styblinski_dixon_zakharov(x):
    st = 0.5 * np.sum(x**4 - 16 * x**2 + 5 * x)
    i = np.arange(2, len(x) + 1)
    dp = (x[0] - 1) ** 2 + np.sum(i * (2 * x[1:] ** 2 - x[:-1]) ** 2)
    s = np.sum(0.5 * np.arange(1, len(x) + 1) * x)
    return st + dp + np.sum(x**2) + s**2 + s**4


def opt_powell_pairs(x):
    s = 0.0
    for i in range(len(x) // 4):
        a, b, c, d = x[4 * i], x[4 * i + 1], x[4 * i + 2], x[4 * i + 3]
        s += (a + 10 * b) ** 2 + 5 * (c - d) ** 2 + (b - 2 * c) ** 4 + 10 * (a - d) ** 4
    for u, v in zip(x[::2], x[1::2]):
        s += (1.5 - u + u * v) ** 2 + (2.25 - u + u * v**2) ** 2  # Beale's first terms
        s += (u**2 + v - 11) ** 2 + (u + v**2 - 7) ** 2  # Himmelblau
    return s


# -- simulations ----------------------------------------------------------------------------------
def sim_lennard_jones(x, rc=2.5):
    pos = x.reshape(4, 3) * np.array([1.0, 1.3, 0.9]) + np.arange(12.0).reshape(4, 3) * 0.4
    e = 0.0
    for i in range(len(pos)):
        for j in range(i + 1, len(pos)):
            d = pos[i] - pos[j]
            r2 = np.dot(d, d)
            if r2 < rc * rc:
                ir6 = 1.0 / r2**3
                e += 4.0 * (ir6 * ir6 - ir6) - 4.0 * (rc**-12 - rc**-6)
    return e


def sim_burgers(x, nu=0.05, dt=0.01, dx=0.1):
    u = 1.0 + 0.5 * x.copy()
    for _ in range(15):
        un = u.copy()
        u[1:-1] = (un[1:-1] - un[1:-1] * dt / dx * (un[1:-1] - un[:-2])
                   + nu * dt / dx**2 * (un[2:] - 2 * un[1:-1] + un[:-2]))  # fmt: skip
        u[0] = u[-2]
        u[-1] = u[1]
    return np.sum(u**2)


def sim_shallow_water(x, g=9.81, dt=0.01, dx=0.5):
    h = 1.0 + 0.1 * x
    u = np.zeros_like(h)
    for _ in range(8):
        hu = h * u
        h_new, u_new = h.copy(), u.copy()
        h_new[1:-1] = h[1:-1] - dt / (2 * dx) * (hu[2:] - hu[:-2])
        u_new[1:-1] = u[1:-1] - dt / (2 * dx) * (u[1:-1] * (u[2:] - u[:-2]) + g * (h[2:] - h[:-2]))
        h, u = h_new, u_new
    return np.sum(h**2) + np.sum(u**2)


def sim_ising_relaxed(x, J=1.0, h=0.1, beta=0.7):
    m = np.tanh(x.reshape(3, 4))
    e = -J * np.sum(m * np.roll(m, 1, 0)) - J * np.sum(m * np.roll(m, 1, 1)) - h * np.sum(m)
    p = (1 + m) / 2
    return e + np.sum(p * np.log(p) + (1 - p) * np.log(1 - p)) / beta


KNOTS = np.linspace(-1.5, 1.5, 7)


def sim_hermite_spline(x):
    y = np.sin(KNOTS) + 0.1 * x[:7]
    m = np.cos(KNOTS) * (1 + 0.1 * x[5:])
    xs = x * 0.9
    i = np.minimum(np.searchsorted(KNOTS, xs, side="right") - 1, len(KNOTS) - 2)
    h = KNOTS[i + 1] - KNOTS[i]
    t = (xs - KNOTS[i]) / h
    h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
    h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
    return np.sum((h00 * y[i] + h10 * h * m[i] + h01 * y[i + 1] + h11 * h * m[i + 1]) ** 2)


# -- pythran test kernels -------------------------------------------------------------------------
def py_arc_distance(x):
    t1, p1, t2, p2 = x[:3], x[3:6], x[6:9], x[9:]
    temp = np.sin((t2 - t1) / 2) ** 2 + np.cos(t1) * np.cos(t2) * np.sin((p2 - p1) / 2) ** 2
    return np.sum(2 * np.arctan2(np.sqrt(temp), np.sqrt(1 - temp)))


def py_cronbach_harris(x):
    items = x.reshape(3, 4) + np.arange(12.0).reshape(3, 4) * 0.3
    itemvars = items.var(1, None, None, 1)
    alpha = (
        len(items) / (len(items) - 1) * (1 - itemvars.sum() / items.sum(0).var(None, None, None, 1))
    )
    m, n = items.shape
    dx = (items[1:, :] - items[: m - 1, :])[:, 1:]
    dy = (items[:, 1:] - items[:, : n - 1])[1:, :]
    a, b, c = dx * dx, dy * dy, dx * dy
    return alpha + np.sum(a * b - c * c - 0.05 * (a + b) ** 2)


def py_smoothing_laplacian(x, alpha=0.3):
    s = x.copy()
    for i in range(1, len(x)):
        s[i] = alpha * x[i] + (1 - alpha) * s[i - 1]
    lap = np.zeros_like(s)
    lap[1:] = (4.0 / 3.0) * s[:-1]
    lap[0] = (4.0 / 3.0) * s[1]
    lap[:-1] += (4.0 / 3.0) * s[1:]
    lap[-1] += (4.0 / 3.0) * s[0]
    lap += (-5.0 / 2.0) * s
    lap[2:] += (-1.0 / 12.0) * s[:-2]
    lap[:2] += (-1.0 / 12.0) * s[-2:]
    return np.sum(lap**2 * np.arange(len(x)))


def py_weighted_distances(x):
    A = x.reshape(2, 6)
    B = np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
    W = np.abs(A[:, ::2]) + 1.0
    D = np.zeros((6, 3))
    for ii in range(6):
        for jj in range(3):
            wdiff = (A[:, ii] - B[:, jj]) / W[:, ii // 2]
            D[ii, jj] = np.sqrt((wdiff**2).sum())
    return np.sum(D)


# -- the session's fix ----------------------------------------------------------------------------
def fix_scaled_bessel_huge(x):
    z = np.where(x > 0, 1.0, -1.0) * 3e9 + x * 1e8  # beyond 2**31: scipy's ive is nan there
    # a vector: checked at first order only (tests/higher/test_corpus_hessians takes scalar
    # outputs; the second derivative is a difference of terms 1e10 times larger, below what
    # finite differences resolve)
    return scipy.special.i0e(z) * 1e5 + scipy.special.i1e(z) * 1e5 + x**2


CASES = [
    Case(opt_ackley, (X,), (0,), extra="hvp"),
    Case(opt_rastrigin_griewank, (X,), (0,), extra="hvp"),
    Case(opt_levy_michalewicz, (X,), (0,), extra="hvp"),
    Case(opt_styblinski_dixon_zakharov, (X,), (0,), extra="hvp"),
    Case(opt_powell_pairs, (X,), (0,), extra="hvp"),
    Case(sim_lennard_jones, (X,), (0,), extra="hvp"),
    Case(sim_burgers, (X,), (0,), extra="hvp"),
    Case(sim_shallow_water, (X,), (0,), extra="hvp"),
    Case(sim_ising_relaxed, (X,), (0,), extra="hvp"),
    Case(sim_hermite_spline, (X,), (0,), extra="hvp"),
    Case(py_arc_distance, (np.abs(X) * 0.8 + 0.1,), (0,), extra="hvp"),
    Case(py_cronbach_harris, (X,), (0,), extra="hvp"),
    Case(py_smoothing_laplacian, (X,), (0,), extra="hvp"),
    Case(py_weighted_distances, (X,), (0,), extra="hvp"),
    Case(fix_scaled_bessel_huge, (X,), (0,)),
]
