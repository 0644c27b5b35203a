"""Ported cases (session 10, corp10), written anew as user code:
simulations: Lennard-Jones energies with the minimum image convention (vectorized, pair loops
with a cutoff, the forces' squared norm), SPH kernels (cubic spline density, poly6, a spiky
pressure term), explicit heat and wave schemes updating ``u[1:-1]`` in place, a Dormand-Prince
step for Lotka-Volterra through ``f(t, y, *args)``, SIR by RK4 on tuples, a pendulum by
symplectic Euler, a Kalman filter's log-likelihood (plain and Joseph form), Black-Scholes with
``ndtr``/``erf``, Monte-Carlo estimates with ``np.random.default_rng(0)`` inside the function,
velocity Verlet swapping buffers and an HMC leapfrog.

Small user functions -> `CASES` for the corpus (tests/corpus/ported.py collects them); every row
is scalar-valued and also checked at second order (``extra="hvp"``)."""

from __future__ import annotations

import numpy as np
from scipy.special import erf, ndtr
from scipy.stats import norm

from . import Case

R = np.random.default_rng(17600012)
XS = np.round(R.standard_normal(80) * 0.3, 3)
SIM_BOX = 3.0
SIM_LATTICE = np.array([[0.0, 0.0, 0.0], [1.1, 0.1, 0.0], [0.1, 1.2, 0.1], [1.2, 1.1, 1.0],
                        [2.2, 0.2, 1.9]])  # fmt: skip
SIM_YS = R.standard_normal((5, 1))


def _sim_positions(x):
    return SIM_LATTICE + 0.05 * x[:15].reshape(5, 3)


def sim_lj_vectorized(x):
    pos = _sim_positions(x)
    d = pos[:, None, :] - pos[None, :, :]
    d = d - SIM_BOX * np.round(d / SIM_BOX)
    r2 = np.sum(d**2, axis=-1)[np.triu_indices(5, 1)]
    sr6 = (1.0 / r2) ** 3
    return np.sum(4 * (sr6**2 - sr6))


def sim_lj_pair_loops(x, rc=2.5):
    pos = _sim_positions(x)
    e = 0.0
    for i in range(5):
        for j in range(i + 1, 5):
            d = pos[i] - pos[j]
            d -= SIM_BOX * np.round(d / SIM_BOX)
            r2 = d @ d
            if r2 < rc * rc:
                inv6 = 1.0 / r2**3
                e += 4.0 * (inv6 * inv6 - inv6)
    return e


def sim_lj_forces(x):
    pos = _sim_positions(x)
    d = pos[:, None, :] - pos[None, :, :]
    d -= SIM_BOX * np.rint(d / SIM_BOX)
    r2 = np.sum(d * d, axis=2) + np.eye(5)
    inv6 = 1 / r2**3
    f = (48 * inv6 * inv6 - 24 * inv6) / r2
    np.fill_diagonal(f, 0.0)
    return np.sum(np.sum(f[:, :, None] * d, axis=1) ** 2) * 1e-3


def _sim_cubic_spline(r, h):
    q = r / h
    sigma = 10 / (7 * np.pi * h**2)
    inner = np.where(q < 2, 0.25 * (2 - q) ** 3, 0.0)
    return sigma * np.where(q < 1, 1 - 1.5 * q**2 + 0.75 * q**3, inner)


def sim_sph(x, h=0.8):
    pos = 2.0 * x[:12].reshape(6, 2)
    diff = pos[:, None] - pos[None]
    r = np.sqrt(np.sum(diff**2, axis=-1) + 1e-12)
    rho = np.sum(_sim_cubic_spline(r, h), axis=1)
    poly6 = np.sum(315 / (64 * np.pi) * np.clip(1.0 - r * r, 0, None) ** 3)
    p = rho - 1.0
    coef = -45 / np.pi * np.maximum(1.0 - r, 0) ** 2
    acc = -np.sum(((p[:, None] + p[None]) / (2 * rho[None]))[..., None] * coef[..., None]
                  * diff / (r[..., None] + 1e-3), axis=1)  # fmt: skip
    return np.sum(rho**2) + poly6 + np.sum(acc**2)


