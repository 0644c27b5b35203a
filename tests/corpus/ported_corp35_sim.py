"""Ported cases (session 35, corp35 sim), written anew as users write simulations and classic
benchmark kernels: n-body with pairwise forces (arrays, and lists of bodies updated through
aliases), spectral norm with generator sums, a ray-sphere hit, the chaos game with affine maps,
spring-mass chains, a double pendulum by RK4, heat and wave equations by explicit stencils with
``u[i] = ...`` and boundary values, Lotka-Volterra, SIR with a while-loop event stop, a projectile
with drag stopped at the ground (early return), orbits by leapfrog; Newton, secant and fixed-point
iterations with tolerance stops, Simpson, Gauss-Legendre and adaptive Simpson quadrature, a natural
cubic spline, the Thomas algorithm, Horner and Clenshaw, power iteration, Gaussian elimination
with pivoting, Gauss-Seidel; Black-Scholes with math.erf, binomial trees (lists and arrays, an
American put), Monte Carlo with fixed normals (Asian, barrier, Heston), implied volatility and
yield to maturity by Newton, value at risk and drawdown of a portfolio.

Float parameters -> float scalar losses or arrays."""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated

R = np.random.default_rng(35001)
ZN = R.standard_normal((60, 6))
RET = R.standard_normal((40, 3)) * 0.01 + 0.001
G = 9.81

# -- benchmark kernels ----------------------------------------------------------------------------


def nbody_energy(pos, vel, masses):
    n = len(masses)
    pos = pos.copy()
    vel = vel.copy()
    dt = 0.01
    for _ in range(8):
        for i in range(n):
            for j in range(i + 1, n):
                d = pos[i] - pos[j]
                dist2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2]
                mag = dt / (dist2 * math.sqrt(dist2))
                vel[i] -= d * masses[j] * mag
                vel[j] += d * masses[i] * mag
        pos += dt * vel
    e = 0.0
    for i in range(n):
        e += 0.5 * masses[i] * np.sum(vel[i] ** 2)
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            e -= masses[i] * masses[j] / math.sqrt(np.dot(d, d))
    return e


def nbody_body_lists(x):
    # bodies as lists [x, y, vx, vy, m], updated through `b1 = bodies[i]`
    bodies = [
        [x[0], 0.0, 0.0, x[1], 1.0],
        [-x[0], 0.0, 0.0, -x[1], 1.0],
        [0.0, x[2], -0.3, 0.0, 0.5],
    ]
    dt = 0.01
    for _ in range(5):
        for i in range(len(bodies)):
            b1 = bodies[i]
            for j in range(i + 1, len(bodies)):
                b2 = bodies[j]
                dx = b1[0] - b2[0]
                dy = b1[1] - b2[1]
                mag = dt * (dx * dx + dy * dy) ** -1.5
                b1[2] -= dx * b2[4] * mag
                b1[3] -= dy * b2[4] * mag
                b2[2] += dx * b1[4] * mag
                b2[3] += dy * b1[4] * mag
        for b in bodies:
            b[0] += dt * b[2]
            b[1] += dt * b[3]
    return sum(b[0] * b[2] + b[1] * b[3] for b in bodies)


def _a(i, j):
    return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1)


def spectral_norm(u0):
    n = len(u0)
    u = list(u0)
    for _ in range(3):
        v = [sum(_a(i, j) * u[j] for j in range(n)) for i in range(n)]
        v = [sum(_a(j, i) * v[j] for j in range(n)) for i in range(n)]
        u = [sum(_a(i, j) * v[j] for j in range(n)) for i in range(n)]
        u = [sum(_a(j, i) * u[j] for j in range(n)) for i in range(n)]
    return math.sqrt(sum(a * b for a, b in zip(u, v)) / sum(b * b for b in v))


