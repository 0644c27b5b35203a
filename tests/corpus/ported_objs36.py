"""Ported cases (session 36, objs36), written anew as users write small classes: an accumulator
whose method appends to a list the caller passes (``a.add_to(out, v)``), a method writing a dict
and a NumPy array the caller passes (``d[k] = v``, ``out[i] = v``), an SGD and an Adam optimizer
holding the caller's params dict and updating it in ``step`` (``self.params[k] = ...``; the caller
reads ``params["w"]`` afterwards), a momentum dataclass updating a field, a layer stack trained by
a few plain SGD steps through a shared dict.

Float parameters -> float scalar losses."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import Case

R = np.random.default_rng(36001)
XD = R.standard_normal((6, 3))
YD = R.standard_normal(6)


class Accumulator:
    def __init__(self, w):
        self.w = w

    def add_to(self, out, v):
        out.append(self.w * v)

    def put(self, d, key, v):
        d[key] = self.w * v

    def fill(self, out, i, v):
        out[i] = self.w * v


def accumulate_list(x):
    a = Accumulator(2.0)
    out = []
    for v in x:
        a.add_to(out, np.sin(v))
    return sum(out)


def accumulate_dict(x):
    a = Accumulator(0.5)
    d = {}
    a.put(d, "u", np.sin(x))
    a.put(d, "v", x * x)
    return np.sum(d["u"] * d["v"])


def fill_array(x):
    a = Accumulator(3.0)
    out = np.zeros(len(x))
    for i in range(len(x)):
        a.fill(out, i, np.sin(x[i]) * x[0])
    return np.sum(out**2)


class SGD:
    def __init__(self, params, lr):
        self.params, self.lr = params, lr

    def step(self, grads):
        for k in self.params:
            self.params[k] = self.params[k] - self.lr * grads[k]


def sgd_shared_params(w):
    params = {"w": w, "b": 0.5 * w}
    opt = SGD(params, 0.1)
    for _ in range(3):
        g = {"w": 2 * params["w"], "b": np.cos(params["b"])}
        opt.step(g)
    return np.sum(params["w"] ** 2 + params["b"])


class Adam:
    def __init__(self, params, lr=0.01, b1=0.9, b2=0.999):
        self.params, self.lr, self.b1, self.b2 = params, lr, b1, b2
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, grads):
        self.t += 1
        for k in self.params:
            self.m[k] = self.b1 * self.m[k] + (1 - self.b1) * grads[k]
            self.v[k] = self.b2 * self.v[k] + (1 - self.b2) * grads[k] ** 2
            mh = self.m[k] / (1 - self.b1**self.t)
            vh = self.v[k] / (1 - self.b2**self.t)
            self.params[k] = self.params[k] - self.lr * mh / (np.sqrt(vh) + 1e-8)


def _mlp_grads(p):
    h = np.tanh(XD @ p["W"] + p["b"])
    r = h @ p["v"] - YD
    dh = np.outer(r, p["v"]) * (1 - h**2) / len(YD)
    g = {"W": XD.T @ dh, "b": dh.sum(axis=0), "v": h.T @ r / len(YD)}
    return g, 0.5 * np.mean(r**2)


def adam_shared_params(w):
    params = {"W": w.reshape(3, 2), "b": np.zeros(2), "v": np.ones(2)}
    opt = Adam(params, lr=0.05)
    for _ in range(3):
        g, _ = _mlp_grads(params)
        opt.step(g)
    return _mlp_grads(params)[1]


@dataclass
class Momentum:
    v: np.ndarray
    beta: float = 0.9

    def update(self, g):
        self.v = self.v * self.beta + g


def momentum_dataclass(w):
    m = Momentum(np.zeros_like(w))
    for _ in range(3):
        m.update(np.sin(w) * w)
        w = w - 0.1 * m.v
    return np.sum(w**2)


W6 = R.standard_normal(6) * 0.5
X3 = np.array([0.3, -0.5, 0.8])
CASES = [
    Case(accumulate_list, (X3,), (0,), extra="hvp"),
    Case(accumulate_dict, (X3,), (0,), extra="hvp"),
    Case(fill_array, (X3,), (0,), extra="hvp"),
    Case(sgd_shared_params, (X3,), (0,), extra="hvp"),
    Case(adam_shared_params, (W6,), (0,), extra="hvp"),
    Case(momentum_dataclass, (X3,), (0,), extra="hvp"),
]
