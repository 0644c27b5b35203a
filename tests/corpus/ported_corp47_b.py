"""Ported cases (session 47, hunt47b): Python idioms as programs are written, and test programs
of other AD tools rewritten in NumPy (facts only): a ``match`` choosing the activation, a frozen
dataclass layer with ``__call__``, a user vector class whose ``__mul__`` guards with ``not
isinstance`` next to ``__rmul__``, a PyTorch-style ``Module`` base class making the parameter
dict its subclasses fill after ``super().__init__()``, NamedTuple methods over a comprehension's
list, ``filter(None, ...)``, ``heapq``/``bisect``/``deque`` loops, a recursive Chebyshev
recurrence, a user's dual-number class with helpers dispatching on ``isinstance`` (forward
mode by hand, differentiated again), particles updated by methods, a layer object with a
hand-written backward pass, ForwardDiff-style chebyquad and an unrolled SVM loss by loops
(cs231n's ``svm_loss_naive`` shape).

Float64 arrays -> floats. Each checked forward, reverse and at second order."""

from __future__ import annotations

import bisect
import collections
import heapq
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from . import Case

X4 = np.array([0.3, -1.2, 0.8, 1.7])


def _act(kind, z):
    match kind:
        case "relu":
            return np.maximum(z, 0.0)
        case "tanh":
            return np.tanh(z)
        case "softplus" | "sp":
            return np.log1p(np.exp(z))
        case _:
            return z


def match_activations(x):
    s = 0.0
    for k in ("relu", "tanh", "sp", "id"):
        s = s + np.sum(_act(k, x) ** 2)
    return s


@dataclass(frozen=True)
class _Dense:
    w: np.ndarray
    b: float = 0.0
    scale: float = 1.0

    def __call__(self, x):
        return np.tanh(self.scale * (self.w @ x) + self.b)


def frozen_layer(w, x):
    return np.sum(_Dense(w, b=0.1)(x) ** 2)


class _V:
    def __init__(self, a, b):
        self.a, self.b = a, b

    def __add__(self, o):
        return _V(self.a + o.a, self.b + o.b) if isinstance(o, _V) else _V(self.a + o, self.b + o)

    __radd__ = __add__

    def __mul__(self, o):
        return _V(self.a * o, self.b * o) if not isinstance(o, _V) else self.a * o.a + self.b * o.b

    def __rmul__(self, o):
        return _V(o * self.a, o * self.b)

    def __neg__(self):
        return _V(-self.a, -self.b)

    def __truediv__(self, o):
        return _V(self.a / o, self.b / o)

    def __pow__(self, p):
        return _V(self.a**p, self.b**p)

    def norm(self):
        return math.sqrt(self.a * self.a + self.b * self.b)


def user_vector_ops(x):
    u = _V(x[0], x[1])
    w = _V(x[2], 1.5)
    z = 2.0 * u + (-w) / 3.0 + 1.0
    return (z**2 * u) + z.norm() + sum([u, w], _V(0.0, 0.0)).a


class _Module:
    def __init__(self):
        self.params = {}

    def parameters(self):
        return list(self.params.values())

    def __call__(self, *a):
        return self.forward(*a)


class _Linear(_Module):
    def __init__(self, w, b):
        super().__init__()
        self.params["w"] = w
        self.params["b"] = b

    def forward(self, h):
        return h @ self.params["w"] + self.params["b"]


class _MLP(_Module):
    def __init__(self, w1, w2):
        super().__init__()
        self.l1 = _Linear(w1, np.zeros(w1.shape[1]))
        self.l2 = _Linear(w2, 0.1)

    def forward(self, h):
        return self.l2(np.tanh(self.l1(h)))


_XM = np.arange(6.0).reshape(2, 3) / 5


def module_base_params(w1):
    net = _MLP(w1, np.array([0.5, -0.3]))
    return np.sum(net(_XM) ** 2) + sum(np.sum(p**2) for p in net.l1.parameters())


class _Pair(NamedTuple):
    a: float
    b: float

    def total(self):
        return self.a + 2 * self.b


def namedtuple_comprehension(x):
    ps = [_Pair(x[i], x[i + 1]) for i in range(len(x) - 1)]
    ps2 = [p._replace(b=p.b * p.a) for p in ps]
    return sum(p.total() for p in ps2) + ps[0].total() * ps[-1].total()


def filter_truthy(x):
    s = 0.0
    for v in filter(None, [x[0], 0.0, x[1] * x[2], None]):
        s += v * v
    return s + sum(filter(None, x.tolist())) * x[3]


def heap_bisect_deque(x):
    h = []
    for i, v in enumerate(x):
        heapq.heappush(h, (v * v, i))
    a = heapq.heappop(h)
    grid = [0.0, 0.5, 1.0, 1.5]
    tot = sum(v * bisect.bisect_right(grid, v) for v in x)
    q = collections.deque(maxlen=2)
    for v in x:
        q.append(v)
        tot += sum(q) * q[0]
    return a[0] + tot + sum(heapq.nsmallest(2, x))


def _cheb(k, t):
    if k == 0:
        return 1.0
    if k == 1:
        return t
    return 2 * t * _cheb(k - 1, t) - _cheb(k - 2, t)


def chebyshev_recursive(x):
    return sum(_cheb(k, x[0]) * x[k % len(x)] for k in range(5))


