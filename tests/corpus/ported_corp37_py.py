"""Ported cases (session 37, corp37_py): Python idioms the benchmark programs and other tools'
test suites lean on: late-binding closures in a list, a mutable default that accumulates, a
`nonlocal` counter, chained assignment of one array, list slice copies next to array slice
views, `np.asarray` of a list, `divmod` / `%` / `math.fmod` of floats, a `deque(maxlen=)`
window, a `heapq` event queue with float priorities, `bisect` on a float grid, `statistics`,
`math.prod` / `fsum` / `dist` / `hypot(*v)`, `functools.reduce` and `itertools.accumulate`,
`zip(*rows)`, `collections.Counter` / `defaultdict(float)`, a class with `__iadd__` and
`__iter__`, a classmethod constructor with `super().__init__`, a NamedTuple `_replace`, and
`copy.deepcopy` of a list of arrays.

Float parameters -> float scalars."""

from __future__ import annotations

import bisect
import copy
import functools
import heapq
import itertools
import math
import operator
import statistics
from collections import Counter, defaultdict, deque
from typing import NamedTuple

import numpy as np

from . import Case, refused_when_differentiated

R = np.random.default_rng(37004)


def late_binding(x):
    fs = [lambda t: t * k for k in range(1, 4)]  # noqa: B023 (every lambda sees k == 3)
    gs = [lambda t, k=k: t * k for k in range(1, 4)]
    return sum(f(x) for f in fs) + sum(g(x) ** 2 for g in gs)


def nonlocal_counter(x):
    calls = 0

    def f(t):
        nonlocal calls
        calls += 1
        return t * calls

    return f(x) + f(x * x) + f(2.0) * x


def chained_alias(x):
    a = b = np.zeros(3)
    a += x  # one array: b sees it
    c = a[:]  # a view
    c *= 2.0
    lst = [x[0], x[1]]
    m = lst[:]  # a list copy
    m[0] = 10.0 * x[2]
    return np.sum(b * x) + lst[0] + m[0]


def asarray_of_list(x, y):
    pts = [x, y, x * y]
    arr = np.asarray(pts)
    arr2 = np.array(pts)
    arr2[0] = 0.0
    return np.sum(arr * arr2) + float(np.mean(arr))


def float_modulo(x, c):
    q, r = divmod(x, c)
    return r * q + x % c + math.fmod(x * 3, c) + (-x) % c


def deque_window(xs):
    win = deque(maxlen=3)
    out = 0.0
    for v in xs:
        win.append(v)
        out += (sum(win) / len(win)) ** 2
    return out + win[0] * win[-1]


def heap_events(t0, rates):
    events = [(t0 * k, k) for k in range(1, 4)]
    heapq.heapify(events)
    total = 0.0
    for _ in range(5):
        t, k = heapq.heappop(events)
        total += t * rates[k - 1]
        heapq.heappush(events, (t + 1.0 / rates[k - 1], k))
    return total + heapq.nsmallest(1, events)[0][0]


GRID = [0.0, 0.3, 0.7, 1.2, 2.0]
VALS = [1.0, 0.5, -0.2, 0.4, 1.1]


def bisect_lookup(x):
    i = bisect.bisect_right(GRID, x) - 1
    i = min(max(i, 0), len(GRID) - 2)
    t = (x - GRID[i]) / (GRID[i + 1] - GRID[i])
    return (1 - t) * VALS[i] + t * VALS[i + 1] + bisect.bisect_left(GRID, x * x)


def stats_module(xs):
    m = statistics.fmean(xs)
    s = statistics.stdev(xs)
    return (xs[0] - m) / s + statistics.median(xs) + statistics.pvariance(xs)


def math_helpers(v):
    return math.prod(v) + math.fsum(t * t for t in v) + math.dist(v[:2], v[1:]) + math.hypot(*v)


def reduce_accumulate(xs):
    p = functools.reduce(operator.mul, xs, 1.0)
    run = list(itertools.accumulate(xs, lambda a, b: a * 0.5 + b))
    mx = list(itertools.accumulate(xs, max))
    return p + sum(run) + sum(mx)


