"""Ported cases (session 51, hunt51a): chemistry and physics: Morse bonds, bond angles by arccos of
clipped cosines, a dihedral by arctan2, an Ewald real-space sum with minimum image and cutoff,
Ising and XY energies with np.roll, implicit heat steps by np.linalg.solve, RK4 loops of SEIR,
Lotka-Volterra and a pendulum, harmonic bonds, a cut and shifted Lennard-Jones.

Float64 arrays and floats -> floats. NumPy 2.0-safe."""

from __future__ import annotations

import math

import numpy as np

from . import Case


def morse_bonds(x, bonds, D=1.0, a=1.5, r0=1.0):
    pos = x.reshape(-1, 3)
    E = 0.0
    for i, j in bonds:
        r = np.linalg.norm(pos[i] - pos[j])
        E += D * (1 - np.exp(-a * (r - r0))) ** 2
    return E


def angle_energy(x, triples, k=0.5, theta0=1.9):
    pos = x.reshape(-1, 3)
    E = 0.0
    for i, j, l in triples:  # noqa: E741
        u = pos[i] - pos[j]
        v = pos[l] - pos[j]
        c = np.dot(u, v) / (np.linalg.norm(u) * np.linalg.norm(v))
        th = np.arccos(np.clip(c, -1.0, 1.0))
        E += k * (th - theta0) ** 2
    return E


def dihedral(x):
    p0, p1, p2, p3 = x.reshape(4, 3)
    b0 = -(p1 - p0)
    b1 = p2 - p1
    b2 = p3 - p2
    b1n = b1 / np.linalg.norm(b1)
    v = b0 - np.dot(b0, b1n) * b1n
    w = b2 - np.dot(b2, b1n) * b1n
    xx = np.dot(v, w)
    y = np.dot(np.cross(b1n, v), w)
    phi = np.arctan2(y, xx)
    return 1.0 + np.cos(3 * phi - 0.2)


def ewald_real(pos, q, L=3.0, alpha=1.2, rc=1.4):
    from scipy.special import erfc

    n = len(q)
    E = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d = pos[i] - pos[j]
            d = d - L * np.round(d / L)
            r = np.sqrt(d @ d)
            if r < rc:
                E += q[i] * q[j] * erfc(alpha * r) / r
    return E


def ising_energy(s, J=1.0, h=0.1):
    return -J * np.sum(s * np.roll(s, 1, axis=0) + s * np.roll(s, 1, axis=1)) - h * np.sum(s)


def xy_energy(theta, J=1.0):
    e = 0.0
    for ax in (0, 1):
        e -= J * np.sum(np.cos(theta - np.roll(theta, -1, axis=ax)))
    return e


def heat_implicit(u0, kappa, steps=4, dt=0.1):
    n = len(u0)
    dx = 1.0 / (n + 1)
    r = kappa * dt / dx**2
    A = np.eye(n) * (1 + 2 * r)
    for i in range(n - 1):
        A[i, i + 1] = -r
        A[i + 1, i] = -r
    u = u0.copy()
    for _ in range(steps):
        u = np.linalg.solve(A, u)
    return np.sum(u**2)


def heat_wrap(p, u0):
    return heat_implicit(u0, p[0])


def rk4(f, y, t0, t1, n, args):
    h = (t1 - t0) / n
    t = t0
    for _ in range(n):
        k1 = f(t, y, args)
        k2 = f(t + h / 2, y + h / 2 * k1, args)
        k3 = f(t + h / 2, y + h / 2 * k2, args)
        k4 = f(t + h, y + h * k3, args)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        t += h
    return y


def seir_rhs(t, y, p):
    S, E, I, R = y  # noqa: E741
    N = S + E + I + R
    beta, sigma, gamma = p["beta"], p["sigma"], p["gamma"]
    return np.array(
        [-beta * S * I / N, beta * S * I / N - sigma * E, sigma * E - gamma * I, gamma * I]
    )


def seir_loss(theta, obs):
    p = {"beta": theta[0], "sigma": theta[1], "gamma": theta[2]}
    y = np.array([0.97, 0.02, 0.01, 0.0])
    preds = []
    for k in range(len(obs)):  # noqa: B007
        y = rk4(seir_rhs, y, 0.0, 1.0, 4, p)
        preds.append(y[2])
    return np.sum((np.array(preds) - obs) ** 2)


def lv_rhs(t, z, th):
    x, y = z[0], z[1]
    a, b, c, d = th
    return np.array([a * x - b * x * y, -c * y + d * x * y])


def lotka(th):
    z = rk4(lv_rhs, np.array([1.0, 0.5]), 0.0, 2.0, 20, th)
    return z[0] * z[1]


def pendulum(th):
    def rhs(t, s, p):
        return np.array([s[1], -p[0] * math.sin(s[0]) - p[1] * s[1]])

    s = rk4(rhs, np.array([th[2], 0.0]), 0.0, 1.5, 15, th)
    return s[0] ** 2 + 0.1 * s[1] ** 2


def harmonic_bonds(x, k=100.0, r0=1.0):
    pos = x.reshape(-1, 3)
    d = pos[1:] - pos[:-1]
    r = np.sqrt((d**2).sum(axis=1))
    return 0.5 * k * np.sum((r - r0) ** 2)


def lj_cutoff(x, rc=2.5):
    pos = x.reshape(-1, 3)
    diff = pos[:, None, :] - pos[None, :, :]
    r2 = np.sum(diff**2, axis=-1)
    iu = np.triu_indices(pos.shape[0], 1)
    r2 = r2[iu]
    inv6 = (1.0 / r2) ** 3
    e = 4 * (inv6**2 - inv6)
    ec = 4 * ((1 / rc**12) - (1 / rc**6))
    return np.sum(np.where(r2 < rc**2, e - ec, 0.0))


_R = np.random.default_rng(54)
MOL = np.array([[0.0, 0.0, 0.0], [1.1, 0.0, 0.0], [1.5, 1.0, 0.0], [2.6, 1.1, 0.4]]).ravel()
SPIN = _R.standard_normal((4, 4))
THXY = _R.uniform(-np.pi, np.pi, (3, 4))

CASES = [
    Case(morse_bonds, (MOL, [(0, 1), (1, 2), (2, 3)]), (0,)),
    Case(angle_energy, (MOL, [(0, 1, 2), (1, 2, 3)]), (0,)),
    Case(dihedral, (MOL,), (0,)),
    Case(ewald_real, (_R.uniform(0, 3, (4, 3)), np.array([1.0, -1.0, 0.5, -0.5])), (0, 1)),
    Case(ising_energy, (SPIN,), (0,)),
    Case(xy_energy, (THXY,), (0,)),
    Case(heat_wrap, (np.array([0.5]), np.sin(np.linspace(0.3, 2.8, 5))), (0, 1)),
    Case(seir_loss, (np.array([0.6, 0.3, 0.2]), np.array([0.015, 0.02, 0.03])), (0,)),
    Case(lotka, (np.array([1.1, 0.4, 0.4, 0.1]),), (0,)),
    Case(pendulum, (np.array([9.81, 0.1, 0.5]),), (0,)),
    Case(harmonic_bonds, (MOL,), (0,)),
    Case(
        lj_cutoff,
        (np.array([[0, 0, 0], [1.1, 0, 0], [0, 1.2, 0.1], [2.0, 2.0, 0.0]], float).ravel(),),
        (0,),
    ),
]
