"""User-style programs of soundness hunt 7, accepted and right: ML losses and layers, simulations
and finance kernels, NumPy writes with duplicate or overlapping indices, long expressions whose
calls have side effects (the text emitter's evaluation order), object fields written in loops,
try/except around one call, complex recurrences. Checked forward, reverse and (``extra="hvp"``)
at second order (tests/corpus/test_second_order.py)."""

from __future__ import annotations

import cmath
import math

import numpy as np

from . import Case

RNG = np.random.default_rng(12500001)
W1 = RNG.standard_normal((3, 4))
LABELS = np.array([0, 2, 1])
DATA = RNG.standard_normal((5, 3))


X12 = np.array([0.31, 0.72, -0.43, 1.12, 0.05, -0.8, 0.6, -1.1, 0.27, 0.9, -0.2, 0.45])


class Body:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel
        self.energy = 0.0

    def step(self, dt):
        self.vel = self.vel - dt * self.pos
        self.pos = self.pos + dt * self.vel
        self.energy += 0.5 * self.vel**2


def softmax(z, axis=-1):
    z = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(z)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis=-1):
    m = np.max(z, axis=axis, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=axis, keepdims=True))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def logsoftmax_ce_int(x):
    Z = x.reshape(3, 4)[:, :3]
    lp = log_softmax(Z, axis=1)
    return -np.mean(lp[np.arange(3), LABELS])


def layernorm(x):
    X = x.reshape(3, 4)
    mu = X.mean(axis=-1, keepdims=True)
    var = X.var(axis=-1, keepdims=True)
    Y = (X - mu) / np.sqrt(var + 1e-5)
    return np.sum(Y * np.arange(1.0, 5.0) + 0.1 * Y**3)


def conv2d_loops(x):
    img = x.reshape(3, 4)
    ker = np.array([[1.0, 0.5], [-0.5, 0.25]])
    H, W = img.shape
    out = np.zeros((H - 1, W - 1))
    for i in range(H - 1):
        for j in range(W - 1):
            out[i, j] = np.sum(img[i : i + 2, j : j + 2] * ker)
    return np.sum(np.tanh(out))


def gru_cell(x):
    h = x[:3]
    inp = x[3:6]
    Wz = np.outer(x[6:9], x[9:12]) * 0.3
    z = sigmoid(Wz @ inp + h)
    r = sigmoid(inp - h)
    hh = np.tanh(Wz.T @ (r * h) + inp)
    hn = (1 - z) * h + z * hh
    return np.sum(hn**2)


def kmeans_soft(x):
    C = x[:9].reshape(3, 3)
    d2 = np.sum((DATA[:, None, :] - C[None, :, :]) ** 2, axis=-1)
    R = softmax(-d2 * 2.0, axis=1)
    return np.sum(R * d2)


def gp_nll_chol(x):
    ls, sf, sn = np.exp(x[0]), np.exp(x[1]), np.exp(x[2]) + 0.1
    t = np.linspace(0, 1, 5)
    y = np.sin(3 * t) + x[3:8] * 0.1
    K = sf**2 * np.exp(-0.5 * (t[:, None] - t[None, :]) ** 2 / ls**2) + sn * np.eye(5)
    L = np.linalg.cholesky(K)
    alpha = np.linalg.solve(L.T, np.linalg.solve(L, y))
    return 0.5 * y @ alpha + np.sum(np.log(np.diag(L))) + 2.5 * np.log(2 * np.pi)


def contrastive(x):
    E = x.reshape(4, 3)
    E = E / np.linalg.norm(E, axis=1, keepdims=True)
    S = E @ E.T / 0.5
    return -np.mean(np.diag(log_softmax(S, axis=1)))


def rk4_decay(x):
    k = 0.5 + x[0] ** 2

    def rhs(y):
        return -k * y + np.sin(y)

    y = x[1:4]
    h = 0.05
    for _ in range(10):
        k1 = rhs(y)
        k2 = rhs(y + h / 2 * k1)
        k3 = rhs(y + h / 2 * k2)
        k4 = rhs(y + h * k3)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
    return np.sum(y)


