"""Ported cases (session 43, idiom43): ordinary Python idioms inside a differentiated function:
PyTorch-style modules (``__call__(self, *args, **kwargs)`` forwarding to ``forward``,
``super().__call__``, a Sequential container), a method read by ``getattr`` with an f-string
name or held in a local, functions composed by ``functools.reduce`` and ``compose(*fs)``, a
lambda stored on an object, ``with`` on a ``contextlib.contextmanager`` timer beside
``np.errstate``, sets as lookups, ``except E as e`` reading the exception, ``statistics``
with a given centre and ``math`` helpers, ``**opts`` and keyword-only arguments forwarded
through two levels, method calls on a list argument of dataclass objects in a generator.

Float64 arrays and floats -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import contextlib
import functools
import math
import statistics
import sys
import time
from dataclasses import dataclass

import numpy as np

from . import Case

X3 = np.array([0.3, -0.7, 1.2])


class _Module:
    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)


class _Linear(_Module):
    def __init__(self, w, b):
        self.w, self.b = w, b

    def forward(self, x):
        return np.tanh(self.w @ x + self.b)


class _Scaled(_Linear):
    def __call__(self, x):
        return 0.5 * super().__call__(x)


class _Sequential(_Module):
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def torch_sequential(w, x):
    net = _Sequential(_Linear(w, 0.1), _Scaled(w.T, -0.2), _Linear(w, 0.0))
    return np.sum(net(x) ** 2)


class _Solver:
    def __init__(self, h, method="rk2"):
        self.h, self.method = h, method

    def _step_euler(self, f, y):
        return y + self.h * f(y)

    def _step_rk2(self, f, y):
        k1 = f(y)
        return y + self.h * f(y + 0.5 * self.h * k1)

    def solve(self, f, y, n=4, method="rk2"):
        step = getattr(self, f"_step_{method}")
        for _ in range(n):
            y = step(f, y)
        return y


def _decay(y):
    return -y + np.sin(y)


def getattr_dispatch(y0):
    s = _Solver(0.1)
    a = s.solve(_decay, y0)
    b = s.solve(lambda y: -0.5 * y, y0, method="euler")
    return np.sum(a * b)


def _then(f, g):
    return lambda x: g(f(x))


def _compose(*fs):
    return functools.reduce(_then, fs)


class _Activation:
    def __init__(self, fn, gain):
        self.fn, self.gain = fn, gain

    def __call__(self, x):
        return self.gain * self.fn(x)


def composed_functions(x):
    h = _compose(np.sin, lambda v: v * v, np.log1p)
    g = functools.reduce(lambda f, k: lambda v: k(f(v)), [np.tanh, np.exp])
    act = _Activation(lambda v: np.log1p(v * v), 2.0)
    return np.sum(h(x) + g(x) + act(x))


@contextlib.contextmanager
def _timed(log):
    t0 = time.perf_counter()
    yield
    log.append(time.perf_counter() - t0)


def with_timer_and_errstate(x):
    log = []
    with np.errstate(divide="ignore", invalid="ignore"), _timed(log):
        y = x / (1.0 + x * x)
    with _timed(log):
        z = np.sum(np.sin(y) * y)
    return z * len(log)


def set_lookup(x):
    keep = {i for i in range(len(x)) if i != 1}
    names = {"a", "c"}
    s = 0.0
    for i, (n, v) in enumerate(zip(["a", "b", "c"], x)):
        if i in keep and n in names:
            s = s + v**2
    return s


def except_as_read(x):
    k = np.outer(x, x) + 0.01 * np.eye(3)
    try:
        low = np.linalg.cholesky(k - 0.5 * np.eye(3))
    except np.linalg.LinAlgError as e:
        jitter = 1.0 if "positive definite" in str(e) else 2.0
        low = np.linalg.cholesky(k + jitter * np.eye(3))
    return np.sum(low)


def stats_and_math(x):
    xs = list(x)
    mu = statistics.fmean(xs)
    return (
        statistics.pvariance(xs, mu=mu)
        + statistics.pstdev(xs)
        + math.fsum([v * v for v in xs])
        + math.prod(xs)
        + math.hypot(*xs)
        + math.dist(xs, [0.1, 0.2, 0.3])
    )


def weighted_fmean(x, w):
    return statistics.fmean(list(x), weights=list(w))


def _inner(x, *, scale, shift=0.0):
    return scale * np.sin(x) + shift


def _middle(x, *, scale, shift=0.0):
    return _inner(x, scale=scale, shift=shift)


def _outer(x, **opts):
    return _middle(x, **opts)


def kwargs_forwarded(x):
    return np.sum(_outer(x, scale=2.0, shift=x[0]) * _outer(x, scale=x[1]))


@dataclass
class _Particle:
    q: float
    k: float

    def energy(self):
        return 0.5 * self.k * self.q**2


_PARTICLES = [_Particle(0.3, 2.0), _Particle(-0.5, 1.0), _Particle(1.1, 0.5)]


def particle_energy(x, particles):
    e = sum(p.energy() * xi for p, xi in zip(particles, x))
    return e + x[0] * sum(p.k for p in particles)


CASES = [
    Case(
        torch_sequential,
        (np.array([[0.5, -0.3, 0.2], [0.1, 0.8, -0.4], [0.3, 0.2, 0.6]]), X3),
        (0, 1),
        extra="hvp",
    ),  # fmt: skip
    Case(getattr_dispatch, (X3,), (0,), extra="hvp"),
    Case(composed_functions, (np.abs(X3),), (0,), extra="hvp"),
    Case(with_timer_and_errstate, (X3,), (0,), extra="hvp"),
    Case(set_lookup, (X3,), (0,), extra="hvp"),
    Case(except_as_read, (X3,), (0,), extra="hvp"),
    Case(stats_and_math, (X3,), (0,), extra="hvp"),
    Case(kwargs_forwarded, (X3,), (0,), extra="hvp"),
    Case(particle_energy, (X3, _PARTICLES), (0,), extra="hvp"),
]
if sys.version_info >= (3, 11):  # (fmean's weights)
    CASES.append(Case(weighted_fmean, (X3, np.array([0.5, 1.5, 2.0])), (0, 1), extra="hvp"))
