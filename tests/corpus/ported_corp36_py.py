"""Ported cases (session 36, corp36 py), written anew as users write plain-Python numeric code:
feature dicts built by comprehension and read by name, `sorted(key=...)`, `max(key=...)`,
`functools.reduce` over scalars and matrices, `functools.partial`, recursion over expression
trees and Bezier control points, classes with operators, `__call__` and inheritance, dataclasses
(frozen with `replace`, with list fields), named tuples with `_replace`, `itertools.accumulate`,
`pairwise`, `collections.deque`, star unpacking, walrus, `match`, `for ... else`, `try/except`.

Float parameters -> float scalars."""

from __future__ import annotations

import collections
import dataclasses
import functools
import itertools
import math
import operator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated

NAMES = ["age", "income", "debt", "score"]
ROW = {"age": 0.4, "income": 1.3, "debt": -0.6, "score": 0.9}


def named_linear(w, bias):
    weights = {name: w[i] for i, name in enumerate(NAMES)}
    weights["debt"] *= 2.0
    z = bias + sum(weights[k] * v for k, v in sorted(ROW.items()))
    return math.log1p(math.exp(-z))


def crossed_features(x):
    base = dict(zip(NAMES, x))
    feats = {f"{a}_x_{b}": base[a] * base[b] for a, b in itertools.combinations(NAMES, 2)}
    feats.update({f"{a}_sq": base[a] ** 2 for a in NAMES if not a.startswith("s")})
    return sum(v * (0.1 * len(k)) for k, v in feats.items() if "debt" not in k or v > 0)


def rank_weighted(x):
    order = sorted(range(len(x)), key=lambda i: x[i])
    return sum((r + 1) * x[i] for r, i in enumerate(order)) / len(x)


def best_by_key(x, y):
    pairs = [(math.sin(a) + b, a * b) for a, b in zip(x, y)]
    top = max(pairs, key=lambda p: p[0])
    low = min(pairs, key=operator.itemgetter(0))
    return top[1] - low[1] + top[0]


def compound_reduce(rates, p0):
    growth = functools.reduce(lambda acc, r: acc * (1.0 + r), rates, 1.0)
    disc = functools.reduce(operator.mul, (1.0 / (1.0 + r) for r in rates))
    return p0 * growth + math.fsum(rates) * disc + math.prod([1.0 + r for r in rates[:2]])


def _rot(theta, length):
    c, s = math.cos(theta), math.sin(theta)
    return np.array([[c, -s, length * c], [s, c, length * s], [0.0, 0.0, 1.0]])


def arm_reach(thetas, lengths):
    T = functools.reduce(np.matmul, [_rot(t, ln) for t, ln in zip(thetas, lengths)])
    tip = T[:2, 2]
    return math.dist(tip, (1.0, 0.5)) ** 2


def _huber(r, delta):
    return 0.5 * r * r if abs(r) < delta else delta * (abs(r) - 0.5 * delta)


def partial_losses(w, delta):
    loss = functools.partial(_huber, delta=delta)
    return sum(map(loss, [w[0] - 1.0, w[1] * w[0], 3.0 * w[1]]))


def _eval(node, env):
    if isinstance(node, str):
        return env[node]
    if isinstance(node, float):
        return node
    op, *args = node
    vals = [_eval(a, env) for a in args]
    match op:
        case "+":
            return vals[0] + vals[1]
        case "*":
            return vals[0] * vals[1]
        case "sin":
            return math.sin(vals[0])
        case "exp":
            return math.exp(vals[0])
    raise ValueError(op)


TREE = ("+", ("*", "x", ("sin", "y")), ("exp", ("*", 0.5, ("+", "x", "y"))))


def expression_tree(x, y):
    return _eval(TREE, {"x": x, "y": y})


def _casteljau(pts, t):
    if len(pts) == 1:
        return pts[0]
    return _casteljau([(1 - t) * a + t * b for a, b in itertools.pairwise(pts)], t)


def bezier_recursive(ctrl, t):
    p = _casteljau(list(ctrl), t)
    return p[0] * p[1]


class Vec2:
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __add__(self, o):
        return Vec2(self.x + o.x, self.y + o.y)

    def __sub__(self, o):
        return Vec2(self.x - o.x, self.y - o.y)

    def __mul__(self, s):
        return Vec2(self.x * s, self.y * s)

    __rmul__ = __mul__

    def __abs__(self):
        return math.hypot(self.x, self.y)

    def __neg__(self):
        return Vec2(-self.x, -self.y)


def vec2_springs(a, b, k):
    p, q = Vec2(a, 0.0), Vec2(0.0, b)
    v = Vec2(0.0, 0.0)
    for _ in range(10):
        d = q - p
        f = d * (k * (abs(d) - 1.0) / abs(d))
        v = v + 0.1 * f
        p = p + 0.1 * v
        q = q + -(0.1 * v)
    return abs(q - p) + p.x


def vec2_springs_rmul(a, b, k):
    # `number * Vec2` where the number comes from a user method (`abs(d)`, `Vec2.__abs__`)
    p, q = Vec2(a, 0.0), Vec2(0.0, b)
    v = Vec2(0.0, 0.0)
    for _ in range(10):
        d = q - p
        f = k * (abs(d) - 1.0) * d * (1.0 / abs(d))
        v = v + 0.1 * f
        p = p + 0.1 * v
        q = q + -(0.1 * v)
    return abs(q - p) + p.x


class Layer:
    def __init__(self, W, act=np.tanh):
        self.W, self.act = W, act

    def __call__(self, x):
        return self.act(self.W @ x)


class ResLayer(Layer):
    def __call__(self, x):
        return x + super().__call__(x)


