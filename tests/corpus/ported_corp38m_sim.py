"""Ported cases (session 38, corp38m_sim): metamorphic variants of the simulations of
tests/corpus/users_sim.py, the same computation in another style, one aspect changed: a while
loop with a manual counter or a recursive helper for a for loop, an early `return` for
`break`, a `__call__` object / `@staticmethod` / dataclass for a function, a list of floats or
Python scalars for an array, `math.*` for `np.*`, `x[i] = x[i] + v` / `np.add(.., out=)` for
`x[i] += v`, `itertools.combinations` / `sum(generator)` / `functools.reduce` for nested loops,
an if-expression for an if-statement.

Floats and float64 arrays -> floats or arrays. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

from . import Case
from .users_sim import (
    THRESH,
    G,
    binomial_tree,
    black_scholes,
    bouncing_ball,
    euler_decay,
    heat1d_inplace_gs,
    heat1d_loop,
    leapfrog_hmc,
    logistic_map,
    lotka_volterra,
    nbody_energy,
    nbody_forces,
    newton_sqrt,
    pendulum,
    rk4,
    sir_model,
    spring_chain,
)

RS = np.random.default_rng(38001)


def euler_count(k, y0, t_end=1.0, dt=0.1):
    n = 0
    t = 0.0
    while t < t_end - 1e-12:
        t += dt
        n += 1
    y = y0
    for _ in range(n):
        y -= dt * k * y
    return y


def euler_recursive(k, y0, t_end=1.0, dt=0.1):
    def go(y, t):
        return go(y - dt * k * y, t + dt) if t < t_end - 1e-12 else y

    return go(y0, 0.0)


class _Osc:
    def __init__(self, w):
        self.w = w

    def __call__(self, t, y):
        return np.array([y[1], -(self.w**2) * y[0] - 0.1 * y[1]])


def rk4_callable(w, y0, dt=0.05, steps=10):
    f = _Osc(w)
    y = y0.copy()
    t = 0.0
    for _ in range(steps):
        k1 = f(t, y)
        k2 = f(t + dt / 2, y + dt / 2 * k1)
        k3 = f(t + dt / 2, y + dt / 2 * k2)
        k4 = f(t + dt, y + dt * k3)
        np.add(y, dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4), out=y)
        t += dt
    return y


class _Stepper:
    @staticmethod
    def rhs(y, w):
        return [y[1], -(w**2) * y[0] - 0.1 * y[1]]

    @classmethod
    def step(cls, y, w, dt):
        k1 = cls.rhs(y, w)
        k2 = cls.rhs([a + dt / 2 * b for a, b in zip(y, k1)], w)
        k3 = cls.rhs([a + dt / 2 * b for a, b in zip(y, k2)], w)
        k4 = cls.rhs([a + dt * b for a, b in zip(y, k3)], w)
        return [y[i] + dt / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) for i in range(2)]


def rk4_lists(w, y0, dt=0.05, steps=10):
    y = [y0[0], y0[1]]
    for _ in range(steps):
        y = _Stepper.step(y, w, dt)
    return np.array(y)


def nbody_combinations(pos, mass):
    return -sum(
        G * mass[i] * mass[j] / np.linalg.norm(pos[i] - pos[j])
        for i, j in itertools.combinations(range(len(pos)), 2)
    )


def nbody_reduce(pos, mass):
    pairs = [(i, j) for i in range(pos.shape[0]) for j in range(i + 1, pos.shape[0])]
    return functools.reduce(
        lambda e, ij: (
            e - G * mass[ij[0]] * mass[ij[1]] / np.sqrt(np.sum((pos[ij[0]] - pos[ij[1]]) ** 2))
        ),
        pairs,
        0.0,
    )


def nbody_forces_vec(pos, mass):
    d = pos[None, :, :] - pos[:, None, :]
    r = np.sqrt((d**2).sum(axis=-1) + 0.01)
    w = G * mass[:, None] * mass[None, :] / r**3
    np.fill_diagonal(w, 0.0)
    return np.einsum("ij,ijk->ik", w, d)


def nbody_forces_while(pos, mass):
    n = len(pos)
    F = np.zeros_like(pos)
    i = 0
    while i < n:
        j = 0
        while j < n:
            if i != j:
                d = pos[j] - pos[i]
                r = np.sqrt(d @ d + 0.01)
                F[i] = F[i] + G * mass[i] * mass[j] * d / r**3
            j += 1
        i += 1
    return F


def heat_loop_list(u0, alpha, steps=3):
    u = list(u0)
    n = len(u)
    for _ in range(steps):
        u = (
            [u[0]]
            + [u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1]) for i in range(1, n - 1)]
            + [u[-1]]
        )
    return sum(v * v for v in u)


def heat_loop_slices(u0, alpha, steps=3):
    u = np.array(u0)
    for _ in range(steps):
        u = np.concatenate([u[:1], u[1:-1] + alpha * (u[2:] - 2 * u[1:-1] + u[:-2]), u[-1:]])
    return u @ u


def heat_gs_while(u0, alpha, steps=2):
    u = u0.copy()
    s = 0
    while s < steps:
        i = 1
        while i < len(u) - 1:
            u[i] += alpha * (u[i + 1] - 2 * u[i] + u[i - 1])
            i += 1
        s += 1
    return u


def spring_chain_list(x0, k, m=1.0, dt=0.05, steps=6):
    x = [float(v) for v in x0]
    v = [0.0] * len(x)
    n = len(x)
    for _ in range(steps):
        f = [0.0] * n
        for i in range(n - 1):
            s = k * (x[i + 1] - x[i] - 1.0)
            f[i] = f[i] + s
            f[i + 1] = f[i + 1] - s
        v = [vi + dt * fi / m for vi, fi in zip(v, f)]
        x = [xi + dt * vi for xi, vi in zip(x, v)]
    return x[-1] - x[0]


def spring_chain_vec(x0, k, m=1.0, dt=0.05, steps=6):
    x = x0.copy()
    v = np.zeros_like(x)
    for _ in range(steps):
        s = k * (np.diff(x) - 1.0)
        f = np.zeros(len(x))
        f[:-1] += s
        f[1:] -= s
        v += dt * f / m
        x += dt * v
    return x[-1] - x[0]


def lv_return(a, b, x0, y0, dt=0.05, steps=40):
    x, y = x0, y0
    for _ in range(steps):
        dx = a * x - b * x * y
        dy = -0.8 * y + 0.3 * x * y
        x, y = x + dt * dx, y + dt * dy
        if y < THRESH:
            return x + 2 * y
    return x + 2 * y


def lv_while_flag(a, b, x0, y0, dt=0.05, steps=40):
    state = {"x": x0, "y": y0}
    n, done = 0, False
    while n < steps and not done:
        x, y = state["x"], state["y"]
        state["x"] = x + dt * (a * x - b * x * y)
        state["y"] = y + dt * (-0.8 * y + 0.3 * x * y)
        done = state["y"] < THRESH
        n += 1
    return state["x"] + 2 * state["y"]


def lv_recursive(a, b, x0, y0, dt=0.05, steps=40):
    def go(x, y, n):
        if n == 0:
            return x + 2 * y
        x, y = x + dt * (a * x - b * x * y), y + dt * (-0.8 * y + 0.3 * x * y)
        return x + 2 * y if y < THRESH else go(x, y, n - 1)

    return go(x0, y0, steps)


@dataclass
class _Pend:
    th: float
    om: float = 0.0

    def step(self, g_over_l, dt):
        self.om = self.om - g_over_l * np.sin(self.th) * dt
        self.th = self.th + self.om * dt


def pendulum_dataclass(theta0, L, g=9.81, dt=0.01, steps=20):
    p = _Pend(theta0)
    for _ in range(steps):
        p.step(g / L, dt)
    return np.cos(p.th) * L


def pendulum_while(theta0, L, g=9.81, dt=0.01, steps=20):
    th, om, n = theta0, 0.0, 0
    while n < steps:
        om = om - g / L * np.sin(th) * dt
        th = th + om * dt
        n = n + 1
    return L * math.cos(th)


def black_scholes_kw(S, K, T, r, sigma):
    ncdf = lambda x: 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))  # noqa: E731

    def d12(*, spot, strike, vol, rate=r, tau=T):
        d1 = (np.log(spot / strike) + (rate + vol**2 / 2) * tau) / (vol * np.sqrt(tau))
        return d1, d1 - vol * np.sqrt(tau)

    d1, d2 = d12(spot=S, strike=K, vol=sigma)
    return S * ncdf(d1) - K * np.exp(-r * T) * ncdf(d2)


def black_scholes_dict(S, K, T, r, sigma):
    p = dict(S=S, K=K, T=T, r=r, sigma=sigma)
    sq = math.sqrt(p["T"])
    d = {
        "d1": (math.log(p["S"] / p["K"]) + (p["r"] + 0.5 * p["sigma"] ** 2) * p["T"])
        / (p["sigma"] * sq)
    }
    d["d2"] = d["d1"] - p["sigma"] * sq
    n1, n2 = (0.5 * (1.0 + math.erf(d[k] / math.sqrt(2.0))) for k in ("d1", "d2"))
    return p["S"] * n1 - p["K"] * math.exp(-p["r"] * p["T"]) * n2


def binomial_array(S, sigma, K=1.0, r=0.02, T=1.0, n=6):
    dt = T / n
    u = np.exp(sigma * np.sqrt(dt))
    d = 1 / u
    p = (np.exp(r * dt) - d) / (u - d)
    disc = np.exp(-r * dt)
    j = np.arange(n + 1)
    vals = np.maximum(S * u**j * d ** (n - j) - K, 0.0)
    for step in reversed(range(n)):
        j = np.arange(step + 1)
        cont = disc * (p * vals[1 : step + 2] + (1 - p) * vals[: step + 1])
        vals = np.maximum(cont, K - S * u**j * d ** (step - j))
    return vals[0]


def binomial_while(S, sigma, K=1.0, r=0.02, T=1.0, n=6):
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    vals = []
    for j in range(n + 1):
        payoff = S * u**j * d ** (n - j) - K
        vals.append(payoff if payoff > 0.0 else 0.0)
    step = n - 1
    while step >= 0:
        for j in range(step + 1):
            cont = disc * (p * vals[j + 1] + (1 - p) * vals[j])
            exercise = K - S * u**j * d ** (step - j)
            if cont > exercise:
                vals[j] = cont
            else:
                vals[j] = exercise
        step -= 1
    return vals[0]


def leapfrog_break(q, p, eps=0.1, L=5):
    grad_U = lambda q: q  # noqa: E731
    p = p - eps / 2 * grad_U(q)
    i = 0
    while True:
        q = q + eps * p
        i += 1
        if i == L:
            break
        p = p - eps * grad_U(q)
    p = p - eps / 2 * grad_U(q)
    return 0.5 * (q @ q) + 0.5 * np.sum(p * p)


def leapfrog_inplace(q, p, eps=0.1, L=5):
    q, p = q.copy(), p.copy()
    p -= eps / 2 * q
    for i in range(L):
        q += eps * p
        p -= (eps if i < L - 1 else 0.0) * q
    p -= eps / 2 * q
    return 0.5 * np.dot(q, q) + 0.5 * np.dot(p, p)


def logistic_map_reduce(r, x0, n=8):
    xs = functools.reduce(lambda acc, _: acc + [r * acc[-1] * (1 - acc[-1])], range(n), [x0])
    return sum(xs) / len(xs)


def logistic_map_running(r, x0, n=8):
    x, total, count = x0, x0, 1
    while count <= n:
        x = r * x * (1 - x)
        total += x
        count += 1
    return total / count


def sir_if_statement(beta, gamma, s0=0.99, i0=0.01, dt=0.1, steps=30):
    s, i, rec = s0, i0, 0.0
    peak = i
    for _ in range(steps):
        ds, di = -beta * s * i, beta * s * i - gamma * i
        s, i = s + dt * ds, i + dt * di
        rec = rec + dt * gamma * i
        if i > peak:
            peak = i
    return peak + rec


def sir_array_state(beta, gamma, s0=0.99, i0=0.01, dt=0.1, steps=30):
    y = np.array([s0, i0, 0.0])
    peaks = [i0]
    for _ in range(steps):
        flow = beta * y[0] * y[1]
        y[0] -= dt * flow
        y[1] += dt * (flow - gamma * y[1])
        y[2] += dt * gamma * y[1]
        peaks.append(y[1])
    return max(peaks) + y[2]


def bouncing_ifexpr(h0, e, dt=0.02, steps=60):
    y, v = h0, 0.0
    for _ in range(steps):
        v = v - 9.81 * dt
        y = y + v * dt
        y, v = (-y, -e * v) if y < 0 else (y, v)
    return y + v


def bouncing_where(h0, e, dt=0.02, steps=60):
    y, v = np.float64(h0), 0.0
    for _ in range(steps):
        v -= 9.81 * dt
        y += v * dt
        v = np.where(y < 0, -e * v, v)
        y = np.abs(y)
    return float(y + v)


def newton_recursive(a, iters=6):
    def it(x, k):
        return x if k == 0 else it(0.5 * (x + a / x), k - 1)

    return it(a, iters)


def newton_reduce(a, iters=6):
    return functools.reduce(lambda x, _: (x + a / x) / 2, range(iters), a)


POS4 = RS.standard_normal((4, 2))
M4 = np.array([1.0, 2.0, 0.5, 1.5])
POS3 = RS.standard_normal((3, 2))
M3 = np.array([1.0, 2.0, 0.5])
U6 = np.sin(np.linspace(0, 3, 6))
X4 = np.array([0.0, 1.1, 2.3, 2.9])

CASES = [
    Case(euler_count, (0.7, 2.0), (0, 1), extra="hvp"),
    Case(euler_recursive, (0.7, 2.0), (0, 1)),
    Case(rk4_callable, (1.3, np.array([1.0, 0.0])), (0, 1)),
    Case(rk4_lists, (1.3, np.array([1.0, 0.0])), (0, 1)),
    Case(nbody_combinations, (POS4, M4), (0, 1), extra="hvp"),
    Case(nbody_reduce, (POS4, M4), (0, 1)),
    Case(nbody_forces_vec, (POS3, M3), (0, 1)),
    Case(nbody_forces_while, (POS3, M3), (0, 1)),
    Case(heat_loop_list, (U6, 0.2), (0, 1)),
    Case(heat_loop_slices, (U6, 0.2), (0, 1), extra="hvp"),
    Case(heat_gs_while, (U6, 0.2), (0, 1)),
    Case(spring_chain_list, (X4, 2.0), (0, 1)),
    Case(spring_chain_vec, (X4, 2.0), (0, 1), extra="hvp"),
    Case(lv_return, (1.1, 0.4, 1.0, 0.5), (0, 1, 2, 3)),
    Case(lv_return, (0.2, 0.9, 1.0, 0.5), (0, 1, 2, 3), name="ported_corp38m_sim.lv_return_early"),
    Case(lv_while_flag, (0.2, 0.9, 1.0, 0.5), (0, 1, 2, 3)),
    Case(lv_recursive, (0.2, 0.9, 1.0, 0.5), (0, 1, 2, 3)),
    Case(pendulum_dataclass, (0.5, 1.2), (0, 1), extra="hvp"),
    Case(pendulum_while, (0.5, 1.2), (0, 1)),
    Case(black_scholes_kw, (1.0, 0.95, 0.5, 0.02, 0.3), (0, 1, 2, 3, 4), extra="hvp"),
    Case(black_scholes_dict, (1.0, 0.95, 0.5, 0.02, 0.3), (0, 1, 2, 3, 4)),
    Case(binomial_array, (1.05, 0.3), (0, 1)),
    Case(binomial_while, (1.05, 0.3), (0, 1)),
    Case(leapfrog_break, (np.array([0.5, -1.0]), np.array([0.3, 0.2])), (0, 1), extra="hvp"),
    Case(leapfrog_inplace, (np.array([0.5, -1.0]), np.array([0.3, 0.2])), (0, 1)),
    Case(logistic_map_reduce, (3.2, 0.3), (0, 1), extra="hvp"),
    Case(logistic_map_running, (3.2, 0.3), (0, 1)),
    Case(sir_if_statement, (1.5, 0.3), (0, 1)),
    Case(sir_array_state, (1.5, 0.3), (0, 1)),
    Case(bouncing_ifexpr, (1.0, 0.8), (0, 1), jitter=0.0),
    Case(bouncing_where, (1.0, 0.8), (0, 1), jitter=0.0),
    Case(newton_recursive, (2.0,), (0,), extra="hvp"),
    Case(newton_reduce, (2.0,), (0,)),
]

SAME_AS = {
    euler_count: euler_decay,
    euler_recursive: euler_decay,
    rk4_callable: rk4,
    rk4_lists: rk4,
    nbody_combinations: nbody_energy,
    nbody_reduce: nbody_energy,
    nbody_forces_vec: nbody_forces,
    nbody_forces_while: nbody_forces,
    heat_loop_list: heat1d_loop,
    heat_loop_slices: heat1d_loop,
    heat_gs_while: heat1d_inplace_gs,
    spring_chain_list: spring_chain,
    spring_chain_vec: spring_chain,
    lv_return: lotka_volterra,
    lv_while_flag: lotka_volterra,
    lv_recursive: lotka_volterra,
    pendulum_dataclass: pendulum,
    pendulum_while: pendulum,
    black_scholes_kw: black_scholes,
    black_scholes_dict: black_scholes,
    binomial_array: binomial_tree,
    binomial_while: binomial_tree,
    leapfrog_break: leapfrog_hmc,
    leapfrog_inplace: leapfrog_hmc,
    logistic_map_reduce: logistic_map,
    logistic_map_running: logistic_map,
    sir_if_statement: sir_model,
    sir_array_state: sir_model,
    bouncing_ifexpr: bouncing_ball,
    bouncing_where: bouncing_ball,
    newton_recursive: newton_sqrt,
    newton_reduce: newton_sqrt,
}
