"""Small classes users write around a model (session 36): a network iterated through its
``__iter__`` (``return iter(self.layers)``: the loop over the list itself, lower/objiter.over_field),
a ``Module`` base class's ``parameters()``, a dataclass updating a field, a ``@property``, a
``setattr`` with a constant name, Adam keeping its own state dicts. Both modes, second order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from srcad.testing import check_grads

X = np.array([0.3, -0.5, 0.8])


class Module:
    def parameters(self):
        return [self.W, self.b]


class Lin(Module):
    def __init__(self, W, b):
        self.W, self.b = W, b

    def __call__(self, x):
        return np.tanh(self.W @ x + self.b)


class Net:
    def __init__(self, ws):
        self.layers = [Lin(w, np.zeros(w.shape[0])) for w in ws]

    def __iter__(self):
        return iter(self.layers)


class Pair:
    def __init__(self, a, b):
        self.layers = [a, b]

    def __iter__(self):
        """The layers in order."""
        return iter(self.layers)


def iterate_net(x):
    W = np.outer(x, x)
    h = x
    net = Net([W, 0.5 * W])
    for layer in net:
        h = layer(h)
    return np.sum(h)


def iterate_pair(x):
    W = np.outer(x, x)
    net = Pair(Lin(W, x), Lin(0.5 * W, x))
    h = x
    for layer in net:
        h = layer(h) + h
    return np.sum(h**2)


def parameters_sum(x):
    m = Lin(np.outer(x, x), np.ones(3))
    ps = m.parameters()
    return np.sum(ps[0] ** 2) + np.sum(ps[1] * x) + np.sum(m(x))


def parameters_loop(x):
    m = Lin(np.outer(x, x), x * x)
    s = np.sum(m(x))
    for p in m.parameters():  # (a method of a run-time record: no probe reads `m.parameters`)
        s = s + np.sum(p**2)
    return s


@dataclass
class Momentum:
    v: np.ndarray
    beta: float = 0.9

    def update(self, g):
        self.v = self.v * self.beta + g


def momentum_steps(x):
    m = Momentum(np.zeros_like(x))
    w = x
    for _ in range(3):
        m.update(np.sin(w) * w)
        w = w - 0.1 * m.v
    return np.sum(w**2)


class Box:
    def __init__(self, a, b):
        self.a, self.b = a, b

    @property
    def area(self):
        return self.a * self.b


class Named:
    def __init__(self, x):
        setattr(self, "x", x * 2.0)  # noqa: B010

    def set(self, v):
        setattr(self, "y", v)  # noqa: B010


def property_and_setattr(x):
    s = Named(x)
    s.set(np.sin(x))
    return np.sum(Box(x, np.cos(x)).area + s.x * s.y)


class Adam:
    def __init__(self, params, lr=0.05, b1=0.9, b2=0.999):
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


def adam_own_params(x):
    opt = Adam({"w": x})
    for _ in range(3):
        w = opt.params["w"]
        opt.step({"w": 2 * w + np.sin(w)})
    return np.sum(opt.params["w"] ** 2)


def adam_shared_params(x):
    params = {"w": x}
    opt = Adam(params)
    for _ in range(3):
        opt.step({"w": 2 * params["w"] + np.sin(params["w"])})
    return np.sum(params["w"] ** 2)


@pytest.mark.parametrize(
    "f",
    [iterate_net, iterate_pair, parameters_sum, parameters_loop, momentum_steps, property_and_setattr,
     adam_own_params, adam_shared_params],
)  # fmt: skip
def test_user_classes(f):
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)