def verlet_array(x):
    pos = x[:3].copy()
    vel = x[3:6].copy()
    dt = 0.05
    acc = -(pos**3)
    for _step in range(15):
        pos = pos + vel * dt + 0.5 * acc * dt**2
        new_acc = -(pos**3)
        vel = vel + 0.5 * (acc + new_acc) * dt
        acc = new_acc
    return np.sum(pos * vel)


def heat_2d(x):
    u = np.zeros((4, 5))
    u[1:3, 1:4] = x[:6].reshape(2, 3)
    alpha = 0.1
    for _ in range(4):
        un = u.copy()
        for i in range(1, 3):
            for j in range(1, 4):
                un[i, j] = u[i, j] + alpha * (
                    u[i + 1, j] + u[i - 1, j] + u[i, j + 1] + u[i, j - 1] - 4 * u[i, j]
                )
        u = un
    return np.sum(u**2)


def binomial_tree(x):
    S0 = 100.0 * (1 + 0.1 * x[0])
    sig = 0.2 + 0.05 * x[1]
    n = 6
    dt = 1.0 / n
    u = math.exp(sig * math.sqrt(dt))
    d = 1 / u
    p = (math.exp(0.03 * dt) - d) / (u - d)
    j = np.arange(n + 1)
    V = np.maximum(S0 * u**j * d ** (n - j) - 100.0, 0.0)
    for i in range(n - 1, -1, -1):
        V = math.exp(-0.03 * dt) * (p * V[1:] + (1 - p) * V[:-1])
        S = S0 * u ** np.arange(i + 1) * d ** (i - np.arange(i + 1))
        V = np.maximum(V, 100.0 - S)
    return V[0]


def american_put_loop(x):
    S0 = 100 + 5 * x[0]
    n = 5
    u, d = 1.1, 1 / 1.1
    p = (1.01 - d) / (u - d)
    vals = [max(100.0 - S0 * u**k * d ** (n - k), 0.0) for k in range(n + 1)]
    for step in range(n, 0, -1):
        vals = [
            max(
                (p * vals[k + 1] + (1 - p) * vals[k]) / 1.01,
                100.0 - S0 * u**k * d ** (step - 1 - k),
            )
            for k in range(step)
        ]
    return vals[0]


def agents(x):
    pos = list(x[:4])
    vel = [0.0] * 4
    for _t in range(5):
        center = sum(pos) / len(pos)
        for i in range(len(pos)):
            vel[i] = 0.9 * vel[i] + 0.1 * (center - pos[i])
            pos[i] = pos[i] + vel[i]
    return sum(p * p for p in pos)


def spring_chain(x):
    pos = x[:5].copy()
    vel = np.zeros(5)
    for _ in range(6):
        f = np.zeros(5)
        f[:-1] += pos[1:] - pos[:-1] - 1.0
        f[1:] -= pos[1:] - pos[:-1] - 1.0
        vel = 0.95 * vel + 0.1 * f
        pos = pos + 0.1 * vel
    return np.sum(pos**2)


def dup_index_iadd(x):
    y = np.zeros(4)
    y[[0, 0, 1]] += x[:3]
    return np.sum(y * np.arange(1.0, 5.0))


def overlap_iadd(x):
    y = x.copy()
    y[1:] += y[:-1]
    return np.sum(y**2)


def chained_setitem(x):
    a = np.zeros(3)
    a[0] = a[1] = x[0] * x[1]
    return np.sum(a * x[:3])


def select(x):
    conds = [x < -0.5, x > 0.5]
    choices = [x**2, np.sin(x)]
    return np.sum(np.select(conds, choices, default=x))


def array_from_scalars(x):
    v = np.array([x[0] ** 2, x[1] * x[2], 1.0])
    M = np.array([[x[0], x[1]], [x[2], x[3]]])
    return v @ v + np.linalg.det(M) + v[1] * M[1, 0]


