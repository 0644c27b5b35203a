"""Ported cases (session 25, hunt25d), written anew after particle and grid simulations that
update their state in place: reflecting walls by ``v[mask] *= -1`` and ``x[mask] = 2 * L -
x[mask]``, periodic wrapping by ``pos %= L`` on an array, a speed limit by ``np.clip(v, -vm, vm,
out=v)``, columns updated through ``pos[:, 0] += ...``, a neighbour list of index pairs built
once (``np.nonzero`` of a distance test) and reused, a particle class holding position and
velocity arrays and a ``step`` method, pinned cloth nodes restored by ``p[pinned] =
p0[pinned]`` from a saved copy, a predator-prey model with a dict state and ``**`` rebuilding,
a 2-D diffusion stencil with ``np.roll`` and a ``u[0, :] = u[1, :]`` boundary, a spring chain
keeping a list of its velocity rows, a leapfrog with a half-kick in ``np.float32``, a
Runge-Kutta step for a pendulum with ``math.sin`` of a 0-d array.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import math

import numpy as np

from . import Case

R = np.random.default_rng(253)
L_BOX = 2.0


def bounce(x0, steps=5, dt=0.3):
    x = x0.reshape(-1, 2).copy()
    v = np.array([[1.0, 0.5], [-0.7, 1.2], [0.4, -0.9]])
    for _ in range(steps):
        x += dt * v
        hi = x > L_BOX
        x[hi] = 2 * L_BOX - x[hi]
        v[hi] *= -1
        lo = x < 0
        x[lo] = -x[lo]
        v[lo] *= -1
    return np.sum(x**2) + np.sum(v[:, 0] * x[:, 1])


def periodic(x0, steps=4, dt=0.4):
    pos = x0.reshape(-1, 2).copy()
    vel = np.array([[1.0, 0.5], [-0.7, 1.2], [0.4, -0.9]])
    for _ in range(steps):
        pos += dt * vel
        pos %= L_BOX
    return np.sum(np.sin(np.pi * pos))


def clipped_speed(v0, vm=0.8, steps=3):
    x = np.zeros(4)
    v = v0.copy()
    for k in range(steps):
        v += 0.3 * np.cos(x + k)
        np.clip(v, -vm, vm, out=v)
        x += 0.5 * v
    return x @ x


def column_updates(p0):
    pos = p0.reshape(3, 2).copy()
    for k in range(3):
        pos[:, 0] += 0.1 * pos[:, 1]
        pos[:, 1] -= 0.2 * np.sin(pos[:, 0])
        col = pos[:, k % 2]
        col *= 1.05
    return np.sum(pos**3)


def neighbour_list(x0, rc=1.2):
    p = x0.reshape(-1, 2)
    d = np.linalg.norm(p[:, None] - p[None, :], axis=-1)
    ii, jj = np.nonzero((d < rc) & (d > 0))
    keep = ii < jj
    ii, jj = ii[keep], jj[keep]
    e = 0.0
    for _ in range(2):
        r = np.linalg.norm(p[ii] - p[jj], axis=1)
        e += np.sum((r - 0.5) ** 2)
        p = p * 1.1
    return e


class Particles:
    def __init__(self, x, v):
        self.x = x.copy()
        self.v = v
        self.t = 0.0

    def step(self, dt):
        a = -self.x - 0.1 * self.v
        self.v += dt * a
        self.x += dt * self.v
        self.t += dt

    @property
    def energy(self):
        return 0.5 * np.sum(self.v**2) + 0.5 * np.sum(self.x**2)


def particle_class(x0):
    ps = Particles(x0, np.zeros_like(x0))
    for _ in range(4):
        ps.step(0.2)
    return ps.energy + ps.t


def pinned_cloth(p_flat, steps=3):
    p = p_flat.reshape(4, 2).copy()
    p0 = p.copy()
    pinned = np.array([0, 3])
    v = np.zeros_like(p)
    for _ in range(steps):
        v[:, 1] -= 0.5
        d = p[1:] - p[:-1]
        ln = np.linalg.norm(d, axis=1, keepdims=True)
        f = 5.0 * (ln - 1.0) * d / ln
        v[:-1] += 0.1 * f
        v[1:] -= 0.1 * f
        p += 0.1 * v
        p[pinned] = p0[pinned]
        v[pinned] = 0.0
    return np.sum(p[:, 1]) + np.sum(p**2)


def predator_prey(theta, steps=20, dt=0.05):
    a, b, c, d = theta
    state = {"prey": 1.0, "pred": 0.5}
    for _ in range(steps):
        x, y = state["prey"], state["pred"]
        state = {**state, "prey": x + dt * (a * x - b * x * y)}
        state["pred"] = y + dt * (d * x * y - c * y)
    return state["prey"] * state["pred"]


def diffusion_2d(u0, steps=3, nu=0.1):
    u = u0.reshape(4, 4).copy()
    for _ in range(steps):
        lap = np.roll(u, 1, 0) + np.roll(u, -1, 0) + np.roll(u, 1, 1) + np.roll(u, -1, 1) - 4 * u
        u += nu * lap
        u[0, :] = u[1, :]
        u[:, -1] = 0.5 * u[:, -2]
    return np.sum(u**2)


def spring_chain(x0, steps=3, dt=0.1):
    x = x0.copy()
    v = np.zeros_like(x)
    history = []
    for _ in range(steps):
        f = np.zeros_like(x)
        f[1:] -= x[1:] - x[:-1] - 1.0
        f[:-1] += x[1:] - x[:-1] - 1.0
        v += dt * f
        x += dt * v
        history.append(v.copy())
    return sum(np.sum(h**2) for h in history) + x[-1]


def leapfrog32(q0, steps=4):
    q = q0.copy()
    p = np.zeros_like(q)
    dt = np.float32(0.1)
    for _ in range(steps):
        p -= 0.5 * dt * q**3
        q += dt * p
        p -= 0.5 * dt * q**3
    return float(np.sum(p**2) + np.sum(q**4))


def pendulum_rk4(th, steps=5, h=0.1):
    y = np.array([th, 0.0])

    def f(y):
        return np.array([y[1], -9.81 * math.sin(y[0])])

    for _ in range(steps):
        k1 = f(y)
        k2 = f(y + h / 2 * k1)
        k3 = f(y + h / 2 * k2)
        k4 = f(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return y[0] ** 2 + 0.1 * y[1]


CASES = [
    Case(bounce, (np.array([0.3, 1.1, 1.5, 0.4, 0.9, 1.7]),), (0,), extra="hvp"),
    Case(periodic, (np.array([0.33, 1.1, 1.45, 0.47, 0.9, 1.7]),), (0,), extra="hvp"),
    Case(clipped_speed, (np.array([0.1, 0.45, -0.3, 0.2]),), (0,), extra="hvp"),
    Case(column_updates, (R.standard_normal(6),), (0,), extra="hvp"),
    Case(neighbour_list, (np.array([0.0, 0.0, 0.8, 0.1, 0.3, 0.9, 2.0, 2.1]),), (0,), extra="hvp"),
    Case(particle_class, (R.standard_normal(3),), (0,), extra="hvp"),
    Case(pinned_cloth, (np.array([0.0, 0.0, 1.0, -0.2, 2.0, -0.1, 3.0, 0.0]),), (0,), extra="hvp"),
    Case(predator_prey, (np.array([1.1, 0.4, 0.4, 0.1]),), (0,), extra="hvp"),
    Case(diffusion_2d, (R.standard_normal(16),), (0,), extra="hvp"),
    Case(spring_chain, (np.array([0.0, 1.1, 2.3, 2.9]),), (0,), extra="hvp"),
    Case(leapfrog32, (np.array([0.5, -0.3, 0.8]),), (0,), extra="hvp"),
    Case(pendulum_rk4, (0.4,), (0,), extra="hvp"),
]