def sim_heat_wave(x, alpha=0.2, c=0.5):
    u = np.sin(np.linspace(0, 3, 8)) + x[:8]
    for _ in range(6):
        u[1:-1] = u[1:-1] + alpha * (u[2:] - 2 * u[1:-1] + u[:-2])
    w = x[8:33].reshape(5, 5).copy()
    for _ in range(3):
        w[1:-1, 1:-1] += 0.1 * (w[2:, 1:-1] + w[:-2, 1:-1] + w[1:-1, 2:] + w[1:-1, :-2]
                                - 4 * w[1:-1, 1:-1])  # fmt: skip
    v_prev = np.sin(np.linspace(0, 3, 8)) + x[33:41]
    v = v_prev.copy()
    for _ in range(5):
        v_next = np.zeros_like(v)
        v_next[1:-1] = 2 * v[1:-1] - v_prev[1:-1] + c**2 * (v[2:] - 2 * v[1:-1] + v[:-2])
        v_prev, v = v, v_next
    return np.sum(u**2) + np.sum(w * w) + np.sum(v**2)


def _sim_lv(t, z, a, b, c, d):
    return np.array([a * z[0] - b * z[0] * z[1], -c * z[1] + d * z[0] * z[1]])


def _sim_dopri_step(f, t, y, h, args):
    k1 = f(t, y, *args)
    k2 = f(t + h / 5, y + h * (k1 / 5), *args)
    k3 = f(t + 3 * h / 10, y + h * (3 * k1 / 40 + 9 * k2 / 40), *args)
    k4 = f(t + 4 * h / 5, y + h * (44 * k1 / 45 - 56 * k2 / 15 + 32 * k3 / 9), *args)
    k5 = f(t + 8 * h / 9, y + h * (19372 * k1 / 6561 - 25360 * k2 / 2187 + 64448 * k3 / 6561
                                   - 212 * k4 / 729), *args)  # fmt: skip
    k6 = f(t + h, y + h * (9017 * k1 / 3168 - 355 * k2 / 33 + 46732 * k3 / 5247 + 49 * k4 / 176
                           - 5103 * k5 / 18656), *args)  # fmt: skip
    return y + h * (35 * k1 / 384 + 500 * k3 / 1113 + 125 * k4 / 192 - 2187 * k5 / 6784
                    + 11 * k6 / 84)  # fmt: skip


def sim_lotka_volterra(x):
    p = np.array([1.1, 0.4, 0.4, 0.1]) + 0.1 * x[:4]
    y, t = np.array([1.0, 0.5]), 0.0
    for _ in range(6):
        y = _sim_dopri_step(_sim_lv, t, y, 0.1, (p[0], p[1], p[2], p[3]))
        t += 0.1
    return np.sum(y**2)


def sim_sir(x):
    beta = 0.3 + 0.1 * x[0]
    s, i, r = 0.99, 0.01, 0.0
    h = 0.5

    def f(s, i, r):
        return -beta * s * i, beta * s * i - 0.1 * i, 0.1 * i

    for _ in range(12):
        k1 = f(s, i, r)
        k2 = f(s + h / 2 * k1[0], i + h / 2 * k1[1], r + h / 2 * k1[2])
        k3 = f(s + h / 2 * k2[0], i + h / 2 * k2[1], r + h / 2 * k2[2])
        k4 = f(s + h * k3[0], i + h * k3[1], r + h * k3[2])
        s += h / 6 * (k1[0] + 2 * k2[0] + 2 * k3[0] + k4[0])
        i += h / 6 * (k1[1] + 2 * k2[1] + 2 * k3[1] + k4[1])
        r += h / 6 * (k1[2] + 2 * k2[2] + 2 * k3[2] + k4[2])
    return i + 0.1 * r


def sim_pendulum(x, dt=0.05):
    theta, omega = 0.5 + x[0], 0.1 + x[1]
    traj = []
    for _ in range(20):
        omega = omega - dt * 9.81 * np.sin(theta)
        theta = theta + dt * omega
        traj.append(theta)
    return float(np.mean(np.array(traj) ** 2)) + 0.1 * omega


