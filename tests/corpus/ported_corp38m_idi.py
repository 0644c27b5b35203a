"""Ported cases (session 38, corp38m_idi): metamorphic variants using less common Python idioms
for corpus programs (tests/corpus/users_sim.py, users_ml.py): `itertools.product` with a
filter and `itertools.pairwise` for index loops, `yield from` in a generator helper, a class
with `__getitem__` / `__len__` / `@property` with a setter wrapping an array, parameters in a
list updated in place on copies (SGD), `try/except` around a step, `x.flat[i]` and `np.put`
for indexed writes, `enumerate(reversed(..))`, a `global`-free counter on an object.

Floats and float64 arrays -> floats or arrays. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import itertools
import math

import numpy as np

from . import Case
from .users_ml import XS, YF, rnn_loss, sgd_unrolled
from .users_sim import (
    G,
    binomial_tree,
    heat1d_inplace_gs,
    logistic_map,
    nbody_energy,
    newton_converge,
    spring_chain,
)

R = np.random.default_rng(38004)
POS4 = R.standard_normal((4, 2))
M4 = np.array([1.0, 2.0, 0.5, 1.5])


def nbody_product(pos, mass):
    n = len(pos)
    e = 0.0
    for i, j in itertools.product(range(n), repeat=2):
        if i < j:
            e -= G * mass[i] * mass[j] / math.sqrt(np.sum((pos[i] - pos[j]) ** 2))
    return e


def _pairs(n):
    for i in range(n):
        yield from ((i, j) for j in range(i + 1, n))


def nbody_yield_from(pos, mass):
    return -sum(
        G * mass[i] * mass[j] / np.linalg.norm(pos[i] - pos[j]) for i, j in _pairs(len(pos))
    )


class _Bodies:
    def __init__(self, pos, mass):
        self._pos, self.mass = pos, mass

    def __len__(self):
        return len(self.mass)

    def __getitem__(self, k):
        return self._pos[k], self.mass[k]

    @property
    def pos(self):
        return self._pos


def nbody_class(pos, mass):
    b = _Bodies(pos, mass)
    e = 0.0
    for i in range(len(b)):
        pi, mi = b[i]
        for j in range(i + 1, len(b)):
            pj, mj = b[j]
            e = e - G * mi * mj / np.sqrt((pi - pj) @ (pi - pj))
    return e


class _Chain:
    def __init__(self, x):
        self._x = x.copy()

    @property
    def x(self):
        return self._x

    @x.setter
    def x(self, v):
        self._x = v

    @property
    def span(self):
        return self._x[-1] - self._x[0]


def spring_property(x0, k, m=1.0, dt=0.05, steps=6):
    c = _Chain(x0)
    v = np.zeros_like(x0)
    for _ in range(steps):
        x = c.x
        f = np.zeros(len(x))
        for i, (a, b) in enumerate(itertools.pairwise(x)):
            s = k * (b - a - 1.0)
            f[i] += s
            f[i + 1] -= s
        v = v + dt * f / m
        c.x = x + dt * v
    return c.span


def gs_flat(u0, alpha, steps=2):
    u = u0.copy()
    for _ in range(steps):
        for i in range(1, u.size - 1):
            u.flat[i] = u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1])
    return u


def gs_put(u0, alpha, steps=2):
    u = np.array(u0, dtype=float)
    for _ in range(steps):
        for i in range(1, len(u) - 1):
            np.put(u, i, u[i] + alpha * (u[i + 1] - 2 * u[i] + u[i - 1]))
    return u


def sgd_param_list(w, X, y, lr=0.05, steps=3):
    params = [w.copy()]
    for _ in range(steps):
        for p in params:
            g = X.T @ (X @ p - y) / len(y)
            p -= lr * g
    r = X @ params[0] - y
    return 0.5 * np.mean(r**2)


def sgd_try(w, X, y, lr=0.05, steps=3):
    for _ in range(steps):
        try:
            g = X.T @ (X @ w - y) / len(y)
        except ValueError:
            g = np.zeros_like(w)
        w = w - lr * g
    return 0.5 * np.mean((X @ w - y) ** 2)


def newton_try(a, tol=1e-10):
    x = 1.0
    for _ in range(100):
        try:
            if abs(x * x - a) <= tol:
                break
            x -= (x * x - a) / (2 * x)
        except ZeroDivisionError:
            x = 1.0
    return x


def logistic_enumerate_reversed(r, x0, n=8):
    xs = [x0]
    for _ in range(n):
        xs.append(r * xs[-1] * (1 - xs[-1]))
    total = 0.0
    for k, v in enumerate(reversed(xs)):  # noqa: B007 (`k` read after)
        total += v
    return total / (k + 1)


def binomial_reversed_enumerate(S, sigma, K=1.0, r=0.02, T=1.0, n=6):
    dt = T / n
    u = math.exp(sigma * math.sqrt(dt))
    d = 1 / u
    p = (math.exp(r * dt) - d) / (u - d)
    disc = math.exp(-r * dt)
    vals = [max(S * u**j * d ** (n - j) - K, 0.0) for j in range(n + 1)]
    for step in reversed(range(n)):
        vals = [
            max(disc * (p * hi + (1 - p) * lo), K - S * u**j * d ** (step - j))
            for j, (lo, hi) in enumerate(zip(vals[:-1], vals[1:]))
        ]
    return vals[0]


class _RNN:
    calls = 0

    def __init__(self, Wh, Wx):
        self.Wh, self.Wx = Wh, Wx
        self.steps = 0

    def step(self, h, x):
        self.steps += 1
        return np.tanh(self.Wh @ h + self.Wx @ x)


def rnn_object_counter(Wh, Wx, xs):
    cell = _RNN(Wh, Wx)
    h = np.zeros(Wh.shape[0])
    loss = 0.0
    for x in xs:
        h = cell.step(h, x)
        loss += np.sum(h**2)
    return loss * (cell.steps / len(xs))


WH, WX, XSEQ = (
    0.4 * R.standard_normal((3, 3)),
    0.4 * R.standard_normal((3, 2)),
    R.standard_normal((4, 2)),
)
U6 = np.sin(np.linspace(0, 3, 6))

CASES = [
    Case(nbody_product, (POS4, M4), (0, 1), extra="hvp"),
    Case(nbody_yield_from, (POS4, M4), (0, 1)),
    Case(nbody_class, (POS4, M4), (0, 1), extra="hvp"),
    Case(spring_property, (np.array([0.0, 1.1, 2.3, 2.9]), 2.0), (0, 1)),
    Case(gs_flat, (U6, 0.2), (0, 1)),
    Case(gs_put, (U6, 0.2), (0, 1)),
    Case(sgd_param_list, (np.array([0.3, -0.2, 0.5]), XS, YF), (0, 1, 2), extra="hvp"),
    Case(sgd_try, (np.array([0.3, -0.2, 0.5]), XS, YF), (0, 1, 2)),
    Case(newton_try, (2.0,), (0,), atol=1e-5, rtol=1e-5),
    Case(logistic_enumerate_reversed, (3.2, 0.3), (0, 1), extra="hvp"),
    Case(binomial_reversed_enumerate, (1.05, 0.3), (0, 1)),
    Case(rnn_object_counter, (WH, WX, XSEQ), (0, 1, 2), extra="hvp"),
]

SAME_AS = {
    nbody_product: nbody_energy,
    nbody_yield_from: nbody_energy,
    nbody_class: nbody_energy,
    spring_property: spring_chain,
    gs_flat: heat1d_inplace_gs,
    gs_put: heat1d_inplace_gs,
    sgd_param_list: sgd_unrolled,
    sgd_try: sgd_unrolled,
    newton_try: newton_converge,
    logistic_enumerate_reversed: logistic_map,
    binomial_reversed_enumerate: binomial_tree,
    rnn_object_counter: rnn_loss,
}