def ray_sphere_shade(o, d, c, r):
    oc = o - c
    a = np.dot(d, d)
    b = 2.0 * np.dot(oc, d)
    disc = b * b - 4 * a * (np.dot(oc, oc) - r * r)
    if disc < 0:
        return -1.0
    t = (-b - math.sqrt(disc)) / (2.0 * a)
    if t < 0:
        t = (-b + math.sqrt(disc)) / (2.0 * a)
    n = (o + t * d - c) / r
    return max(0.0, -np.dot(n, np.array([0.0, 0.0, -1.0]))) * t


def chaos_game(p, scales):
    maps = [(scales[0], 0.0, 0.0), (scales[1], 0.5, 0.0), (scales[2], 0.25, 0.5)]
    x, y = p[0], p[1]
    acc = 0.0
    for k in [0, 1, 2, 1, 0, 2, 2, 1, 0, 1]:
        s, tx, ty = maps[k]
        x, y = s * x + tx, s * y + ty
        acc += x * x + y
    return acc


def chaos_affine(p, A):
    pts = np.zeros((6, 2))
    z = p
    for i in range(6):
        M = A[i % 2]
        z = M[:, :2] @ z + M[:, 2]
        pts[i] = z
    return np.sum(pts**2)


# -- physics --------------------------------------------------------------------------------------


def spring_chain(x0, k):
    n = len(x0)
    x = x0.copy()
    v = np.zeros(n)
    for _ in range(15):
        f = np.zeros(n)
        for i in range(n):
            left = x[i - 1] if i > 0 else 0.0
            right = x[i + 1] if i < n - 1 else 0.0
            f[i] = k * (left - 2 * x[i] + right)
        v += 0.05 * f
        x += 0.05 * v
    return np.sum(x**2) + np.sum(v**2)


def _pend(s, l1, m2):
    th1, w1, th2, w2 = s
    d = th2 - th1
    c, sn = math.cos(d), math.sin(d)
    den1 = (1.0 + m2) * l1 - m2 * l1 * c * c
    dw1 = (
        m2 * l1 * w1 * w1 * sn * c
        + m2 * G * math.sin(th2) * c
        + m2 * w2 * w2 * sn
        - (1.0 + m2) * G * math.sin(th1)
    ) / den1
    dw2 = (
        -m2 * w2 * w2 * sn * c
        + (1.0 + m2) * (G * math.sin(th1) * c - l1 * w1 * w1 * sn - G * math.sin(th2))
    ) / (den1 / l1)
    return np.array([w1, dw1, w2, dw2])


def double_pendulum(s0, l1, m2):
    s = s0
    h = 0.01
    for _ in range(20):
        k1 = _pend(s, l1, m2)
        k2 = _pend(s + h / 2 * k1, l1, m2)
        k3 = _pend(s + h / 2 * k2, l1, m2)
        k4 = _pend(s + h * k3, l1, m2)
        s = s + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    x2 = l1 * math.sin(s[0]) + math.sin(s[2])
    y2 = -l1 * math.cos(s[0]) - math.cos(s[2])
    return x2 * x2 + y2