def sim_kalman(x):
    F = np.array([[1.0, 1.0], [0.0, 1.0]])
    Hm = np.array([[1.0, 0.0]])
    Q = np.exp(-1.0 + x[0]) * np.eye(2)
    Rn = np.array([[np.exp(-0.5 + x[1])]])
    m, P = np.zeros(2), np.eye(2)
    ll = 0.0
    for y in SIM_YS:
        m = F @ m
        P = F @ P @ F.T + Q
        v = y - Hm @ m
        S = Hm @ P @ Hm.T + Rn
        K = P @ Hm.T @ np.linalg.inv(S)
        m = m + K @ v
        IKH = np.eye(2) - K @ Hm
        P = IKH @ P @ IKH.T + K @ Rn @ K.T
        ll -= 0.5 * (np.log(2 * np.pi) + np.log(np.linalg.det(S)) + v @ np.linalg.solve(S, v))
    return ll


def sim_black_scholes(x, K=1.0, r=0.02, T=0.5):
    S, sigma = 1.1 + 0.1 * x[0], 0.25 + 0.05 * x[1]
    d1 = (np.log(S / K) + (r + 0.5 * sigma**2) * T) / (sigma * np.sqrt(T))
    d2 = d1 - sigma * np.sqrt(T)
    call = S * ndtr(d1) - K * np.exp(-r * T) * ndtr(d2)
    put = K * np.exp(-r * T) * 0.5 * (1 + erf(-d2 / np.sqrt(2))) - S * 0.5 * (
        1 + erf(-d1 / np.sqrt(2))
    )
    return call + put + S * norm.pdf(d1) * np.sqrt(T)


def sim_monte_carlo(x):
    rng = np.random.default_rng(0)
    z = rng.standard_normal(100)
    S, sigma = 1.1 + 0.1 * x[0], 0.25 + 0.05 * x[1]
    ST = S * np.exp((0.02 - 0.5 * sigma**2) + sigma * z)
    soft_payoff = np.mean(np.log1p(np.exp(5 * (ST - 1.0))) / 5)
    u = rng.uniform(0, 1, 50)
    pos = x[2:5].copy()
    walk = 0.0
    for _ in range(3):
        pos = pos + 0.1 * rng.normal(size=pos.shape) * np.tanh(pos)
        walk = walk + np.sum(pos**2)
    return np.exp(-0.02) * soft_payoff + np.mean(np.exp(-(0.7 + x[5]) * u**2)) + walk


def sim_verlet_leapfrog(x):
    pos, vel = x[:3].copy(), x[3:6].copy()
    acc = -pos
    dt = 0.1
    for _ in range(6):
        pos += vel * dt + 0.5 * acc * dt**2
        new_acc = -pos - 0.1 * pos**3
        vel += 0.5 * (acc + new_acc) * dt
        acc, new_acc = new_acc, acc
    q, p = x[6:8].copy(), x[8:10].copy()
    p -= 0.05 * (q + 0.5 * np.sin(q))
    for i in range(4):
        q += 0.1 * p
        if i != 3:
            p -= 0.1 * (q + 0.5 * np.sin(q))
    p -= 0.05 * (q + 0.5 * np.sin(q))
    return np.sum(pos**2) + np.sum(vel**2) + 0.5 * q @ q - 0.5 * np.sum(np.cos(q)) + 0.5 * p @ p


def _hvp(fn, x, **kw):
    return Case(fn, (x,), (0,), extra="hvp", **kw)


CASES = [
    _hvp(sim_lj_vectorized, XS),
    _hvp(sim_lj_pair_loops, XS),
    _hvp(sim_lj_forces, XS),
    _hvp(sim_sph, XS, jitter=0.0),
    _hvp(sim_heat_wave, XS),
    _hvp(sim_lotka_volterra, XS),
    _hvp(sim_sir, XS),
    _hvp(sim_pendulum, XS),
    _hvp(sim_kalman, XS),
    _hvp(sim_black_scholes, XS),
    _hvp(sim_monte_carlo, XS),
    _hvp(sim_verlet_leapfrog, XS),
]