def long_expr_order_counter(x):
    cnt = [0.0]

    def bump(v):
        cnt[0] = cnt[0] + 1.0
        return v * cnt[0]

    t = (
        (bump(x[0]) - bump(x[1])) * (bump(x[2]) + bump(x[3]) * bump(x[4]))
        + bump(x[5]) ** bump(1.0)
        - (bump(x[6]) + bump(x[7]) + bump(x[8]) + bump(x[9]))
    )
    return t


def long_expression_side_effects(x):
    calls = []

    def g(v, tag):
        calls.append(tag)
        return v * (len(calls) + 1.0)

    r = (
        g(x[0], "a") * g(x[1], "b")
        + g(x[2], "c") ** 2
        - g(x[3], "d") / (1.0 + g(x[4], "e") ** 2)
        + np.sin(g(x[5], "f") * g(x[6], "g") + g(x[7], "h"))
    )
    return r * len(calls)


def objstate_attr_loop(x):
    b = Body(x[:3].copy(), x[3:6].copy())
    for _k in range(3):
        b.pos = b.pos + 0.1 * b.vel
        b.vel = b.vel * 0.9
        b.energy += np.sum(b.vel**2)
    return np.sum(b.pos) + b.energy


def try_one_call(x):
    s = 0.0
    for v in x[:6]:
        try:
            y = math.log(v)
        except ValueError:
            y = v * 2
        s += y
    return s


def dict_int_keys(x):
    d = {}
    for i in range(4):
        d[i] = x[i] ** 2
    return sum(d[k] * (k + 1) for k in d)


def complex_loop(x):
    s = 0j
    for _k, v in enumerate(x[:6]):
        s = s * cmath.exp(0.7j) + v
    return abs(s) ** 2


CASES = [
    Case(logsoftmax_ce_int, (X12.copy(),), (0,), extra="hvp"),
    Case(layernorm, (X12.copy(),), (0,), extra="hvp"),
    Case(conv2d_loops, (X12.copy(),), (0,), extra="hvp"),
    Case(gru_cell, (X12.copy(),), (0,), extra="hvp"),
    Case(kmeans_soft, (X12.copy(),), (0,), extra="hvp"),
    Case(gp_nll_chol, (X12.copy(),), (0,), extra="hvp"),
    Case(contrastive, (X12.copy(),), (0,), extra="hvp"),
    Case(rk4_decay, (X12.copy(),), (0,), extra="hvp"),
    Case(verlet_array, (X12.copy(),), (0,), extra="hvp"),
    Case(heat_2d, (X12.copy(),), (0,), extra="hvp"),
    Case(binomial_tree, (X12.copy(),), (0,), extra="hvp"),
    Case(american_put_loop, (X12.copy(),), (0,), extra="hvp"),
    Case(agents, (X12.copy(),), (0,), extra="hvp"),
    Case(spring_chain, (X12.copy(),), (0,), extra="hvp"),
    Case(dup_index_iadd, (X12.copy(),), (0,), extra="hvp"),
    Case(overlap_iadd, (X12.copy(),), (0,), extra="hvp"),
    Case(chained_setitem, (X12.copy(),), (0,), extra="hvp"),
    Case(select, (X12.copy(),), (0,), extra="hvp"),
    Case(array_from_scalars, (X12.copy(),), (0,), extra="hvp"),
    Case(long_expr_order_counter, (X12.copy(),), (0,), rtol=1e-4, extra="hvp"),
    Case(long_expression_side_effects, (X12.copy(),), (0,), extra="hvp"),
    Case(objstate_attr_loop, (X12.copy(),), (0,), extra="hvp"),
    Case(try_one_call, (X12.copy(),), (0,), extra="hvp"),
    Case(dict_int_keys, (X12.copy(),), (0,), extra="hvp"),
    Case(complex_loop, (X12.copy(),), (0,), extra="hvp"),
]
