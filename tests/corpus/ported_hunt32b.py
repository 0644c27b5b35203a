"""Ported cases (session 32, hunt32b), written anew after users' Python idioms, small simulations
and derivatives taken inside differentiated code: a user vector class with reflected operators,
frozen dataclasses rebuilt by ``dataclasses.replace``, ``match`` on tuples, closures made in a
loop (bound late and early), a memoised recursion, a periodic N-body energy with the minimum-image
``np.round``, finite-element assembly with ``K[np.ix_(dofs, dofs)] +=``, an adaptive-step
integrator, a bouncing ball's event loop, MAML-style and Newton steps through an inner
``srcad.grad``, a Hessian and a Jacobian inside the loss, checkpointed blocks closing over the
input, custom rules called in a loop, and bootstrap resampling with ``rng.choice``.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from dataclasses import dataclass

import numpy as np

import srcad

from . import Case

X6 = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])


class Vec:
    def __init__(self, v):
        self.v = v

    def __add__(self, o):
        return Vec(self.v + o.v) if isinstance(o, Vec) else Vec(self.v + o)

    __radd__ = __add__

    def __mul__(self, s):
        return Vec(self.v * s)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.v)

    def __truediv__(self, s):
        return Vec(self.v / s)

    def __pow__(self, k):
        return Vec(self.v**k)

    def __matmul__(self, o):
        return float(self.v @ o.v)

    def norm(self):
        return math.sqrt(self @ self)


def vector_class_ops(x):
    a = Vec(x[:3])
    b = Vec(x[3:])
    c = 2.0 * a + b * 0.5 + (-a) / 3.0
    d = sum([a, b, c])
    return (d**2) @ a + c.norm()


@dataclass(frozen=True)
class Spring:
    k: float
    rest: float = 1.0

    def energy(self, d):
        return 0.5 * self.k * (d - self.rest) ** 2


def frozen_replace(x):
    s = Spring(x[0] ** 2)
    t = dataclasses.replace(s, rest=x[1])
    u = dataclasses.replace(t, k=t.k * 3.0)
    return s.energy(x[2]) + t.energy(x[3]) + u.energy(x[4])


def match_shapes(x):
    shapes = [("circle", x[0]), ("rect", x[1], x[2]), ("square", x[3])]
    area = 0.0
    for s in shapes:
        match s:
            case ("circle", r):
                area += math.pi * r * r
            case ("rect", w, h):
                area += w * h
            case (_, side):
                area += side**2
    return area


def loop_closures(x):
    late = [lambda t: t * x[k] for k in range(3)]  # noqa: B023 (every one reads k == 2)
    early = [lambda t, k=k: t ** (k + 1) for k in range(3)]
    return sum(f(x[3]) for f in late) + sum(g(x[4]) for g in early)


def memo_recursion(x):
    memo = {}

    def f(n):
        if n in memo:
            return memo[n]
        r = x[n] if n < 2 else 0.5 * f(n - 1) + np.sin(f(n - 2))
        memo[n] = r
        return r

    return f(5)


def itertools_reduce(x):
    acc = list(itertools.accumulate(x, lambda a, b: a * 0.5 + b))
    steps = sum(b - a for a, b in itertools.pairwise(acc))
    g = functools.partial(lambda a, b, scale: a * scale + b, scale=0.7)
    return steps * functools.reduce(g, x, 1.0) + sum(itertools.islice(x, 1, 5, 2))


def nbody_periodic(x):
    L = 3.0
    pos = x.reshape(3, 2) % L
    e = 0.0
    for i in range(3):
        for j in range(i + 1, 3):
            d = pos[i] - pos[j]
            d = d - L * np.round(d / L)
            r2 = d @ d
            if r2 < 2.0:
                e += 1.0 / (r2 + 0.5) ** 3
    return e


def fem_ix_assembly(x):
    K = np.zeros((4, 4))
    for e in range(3):
        dofs = [e, e + 1]
        K[np.ix_(dofs, dofs)] += (x[e] ** 2 + 1.0) * np.array([[1.0, -1.0], [-1.0, 1.0]])
    K[0, 0] += 1.0
    f = np.ones(4) + x[3:5].sum()
    return np.linalg.solve(K + 0.1 * np.eye(4), f) @ f


def adaptive_heun(x):
    y, k, t, h = x[0], x[1], 0.0, 0.1
    while t < 1.0:
        h = min(h, 1.0 - t)
        k1 = -k * y
        k2 = -k * (y + h * k1)
        if abs(0.5 * h * (k2 - k1)) < 1e-3:
            y = y + 0.5 * h * (k1 + k2)
            t += h
            h = h * 1.5
        else:
            h = h * 0.5
    return y


def bouncing_ball(x):
    h, v, t, n = x[0] ** 2 + 1.0, x[1], 0.0, 0
    while True:
        tc = (v + math.sqrt(v * v + 19.62 * h)) / 9.81
        t += tc
        v = -(v - 9.81 * tc) * 0.8
        h = 0.0
        n += 1
        if n >= 3:
            break
    return t + v


def _inner_loss(w, d):
    return np.sum(np.tanh(w * d) ** 2)


def maml_step(x):
    w = x[:3]
    w2 = w - 0.1 * srcad.grad(_inner_loss)(w, x[3:])
    return _inner_loss(w2, x[3:])


def newton_inner_grad(x):
    def f(t):
        return t**3 - x[0] * t - 1.0

    t = 1.5
    for _ in range(5):
        t = t - f(t) / srcad.grad(f)(t)
    return t * x[1]


def hessian_in_loss(x):
    def e(y):
        return np.sum(y**4) + y[0] * y[1]

    H = srcad.hessian(e)(x[:2])
    return np.sum(H * x[2:4].reshape(2, 1))


def jacrev_in_loss(x):
    J = srcad.jacrev(lambda v: np.tanh(v * x[3]))(x[:3])
    return np.sum(J * J)


def _block(h, w):
    return np.tanh(h * w) + h


def checkpoint_closure(x):
    blk = srcad.checkpoint(lambda h: np.tanh(h * x[3]) + h * x[4])
    h = x[:3]
    for i in range(3):
        h = blk(h) if i != 1 else srcad.checkpoint(_block)(h, x[5])
    return np.sum(h**2)


@srcad.custom_vjp
def scaled(v, s):
    return v * s


def _scaled_fwd(v, s):
    return v * s, (v, s)


def _scaled_bwd(res, g):
    v, s = res
    return (g * s, np.sum(g * v))


scaled.defvjp(_scaled_fwd, _scaled_bwd)


def custom_rule_loop(x):
    y = x[:3]
    for i in range(3):
        y = scaled(np.tanh(y), x[3 + i])
    return np.sum(y**2)


def bootstrap_resample(x):
    rng = np.random.default_rng(6)
    means = []
    for _ in range(5):
        means.append(np.mean(rng.choice(x, size=6, replace=True)))
    return np.var(means) + np.sum(rng.choice(x.reshape(3, 2), 2, axis=1) ** 2)


CASES = [
    Case(vector_class_ops, (X6,), (0,), extra="hvp"),
    Case(frozen_replace, (X6,), (0,), extra="hvp"),
    Case(match_shapes, (X6,), (0,), extra="hvp"),
    Case(loop_closures, (X6,), (0,), extra="hvp"),
    Case(memo_recursion, (X6,), (0,), extra="hvp"),
    Case(itertools_reduce, (X6,), (0,), extra="hvp"),
    Case(nbody_periodic, (X6,), (0,), extra="hvp"),
    Case(fem_ix_assembly, (X6,), (0,), extra="hvp"),
    Case(adaptive_heun, (X6,), (0,), extra="hvp"),
    Case(bouncing_ball, (X6,), (0,), extra="hvp"),
    Case(maml_step, (X6,), (0,), extra="hvp"),
    Case(newton_inner_grad, (X6,), (0,), extra="hvp"),
    Case(hessian_in_loss, (X6,), (0,)),
    Case(jacrev_in_loss, (X6,), (0,)),
    Case(checkpoint_closure, (X6,), (0,), extra="hvp"),
    Case(custom_rule_loop, (X6,), (0,), extra="hvp"),
    Case(bootstrap_resample, (X6,), (0,), extra="hvp"),
]
