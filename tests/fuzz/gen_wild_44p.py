"""The module-level prelude of a wild44 program (tests/fuzz/gen_wild_44.py), added after
wild43's (tests/fuzz/gen_wild_43p.py).

Input: a decision source (`choice.Rand`). Output: the source of the classes and helpers the
session-43 blocks use, constants and bodies drawn: PyTorch-style modules (``Module.__call__(self,
*args)`` forwarding to ``forward``, ``Linear``, ``Scaled`` calling ``super().__call__``, ``Lam``
holding a function, ``Mix`` of two arguments, ``Sequential(*layers)``), ``then``/``compose(*fs)``
over ``functools.reduce``, a ``Solver`` whose steps are read by ``getattr`` with an f-string
name, ``contextlib.contextmanager`` managers (one yields a gain), ``contract(spec, a, b)`` around
``np.einsum``, a helper raising ``ValueError`` on data, and n-body helpers writing the velocity
lists of ``[pos, vel, m]`` bodies in place (``kick``, ``drift``, ``advance``, ``energy``,
``offset``).
"""

from __future__ import annotations

from typing import Any

from .gen_wild_43p import HEADER as HEADER43
from .gen_wild_43p import _c, _unary

HEADER = "import contextlib\nimport functools\nimport statistics\n" + HEADER43


def prelude44(r: Any) -> str:
    """The definitions of the module docstring, constants and bodies drawn."""
    lin = r.pick(["np.tanh(self.w * x + self.b)", "np.sin(self.w * x) + self.b * x"])
    mix = r.pick(["x * y + np.sin(x)", "np.tanh(x) * y + 0.5 * x", "x + {c} * y * y"]).format(
        c=_c(r, 0.1, 0.5)
    )
    soft = r.pick(["1e-2", "0.05", "0.1"])
    kick = r.pick(
        [
            "    v1[0] -= dx * m2 * mag\n    v1[1] -= dy * m2 * mag\n"
            "    v2[0] += dx * m1 * mag\n    v2[1] += dy * m1 * mag\n",
            "    for k, d in enumerate((dx, dy)):\n        v1[k] -= d * m2 * mag\n"
            "        v2[k] += d * m1 * mag\n",
        ]
    )
    drift = r.pick(
        [
            "    for pos, vel, _m in bodies:\n        pos[0] += dt * vel[0]\n"
            "        pos[1] += dt * vel[1]\n",
            "    for b in bodies:\n        for k in range(2):\n            b[0][k] += dt * b[1][k]\n",
        ]
    )
    return f"""

class Module:
    def __call__(self, *args):
        return self.forward(*args)


class Linear(Module):
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def forward(self, x):
        return {lin}


class Scaled(Linear):
    def __call__(self, x):
        return {_c(r, 0.5, 1.5)} * super().__call__(x)


class Lam(Module):
    def __init__(self, fn):
        self.fn = fn

    def forward(self, x):
        return self.fn(x)


class Mix(Module):
    def forward(self, x, y):
        return {mix}


class Sequential(Module):
    def __init__(self, *layers):
        self.layers = list(layers)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def then(f, g):
    return lambda v: g(f(v))


def compose(*fs):
    return functools.reduce(then, fs)


class Solver:
    def __init__(self, h, method="rk2"):
        self.h = h
        self.method = method

    def _step_euler(self, f, y):
        return y + self.h * f(y)

    def _step_rk2(self, f, y):
        k1 = f(y)
        return y + self.h * f(y + 0.5 * self.h * k1)

    def solve(self, f, y, n=2, method="rk2"):
        step = getattr(self, f"_step_{{method}}")
        for _ in range(n):
            y = step(f, y)
        return y


@contextlib.contextmanager
def timed(log):
    log.append(0.0)
    yield
    log.append(1.0)


@contextlib.contextmanager
def gain(c):
    yield c * {_c(r, 0.5, 1.5)}


def contract(spec, a, b):
    return np.einsum(spec, a, b)


def checked_log(v, t):
    if np.min(v) < t:
        raise ValueError("below threshold")
    return np.log(v - t + 1.0)


def kick(b1, b2, dt):
    (p1, v1, m1), (p2, v2, m2) = b1, b2
    dx = p1[0] - p2[0]
    dy = p1[1] - p2[1]
    mag = dt / (dx * dx + dy * dy + {soft}) ** 1.5
{kick}

def drift(bodies, dt):
{drift}

def advance(bodies, pairs, dt, n):
    for _ in range(n):
        for b1, b2 in pairs:
            kick(b1, b2, dt)
        drift(bodies, dt)


def energy(bodies, pairs):
    e = 0.0
    for (p1, _v1, m1), (p2, _v2, m2) in pairs:
        dx = p1[0] - p2[0]
        dy = p1[1] - p2[1]
        e -= m1 * m2 / (dx * dx + dy * dy + {soft}) ** 0.5
    for _p, v, m in bodies:
        e += 0.5 * m * (v[0] * v[0] + v[1] * v[1])
    return e


def offset(bodies):
    px = 0.0
    py = 0.0
    for _p, v, m in bodies:
        px -= v[0] * m
        py -= v[1] * m
    v0, m0 = bodies[0][1], bodies[0][2]
    v0[0] = px / m0
    v0[1] = py / m0


def act(v):
    return {_unary(r, "v")}
"""