def heat_dirichlet(u0, alpha, left, right):
    n = len(u0)
    u = u0.copy()
    r = alpha * 0.4
    for _ in range(10):
        un = u.copy()
        for i in range(1, n - 1):
            u[i] = un[i] + r * (un[i + 1] - 2 * un[i] + un[i - 1])
        u[0] = left
        u[-1] = right
    return np.sum(u * u) + u[n // 2]


def heat_slices_neumann(u0, alpha):
    u = u0.copy()
    for _ in range(12):
        u[1:-1] = u[1:-1] + alpha * (u[2:] - 2 * u[1:-1] + u[:-2])
        u[0] = u[1]
        u[-1] = 0.0
    return u


def wave_swap_buffers(u0, c):
    u_prev = u0.copy()
    u = u0.copy()
    u_next = np.empty_like(u0)
    for _ in range(8):
        u_next[1:-1] = 2 * u[1:-1] - u_prev[1:-1] + c * (u[2:] - 2 * u[1:-1] + u[:-2])
        u_next[0] = 0.0
        u_next[-1] = 0.0
        u_prev, u, u_next = u, u_next, u_prev
    return np.sum(u**2) + np.sum(u_prev)


def lotka_volterra(p):
    a, b, c, d = p
    x, y = 1.0, 0.5
    xs = []
    for _ in range(60):
        dx = a * x - b * x * y
        dy = d * x * y - c * y
        x += 0.05 * dx
        y += 0.05 * dy
        xs.append(x)
    return sum(xs) / len(xs) + y


def sir_until_small(beta, gamma):
    # the final size of the epidemic: stepped until the infected fraction is negligible
    s, i, t = 0.99, 0.01, 0.0
    while i > 1e-9 and t < 400.0:
        new = beta * s * i
        s -= 0.25 * new
        i += 0.25 * (new - gamma * i)
        t += 0.25
    return 1.0 - s


def projectile_range(v0, angle, k):
    x, y = 0.0, 0.0
    vx, vy = v0 * math.cos(angle), v0 * math.sin(angle)
    dt = 0.02
    for _ in range(5000):
        v = math.hypot(vx, vy)
        vx -= k * v * vx * dt
        vy -= (G + k * v * vy) * dt
        x_new, y_new = x + vx * dt, y + vy * dt
        if y_new < 0:
            return x + y / (y - y_new) * (x_new - x)
        x, y = x_new, y_new
    return x


def fall_from_rest_with_drag(k):
    # the speed is 0 at the start: |v| * v has derivative 0 there
    vel = np.zeros(2)
    pos = np.array([0.0, 10.0])
    for _ in range(30):
        vel = vel + (np.array([0.0, -G]) - k * np.linalg.norm(vel) * vel) * 0.01
        pos = pos + vel * 0.01
    return pos[1]


def orbit_leapfrog(q0, p0):
    q, p = q0.copy(), p0.copy()
    dt = 0.05
    for _ in range(30):
        p -= 0.5 * dt * q / np.sum(q * q) ** 1.5
        q += dt * p
        p -= 0.5 * dt * q / np.sum(q * q) ** 1.5
    return 0.5 * p @ p - 1.0 / np.linalg.norm(q) + q[0] * p[1]


@dataclass
class Body:
    x: float
    v: float
    m: float = 1.0


def two_bodies_in_a_list(x0, m):
    bs = [Body(x0, 0.1, m), Body(-x0, 0.0, 2.0)]
    for _ in range(15):
        f = bs[1].x - bs[0].x
        bs[0].v += 0.05 * f / bs[0].m
        bs[1].v -= 0.05 * f / bs[1].m
        for b in bs:
            b.x += 0.05 * b.v
    return bs[0].x * bs[1].v + bs[1].x


def _trajectory(x, k):
    v = 0.0
    while True:
        yield x
        v -= 0.1 * k * x
        x += 0.1 * v


def generator_stopped_by_break(x0, k):
    total = 0.0
    for i, x in enumerate(_trajectory(x0, k)):
        if i >= 20:
            break
        total += x * x
    return total


# -- numerical methods ----------------------------------------------------------------------------


def newton_kepler(M, e):
    E = M
    for _ in range(50):
        f = E - e * math.sin(E) - M
        if abs(f) < 1e-13:
            break
        E = E - f / (1 - e * math.cos(E))
    return E


def secant_cube_root(c):
    x0, x1 = 0.5, 2.0
    f0, f1 = x0**3 - c, x1**3 - c
    it = 0
    while abs(f1) > 1e-12 and it < 100:
        x0, x1 = x1, x1 - f1 * (x1 - x0) / (f1 - f0)
        f0, f1 = f1, x1**3 - c
        it += 1
    return x1


def fixed_point_cos(a):
    x = 0.5
    for _ in range(200):
        xn = math.cos(a * x)
        if abs(xn - x) < 1e-14:
            return xn
        x = xn
    return x


def simpson_gauss(a, b):
    n = 12
    h = (b - a) / n
    s = math.exp(-a * a) + math.exp(-b * b)
    for i in range(1, n):
        x = a + i * h
        s += (4 if i % 2 else 2) * math.exp(-x * x)
    return s * h / 3


def gauss_legendre(p):
    xs, ws = np.polynomial.legendre.leggauss(6)
    t = 0.5 * p[2] * (xs + 1.0)
    return 0.5 * p[2] * np.sum(ws * np.cos(p[0] * t) / (1 + p[1] * t * t))


def _asimp(f, a, b, eps, whole, fa, fb, fm, depth):
    m = 0.5 * (a + b)
    lm, rm = 0.5 * (a + m), 0.5 * (m + b)
    flm, frm = f(lm), f(rm)
    left = (m - a) / 6 * (fa + 4 * flm + fm)
    right = (b - m) / 6 * (fm + 4 * frm + fb)
    if depth <= 0 or abs(left + right - whole) <= 15 * eps:
        return left + right + (left + right - whole) / 15
    return _asimp(f, a, m, eps / 2, left, fa, fm, flm, depth - 1) + _asimp(
        f, m, b, eps / 2, right, fm, fb, frm, depth - 1
    )


def adaptive_simpson(b):
    f = lambda t: math.exp(-0.7 * t * t)  # noqa: E731
    fa, fb, fm = f(0.0), f(b), f(0.5 * b)
    return _asimp(f, 0.0, b, 1e-6, b / 6 * (fa + 4 * fm + fb), fa, fb, fm, 10)


def adaptive_simpson_closure(k):
    f = lambda t: math.exp(-k * t * t)  # noqa: E731
    fa, fb, fm = f(0.0), f(2.0), f(1.0)
    return _asimp(f, 0.0, 2.0, 1e-6, 2.0 / 6 * (fa + 4 * fm + fb), fa, fb, fm, 10)


def natural_spline_at(y):
    n = len(y)
    a = list(y)
    alpha = [0.0] * n
    for i in range(1, n - 1):
        alpha[i] = 3 * (a[i + 1] - a[i]) - 3 * (a[i] - a[i - 1])
    mu = [0.0] * n
    z = [0.0] * n
    for i in range(1, n - 1):
        li = 4 - mu[i - 1]
        mu[i] = 1 / li
        z[i] = (alpha[i] - z[i - 1]) / li
    c, b, d = [0.0] * n, [0.0] * n, [0.0] * n
    for j in range(n - 2, -1, -1):
        c[j] = z[j] - mu[j] * c[j + 1]
        b[j] = a[j + 1] - a[j] - (c[j + 1] + 2 * c[j]) / 3
        d[j] = (c[j + 1] - c[j]) / 3
    k, dx = 1, 0.3
    return a[k] + b[k] * dx + c[k] * dx**2 + d[k] * dx**3


def thomas(a, b, c, d):
    n = len(d)
    cp = np.zeros(n)
    dp = np.zeros(n)
    cp[0] = c[0] / b[0]
    dp[0] = d[0] / b[0]
    for i in range(1, n):
        m = b[i] - a[i] * cp[i - 1]
        cp[i] = c[i] / m if i < n - 1 else 0.0
        dp[i] = (d[i] - a[i] * dp[i - 1]) / m
    x = np.zeros(n)
    x[-1] = dp[-1]
    for i in range(n - 2, -1, -1):
        x[i] = dp[i] - cp[i] * x[i + 1]
    return x


def horner_clenshaw(c, x):
    r = 0.0
    for ck in reversed(c):
        r = r * x + ck
    b1 = b2 = 0.0
    for k in range(len(c) - 1, 0, -1):
        b1, b2 = 2 * x * b1 - b2 + c[k], b1
    return r + x * b1 - b2 + c[0]


def power_iteration(A):
    v = np.ones(A.shape[0])
    lam = 0.0
    for _ in range(25):
        w = A @ v
        lam = v @ w / (v @ v)
        v = w / np.linalg.norm(w)
    return lam


def gauss_pivoting(A, b):
    A = A.copy()
    b = b.copy()
    n = len(b)
    for k in range(n - 1):
        p = k + int(np.argmax(np.abs(A[k:, k])))
        if p != k:
            A[[k, p]] = A[[p, k]]
            b[[k, p]] = b[[p, k]]
        for i in range(k + 1, n):
            f = A[i, k] / A[k, k]
            A[i, k:] -= f * A[k, k:]
            b[i] -= f * b[k]
    x = np.zeros(n)
    for i in range(n - 1, -1, -1):
        x[i] = (b[i] - A[i, i + 1 :] @ x[i + 1 :]) / A[i, i]
    return x


def gauss_seidel(A, b):
    n = len(b)
    x = np.zeros(n)
    for _ in range(15):
        for i in range(n):
            s = b[i]
            for j in range(n):
                if j != i:
                    s -= A[i, j] * x[j]
            x[i] = s / A[i, i]
    return x


def cholesky_logdet(A):
    n = A.shape[0]
    L = np.zeros_like(A)
    for i in range(n):
        for j in range(i + 1):
            s = sum(L[i][k] * L[j][k] for k in range(j))
            if i == j:
                L[i][j] = math.sqrt(A[i][i] - s)
            else:
                L[i][j] = (A[i][j] - s) / L[j][j]
    return 2.0 * np.sum(np.log(np.diag(L)))


# -- finance --------------------------------------------------------------------------------------


def _ncdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def black_scholes(S, K, T, r, sigma):
    d1 = (math.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * math.sqrt(T))
    d2 = d1 - sigma * math.sqrt(T)
    call = S * _ncdf(d1) - K * math.exp(-r * T) * _ncdf(d2)
    put = K * math.exp(-r * T) * _ncdf(-d2) - S * _ncdf(-d1)
    return call + 0.5 * put


def american_put_tree(S, K, T, r, sigma):
    n = 5  # (a few steps: early exercise nowhere near a node at the example inputs)
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    values = [max(K - S * u**j * d ** (n - j), 0.0) for j in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(i + 1):
            cont = disc * (p * values[j + 1] + (1 - p) * values[j])
            values[j] = max(cont, K - S * u**j * d ** (i - j))
    return values[0]


def euro_call_tree_arrays(S, sigma):
    n = 30
    dt = 0.5 / n
    u = np.exp(sigma * np.sqrt(dt))
    q = (np.exp(0.03 * dt) - 1 / u) / (u - 1 / u)
    j = np.arange(n + 1)
    V = np.maximum(S * u ** (2 * j - n) - 1.05, 0.0)
    for _ in range(n):
        V = np.exp(-0.03 * dt) * (q * V[1:] + (1 - q) * V[:-1])
    return V[0]


def euro_call_tree_rows(S, sigma):
    n = 10
    dt = 0.5 / n
    u = math.exp(sigma * math.sqrt(dt))
    p = (math.exp(0.03 * dt) - 1 / u) / (u - 1 / u)
    tree = [[0.0] * (i + 1) for i in range(n + 1)]
    for j in range(n + 1):
        tree[n][j] = max(S * u ** (2 * j - n) - 1.05, 0.0)
    for i in reversed(range(n)):
        for j in range(i + 1):
            tree[i][j] = math.exp(-0.03 * dt) * (p * tree[i + 1][j + 1] + (1 - p) * tree[i + 1][j])
    return tree[0][0]


def asian_mc(S0, sigma):
    n = ZN.shape[1]
    dt = 1.0 / n
    S = np.full(ZN.shape[0], S0)
    total = np.zeros(ZN.shape[0])
    for k in range(n):
        S = S * np.exp((0.02 - 0.5 * sigma**2) * dt + sigma * math.sqrt(dt) * ZN[:, k])
        total += S
    return math.exp(-0.02) * np.maximum(total / n - 1.12, 0.0).mean()  # (no path's mean near K)


def barrier_mc(S0, sigma):
    n = ZN.shape[1]
    dt = 1.0 / n
    payoff = 0.0
    for path in range(ZN.shape[0]):
        S = S0
        alive = True
        for k in range(n):
            S *= math.exp((0.01 - 0.5 * sigma**2) * dt + sigma * math.sqrt(dt) * ZN[path, k])
            if S > 1.36:
                alive = False
                break
        if alive:
            payoff += max(S - 0.9, 0.0)
    return payoff / ZN.shape[0]


def heston_mc(kappa, xi):
    n = ZN.shape[1]
    dt = 1.0 / n
    S = np.ones(ZN.shape[0])
    v = np.full(ZN.shape[0], 0.04)
    for k in range(n):
        z1 = ZN[:, k]
        z2 = -0.5 * z1 + math.sqrt(0.75) * ZN[:, (k + 3) % n]
        vp = np.maximum(v, 0.0)
        S = S * np.exp(-0.5 * vp * dt + np.sqrt(vp * dt) * z1)
        v = v + kappa * (0.04 - vp) * dt + xi * np.sqrt(vp * dt) * z2
    return np.mean(S * S) - np.mean(S) ** 2  # the variance of the terminal price


def implied_vol(price, S, T):
    sigma = 0.3
    for _ in range(100):
        d1 = (math.log(S) + (0.02 + 0.5 * sigma**2) * T) / (sigma * math.sqrt(T))
        d2 = d1 - sigma * math.sqrt(T)
        diff = S * _ncdf(d1) - math.exp(-0.02 * T) * _ncdf(d2) - price
        if abs(diff) < 1e-12:
            break
        vega = S * math.exp(-0.5 * d1 * d1) / math.sqrt(2 * math.pi) * math.sqrt(T)
        sigma -= diff / vega
    return sigma


def _bond(y):
    return sum(cf / (1 + y) ** t for t, cf in enumerate((5.0, 5.0, 5.0, 105.0), start=1))


def yield_to_maturity(price):
    y = 0.05
    while True:
        dp = sum(-t * cf / (1 + y) ** (t + 1) for t, cf in enumerate((5.0, 5.0, 5.0, 105.0), 1))
        step = (_bond(y) - price) / dp
        y -= step
        if abs(step) < 1e-14:
            return y


def var_and_shortfall(w):
    losses = -(RET @ w)
    var = np.percentile(losses, 95)
    return var + losses[losses >= var].mean()


def max_drawdown(w):
    wealth = np.cumprod(1.0 + RET @ w)
    peak = np.maximum.accumulate(wealth)
    return np.max((peak - wealth) / peak)


def event_queue_heapq(rates):
    us = [0.3, 0.7, 0.2, 0.9, 0.5, 0.4]
    q = [(-math.log(us[0]) / rates[0], 0), (-math.log(us[1]) / rates[1], 1)]
    heapq.heapify(q)
    total = 0.0
    for k in range(2, len(us)):
        t, kind = heapq.heappop(q)
        total += t * (kind + 1)
        heapq.heappush(q, (t - math.log(us[k]) / rates[kind], kind))
    return total


A3 = np.array([[1.0, 2.0, 0.5], [3.0, 1.0, -1.0], [0.5, -0.7, 2.0]])
S3 = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
B3 = np.array([1.0, -0.5, 0.3])
U7 = np.array([0.0, 0.3, 0.8, 1.0, 0.6, 0.2, 0.0])
POS = np.array([[0.0, 0.0, 0.0], [1.0, 0.2, 0.1], [-0.3, 1.1, -0.2]])
VEL = np.array([[0.0, 0.1, 0.0], [0.0, 0.8, 0.1], [-0.7, 0.0, 0.05]])
AFF = np.array([[[0.5, 0.1, 0.0], [0.0, 0.5, 0.2]], [[0.4, -0.2, 0.3], [0.1, 0.6, 0.0]]])

CASES = [
    Case(nbody_energy, (POS, VEL, np.array([1.0, 0.1, 0.2])), (0, 1, 2)),
    Case(nbody_body_lists, (np.array([1.0, 0.5, 1.2]),), (0,)),
    Case(spectral_norm, (np.array([1.0, 0.9, 1.1, 1.2]),), (0,)),
    Case(
        ray_sphere_shade,
        (np.array([0.1, 0.2, -3.0]), np.array([0.05, -0.02, 1.0]), np.zeros(3), 1.2),
        (0, 1, 2, 3),
    ),
    Case(chaos_game, (np.array([0.3, 0.4]), np.array([0.5, 0.45, 0.55])), (0, 1)),
    Case(chaos_affine, (np.array([0.3, 0.4]), AFF), (0, 1)),
    Case(spring_chain, (np.array([0.1, -0.2, 0.3, 0.0]), 2.0), (0, 1)),
    Case(double_pendulum, (np.array([1.0, 0.0, 0.5, 0.2]), 1.2, 0.8), (0, 1, 2)),
    Case(heat_dirichlet, (U7, 0.9, 0.1, 0.2), (0, 1, 2, 3)),
    Case(heat_slices_neumann, (U7, 0.3), (0, 1)),
    Case(wave_swap_buffers, (U7, 0.3), (0, 1)),
    Case(lotka_volterra, (np.array([1.1, 0.4, 0.4, 0.1]),), (0,)),
    Case(sir_until_small, (0.8, 0.2), (0, 1)),
    Case(projectile_range, (10.0, 0.6, 0.02), (0, 1, 2)),
    Case(fall_from_rest_with_drag, (0.3,), (0,)),
    Case(orbit_leapfrog, (np.array([1.0, 0.0]), np.array([0.0, 1.1])), (0, 1)),
    Case(two_bodies_in_a_list, (1.0, 2.0), (0, 1)),
    Case(
        generator_stopped_by_break,
        (1.0, 2.0),
        (0, 1),
        xfail=refused_everywhere("a `for` loop over the generator"),
    ),
    Case(newton_kepler, (1.1, 0.3), (0, 1)),
    Case(secant_cube_root, (2.2,), (0,)),
    Case(fixed_point_cos, (0.9,), (0,)),
    Case(simpson_gauss, (0.2, 1.7), (0, 1)),
    Case(gauss_legendre, (np.array([1.3, 0.4, 1.5]),), (0,)),
    Case(adaptive_simpson, (1.3,), (0,)),
    Case(
        adaptive_simpson_closure,
        (0.7,),
        (0,),
        xfail=refused_everywhere("is recursive or nested too deeply"),
    ),
    Case(natural_spline_at, (np.array([0.0, 0.8, 0.9, 0.1, -0.7, -1.0]),), (0,)),
    Case(
        thomas,
        (-np.ones(5), np.array([4.0, 4.1, 3.9, 4.2, 4.0]), -0.9 * np.ones(5), B3[[0, 1, 2, 0, 1]]),
        (0, 1, 2, 3),
    ),
    Case(horner_clenshaw, (np.array([1.0, -0.5, 0.3, 0.2]), 0.4), (0, 1)),
    Case(power_iteration, (S3,), (0,)),
    Case(gauss_pivoting, (A3, B3), (0, 1)),
    Case(gauss_seidel, (S3, B3), (0, 1)),
    Case(cholesky_logdet, (S3,), (0,)),
    Case(black_scholes, (1.05, 1.0, 0.75, 0.02, 0.25), (0, 1, 2, 3, 4)),
    Case(american_put_tree, (1.0, 1.19, 1.0, 0.03, 0.35), (0, 1, 2, 3, 4)),
    Case(euro_call_tree_arrays, (1.0, 0.3), (0, 1)),
    Case(euro_call_tree_rows, (1.0, 0.3), (0, 1)),
    Case(asian_mc, (1.0, 0.3), (0, 1)),
    Case(barrier_mc, (1.0, 0.2), (0, 1)),
    Case(heston_mc, (1.5, 0.1), (0, 1)),
    Case(implied_vol, (0.15, 1.0, 1.0), (0, 1, 2)),
    Case(yield_to_maturity, (98.0,), (0,)),
    Case(var_and_shortfall, (np.array([0.5, 0.3, 0.2]),), (0,)),
    Case(max_drawdown, (np.array([0.5, 0.3, 0.2]),), (0,)),
    Case(
        event_queue_heapq,
        (np.array([1.3, 0.7]),),
        (0,),
        xfail=refused_when_differentiated("cannot differentiate through `heapify`"),
    ),
]
