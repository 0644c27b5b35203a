"""Ported cases (session 12, hunt12), written anew after simulations and benchmark programs:
Lotka-Volterra by RK4, a pendulum by leapfrog, a spring chain by velocity Verlet, a small
n-body, heat and wave stencils (arrays and lists), a while loop with a break, Monte Carlo with
a fixed seed, a damped oscillator by RK2; scipy.optimize's test functions (Rosenbrock in two
forms, Beale, Booth/Matyas/Goldstein-Price), pyperformance's spectral norm, scimark's sparse
product and LU with pivoting, numba's Black-Scholes example; scipy.special/stats log-densities,
expm, triangular and Cholesky solves, LU.

Small user functions -> `CASES` (tests/corpus/ported.py collects them), all scalar-valued
and checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import math

import numpy as np
import scipy.linalg as sla
import scipy.special as sp
import scipy.stats as st

from . import Case

# -- sim --------------------------------------------------------------------------------

X_SIM = np.array([0.3, -0.4, 0.9, 0.2, -0.1, 0.5])


def _rhs_lv(s, p):
    x, y = s
    a, b, c, d = p
    return np.array([a * x - b * x * y, d * x * y - c * y])


def sim_lotka_rk4(w):
    p = np.abs(w[:4]) * 0.5 + 0.5
    s = np.array([1.0 + 0.1 * w[4], 0.8 + 0.1 * w[5]])
    dt = 0.05
    for _ in range(20):
        k1 = _rhs_lv(s, p)
        k2 = _rhs_lv(s + 0.5 * dt * k1, p)
        k3 = _rhs_lv(s + 0.5 * dt * k2, p)
        k4 = _rhs_lv(s + dt * k3, p)
        s = s + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return s[0] * s[1] + s[0] ** 2


def sim_pendulum_leapfrog(w):
    theta, omega = w[0], w[1]
    g_over_l = 9.81 / (1.0 + w[2] ** 2)
    dt = 0.02
    traj = []
    for _step in range(40):
        omega -= 0.5 * dt * g_over_l * math.sin(theta)
        theta += dt * omega
        omega -= 0.5 * dt * g_over_l * math.sin(theta)
        traj.append(theta)
    return sum(t * t for t in traj) / len(traj) + w[3] * w[4] + w[5]


def sim_verlet_springs(w):
    n = 4
    x = np.linspace(0, 3, n) + 0.1 * w[:4]
    v = np.zeros(n)
    k = 1.0 + 0.1 * w[4] ** 2
    m = 1.0
    dt = 0.05

    def force(x):
        f = np.zeros_like(x)
        ext = np.diff(x) - 1.0
        f[:-1] += k * ext
        f[1:] -= k * ext
        return f

    a = force(x) / m
    for _ in range(25):
        x = x + v * dt + 0.5 * a * dt**2
        a_new = force(x) / m
        v = v + 0.5 * (a + a_new) * dt
        a = a_new
    return np.sum(x**2) + 0.5 * m * np.sum(v**2) + w[5]


def sim_nbody(w):
    pos = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.2]]) + 0.05 * w[:6].reshape(3, 2)
    vel = np.array([[0.0, 0.0], [0.0, 0.9], [-0.8, 0.0]])
    mass = np.array([1.0, 0.01, 0.02])
    dt = 0.01
    for _ in range(15):
        d = pos[None, :, :] - pos[:, None, :]
        r2 = np.sum(d**2, axis=-1) + np.eye(3)
        inv = mass[None, :] / r2**1.5 * (1 - np.eye(3))
        acc = np.einsum("ij,ijk->ik", inv, d)
        vel = vel + dt * acc
        pos = pos + dt * vel
    ke = 0.5 * np.sum(mass[:, None] * vel**2)
    pe = 0.0
    for i in range(3):
        for j in range(i + 1, 3):
            pe -= mass[i] * mass[j] / np.linalg.norm(pos[i] - pos[j])
    return ke + pe


def sim_heat_stencil(w):
    u = np.sin(np.linspace(0, np.pi, 8)) * (1 + 0.1 * w[0])
    u[2:5] += 0.1 * w[1:4]
    alpha = 0.2 + 0.01 * w[4]
    for _ in range(30):
        un = u.copy()
        un[1:-1] = u[1:-1] + alpha * (u[2:] - 2 * u[1:-1] + u[:-2])
        u = un
    return np.sum(u**2) + w[5] * u[3]


def sim_heat_loop(w):
    n = 6
    u = [0.0] * n
    for i in range(n):
        u[i] = w[i] if i < len(w) else 0.0
    for _t in range(10):
        new = list(u)
        for i in range(1, n - 1):
            new[i] = u[i] + 0.25 * (u[i - 1] - 2 * u[i] + u[i + 1])
        u = new
    return sum(ui**2 for ui in u)


def sim_wave(w):
    n = 7
    u_prev = np.zeros(n)
    u = np.exp(-((np.arange(n) - 3.0 - 0.2 * w[0]) ** 2))
    c2 = (0.5 + 0.05 * w[1]) ** 2
    for _ in range(12):
        lap = np.zeros(n)
        lap[1:-1] = u[:-2] - 2 * u[1:-1] + u[2:]
        u_next = 2 * u - u_prev + c2 * lap
        u_prev, u = u, u_next
    return u @ u + np.sum(w[2:] * u[:4])


def sim_euler_decay_while(w):
    y = 1.0 + 0.1 * w[0]
    t = 0.0
    k = 0.5 + 0.1 * w[1] ** 2
    dt = 0.1
    while t < 2.0:
        y = y - dt * k * y
        t += dt
        if y < 0.2:
            break
    return y + w[2] * w[3] - w[4] + w[5] ** 3


def sim_mc_fixed_seed(w):
    rng = np.random.default_rng(42)
    z = rng.standard_normal(200)
    mu, s = w[0], np.exp(0.3 * w[1])
    samples = mu + s * z
    return np.mean(np.log1p(np.exp(samples - 0.5))) + np.mean(samples**2) * w[2] + np.sum(w[3:])


def sim_damped_osc_rk2(w):
    x, v = w[0], w[1]
    c, k = 0.1 + 0.01 * w[2] ** 2, 1.0 + 0.1 * w[3] ** 2
    h = 0.1
    for _i in range(30):
        ax = -k * x - c * v
        xm = x + 0.5 * h * v
        vm = v + 0.5 * h * ax
        x, v = x + h * vm, v + h * (-k * xm - c * vm)
    return x**2 + v**2 + w[4] * w[5]


# -- bench --------------------------------------------------------------------------------

X_BENCH = np.array([0.3, -0.4, 0.9, 0.2, 0.6])


def bench_rosen(x):
    return sum(100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def bench_rosen_vec(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2.0) ** 2.0 + (1 - x[:-1]) ** 2.0)


def bench_beale(x):
    u, v = x[0], x[1]
    return (
        (1.5 - u + u * v) ** 2
        + (2.25 - u + u * v**2) ** 2
        + (2.625 - u + u * v**3) ** 2
        + np.sum(x[2:] ** 2)
    )


def bench_booth_matyas_goldstein(x):
    a, b = x[:2]
    booth = (a + 2 * b - 7) ** 2 + (2 * a + b - 5) ** 2
    mat = 0.26 * (a**2 + b**2) - 0.48 * a * b
    gp = (1 + (a + b + 1) ** 2 * (19 - 14 * a + 3 * a**2 - 14 * b + 6 * a * b + 3 * b**2)) * (
        30 + (2 * a - 3 * b) ** 2 * (18 - 32 * a + 12 * a**2 + 48 * b - 36 * a * b + 27 * b**2)
    )
    return booth + mat + 1e-3 * gp + x[2] * x[3] * x[4]


def _eval_A(i, j):
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)


def bench_spectral_norm(u):
    n = len(u)
    for _ in range(3):
        v = [sum(_eval_A(i, j) * u[j] for j in range(n)) for i in range(n)]
        u = [sum(_eval_A(j, i) * v[j] for j in range(n)) for i in range(n)]
    vBv = sum(ui * vi for ui, vi in zip(u, v))
    vv = sum(vi * vi for vi in v)
    return math.sqrt(abs(vBv / vv) + 1.0)


def bench_scimark_sparse(x):
    val = np.array([1.0, 2.0, 0.5, -1.0, 3.0, 0.7])
    col = [0, 2, 1, 4, 3, 0]
    row = [0, 2, 3, 5, 5, 6]
    y = [0.0] * 5
    for r in range(5):
        s = 0.0
        for i in range(row[r], row[r + 1]):
            s += x[col[i]] * val[i]
        y[r] = s
    return sum(yi * yi for yi in y) + np.prod(x[:2])


def bench_scimark_lu(x):
    A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]) + 0.1 * np.outer(
        x[:3], x[2:5]
    )
    A = A.copy()
    n = 3
    piv = list(range(n))
    for j in range(n):
        jp = j + int(np.argmax(np.abs(A[j:, j])))
        if jp != j:
            A[[j, jp]] = A[[jp, j]]
            piv[j], piv[jp] = piv[jp], piv[j]
        for i in range(j + 1, n):
            A[i, j] /= A[j, j]
            A[i, j + 1 :] -= A[i, j] * A[j, j + 1 :]
    return np.sum(np.log(np.abs(np.diag(A)))) + np.sum(A)


def bench_numba_blackscholes(x):
    S = 100.0 * (1 + 0.1 * x[0])
    K = 95.0 + x[1]
    T = 1.0 + 0.1 * x[2] ** 2
    r = 0.02
    vol = 0.2 + 0.01 * x[3] ** 2

    def cnd(d):
        return 0.5 * (1 + math.erf(d / math.sqrt(2.0)))

    d1 = (math.log(S / K) + (r + 0.5 * vol * vol) * T) / (vol * math.sqrt(T))
    d2 = d1 - vol * math.sqrt(T)
    return S * cnd(d1) - K * math.exp(-r * T) * cnd(d2) + x[4]


# -- sci --------------------------------------------------------------------------------

X_SCI = np.array([0.9067, 1.489, 1.3181, 2.3125, 0.4442, 2.2763])


R = np.random.default_rng(19300004)


def sci_special_gamma(x):
    return (
        np.sum(sp.gammaln(x))
        + np.sum(sp.digamma(x))
        + sp.betaln(x[0], x[1])
        + np.sum(sp.polygamma(1, x))
        + sp.multigammaln(x[2] + 2, 2)
    )


def sci_stats_logpdfs(x):
    return (
        np.sum(st.norm.logpdf(x, loc=x[0], scale=x[1]))
        + np.sum(st.t.logpdf(x, df=x[2] + 1))
        + np.sum(st.gamma.logpdf(x, a=x[3] + 1, scale=2.0))
        + np.sum(st.beta.logpdf(x / (x.max() + 1), 2.0, 3.0))
        + np.sum(st.expon.logpdf(x, scale=x[4]))
        + np.sum(st.laplace.logpdf(x, 0.5, x[5]))
    )


def sci_stats_mvn(x):
    mean = x[:2]
    cov = np.array([[2.0, 0.3], [0.3, 1.0]]) + np.diag(x[2:4] ** 2)
    pts = np.array([[0.1, 0.2], [1.0, -1.0], [0.5, 0.5]]) * x[4]
    return np.sum(st.multivariate_normal.logpdf(pts, mean=mean, cov=cov)) + x[5]


def sci_expm(x):
    A = np.array([[0.0, x[0], 0.1], [-x[1], 0.0, x[2]], [0.2, -x[3], 0.1 * x[4]]]) * 0.5
    return np.sum(sla.expm(A) ** 2) + x[5]


def sci_triangular_cho(x):
    A = np.array([[3.0, 0.2, 0.1], [0.2, 2.0, 0.3], [0.1, 0.3, 1.5]]) + np.diag(x[:3])
    L = sla.cholesky(A, lower=True)
    b = x[3:]
    y = sla.solve_triangular(L, b, lower=True)
    c = sla.cho_solve(sla.cho_factor(A), b)
    return np.sum(y**2) + np.sum(c * b) + np.sum(np.log(np.diag(L)))


def sci_lu(x):
    A = np.array([[3.0, 0.2, 0.1], [0.2, 2.0, 0.3], [0.1, 0.3, 1.5]]) + np.outer(x[:3], x[3:]) * 0.1
    lu, piv = sla.lu_factor(A)
    sol = sla.lu_solve((lu, piv), x[3:])
    P, L, U = sla.lu(A)
    return np.sum(sol**2) + np.sum(np.log(np.abs(np.diag(U)))) + np.sum(L)


CASES = [
    Case(sim_lotka_rk4, (X_SIM,), (0,), extra="hvp"),
    Case(sim_pendulum_leapfrog, (X_SIM,), (0,), extra="hvp"),
    Case(sim_verlet_springs, (X_SIM,), (0,), extra="hvp"),
    Case(sim_nbody, (X_SIM,), (0,), extra="hvp"),
    Case(sim_heat_stencil, (X_SIM,), (0,), extra="hvp"),
    Case(sim_heat_loop, (X_SIM,), (0,), extra="hvp"),
    Case(sim_wave, (X_SIM,), (0,), extra="hvp"),
    Case(sim_euler_decay_while, (X_SIM,), (0,), extra="hvp"),
    Case(sim_mc_fixed_seed, (X_SIM,), (0,), extra="hvp"),
    Case(sim_damped_osc_rk2, (X_SIM,), (0,), extra="hvp"),
    Case(bench_rosen, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_rosen_vec, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_beale, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_booth_matyas_goldstein, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_spectral_norm, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_scimark_sparse, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_scimark_lu, (X_BENCH,), (0,), extra="hvp"),
    Case(bench_numba_blackscholes, (X_BENCH,), (0,), extra="hvp"),
    Case(sci_special_gamma, (X_SCI,), (0,), extra="hvp"),
    Case(sci_stats_logpdfs, (X_SCI,), (0,), extra="hvp"),
    Case(sci_stats_mvn, (X_SCI,), (0,), extra="hvp"),
    Case(sci_expm, (X_SCI,), (0,), extra="hvp"),
    Case(sci_triangular_cho, (X_SCI,), (0,), extra="hvp"),
    Case(sci_lu, (X_SCI,), (0,), extra="hvp"),
]
