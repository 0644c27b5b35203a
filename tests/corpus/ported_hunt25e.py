"""Ported cases (session 25, hunt25e), written anew after dynamic programmes and multistep
integrators, and vector outputs (checked by jacfwd against jacrev and central differences): an
American option on a tree held in a list of lists (``val[i][j] = max(cont, exercise)`` backward
over a negative-step range), soft-DTW filling a table with ``np.inf`` borders in place, a Viterbi
score with ``argmax`` back-pointers followed over ``reversed``, Adams-Bashforth with its history
in a ``deque(maxlen=2)``, a ``while t < T`` Euler loop with ``min(h, T - t)``, neighbours found by
``sorted`` distances with a ``break`` past the cutoff, a shortest path by ``heapq`` (refused:
no rule for ``heappush``), Lennard-Jones forces on particles, a robot arm's tip, an SIR
trajectory, an HMM's filtered state probabilities, the option values at a tree's second level.

Small user functions -> `CASES` (tests/corpus/ported.py collects them); scalar ones are checked
at second order (``extra="hvp"``) too."""

from __future__ import annotations

import heapq
import math
from collections import deque

import numpy as np

from . import Case, refused_when_differentiated
from .ported_hunt25 import dh, lj_forces


def tree_lists(p, n=4):
    s0, sig = p
    u = math.exp(sig * 0.5)
    d = 1 / u
    q = 0.5
    tree = [[s0 * u ** (i - j) * d**j for j in range(i + 1)] for i in range(n + 1)]
    val = [[0.0] * (i + 1) for i in range(n + 1)]
    for j in range(n + 1):
        val[n][j] = max(1.0 - tree[n][j], 0.0)
    for i in range(n - 1, -1, -1):
        for j in range(i + 1):
            cont = 0.97 * (q * val[i + 1][j] + (1 - q) * val[i + 1][j + 1])
            val[i][j] = max(cont, 1.0 - tree[i][j])
    return val[0][0] + val[1][1]


def soft_dtw(a, gamma=0.5):
    b = np.array([0.0, 1.0, 0.5])
    n, m = len(a), len(b)
    Rm = np.full((n + 1, m + 1), np.inf)
    Rm[0, 0] = 0.0
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            c = (a[i - 1] - b[j - 1]) ** 2
            r = np.array([Rm[i - 1, j], Rm[i, j - 1], Rm[i - 1, j - 1]])
            mn = r.min()
            Rm[i, j] = c + mn - gamma * np.log(np.sum(np.exp(-(r - mn) / gamma)))
    return Rm[n, m]


T_VIT = np.array([[0.2, -0.1], [0.3, 0.1]])


def viterbi_score(e):
    E = e.reshape(3, 2)
    score = E[0].copy()
    back = []
    for t in range(1, 3):
        cand = score[:, None] + T_VIT
        back.append(cand.argmax(axis=0))
        score = cand.max(axis=0) + E[t]
    best = int(score.argmax())
    path = [best]
    for bp in reversed(back):
        path.append(int(bp[path[-1]]))
    return score[best] + sum(E[t, s] for t, s in enumerate(reversed(path)))


def adams_bashforth(y0, h=0.1, steps=6):
    def f(y):
        return -y + np.sin(y)

    hist = deque(maxlen=2)
    y = y0.copy()
    hist.append(f(y))
    y = y + h * hist[-1]
    for _ in range(steps):
        hist.append(f(y))
        y = y + h * (1.5 * hist[-1] - 0.5 * hist[0])
    return np.sum(y**2)


def adaptive_while(p):
    x, k = 1.0, p[0]
    t, T = 0.0, 1.0
    h = 0.13
    while t < T:
        step = min(h, T - t)
        x += step * (-k * x + p[1])
        t += step
    return x


def sorted_cutoff(x, rc=1.0):
    e = 0.0
    for i in range(len(x)):
        ds = sorted(abs(x[i] - x[j]) for j in range(len(x)) if j != i)
        for d in ds:
            if d > rc:
                break
            e += (rc - d) ** 2
    return e


EDGES = [(0, 1), (0, 2), (1, 2), (1, 3), (2, 3)]


def dijkstra(w):
    adj = {i: [] for i in range(4)}
    for (a, b), wk in zip(EDGES, w):
        adj[a].append((b, wk))
    dist = {0: 0.0}
    heap = [(0.0, 0)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, wk in adj[u]:
            nd = d + wk
            if v not in dist or nd < dist[v]:
                dist[v] = nd
                heapq.heappush(heap, (nd, v))
    return dist[3] * 2 + dist[2]


def forces_vec(x):
    return lj_forces(x.reshape(3, 3)).ravel()


def arm_tip(q):
    T = np.eye(4)
    for th, d, a, al in zip(q, (0.3, 0.0, 0.0), (1.0, 0.8, 0.5), (math.pi / 2, 0.0, 0.0)):
        T = T @ dh(th, d, a, al)
    return T[:3, 3]


def sir_traj(theta, dt=0.5):
    beta, gamma = theta
    y = np.array([0.99, 0.01, 0.0])
    out = np.empty((6, 3))
    for k in range(6):
        s, i, _ = y
        y = y + dt * np.array([-beta * s * i, beta * s * i - gamma * i, gamma * i])
        out[k] = y
    return out[:, 1]


OBS = (0, 2, 1, 1)


def hmm_filter(theta):
    A = np.exp(theta[:4].reshape(2, 2))
    A /= A.sum(axis=1, keepdims=True)
    B = np.exp(theta[4:].reshape(2, 3))
    B /= B.sum(axis=-1, keepdims=True)
    alpha = np.array([0.6, 0.4]) * B[:, OBS[0]]
    alpha /= alpha.sum()
    for o in OBS[1:]:
        alpha = (alpha @ A) * B[:, o]
        alpha /= alpha.sum()
    return alpha


CASES = [
    Case(tree_lists, (np.array([0.95, 0.3]),), (0,), extra="hvp"),
    Case(soft_dtw, (np.array([0.3, 0.9, 0.2, 0.6]),), (0,), extra="hvp"),
    Case(viterbi_score, (np.array([0.3, -0.7, 1.1, 0.45, -0.2, 0.8]),), (0,), extra="hvp"),
    Case(adams_bashforth, (np.array([0.3, -0.7, 1.1]),), (0,), extra="hvp"),
    Case(adaptive_while, (np.array([0.7, 0.3]),), (0,), extra="hvp"),
    Case(sorted_cutoff, (np.array([0.0, 0.35, 1.1, 0.8]),), (0,), extra="hvp"),
    Case(
        dijkstra,
        (np.array([1.0, 2.5, 1.1, 3.0, 0.7]),),
        (0,),
        xfail=refused_when_differentiated(
            "`heapq.heappush(heap, (nd, v))` of a float: no derivative rule for `heappush`"
        ),
    ),
    Case(forces_vec, (np.array([0.1, 0.2, 0.3, 1.1, 0.1, 0.4, 0.5, 1.3, 0.2]),), (0,)),
    Case(arm_tip, (np.array([0.3, -0.4, 0.7]),), (0,)),
    Case(sir_traj, (np.array([0.6, 0.2]),), (0,)),
    Case(hmm_filter, (np.random.default_rng(254).standard_normal(10),), (0,)),
]
