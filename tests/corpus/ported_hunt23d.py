"""Ported cases (session 23, hunt23d), written anew after more finance, signal, physics and geometry
programs: SABR's Hagan formula (np.where at the money, and a loop with an ``if`` there),
Levinson-Durbin (in place with a reversed slice, and by concatenation), Savitzky-Golay by
np.vander and pinv, Longstaff-Schwartz with np.polyfit on in-the-money paths (forward mode and
Hessians refused the fit used only to decide before this session's fix), Heston by full
truncation, Vasicek, yield to maturity by Newton, Rodrigues rotations, an ICP step by argmin, a
polygon centroid; expm discretisation, Markov chains by matrix_power, variable projection with
lstsq, IK by pinv, a cloth by slice updates, np.add.at/np.subtract.at springs, Cholesky returns,
an LQR Riccati loop, solve_sylvester; physics with srcad.grad/jacfwd/hessian inside (a Hamiltonian
by leapfrog, implicit Euler by Newton, Euler-Lagrange, Newton's method); a ray tracer with a Vec3
class (operators, __rmul__ = __mul__, __abs__) and a Sphere class; Lennard-Jones and gravity over
all pairs with the diagonal masked, set to inf, or np.triu_indices; rfft padding/truncation, FFT
norms, rfftn, np.convolve with a longer kernel, complex np.correlate, np.interp with period and
fp, np.diff with n/prepend/append, np.gradient with coordinates and edge_order=2, trapezoids;
np.ndindex and itertools.product grids, math.isclose/np.allclose exits, a dataclass particle
with ``field(default_factory=lambda: np.zeros(2))`` stepped by a method (refused before this
session's fix), a Cholesky with a LinAlgError fallback, slogdet's ``logdet += 1``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg as sla

import srcad

from . import Case

X8 = np.array([0.3, -1.2, 0.8, 1.5, -0.4, 0.9, 0.1, -0.7])
ATOMS = np.array([[0, 0], [1.1, 0.1], [0.2, 1.05], [1.3, 1.2]], float).ravel()
RD = np.random.default_rng(230)


def sabr_vol(p):
    alpha, rho, nu = p
    F, T, beta = 0.03, 2.0, 0.5
    K = np.array([0.02, 0.025, 0.03, 0.035, 0.04])
    FK = F * K
    lfk = np.log(F / K)
    z = nu / alpha * FK ** ((1 - beta) / 2) * lfk
    xz = np.log((np.sqrt(1 - 2 * rho * z + z**2) + z - rho) / (1 - rho))
    zx = np.where(np.abs(z) < 1e-12, 1.0, z / np.where(np.abs(z) < 1e-12, 1.0, xz))
    A = alpha / (
        FK ** ((1 - beta) / 2)
        * (1 + (1 - beta) ** 2 / 24 * lfk**2 + (1 - beta) ** 4 / 1920 * lfk**4)
    )
    B = (
        1
        + (
            (1 - beta) ** 2 / 24 * alpha**2 / FK ** (1 - beta)
            + rho * beta * nu * alpha / (4 * FK ** ((1 - beta) / 2))
            + (2 - 3 * rho**2) / 24 * nu**2
        )
        * T
    )
    vol = A * zx * B
    mkt = np.array([0.3, 0.27, 0.25, 0.245, 0.25])
    return np.sum((vol - mkt) ** 2) * 100


def sabr_loop(p):
    alpha, rho, nu = p
    F, T, beta = 0.03, 2.0, 0.5
    total = 0.0
    for K in (0.02, 0.03, 0.04):
        if abs(F - K) < 1e-12:
            vol = (
                alpha
                / F ** (1 - beta)
                * (
                    1
                    + (
                        (1 - beta) ** 2 / 24 * alpha**2 / F ** (2 - 2 * beta)
                        + rho * beta * nu * alpha / (4 * F ** (1 - beta))
                        + (2 - 3 * rho**2) / 24 * nu**2
                    )
                    * T
                )
            )
        else:
            FK = F * K
            lfk = math.log(F / K)
            z = nu / alpha * FK ** ((1 - beta) / 2) * lfk
            xz = math.log((math.sqrt(1 - 2 * rho * z + z * z) + z - rho) / (1 - rho))
            vol = (
                alpha
                / (FK ** ((1 - beta) / 2))
                * z
                / xz
                * (
                    1
                    + (
                        (1 - beta) ** 2 / 24 * alpha**2 / FK ** (1 - beta)
                        + rho * beta * nu * alpha / (4 * FK ** ((1 - beta) / 2))
                        + (2 - 3 * rho**2) / 24 * nu**2
                    )
                    * T
                )
            )
        total += vol**2
    return total


def levinson(r):
    p = len(r) - 1
    a = np.zeros(p + 1)
    a[0] = 1.0
    e = r[0]
    for k in range(1, p + 1):
        acc = r[k] + np.dot(a[1:k], r[k - 1 : 0 : -1])
        kk = -acc / e
        a[1 : k + 1] = a[1 : k + 1] + kk * a[k - 1 :: -1][:k]
        e = e * (1 - kk * kk)
    return np.sum(a**2) + e


def levinson_copy(r):
    p = len(r) - 1
    a = np.array([1.0])
    e = r[0]
    for k in range(1, p + 1):
        acc = r[k] + np.dot(a[1:], r[k - 1 : 0 : -1])
        kk = -acc / e
        ext = np.concatenate([a, [0.0]])
        a = ext + kk * ext[::-1]
        e *= 1 - kk**2
    return np.sum(a**2) + e


def savgol(y):
    m, order = 2, 2
    x = np.arange(-m, m + 1)
    A = np.vander(x, order + 1, increasing=True)
    c = np.linalg.pinv(A)[0]
    out = np.convolve(y, c[::-1], mode="valid")
    return np.sum(out**2)


def lsm_american(s0):
    rng = np.random.default_rng(5)
    n, m = 40, 4
    dt, r, sig, K = 0.25, 0.05, 0.3, 1.0
    z = rng.standard_normal((n, m))
    S = s0 * np.exp(np.cumsum((r - 0.5 * sig**2) * dt + sig * np.sqrt(dt) * z, axis=1))
    cash = np.maximum(K - S[:, -1], 0.0)
    for t in range(m - 2, -1, -1):
        cash = cash * np.exp(-r * dt)
        itm = K - S[:, t] > 0
        if itm.sum() < 3:
            continue
        coef = np.polyfit(S[itm, t], cash[itm], 2)
        cont = np.polyval(coef, S[itm, t])
        ex = K - S[itm, t]
        upd = cash[itm]
        upd = np.where(ex > cont, ex, upd)
        cash[itm] = upd
    return np.mean(cash * np.exp(-r * dt))


def heston_euler(kappa):
    rng = np.random.default_rng(9)
    n, steps = 6, 20  # (few paths: no kink of np.maximum near the example point)
    dt = 1.0 / steps
    theta, xi, rho, v0, s0 = 0.04, 0.3, -0.7, 0.04, 100.0
    z1 = rng.standard_normal((steps, n))
    z2 = rho * z1 + np.sqrt(1 - rho**2) * rng.standard_normal((steps, n))
    v = np.full(n, v0)
    logS = np.full(n, np.log(s0))
    for t in range(steps):
        vp = np.maximum(v, 0.0)
        logS = logS + (0.01 - 0.5 * vp) * dt + np.sqrt(vp * dt) * z1[t]
        v = v + kappa * (theta - vp) * dt + xi * np.sqrt(vp * dt) * z2[t]
    return np.mean(np.exp(logS))


def vasicek_bond(p):
    a, b = p
    sigma, r0, T = 0.01, 0.02, 5.0
    B = (1 - np.exp(-a * T)) / a
    A = np.exp((b - sigma**2 / (2 * a**2)) * (B - T) - sigma**2 * B**2 / (4 * a))
    return A * np.exp(-B * r0)


def ytm_newton(price):
    cf = np.array([5.0, 5.0, 5.0, 105.0])
    t = np.arange(1, 5)
    y = 0.05
    for _ in range(30):
        f = np.sum(cf / (1 + y) ** t) - price
        fp = np.sum(-t * cf / (1 + y) ** (t + 1))
        y -= f / fp
    return y


def rodrigues_procrustes(w):
    th = np.linalg.norm(w)
    k = w / th
    K = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    R = np.eye(3) + np.sin(th) * K + (1 - np.cos(th)) * K @ K
    P = np.array([[1.0, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]])
    Q = P @ np.array([[0, -1, 0], [1, 0, 0], [0, 0, 1.0]]).T
    return np.sum((P @ R.T - Q) ** 2)


def icp_step(t):
    src = np.array([[0.0, 0.0], [1.0, 0.1], [2.0, -0.1], [3.0, 0.05]])
    dst = np.array([[0.3, 0.5], [1.2, 0.55], [2.35, 0.4], [3.2, 0.6], [5.0, 5.0]])
    moved = src + t
    d2 = np.sum((moved[:, None, :] - dst[None, :, :]) ** 2, axis=-1)
    nn = np.argmin(d2, axis=1)
    return np.sum((moved - dst[nn]) ** 2)


def polygon_centroid(p):
    P = p.reshape(-1, 2)
    x, y = P[:, 0], P[:, 1]
    xn, yn = np.roll(x, -1), np.roll(y, -1)
    cr = x * yn - xn * y
    A = 0.5 * np.sum(cr)
    cx = np.sum((x + xn) * cr) / (6 * A)
    cy = np.sum((y + yn) * cr) / (6 * A)
    return cx**2 + cy


def expm_discretize(p):
    a, b = p
    A = np.array([[0.0, 1.0], [-a, -b]])
    Ad = sla.expm(A * 0.1)
    x = np.array([1.0, 0.0])
    for _ in range(20):
        x = Ad @ x
    return x @ x


def markov_power(p):
    q = 1 / (1 + np.exp(-p))
    P = np.array([[1 - q[0], q[0], 0.0], [q[1] / 2, 1 - q[1], q[1] / 2], [0.0, q[2], 1 - q[2]]])
    Pn = np.linalg.matrix_power(P, 8)
    return Pn[0] @ np.array([0.0, 1.0, 3.0])


def varpro_ns(lam):
    tau = np.array([0.25, 0.5, 1, 2, 3, 5, 7, 10, 20, 30.0])
    y = np.array([0.01, 0.012, 0.015, 0.019, 0.022, 0.026, 0.028, 0.03, 0.032, 0.031])
    x = tau / lam
    f1 = (1 - np.exp(-x)) / x
    X = np.column_stack([np.ones_like(tau), f1, f1 - np.exp(-x)])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    r = y - X @ beta
    return r @ r * 1e4


def ik_pinv(q):
    L = np.array([1.0, 0.8, 0.6])
    target = np.array([1.2, 1.0])
    for _ in range(3):
        ang = np.cumsum(q)
        p = np.array([np.sum(L * np.cos(ang)), np.sum(L * np.sin(ang))])
        J = np.zeros((2, 3))
        for j in range(3):
            J[0, j] = -np.sum(L[j:] * np.sin(ang[j:]))
            J[1, j] = np.sum(L[j:] * np.cos(ang[j:]))
        q = q + 0.5 * np.linalg.pinv(J) @ (target - p)
    return np.sum(q**2)


def cloth_slices(k):
    n = 5
    P = np.stack(np.meshgrid(np.linspace(0, 1, n), np.linspace(0, 1, n)), -1)
    V = np.zeros_like(P)
    dt = 0.02
    for _ in range(10):
        F = np.zeros_like(P)
        dx = P[:, 1:] - P[:, :-1]
        L = np.linalg.norm(dx, axis=-1, keepdims=True)
        f = k * (L - 0.25) * dx / L
        F[:, :-1] += f
        F[:, 1:] -= f
        dy = P[1:] - P[:-1]
        L = np.linalg.norm(dy, axis=-1, keepdims=True)
        f = k * (L - 0.25) * dy / L
        F[:-1] += f
        F[1:] -= f
        F[..., 1] -= 9.8
        V[1:] += dt * F[1:]
        P[1:] += dt * V[1:]
    return np.sum(P[..., 1])


def add_at_2d(x):
    V = x.reshape(4, 2)
    E = np.array([[0, 1], [1, 2], [2, 3], [3, 0], [0, 2]])
    F = np.zeros((4, 2))
    d = V[E[:, 1]] - V[E[:, 0]]
    L = np.sqrt(np.sum(d * d, axis=1))
    f = (L - 1.0)[:, None] * d / L[:, None]
    np.add.at(F, E[:, 0], f)
    np.subtract.at(F, E[:, 1], f)
    return np.sum(F**2)


def cholesky_portfolio(w):
    C = np.array([[0.04, 0.01, 0.002], [0.01, 0.09, 0.01], [0.002, 0.01, 0.02]])
    Lc = np.linalg.cholesky(C)
    z = np.array([[0.5, -1.0, 0.3], [1.2, 0.1, -0.4], [-0.3, 0.8, 1.1], [0.0, -0.5, 0.2]])
    rets = 0.05 + z @ Lc.T
    port = rets @ w
    return -np.mean(port) + 2.0 * np.var(port)


def riccati_lqr(q):
    A = np.array([[1.0, 0.1], [0.0, 1.0]])
    B = np.array([[0.0], [0.1]])
    Q = np.diag(q)
    R = np.array([[1.0]])
    P = Q.copy()
    for _ in range(30):
        K = np.linalg.solve(R + B.T @ P @ B, B.T @ P @ A)
        P = Q + A.T @ P @ (A - B @ K)
    return np.trace(P)


def schur_sylvester(a):
    A = np.array([[a, 1.0], [0.0, 2.0]])
    B = np.array([[3.0, 0.0], [1.0, a]])
    C = np.eye(2)
    X = sla.solve_sylvester(A, B, C)
    return np.sum(X)


def potential(q, k):
    return 0.5 * k * np.sum(q**2) + 0.1 * np.sum(q**4)


def hamiltonian_traj(k):
    q = np.array([1.0, 0.5])
    p = np.array([0.0, 0.2])
    dt = 0.05
    force = srcad.grad(potential)
    for _ in range(20):
        p = p - 0.5 * dt * force(q, k)
        q = q + dt * p
        p = p - 0.5 * dt * force(q, k)
    return np.sum(q**2)


def implicit_euler_newton(a):
    def rhs(y):
        return np.array([-a * y[0] + y[1] ** 2, -y[1] + 0.5 * np.sin(y[0])])

    y = np.array([1.0, 0.5])
    h = 0.1
    J = srcad.jacfwd(rhs)
    for _ in range(5):
        z = y.copy()
        for _ in range(4):
            G = z - y - h * rhs(z)
            JG = np.eye(2) - h * J(z)
            z = z - np.linalg.solve(JG, G)
        y = z
    return y[0] + y[1]


def lagrangian_pend(L):
    # Euler-Lagrange with srcad.grad of the Lagrangian in (q, qdot)
    g = 9.81

    def lag(s):
        q, qd = s[0], s[1]
        return 0.5 * L**2 * qd**2 + g * L * np.cos(q)

    q, qd = 0.5, 0.0
    dt = 0.02
    for _ in range(30):
        s = np.array([q, qd])
        H = srcad.hessian(lag)(s)
        gr = srcad.grad(lag)(s)
        qdd = (gr[0] - H[1, 0] * qd) / H[1, 1]
        qd = qd + dt * qdd
        q = q + dt * qd
    return q


def newton_min_inner(c):
    def f(x):
        return np.sum((x - c) ** 2 * np.array([1.0, 3.0])) + np.sum(x**4)

    x = np.zeros(2)
    for _ in range(6):
        x = x - np.linalg.solve(srcad.hessian(f)(x), srcad.grad(f)(x))
    return np.sum(x) + f(x)


class Vec3:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def __add__(self, o):
        return Vec3(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec3(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, s):
        return Vec3(self.x * s, self.y * s, self.z * s)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec3(-self.x, -self.y, -self.z)

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def __abs__(self):
        return math.sqrt(self.dot(self))

    def norm(self):
        return self * (1.0 / abs(self))


class Sphere:
    def __init__(self, c, r):
        self.c, self.r = c, r

    def hit(self, o, d):
        oc = o - self.c
        b = oc.dot(d)
        disc = b * b - (oc.dot(oc) - self.r * self.r)
        if disc < 0:
            return None
        t = -b - math.sqrt(disc)
        return t if t > 1e-6 else None


def render(light):
    L = Vec3(light[0], light[1], light[2])
    spheres = [Sphere(Vec3(0.0, 0.0, 3.0), 1.0), Sphere(Vec3(1.5, 0.5, 4.0), 0.7)]
    eye = Vec3(0.0, 0.0, 0.0)
    total = 0.0
    for px in (-0.3, 0.0, 0.2, 0.45):
        for py in (-0.2, 0.1, 0.3):
            d = Vec3(px, py, 1.0).norm()
            best, hit_s = math.inf, None
            for s in spheres:
                t = s.hit(eye, d)
                if t is not None and t < best:
                    best, hit_s = t, s
            if hit_s is None:
                continue
            p = eye + d * best
            n = (p - hit_s.c).norm()
            to_l = (L - p).norm()
            diff = max(n.dot(to_l), 0.0)
            h = (to_l - d).norm()
            spec = max(n.dot(h), 0.0) ** 16
            total += diff + 0.5 * spec
    return total


def render_sphere_pos(c):
    s = Sphere(Vec3(c[0], c[1], c[2]), 1.0)
    L = Vec3(2.0, 2.0, 0.0)
    total = 0.0
    for px in np.linspace(-0.3, 0.3, 4):
        d = Vec3(float(px), 0.1, 1.0).norm()
        t = s.hit(Vec3(0.0, 0.0, 0.0), d)
        if t is None:
            continue
        p = d * t
        n = (p - s.c).norm()
        total += max(n.dot((L - p).norm()), 0.0)
    return total


def lj_matrix_where(x):
    X = x.reshape(-1, 2)
    D = X[:, None, :] - X[None, :, :]
    r2 = np.sum(D**2, axis=-1)
    mask = ~np.eye(len(X), dtype=bool)
    inv6 = np.where(mask, 1.0 / np.where(mask, r2, 1.0) ** 3, 0.0)
    return 2 * np.sum(inv6**2 - inv6)


def lj_matrix_where_naive(x):
    X = x.reshape(-1, 2)
    D = X[:, None, :] - X[None, :, :]
    r = np.sqrt(np.sum(D**2, axis=-1))
    E = np.where(r > 0, 4 * (r**-12 - r**-6), 0.0)
    return 0.5 * np.sum(E)


def lj_inf_diag(x):
    X = x.reshape(-1, 2)
    D = X[:, None, :] - X[None, :, :]
    r2 = np.sum(D**2, axis=-1)
    r2[np.arange(len(X)), np.arange(len(X))] = np.inf
    inv6 = 1.0 / r2**3
    return 2 * np.sum(inv6**2 - inv6)


def coulomb_triu(x):
    X = x.reshape(-1, 3)
    q = np.array([1.0, -1.0, 0.5, -0.5])
    i, j = np.triu_indices(len(X), k=1)
    r = np.linalg.norm(X[i] - X[j], axis=1)
    return np.sum(q[i] * q[j] / r)


def gravity_softened_mask(x):
    X = x.reshape(-1, 2)
    d = X[None] - X[:, None]
    r = np.linalg.norm(d, axis=-1)
    r_safe = np.where(r == 0, 1.0, r)
    U = np.where(r == 0, 0.0, -1.0 / r_safe)
    return U.sum()


def pdist_matrix_sqrt(x):
    X = x.reshape(-1, 2)
    sq = np.sum(X**2, 1)
    D2 = sq[:, None] + sq[None, :] - 2 * X @ X.T
    D2 = np.maximum(D2, 0.0)
    n = len(X)
    iu = np.triu_indices(n, 1)
    return np.sum(np.sqrt(D2[iu]))


def rfft_pad(x):
    X = np.fft.rfft(x, n=16)
    return np.sum(np.abs(X) ** 2 * np.arange(9))


def rfft_trunc(x):
    X = np.fft.rfft(x, n=6)
    return np.sum(np.abs(X) ** 2 * np.arange(4))


def fft_ortho(x):
    X = np.fft.fft(x, norm="ortho")
    Y = np.fft.ifft(X * np.exp(-0.3j * np.arange(len(x))), norm="ortho")
    return np.sum(Y.real**2 - Y.imag)


def fft_forward_norm(x):
    X = np.fft.rfft(x, norm="forward")
    y = np.fft.irfft(X * 2, n=len(x), norm="forward")
    return np.sum(y * x) + np.abs(X[1])


def rfftn_img(x):
    Im = x.reshape(4, 6)
    F = np.fft.rfftn(Im)
    G = np.fft.irfftn(F * np.exp(-0.1 * np.arange(4))[:, None], s=Im.shape)
    return np.sum(G**2) + np.sum(np.abs(F[:, 1]))


def convolve_long_kernel(k):
    x = np.array([1.0, 2.0, -1.0])
    y = np.convolve(x, k, "valid")
    y2 = np.convolve(k, x, "same")
    return np.sum(y**2) + np.sum(y2 * np.arange(len(y2)))


def correlate_complex(a):
    z = a[:4] + 1j * a[4:]
    v = np.array([1 + 2j, 0.5 - 1j, 0.3j])
    c = np.correlate(z, v, "full")
    return np.sum(np.abs(c) ** 2) + np.sum(c.real)


def interp_period(x):
    xp = np.array([0.0, 1.0, 2.0, 3.0])
    fp = np.array([0.0, 1.0, 0.5, -0.2])
    return np.sum(np.interp(x, xp, fp, period=4.0) ** 2) + np.sum(
        np.interp(x, xp, fp, left=-1.0, right=2.0)
    )


def interp_fp(fp):
    xp = np.array([0.0, 1.0, 2.0, 3.0])
    x = np.array([-0.5, 0.3, 1.7, 2.2, 3.5])
    return np.sum(np.interp(x, xp, fp, left=fp[1], right=0.0) ** 2)


def diff_n2(x):
    d2 = np.diff(x, n=2)
    d1 = np.diff(x, prepend=0.0, append=x[-1])
    return np.sum(d2**2) + np.sum(d1**3)


def gradient_edge(x):
    t = np.linspace(0, 1, len(x)) ** 2
    g1 = np.gradient(x, t, edge_order=2)
    g2 = np.gradient(x, 0.3)
    return np.sum(g1**2) + np.sum(g2 * x)


def trapezoid_x(y):
    x = np.array([0.0, 0.1, 0.35, 0.6, 1.0])
    return np.trapezoid(y**2, x) + np.trapezoid(np.sin(y), dx=0.2)


def cumsum_axis(x):
    A = x.reshape(3, 4)
    return (
        np.sum(np.cumsum(A, axis=0) ** 2)
        + np.sum(np.cumprod(A, axis=1))
        + np.sum(np.cumsum(A[::-1], axis=1))
    )


def grid_ndindex(x):
    U = x.reshape(3, 3)
    E = 0.0
    for i, j in np.ndindex(U.shape):
        if i + 1 < 3:
            E += (U[i + 1, j] - U[i, j]) ** 2
        if j + 1 < 3:
            E += (U[i, j + 1] - U[i, j]) ** 2
    return E


def grid_product(x):
    U = x.reshape(3, 3)
    E = 0.0
    for i, j in itertools.product(range(3), repeat=2):
        E += U[i, j] ** 2 * (i + 1) * math.cos(j)
    return E


def isclose_conv(a):
    x = 1.0
    for _ in range(100):
        xn = 0.5 * (x + a / x)
        if math.isclose(xn, x, rel_tol=1e-14):
            break
        x = xn
    return xn


def allclose_fixed_point(c):
    x = np.zeros(2)
    for _ in range(200):
        xn = np.tanh(np.array([[0.3, -0.2], [0.1, 0.4]]) @ x + c)
        if np.allclose(xn, x, atol=1e-13, rtol=0):
            break
        x = xn
    return np.sum(xn**2)


@dataclass
class Particle:
    x: np.ndarray
    v: np.ndarray = field(default_factory=lambda: np.zeros(2))
    history: list = field(default_factory=list)

    @property
    def speed(self):
        return np.linalg.norm(self.v)

    def step(self, g, dt):
        self.v = self.v + dt * g
        self.x = self.x + dt * self.v
        self.history.append(self.x)


def particle_sim(g):
    p = Particle(np.array([0.0, 1.0]))
    for _ in range(10):
        p.step(g, 0.1)
    return np.sum(np.stack(p.history)[:, 1]) + p.speed


def empty_fill(x):
    n = len(x)
    out = np.empty((n, 2))
    for i in range(n):
        out[i, :] = [x[i] ** 2, np.sin(x[i])]
    out[:, 1] *= 2
    return np.sum(out @ np.array([1.0, -1.0]))


def chol_fallback(x):
    A = np.outer(x, x) + np.diag([0.3, 0.0, 0.3])
    try:
        L = np.linalg.cholesky(A)
        return np.sum(np.log(np.diag(L)))
    except np.linalg.LinAlgError:
        w = np.linalg.eigvalsh(A + 0.1 * np.eye(3))
        return 0.5 * np.sum(np.log(w))


def unpack_array(x):
    total = 0.0
    for row in x.reshape(-1, 2):
        a, b = row
        total += a * b + a**2
    px, py = x[:2]
    return total + px * py


def ok_slogdet(x):
    S = x.reshape(3, 3) + 3 * np.eye(3)
    sign, logdet = np.linalg.slogdet(S)
    logdet += 1.0
    return sign * logdet


CASES = [
    Case(sabr_vol, (np.array([0.04, -0.3, 0.5]),), (0,), extra="hvp"),
    Case(sabr_loop, (np.array([0.04, -0.3, 0.5]),), (0,), extra="hvp"),
    Case(levinson, (np.array([2.0, 1.2, 0.5, 0.1]),), (0,), extra="hvp"),
    Case(levinson_copy, (np.array([2.0, 1.2, 0.5, 0.1]),), (0,), extra="hvp"),
    Case(savgol, (np.sin(np.arange(9.0)),), (0,), extra="hvp"),
    Case(lsm_american, (1.0,), (0,), extra="hvp"),
    Case(heston_euler, (2.0,), (0,), extra="hvp"),
    Case(vasicek_bond, (np.array([0.3, 0.04]),), (0,), extra="hvp"),
    Case(ytm_newton, (98.0,), (0,), extra="hvp"),
    Case(rodrigues_procrustes, (np.array([0.1, 0.2, 1.3]),), (0,), extra="hvp"),
    Case(icp_step, (np.array([0.2, 0.4]),), (0,), extra="hvp"),
    Case(
        polygon_centroid, (np.array([0.0, 0.0, 2.0, 0.1, 2.2, 1.5, 0.3, 1.8]),), (0,), extra="hvp"
    ),
    Case(expm_discretize, (np.array([2.0, 0.5]),), (0,), extra="hvp"),
    Case(markov_power, (np.array([0.2, -0.5, 0.3]),), (0,), extra="hvp"),
    Case(varpro_ns, (2.0,), (0,), extra="hvp"),
    Case(ik_pinv, (np.array([0.3, 0.5, -0.4]),), (0,), extra="hvp"),
    Case(cloth_slices, (20.0,), (0,), extra="hvp"),
    Case(add_at_2d, (np.array([0, 0, 1.1, 0.1, 1.0, 0.9, -0.1, 1.0]),), (0,), extra="hvp"),
    Case(cholesky_portfolio, (np.array([0.3, 0.5, 0.2]),), (0,), extra="hvp"),
    Case(riccati_lqr, (np.array([1.0, 0.5]),), (0,), extra="hvp"),
    Case(schur_sylvester, (0.7,), (0,), extra="hvp"),
    Case(hamiltonian_traj, (1.5,), (0,), extra="hvp"),
    Case(implicit_euler_newton, (2.0,), (0,), extra="hvp"),
    Case(lagrangian_pend, (1.2,), (0,), extra="hvp"),
    Case(newton_min_inner, (np.array([0.5, -0.3]),), (0,), extra="hvp"),
    Case(render, (np.array([2.0, 3.0, -1.0]),), (0,), extra="hvp"),
    Case(render_sphere_pos, (np.array([0.1, 0.0, 3.0]),), (0,), extra="hvp"),
    Case(lj_matrix_where, (ATOMS,), (0,), extra="hvp"),
    Case(lj_matrix_where_naive, (ATOMS,), (0,), extra="hvp"),
    Case(lj_inf_diag, (ATOMS,), (0,), extra="hvp"),
    Case(coulomb_triu, (RD.standard_normal(12),), (0,), extra="hvp"),
    Case(gravity_softened_mask, (ATOMS,), (0,), extra="hvp"),
    Case(pdist_matrix_sqrt, (ATOMS,), (0,), extra="hvp"),
    Case(rfft_pad, (X8.copy(),), (0,), extra="hvp"),
    Case(rfft_trunc, (X8.copy(),), (0,), extra="hvp"),
    Case(fft_ortho, (X8.copy(),), (0,), extra="hvp"),
    Case(fft_forward_norm, (X8.copy(),), (0,), extra="hvp"),
    Case(rfftn_img, (RD.standard_normal(24),), (0,), extra="hvp"),
    Case(convolve_long_kernel, (np.array([0.5, 0.3, -0.2, 0.8, 0.1]),), (0,), extra="hvp"),
    Case(correlate_complex, (X8.copy(),), (0,), extra="hvp"),
    Case(interp_period, (np.array([0.5, 2.3, 5.1, -1.7, 3.6]),), (0,), extra="hvp"),
    Case(interp_fp, (np.array([0.2, 1.0, 0.4, -0.3]),), (0,), extra="hvp"),
    Case(diff_n2, (X8.copy(),), (0,), extra="hvp"),
    Case(gradient_edge, (X8.copy(),), (0,), extra="hvp"),
    Case(trapezoid_x, (X8[:5].copy(),), (0,), extra="hvp"),
    Case(cumsum_axis, (RD.standard_normal(12),), (0,), extra="hvp"),
    Case(grid_ndindex, (RD.standard_normal(9),), (0,), extra="hvp"),
    Case(grid_product, (RD.standard_normal(9),), (0,), extra="hvp"),
    Case(isclose_conv, (2.0,), (0,), extra="hvp"),
    Case(allclose_fixed_point, (np.array([0.2, -0.1]),), (0,), extra="hvp"),
    Case(particle_sim, (np.array([0.0, -9.8]),), (0,), extra="hvp"),
    Case(empty_fill, (np.array([0.3, -0.8, 1.4]),), (0,), extra="hvp"),
    Case(chol_fallback, (np.array([0.3, -0.8, 1.4]),), (0,), extra="hvp"),
    Case(unpack_array, (np.array([0.3, -0.8, 1.4, 0.5]),), (0,), extra="hvp"),
    Case(
        ok_slogdet, (RD.standard_normal(9),), (0,), name="ported_hunt23d.slogdet_shift", extra="hvp"
    ),
]
