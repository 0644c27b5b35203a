"""Ported cases (session 33, hunt33b), written anew after simulations and scientific programs as
users write them, and derivatives taken inside differentiated code: an adaptive step that ends
exactly at a differentiated final time, a collision that swaps velocities, a heat equation with
in-place interior updates, cloth springs over index pairs, particles with a distance neighbour
list and ``np.add.at``, a Gillespie loop and a Metropolis chain with fixed generators, a leapfrog
orbit, a hand-written adaptive RK23, a spectral heat step with ``np.fft``, a checkpointed loop
calling a method of an object made in the function, Newton and bilevel steps through an inner
``srcad.grad``, and particles as dicts updated through the loop variable then sorted.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

import srcad

from . import Case

X2 = np.array([0.73, 0.5])
X3 = np.array([0.4, -0.7, 0.1])
X4 = np.array([0.3, 0.6, 0.9, -0.5])


def final_time_param(p):
    T = p[0]
    t, dt = 0.0, 0.1
    y = np.array([1.0, 0.0])
    while t < T:
        dt = min(dt, T - t)
        y = y + dt * np.array([y[1], -p[1] * y[0]])
        t = t + dt
    return y[0] + y[1]


def elastic_swap(p):
    x = np.array([0.0, 1.0])
    v = np.array([p[0] + 0.1, -p[1]])
    for _ in range(30):
        x = x + 0.05 * v
        if abs(x[1] - x[0]) < 0.1:
            v[0], v[1] = v[1], v[0]
        v = np.clip(v, -3.0, 3.0)
    return x[0] ** 2 + 3 * x[1] + v[0] * v[1]


def heat_inplace(p):
    u = np.zeros(8)
    u[2:6] = p
    for _ in range(10):
        u[1:-1] += 0.2 * (u[2:] - 2 * u[1:-1] + u[:-2])
        u[0] = u[1]
        u[-1] = 0.0
    return np.sum(u**2 * np.arange(8))


EDGES = [(0, 1), (1, 2), (2, 3), (0, 2), (1, 3)]


def cloth_springs(p):
    x = np.array([[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]) + 0.1 * p.reshape(4, 2)
    v = np.zeros_like(x)
    rest = {e: math.sqrt(2) if e in ((0, 2), (1, 3)) else 1.0 for e in EDGES}
    for _ in range(8):
        f = np.zeros_like(x)
        f[:, 1] -= 0.1
        for i, j in EDGES:
            d = x[j] - x[i]
            L = np.linalg.norm(d)
            fs = 5.0 * (L - rest[(i, j)]) * d / L
            f[i] += fs
            f[j] -= fs
        v = 0.98 * (v + 0.05 * f)
        v[0] = 0.0
        x = x + 0.05 * v
    return np.sum(x[:, 1]) + np.sum(x**2)


def neighbour_particles(p):
    x = p.reshape(-1, 2)
    for _ in range(3):
        d = x[:, None, :] - x[None, :, :]
        r2 = np.sum(d**2, axis=-1)
        ii, jj = np.nonzero((r2 < 1.0) & (r2 > 0))
        w = (1.0 - r2[ii, jj])[:, None]
        f = np.zeros_like(x)
        np.add.at(f, ii, w * d[ii, jj])
        x = x + 0.1 * f
    return np.sum(x**3)


def gillespie_time(p):
    rng = np.random.default_rng(7)
    n = np.array([20.0, 5.0])
    t = 0.0
    for _ in range(25):
        a = np.array([p[0] * n[0], p[1] * n[0] * n[1] / 10.0, 0.5 * n[1]])
        a0 = a.sum()
        t += rng.exponential(1.0) / a0
        j = np.searchsorted(np.cumsum(a) / a0, rng.random())
        if j == 0:
            n[0] += 1
        elif j == 1:
            n[0] -= 1
            n[1] += 1
        else:
            n[1] -= 1
    return t


def metropolis_mean(p):
    rng = np.random.default_rng(5)
    x = 0.0
    acc = 0.0
    for _ in range(50):
        prop = x + p[1] * rng.normal()
        logr = -0.5 * (prop - p[0]) ** 2 + 0.5 * (x - p[0]) ** 2
        if np.log(rng.random()) < logr:
            x = prop
        acc = acc + x
    return acc / 50


def leapfrog_orbit(p):
    q = np.array([1.0, 0.0])
    v = np.array([0.0, p[0] + 0.5])
    GM = p[1] + 0.6
    dt = 0.05
    a = -GM * q / np.linalg.norm(q) ** 3
    for _ in range(50):
        v = v + 0.5 * dt * a
        q = q + dt * v
        a = -GM * q / np.linalg.norm(q) ** 3
        v = v + 0.5 * dt * a
    return 0.5 * v @ v - GM / np.linalg.norm(q) + q[0]


def adaptive_rk23(p):
    def f(t, y):
        return np.array([y[1], -(p[0] + 1.5) * y[0] - p[1] * y[1]])

    y = np.array([1.0, 0.0])
    t, h, T, n = 0.0, 0.2, 2.0, 0
    while t < T - 1e-12 and n < 200:
        n += 1
        h = min(h, T - t)
        k1 = f(t, y)
        k2 = f(t + h / 2, y + h / 2 * k1)
        k3 = f(t + 3 * h / 4, y + 3 * h / 4 * k2)
        ynew = y + h * (2 * k1 + 3 * k2 + 4 * k3) / 9
        k4 = f(t + h, ynew)
        err = h * np.max(np.abs(-5 * k1 / 72 + k2 / 12 + k3 / 9 - k4 / 8))
        if err < 1e-4:
            t += h
            y = ynew
        h = h * min(2.0, max(0.2, 0.9 * (1e-4 / max(err, 1e-12)) ** (1 / 3)))
    return y[0] + 0.5 * y[1]


def spectral_heat(p):
    u = np.concatenate([p, p[::-1] * 0.5])
    k = np.fft.fftfreq(len(u)) * 2 * np.pi * len(u)
    u2 = np.real(np.fft.ifft(np.fft.fft(u) * np.exp(-0.01 * k**2)))
    return np.sum(u2**2 * np.arange(len(u)))


class Cell:
    def __init__(self, w):
        self.w = w

    def __call__(self, h):
        return np.tanh(self.w * h) + 0.5 * h


def checkpointed_cell(p):
    cell = Cell(p[0])
    h = p
    for _ in srcad.checkpoint_loop(range(5), every=2):
        h = cell(h)
    return np.sum(h**3)


def two_cells(h, w):
    c = Cell(w)
    return c(c(h))


def checkpointed_block_object(p):
    blk = srcad.checkpoint(two_cells)
    h = p
    for _ in range(3):
        h = blk(h, p[1])
    return np.sum(h**2)


def inner_energy(z, a):
    return z**4 / 4 + a * z**2 / 2 - z


def newton_inner_grads(p):
    z = 1.0
    for _ in range(6):
        z = z - srcad.grad(inner_energy)(z, p[0]) / srcad.grad(srcad.grad(inner_energy))(z, p[0])
    return z * p[1] + z**2


def bilevel_ridge(p):
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    b = np.array([1.0, -1.0])
    w = np.zeros(2)
    for _ in range(20):
        g = srcad.grad(lambda u: 0.5 * u @ A @ u - b @ u + p[0] * np.sum(u**2))(w)
        w = w - 0.2 * g
    return np.sum((w - p[1]) ** 2)


def dict_particles_sorted(p):
    ps = [{"x": p[i], "v": 0.0} for i in range(len(p))]
    for q in ps:
        q["v"] -= 0.1 * q["x"] ** 3
        q["x"] += 0.1 * q["v"]
    ps = sorted(ps, key=lambda q: q["x"])
    return sum((k + 1) * q["x"] for k, q in enumerate(ps))


CASES = [
    Case(final_time_param, (X2,), (0,), extra="hvp"),
    Case(elastic_swap, (np.array([0.83, 0.41]),), (0,), extra="hvp"),
    Case(heat_inplace, (X4,), (0,), extra="hvp"),
    Case(cloth_springs, (np.linspace(-0.3, 0.4, 8),), (0,), extra="hvp"),
    Case(neighbour_particles, (np.array([0.0, 0.0, 0.5, 0.1, 0.2, 0.7, 1.5, 1.5]),), (0,)),
    Case(gillespie_time, (np.array([0.5, 0.3]),), (0,), extra="hvp"),
    Case(metropolis_mean, (np.array([0.5, 0.8]),), (0,), extra="hvp"),
    Case(leapfrog_orbit, (X2,), (0,), extra="hvp"),
    Case(adaptive_rk23, (X2,), (0,), extra="hvp"),
    Case(spectral_heat, (X4,), (0,), extra="hvp"),
    Case(checkpointed_cell, (X2,), (0,), extra="hvp"),
    Case(checkpointed_block_object, (X2,), (0,), extra="hvp"),
    Case(newton_inner_grads, (X2,), (0,), extra="hvp"),
    Case(bilevel_ridge, (X2,), (0,), extra="hvp"),
    Case(dict_particles_sorted, (X3,), (0,), extra="hvp"),
]
