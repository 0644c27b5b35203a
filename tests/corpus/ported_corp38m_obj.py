"""Ported cases (session 38, corp38m_obj): metamorphic variants of the ML programs of
tests/corpus/users_ml.py and the classes of users_classes2.py, the same computation in another
style, one aspect changed: a dict of parameters as a tuple or a list, `.items()` against
`zip(keys, values)`, a layer as a class with `@property` / `__call__` / dataclass fields, an RNN
unrolled by `functools.reduce` or a recursive helper, `reversed`/`enumerate`/`range(len(..))`,
`a, *rest = ...`, `np.sum(a)` / `a.sum()` / `sum(a)` / `a @ ones`, an operator class against
plain tuples.

Float64 arrays and dicts of them -> floats. `SAME_AS` maps each variant to its original."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from . import Case, refused_everywhere
from .users_classes2 import V3, Vector, vector_reflect, vector_rmul_loop
from .users_ml import (
    W0,
    XS,
    YB,
    YF,
    YI,
    adam_step_loss,
    conv1d_nested,
    gru_cell,
    hinge_loss,
    huber,
    mlp_dict_loss,
    nll_logsoftmax,
    rnn_loss,
    sgd_unrolled,
    soft_kmeans,
    topk_mean,
    weight_decay,
    xent_int_labels,
)

R = np.random.default_rng(38002)
PARAMS = {
    "W1": R.standard_normal((3, 4)),
    "b1": np.zeros(4) + 0.1,
    "W2": R.standard_normal((4, 1)),
    "b2": np.array([0.2]),
}
WH, WX, XSEQ = (
    0.4 * R.standard_normal((3, 3)),
    0.4 * R.standard_normal((3, 2)),
    R.standard_normal((4, 2)),
)
GRU = tuple(0.3 * R.standard_normal((2, 4)) for _ in range(3)) + (R.standard_normal((3, 2)),)


# -- dict parameters --------------------------------------------------------------------------------


def decay_zip(params, lam=1e-2):
    total = 0.0
    for name, p in zip(params.keys(), params.values()):
        total += 0.0 if name[0] == "b" else lam * (p * p).sum()
    return total


def mlp_dict_comp(params, X, y):
    W1, b1, W2, b2 = (params[k] for k in ("W1", "b1", "W2", "b2"))
    h = np.tanh(X @ W1 + b1)
    out = (h @ W2 + b2)[:, 0]
    mse = sum((o - t) ** 2 for o, t in zip(out, y)) / len(y)
    return mse + sum(1e-2 * np.sum(v**2) for k, v in params.items() if not k.startswith("b"))


@dataclass
class _MLP:
    W1: np.ndarray
    b1: np.ndarray
    W2: np.ndarray
    b2: np.ndarray

    @property
    def weights(self):
        return [self.W1, self.W2]

    def __call__(self, X):
        return np.tanh(X @ self.W1 + self.b1) @ self.W2 + self.b2


def mlp_dataclass(params, X, y):
    net = _MLP(**params)
    out = net(X)
    return np.mean((out[:, 0] - y) ** 2) + 1e-2 * sum(np.sum(w**2) for w in net.weights)


# -- recurrences ------------------------------------------------------------------------------------


def rnn_reduce(Wh, Wx, xs):
    def step(carry, x):
        h, loss = carry
        h = np.tanh(Wh @ h + Wx @ x)
        return h, loss + h @ h

    return functools.reduce(step, xs, (np.zeros(Wh.shape[0]), 0.0))[1]


def rnn_recursive(Wh, Wx, xs):
    def run(h, t):
        if t == len(xs):
            return 0.0
        h = np.tanh(Wh @ h + Wx @ xs[t])
        return np.sum(h**2) + run(h, t + 1)

    return run(np.zeros(len(Wh)), 0)


def rnn_while_index(Wh, Wx, xs):
    h = np.zeros(Wh.shape[0])
    hs = []
    t = 0
    while t < xs.shape[0]:
        h = np.tanh(np.dot(Wh, h) + np.dot(Wx, xs[t]))
        hs.append(h)
        t += 1
    first, *rest = hs
    return first @ first + sum(r @ r for r in rest)


class _GRU:
    def __init__(self, Wz, Wr, Wh):
        self.W = {"z": Wz, "r": Wr, "h": Wh}

    @staticmethod
    def sig(z):
        return 0.5 * (1 + np.tanh(0.5 * z))

    def __call__(self, h, x):
        hx = np.concatenate([h, x])
        z, r = (self.sig(self.W[k] @ hx) for k in "zr")
        hc = np.tanh(self.W["h"] @ np.concatenate([r * h, x]))
        return h + z * (hc - h)


def gru_class(Wz, Wr, Wh, xs):
    cell = _GRU(Wz, Wr, Wh)
    h = np.zeros(Wz.shape[0])
    for x in xs:
        h = cell(h, x)
    return h @ np.ones(len(h))


# -- losses -----------------------------------------------------------------------------------------


def xent_rows(W, X, y):
    total = 0.0
    for i, (row, label) in enumerate(zip(X @ W, y)):  # noqa: B007 (`i` read after)
        m = row.max()
        total += m + math.log(sum(np.exp(row - m))) - row[label]
    return total / (i + 1)


def xent_logsumexp_onehot(W, X, y):
    logits = X @ W
    onehot = np.eye(W.shape[1])[y]
    lse = np.log(np.exp(logits - logits.max(1)[:, None]).sum(1)) + logits.max(1)
    return np.mean(lse - (onehot * logits).sum(axis=1))


def hinge_masked(w, X, y):
    margins = 1 - (2 * y - 1) * (X @ w)
    m = margins.copy()
    m[margins < 0] = 0.0
    return m.sum() / len(m) + 0.01 * sum(w * w)


def hinge_loop(w, X, y):
    total = 0.0
    for i in range(len(y)):
        margin = 1 - (2 * y[i] - 1) * np.dot(X[i], w)
        if margin > 0:
            total += margin
    return total / len(y) + 0.01 * w @ w


def huber_masked(r, delta=0.5):
    a = np.abs(r)
    out = delta * (a - 0.5 * delta)
    inner = a <= delta
    out[inner] = 0.5 * r[inner] ** 2
    return sum(out)


def huber_scalars(r, delta=0.5):
    total = 0.0
    for v in r:
        total += 0.5 * v * v if abs(v) <= delta else delta * (abs(v) - 0.5 * delta)
    return total


def nll_gather(W, X, y):
    z = X @ W
    m = z.max(axis=1, keepdims=True)
    lp = z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return -lp[np.arange(len(y)), y].mean()


def adam_dict(w, g, m, v, lr=0.1, b1=0.9, b2=0.999, t=3):
    state = {"m": m, "v": v}
    state["m"] = b1 * state["m"] + (1 - b1) * g
    state["v"] = state["v"] * b2  # (not `*=`: that would update the caller's `v`)
    state["v"] += (1 - b2) * g * g
    step = lr * (state["m"] / (1 - b1**t)) / (np.sqrt(state["v"] / (1 - b2**t)) + 1e-8)
    w = w - step
    return (w**2).sum()


def sgd_while(w, X, y, lr=0.05, steps=3):
    k = 0
    w = w.copy()
    while k < steps:
        w -= lr * X.T @ (X @ w - y) / len(y)
        k += 1
    r = X @ w - y
    return 0.5 * r @ r / len(r)


def conv1d_windows(x, k):
    windows = [x[i : i + len(k)] for i in range(len(x) - len(k) + 1)]
    return sum(np.tanh(np.dot(wi, k)) for wi in windows)


def conv1d_convolve(x, k):
    return np.sum(np.tanh(np.convolve(x, k[::-1], mode="valid")))


def topk_partition(x, k=2):
    s = sorted(x)
    return sum(s[-k:]) / k


def kmeans_loops(centers, X, beta=2.0):
    total = 0.0
    for x in X:
        d2 = [np.sum((x - c) ** 2) for c in centers]
        m = min(d2)
        w = [math.exp(-beta * (d - m)) for d in d2]
        z = sum(w)
        total += sum(wi * di for wi, di in zip(w, d2)) / z
    return total


# -- classes ----------------------------------------------------------------------------------------


def reflect_tuples(x):
    dot = lambda a, b: sum(p * q for p, q in zip(a, b))  # noqa: E731
    n0 = math.sqrt(dot(x, x))
    d = tuple(v / n0 for v in x)
    n = (0.0, 1.0, 0.0)
    k = 2.0 * dot(d, n)
    r = [di - ni * k for di, ni in zip(d, n)]
    return dot(r, (1.0, 2.0, 3.0))


class _Vec(Vector):
    def __iadd__(self, o):
        self.x += o.x
        self.y += o.y
        self.z += o.z
        return self


def rmul_loop_iadd(x):
    v = _Vec(x[0], x[1], x[2])
    acc = _Vec(0.0, 0.0, 0.0)
    for xi in x:
        acc += 0.5 * v
        acc += v * xi
    return acc.dot(v)


def rmul_loop_array(x):
    acc = np.zeros(3)
    for i in range(len(x)):
        acc = acc + 0.5 * x + x * x[i]
    return np.dot(acc, x)


CASES = [
    Case(decay_zip, (PARAMS,), (0,)),
    Case(mlp_dict_comp, (PARAMS, XS, YF), (0,)),
    Case(
        mlp_dataclass,
        (PARAMS, XS, YF),
        (0,),
        xfail=refused_everywhere("`_MLP(**params)` of a dict argument"),
    ),
    Case(rnn_reduce, (WH, WX, XSEQ), (0, 1, 2), extra="hvp"),
    Case(rnn_recursive, (WH, WX, XSEQ), (0, 1, 2)),
    Case(rnn_while_index, (WH, WX, XSEQ), (0, 1, 2), extra="hvp"),
    Case(gru_class, GRU, (0, 1, 2, 3)),
    Case(xent_rows, (W0, XS, YI), (0, 1)),
    Case(xent_logsumexp_onehot, (W0, XS, YI), (0, 1), extra="hvp"),
    Case(hinge_masked, (np.array([0.3, -0.2, 0.5]), XS, YB), (0, 1)),
    Case(hinge_loop, (np.array([0.3, -0.2, 0.5]), XS, YB), (0, 1)),
    Case(huber_masked, (np.array([0.1, -0.9, 2.0, -0.3]),), (0,)),
    Case(huber_scalars, (np.array([0.1, -0.9, 2.0, -0.3]),), (0,), extra="hvp"),
    Case(nll_gather, (W0, XS, YI), (0, 1), extra="hvp"),
    Case(
        adam_dict,
        tuple(R.standard_normal(3) for _ in range(3)) + (np.abs(R.standard_normal(3)),),
        (0, 1, 2, 3),
    ),
    Case(sgd_while, (np.array([0.3, -0.2, 0.5]), XS, YF), (0, 1, 2), extra="hvp"),
    Case(conv1d_windows, (np.linspace(-1, 1, 6), np.array([0.2, -0.5])), (0, 1), extra="hvp"),
    Case(conv1d_convolve, (np.linspace(-1, 1, 6), np.array([0.2, -0.5])), (0, 1)),
    Case(topk_partition, (np.array([0.3, 1.2, -0.5, 0.9]),), (0,)),
    Case(kmeans_loops, (R.standard_normal((2, 3)), XS), (0, 1)),
    Case(reflect_tuples, (V3,), (0,), extra="hvp"),
    Case(rmul_loop_iadd, (V3,), (0,), extra="hvp"),
    Case(rmul_loop_array, (V3,), (0,)),
]

SAME_AS = {
    decay_zip: weight_decay,
    mlp_dict_comp: mlp_dict_loss,
    mlp_dataclass: mlp_dict_loss,
    rnn_reduce: rnn_loss,
    rnn_recursive: rnn_loss,
    rnn_while_index: rnn_loss,
    gru_class: gru_cell,
    xent_rows: xent_int_labels,
    xent_logsumexp_onehot: xent_int_labels,
    hinge_masked: hinge_loss,
    hinge_loop: hinge_loss,
    huber_masked: huber,
    huber_scalars: huber,
    nll_gather: nll_logsoftmax,
    adam_dict: adam_step_loss,
    sgd_while: sgd_unrolled,
    conv1d_windows: conv1d_nested,
    conv1d_convolve: conv1d_nested,
    topk_partition: topk_mean,
    kmeans_loops: soft_kmeans,
    reflect_tuples: vector_reflect,
    rmul_loop_iadd: vector_rmul_loop,
    rmul_loop_array: vector_rmul_loop,
}