class _Particle:
    def __init__(self, pos, vel, m=1.0):
        self.pos = pos
        self.vel = vel
        self.m = m

    def kinetic(self):
        return 0.5 * self.m * (self.vel @ self.vel)

    def move(self, dt):
        self.pos = self.pos + dt * self.vel

    def kick(self, f, dt):
        self.vel = self.vel + dt * f / self.m


def particles_by_methods(x):
    ps = [_Particle(x[2 * i : 2 * i + 2].copy(), np.zeros(2), m=1.0 + i) for i in range(2)]
    for _ in range(3):
        d = ps[0].pos - ps[1].pos
        f = -d / (d @ d + 0.1) ** 1.5
        ps[0].kick(f, 0.1)
        ps[1].kick(-f, 0.1)
        for p in ps:
            p.move(0.1)
    return sum(p.kinetic() for p in ps) + ps[0].pos @ ps[1].pos


class _Layer:
    def __init__(self, W):
        self.W = W
        self.cache = None

    def forward(self, h):
        self.cache = h
        return np.tanh(h @ self.W)

    def backward(self, g, out):
        gz = g * (1 - out**2)
        self.dW = np.outer(self.cache, gz)
        return gz @ self.W.T


def manual_backprop(x):
    l1 = _Layer(np.array([[0.5, -0.3], [0.2, 0.8], [0.1, 0.1], [-0.4, 0.6]]))
    l2 = _Layer(np.array([[1.0], [-0.5]]))
    h1 = l1.forward(x)
    h2 = l2.forward(h1)
    g = l2.backward(np.ones(1), h2)
    l1.backward(g, h1)
    return np.sum(l1.dW**2) + float(h2[0])


def chebyquad(x):
    n = len(x)
    y = 2 * x - 1
    tot = 0.0
    for i in range(1, n + 1):
        t0, t1 = np.ones(n), y
        for _ in range(i - 1):
            t0, t1 = t1, 2 * y * t1 - t0
        s = np.mean(t1)
        if i % 2 == 0:
            s += 1.0 / (i * i - 1)
        tot += s**2
    return tot


class _Dual:
    def __init__(self, val, der=0.0):
        self.val = val
        self.der = der

    def __add__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val + o.val, self.der + o.der)

    __radd__ = __add__

    def __sub__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val - o.val, self.der - o.der)

    def __rsub__(self, o):
        return _Dual(o) - self

    def __mul__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val * o.val, self.der * o.val + self.val * o.der)

    __rmul__ = __mul__

    def __truediv__(self, o):
        o = o if isinstance(o, _Dual) else _Dual(o)
        return _Dual(self.val / o.val, (self.der * o.val - self.val * o.der) / o.val**2)

    def __rtruediv__(self, o):
        return _Dual(o) / self

    def __neg__(self):
        return _Dual(-self.val, -self.der)

    def __pow__(self, n):
        return _Dual(self.val**n, n * self.val ** (n - 1) * self.der)


def _dsin(d):
    if isinstance(d, _Dual):
        return _Dual(math.sin(d.val), math.cos(d.val) * d.der)
    return math.sin(d)


def _dexp(d):
    if isinstance(d, _Dual):
        e = math.exp(d.val)
        return _Dual(e, e * d.der)
    return math.exp(d)


def _f_dual(t):
    return _dsin(t) * t**3 + 1.0 / (1.0 + _dexp(-t)) - 2 * t + (3 - t) / 2.0


def dual_numbers_derivative(x):
    d = _f_dual(_Dual(x[0], 1.0))
    e = _f_dual(_Dual(x[1], 1.0))
    return d.der**2 + d.val * e.der + _f_dual(x[2])


_XS = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]])
_YS = np.array([0, 2])


def svm_loss_loops(W):
    loss = 0.0
    for i in range(_XS.shape[0]):
        scores = _XS[i].dot(W)
        correct = scores[_YS[i]]
        for j in range(W.shape[1]):
            if j == _YS[i]:
                continue
            margin = scores[j] - correct + 1
            if margin > 0:
                loss += margin
    return loss / _XS.shape[0] + 0.5 * np.sum(W * W)


W3 = np.array([[0.1, -0.2, 0.3], [0.0, 0.2, -0.1], [0.05, 0.1, 0.2]])

CASES = [
    Case(match_activations, (X4,), (0,), extra="hvp"),
    Case(frozen_layer, (np.arange(8.0).reshape(2, 4) * 0.1, X4), (0, 1), extra="hvp"),
    Case(user_vector_ops, (X4,), (0,), extra="hvp"),
    Case(module_base_params, (np.array([[0.1, 0.2], [-0.3, 0.4], [0.5, 0.0]]),), (0,)),
    Case(namedtuple_comprehension, (X4,), (0,), extra="hvp"),
    Case(filter_truthy, (X4,), (0,), extra="hvp"),
    Case(heap_bisect_deque, (np.array([0.3, -1.2, 0.8, 1.7]),), (0,), extra="hvp"),
    Case(chebyshev_recursive, (X4,), (0,), extra="hvp"),
    Case(particles_by_methods, (X4,), (0,)),
    Case(manual_backprop, (X4,), (0,)),
    Case(chebyquad, (np.array([0.2, 0.45, 0.8]),), (0,), extra="hvp"),
    Case(svm_loss_loops, (W3,), (0,), extra="hvp"),
    Case(dual_numbers_derivative, (X4,), (0,), extra="hvp"),
]