def residual_stack(W1, W2, x):
    net = [ResLayer(W1), Layer(W2, act=lambda z: z * _sig(z)), ResLayer(W1.T)]
    h = x
    for layer in net:
        h = layer(h)
    return float(h @ h)


def _sig(z):
    return 1 / (1 + np.exp(-z))


@dataclass(frozen=True)
class Params:
    rate: float
    scale: float
    shift: float = 0.0


def frozen_replace(rate, scale):
    p = Params(rate, scale)
    total = 0.0
    for i in range(4):
        p = dataclasses.replace(p, shift=p.shift + p.rate * i)
        total += p.scale * math.tanh(p.shift)
    return total


@dataclass
class Tracker:
    decay: float
    history: list = field(default_factory=list)

    def push(self, v):
        last = self.history[-1] if self.history else v
        self.history.append(self.decay * last + (1 - self.decay) * v)


def tracker_history(x, decay):
    t = Tracker(decay)
    for v in x:
        t.push(v * v)
    return sum(t.history) + t.history[-1]


class State(NamedTuple):
    pos: float
    vel: float


def namedtuple_replace(x0, k):
    s = State(x0, 0.0)
    traj = [s]
    for _ in range(12):
        s = s._replace(vel=s.vel - 0.1 * k * s.pos)
        s = s._replace(pos=s.pos + 0.1 * s.vel)
        traj.append(s)
    return sum(st.pos**2 for st in traj) + traj[-1].vel


def ema_accumulate(x, beta):
    emas = list(itertools.accumulate(x, lambda a, b: beta * a + (1 - beta) * b))
    *init, last = emas
    first, *_ = init
    return last * first + sum(init)


def moving_window(x):
    window = collections.deque(maxlen=3)
    out = 0.0
    for v in x:
        window.append(v)
        out += sum(window) / len(window) * v
    return out


def walrus_filter(x):
    kept = [y for v in x if (y := math.sin(v) * v) > 0.05]
    return sum(kept) / max(len(kept), 1)


def for_else_search(c):
    x = 1.0
    for it in range(100):  # noqa: B007 (read after the loop)
        fx = x * x - c
        if abs(fx) < 1e-13:
            break
        x -= fx / (2 * x)
    else:
        return -1.0
    return x + 0.0 * it


def try_except_guard(x):
    # a conditional expression in the `try` body: refused (the body is kept to plain steps)
    total = 0.0
    for v in x:
        try:
            total += 1.0 / (v - 0.5) if v != 0.5 else math.inf
        except ZeroDivisionError:
            total += 0.0
        if total == math.inf:
            raise ValueError
    return total


def chained_compare(x):
    s = 0.0
    for v in x:
        if 0.0 < v < 1.0:
            s += v * v
        elif -1.0 <= v <= 0.0:
            s -= math.sin(v)
        else:
            s += math.copysign(1.0, v) * math.log(abs(v))
    return s


def closure_counter(x):
    total = 0.0

    def add(v, w=1.0):
        nonlocal total
        total += w * v

    for i, v in enumerate(x, start=1):
        add(v * v, w=1.0 / i)
    add(math.atan2(x[0], x[1]))
    return total


def pairs_unzip(x):
    pairs = [(v, math.exp(-v)) for v in x]
    a, b = zip(*pairs)
    return sum(a) * sum(b) + math.hypot(*a)


X4 = np.array([0.3, 1.4, -0.7, 0.9])

CASES = [
    Case(named_linear, (np.array([0.1, 0.5, -0.3, 0.2]), 0.1), (0, 1)),
    Case(crossed_features, (X4,), (0,)),
    Case(rank_weighted, (X4,), (0,)),
    Case(best_by_key, (X4, X4[::-1].copy()), (0, 1)),
    Case(compound_reduce, ([0.03, 0.05, 0.02, 0.04], 1.0), (0, 1)),
    Case(arm_reach, (np.array([0.3, 0.5, -0.2]), np.array([1.0, 0.7, 0.4])), (0, 1), extra="hvp"),
    Case(partial_losses, (np.array([0.3, 0.2]), 0.5), (0, 1)),
    Case(expression_tree, (0.7, 0.3), (0, 1), extra="hvp"),
    Case(
        bezier_recursive,
        (np.array([[0.0, 0.0], [0.3, 1.0], [1.0, 1.2], [1.5, 0.1]]), 0.3),
        (0, 1),
        extra="hvp",
    ),
    Case(vec2_springs, (0.2, 1.5, 2.0), (0, 1, 2)),
    Case(
        vec2_springs_rmul,
        (0.2, 1.5, 2.0),
        (0, 1, 2),
        xfail=refused_when_differentiated("`Vec2` defines `__rmul__`: which method this operator"),
    ),
    Case(
        residual_stack,
        (
            np.array([[0.5, -0.2], [0.1, 0.3]]),
            np.array([[0.2, 0.7], [-0.4, 0.1]]),
            np.array([0.3, -0.8]),
        ),
        (0, 1, 2),
    ),
    Case(frozen_replace, (0.3, 1.2), (0, 1)),
    Case(tracker_history, (X4, 0.8), (0, 1)),
    Case(namedtuple_replace, (1.0, 2.0), (0, 1), extra="hvp"),
    Case(ema_accumulate, (X4, 0.7), (0, 1)),
    Case(moving_window, (X4,), (0,)),
    Case(walrus_filter, (X4,), (0,)),
    Case(for_else_search, (2.3,), (0,)),
    Case(
        try_except_guard,
        (X4,),
        (0,),
        xfail=refused_everywhere("`try`/`except` is supported around assignments of arithmetic"),
    ),
    Case(chained_compare, (np.array([0.3, 1.4, -0.7, -1.9]),), (0,)),
    Case(closure_counter, (X4,), (0,)),
    Case(pairs_unzip, (X4,), (0,)),
]
