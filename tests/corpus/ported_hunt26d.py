"""Ported cases (session 26, hunt26d): the idioms left open by session 25 (a user kernel's result
appended after ``s +=``, ``score = EMIT[0, TAGS[0]]; score += ...``, ``heapq.heappush``, rows of
``reversed(X)`` updated in place, ``itertools.starmap(lambda ...)`` (taken since idiom47b): refused,
strict xfails; ``c.shape[0] // 2`` as a dict key), nested functions updating a ``nonlocal`` of an
enclosing nested def in a loop, a comprehension or a generator (wrong values before this session),
and objects built here indexed through their class's ``__getitem__``/``__len__`` (a ring buffer with
``(i - 1 - k) % n``, a polynomial with ``self[k]``, a 2x2 matrix class with ``__matmul__`` and a
``T`` property, a cache updating a field on each read: refused before this session).

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import heapq
import itertools
import math

import numpy as np

from . import Case, refused_when_differentiated


def refused_by_mutation_check(reason: str) -> dict[str, str]:
    """Refused by the mutation check (the IR itself verifies)."""
    return dict.fromkeys(("primal", "fwd", "rev"), reason)


def kern(r):
    return math.exp(-r * r)


def sph_user_kernel(x):
    p = x.reshape(-1, 2)
    rho = []
    for pi in p:
        s = 0.0
        for pj in p:
            s += kern(np.linalg.norm(pi - pj))
        rho.append(s)
    rho = np.array(rho)
    return np.sum(rho**2)


EMIT = np.array([[0.1, 0.5, 0.4], [0.3, 0.3, 0.4]])


TAGS = [0, 2, 1]


def emit_score(x):
    score = EMIT[0, TAGS[0]]
    score += x[0] * x[1]
    for t in TAGS[1:]:
        score += x[t] ** 2
    return score


def dijkstra(x):
    w = {(0, 1): x[0], (0, 2): x[1], (1, 2): x[2], (1, 3): x[3], (2, 3): x[4]}
    adj = {0: [1, 2], 1: [2, 3], 2: [3], 3: []}
    dist = {0: 0.0}
    heap = [(0.0, 0)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v in adj[u]:
            nd = d + w[(u, v)]
            if v not in dist or nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist[3]


def rev_enum(x):
    X = x.reshape(3, 2).copy()
    for i, row in enumerate(reversed(X)):
        row += i * x[0]
    return np.sum(X**2)


def starmap_loss(x):
    pairs = list(zip(x[:-1], x[1:]))
    return sum(itertools.starmap(lambda a, b: (a - b) ** 2, pairs))


def shape_key(x):
    c = x.reshape(4, 2)
    half = c.shape[0] // 2
    d = {half: c[0], 0: c[1]}
    return np.sum(d[half] ** 2) + np.sum(c[half:] ** 3)


def gen_nonlocal(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    return sum(gen())


def nl_plain(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        out = []
        for xi in x:
            out.append(add(xi * xi))
        return out

    return sum(outer())


def nl_comp(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        return [add(xi * xi) for xi in x]

    return sum(outer())


def nl_while(x):
    def outer():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot = tot * 0.5 + v

        i = 0
        while i < len(x):
            add(x[i] ** 2)
            i += 1
        return tot

    return outer() * 2


def nl_three(x):
    def a():
        def b():
            tot = 1.0

            def c(v):
                nonlocal tot
                tot *= v

            for xi in x:
                c(xi + 2.0)
            return tot

        return b()

    return a()


def nl_genfor(x):
    def gen():
        tot = 0.0

        def add(v):
            nonlocal tot
            tot += v
            return tot

        for xi in x:
            yield add(xi * xi)

    s = 0.0
    for v in gen():
        s += v * v
    return s


def nl_list_app(x):
    def outer():
        acc = []

        def push(v):
            acc.append(v * 2)

        for xi in x:
            push(xi)
        return acc

    return sum(outer())


class RingBuffer:
    def __init__(self, n):
        self.buf = np.zeros(n)
        self.n = n
        self.i = 0

    def push(self, v):
        self.buf[self.i % self.n] = v
        self.i += 1

    def __getitem__(self, k):
        return self.buf[(self.i - 1 - k) % self.n]

    def __len__(self):
        return self.n


def ring_delay(x):
    rb = RingBuffer(3)
    out = 0.0
    for v in x:
        rb.push(v * v)
        out += rb[0] * 0.5 + rb[2] * 0.25
    return out + len(rb) * rb[1]


class Poly:
    def __init__(self, c):
        self.c = [1.0] + list(c)

    def __getitem__(self, k):
        return self.c[k] if k < len(self.c) else 0.0

    def __call__(self, t):
        s = 0.0
        for k in reversed(range(len(self.c))):
            s = s * t + self[k]
        return s


def poly_eval(x):
    p = Poly(x)
    return p(0.7) + p[5] + p[1] * p(1.3)


class Mat:
    def __init__(self, a):
        self.a = np.array(a, dtype=float).reshape(2, 2)

    def __matmul__(self, o):
        return Mat(self.a @ o.a)

    def __getitem__(self, ij):
        return self.a[ij]

    @property
    def T(self):
        return Mat(self.a.T)


def mat_chain(x):
    m = Mat(x)
    r = m @ m.T @ m
    return r[0, 0] + r[1, 1] ** 2 + r[0, 1] * r[1, 0]


class History:
    def __init__(self, x0):
        self.states = [x0 * 1.0]

    def step(self, f):
        self.states.append(f(self.states[-1]))

    def __getitem__(self, k):
        return self.states[k]

    def __len__(self):
        return len(self.states)


def history_sim(x):
    h = History(x)
    for _ in range(4):
        h.step(lambda s: s + 0.1 * np.sin(s))
    return np.sum(h[-1] ** 2) + np.sum(h[1] * h[len(h) - 2])


X3 = np.array([0.3, 0.5, -0.7])


X4 = np.array([0.3, -0.2, 0.5, 1.1])


CASES = [
    Case(
        sph_user_kernel,
        (np.array([0.1, 0.2, 0.5, -0.3, 0.9, 0.4]),),
        (0,),
        xfail=refused_by_mutation_check(
            "`s += user_kernel(r)` then `rho.append(s)`: the helper's result is not known to be a "
            "number, so `s` may share an object with `rho`"
        ),
    ),
    Case(
        emit_score,
        (X3,),
        (0,),
        xfail=refused_by_mutation_check(
            "`score = EMIT[0, TAGS[0]]; score += ...` of a global 2-D array: "
            "the item is not known to be a number (the global's rank is not used)"
        ),
    ),
    Case(
        dijkstra,
        (np.array([1.0, 2.5, 1.1, 3.0, 0.7]),),
        (0,),
        xfail=refused_when_differentiated(
            "`heapq.heappush(heap, (nd, v))` of a float: no derivative rule for `heappush`"
        ),
    ),
    Case(
        rev_enum,
        (np.array([0.3, 0.5, -0.7, 0.2, 0.1, 0.9]),),
        (0,),
        xfail=refused_by_mutation_check(
            "`for i, row in enumerate(reversed(X)): row += ...`: rows of a "
            "view updated in place through the loop variable"
        ),
    ),
    Case(starmap_loss, (np.array([0.3, 0.5, -0.7, 0.2]),), (0,), extra="hvp"),  # (idiom47b)
    Case(shape_key, (np.array([0.3, 0.5, -0.7, 0.2, 0.1, 0.9, 0.4, 0.6]),), (0,), extra="hvp"),
    Case(gen_nonlocal, (X3,), (0,), extra="hvp"),
    Case(nl_plain, (X3,), (0,), extra="hvp"),
    Case(nl_comp, (X3,), (0,), extra="hvp"),
    Case(nl_while, (X3,), (0,), extra="hvp"),
    Case(nl_three, (X3,), (0,), extra="hvp"),
    Case(nl_genfor, (X3,), (0,), extra="hvp"),
    Case(nl_list_app, (X3,), (0,), extra="hvp"),
    Case(ring_delay, (np.array([0.3, -0.2, 0.5, 1.1, 0.4]),), (0,), extra="hvp"),
    Case(poly_eval, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
    Case(mat_chain, (X4,), (0,), extra="hvp"),
    Case(history_sim, (np.array([0.3, -0.2, 0.5]),), (0,), extra="hvp"),
]