def zip_star_transpose(M):
    rows = [list(r) for r in M]
    cols = [sum(c) for c in zip(*rows)]
    pairs = sum(a * b for a, b in itertools.product(cols[:2], cols[1:]))
    return pairs + max(cols) * min(cols)


WORDS = ["a", "b", "a", "c", "b", "a"]


def counter_weights(w):
    cnt = Counter(WORDS)
    acc = defaultdict(float)
    for word, v in zip(WORDS, w):
        acc[word] += v / cnt[word]
    best = max(acc, key=acc.get)
    return sum(acc.values()) * acc[best] + cnt.most_common(1)[0][1]


class Accum:
    def __init__(self):
        self.items = []
        self.total = 0.0

    def __iadd__(self, v):
        self.items.append(v)
        self.total += v
        return self

    def __iter__(self):
        yield from self.items

    def __len__(self):
        return len(self.items)


def iadd_object(xs):
    acc = Accum()
    for v in xs:
        acc += v * v
    return acc.total + sum(t for t in acc) / len(acc)


class Base:
    def __init__(self, scale):
        self.scale = scale

    def energy(self, x):
        return self.scale * x * x


class Spring(Base):
    def __init__(self, scale, rest):
        super().__init__(scale)
        self.rest = rest

    @classmethod
    def from_pair(cls, pair):
        return cls(pair[0], pair[1])

    def energy(self, x):
        return super().energy(x - self.rest) + 0.1 * x


def classmethod_spring(k, x):
    s = Spring.from_pair((k, 0.3))
    return s.energy(x) + Base(k).energy(x)


class State(NamedTuple):
    pos: float
    vel: float


def namedtuple_replace(x, dt):
    s = State(x, 0.0)
    for _ in range(4):
        s = s._replace(vel=s.vel - dt * s.pos)
        s = s._replace(pos=s.pos + dt * s.vel)
    return s.pos**2 + s.vel**2


def deepcopy_then_update(x):
    params = [x * 1.0, x * 2.0]
    saved = copy.deepcopy(params)
    params[0] += 1.0
    params[1] *= saved[0]
    return np.sum(saved[0] * params[1]) + np.sum(params[0] ** 2)


def shallow_copy_shares(x):
    params = [x * 1.0, x * 2.0]
    shallow = copy.copy(params)
    shallow[1] *= 3.0  # the array params[1] is: Python sees the change through both
    return np.sum(params[1] * x)


CASES = [
    Case(late_binding, (0.7,), (0,)),
    Case(nonlocal_counter, (0.7,), (0,), extra="hvp"),
    Case(chained_alias, (np.array([0.3, -0.8, 1.2]),), (0,)),
    Case(asarray_of_list, (0.4, -1.3), (0, 1)),
    Case(float_modulo, (2.7, 0.8), (0, 1)),
    Case(deque_window, (np.array([0.3, -0.2, 0.9, 1.4, -0.6]),), (0,), extra="hvp"),
    Case(
        heap_events,
        (0.7, np.array([1.5, 0.8, 2.2])),
        (0, 1),
        xfail=refused_when_differentiated("cannot differentiate through `heapify`"),
    ),
    Case(bisect_lookup, (0.85,), (0,)),
    Case(stats_module, ([0.4, 1.7, -0.3, 0.9, 1.1],), (0,)),
    Case(math_helpers, ([0.6, -1.1, 0.8],), (0,)),
    Case(reduce_accumulate, ([0.6, -1.1, 0.8, 1.3],), (0,)),
    Case(zip_star_transpose, (R.standard_normal((3, 3)),), (0,)),
    Case(counter_weights, (np.array([0.3, 0.5, -0.2, 0.9, 1.1, 0.4]),), (0,)),
    Case(iadd_object, ([0.6, -1.1, 0.8],), (0,)),
    Case(classmethod_spring, (1.3, 0.7), (0, 1), extra="hvp"),
    Case(namedtuple_replace, (0.9, 0.1), (0, 1), extra="hvp"),
    Case(deepcopy_then_update, (np.array([0.3, -0.8, 1.2]),), (0,)),
    Case(
        shallow_copy_shares,
        (np.array([0.3, -0.8, 1.2]),),
        (0,),
        xfail=dict.fromkeys(
            ("primal", "fwd", "rev"), "is read after the object it shares with another name"
        ),
    ),
]
