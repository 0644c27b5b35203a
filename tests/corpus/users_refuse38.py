"""Programs srcad used to refuse, session 38 (`refuse38`): idioms people write.

- factory closures collected by a comprehension, ``fs = [make(k) for k in range(3)]``, the
  returned lambdas reading a variable bound once (lower/objseq.constructed,
  lower/factories.bound_once);
- ``enumerate(net)`` / ``[l(x) for l in net]`` over a model whose ``__iter__`` is
  ``return iter(self.layers)`` (lower/iterfield.py);
- ``vars(p)``, ``dataclasses.asdict(p)``, ``dataclasses.astuple(p)`` of a parameter record
  (lower/escapes._generated, lower/dcfields.py);
- ``pts[k].x`` with `k` from ``for k in range(len(pts))`` (lower/fnlists._indexes_known).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/regressions/test_refuse38.py."""

from __future__ import annotations

import dataclasses

import numpy as np

from . import Case

X4 = np.array([0.4, -0.7, 1.3, 0.25])


def ensemble_of_factories(x):
    w = np.cos(x)

    def member(k):
        return lambda z: np.tanh(z * w[k]) + w[k]

    members = [member(k) for k in range(4)]
    return sum(np.sum(m(x) ** 2) for m in members) / len(members)


def scheduled_layers(x):
    def make_layer(scale):
        def layer(h):
            return np.sin(h * scale) + h

        return layer

    layers = [make_layer(s) for s in (0.5, 1.0, 1.5)]
    h = x
    for layer in layers:
        h = layer(h)
    return np.sum(h * x)


class Dense:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return np.tanh(x * self.k)


class Sequential:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        return iter(self.layers)


def residual_net(x):
    net = Sequential([Dense(0.5), Dense(-1.2), Dense(0.8)])
    h = x
    for i, layer in enumerate(net):
        h = h + layer(h) / (i + 1)
    return np.sum(h**2)


def layer_outputs(x):
    net = Sequential([Dense(0.5), Dense(-1.2)])
    outs = [layer(x) for layer in net]
    return np.sum(outs[0] * outs[1])


@dataclasses.dataclass
class Params:
    w: np.ndarray
    b: float
    scale: float = 2.0


def l2_of_record(x):
    p = Params(np.sin(x), x[0] * x[1])
    reg = sum(np.sum(np.asarray(v) ** 2) for v in vars(p).values())
    d = dataclasses.asdict(p)
    w, b, s = dataclasses.astuple(p)
    return reg + np.sum(d["w"] * w) * b / s


class Body:
    def __init__(self, pos, mass):
        self.pos = pos
        self.mass = mass


def potential_energy(x):
    bodies = [Body(x[0], 1.0), Body(x[1], 2.0), Body(x[2] * x[3], 0.5)]
    e = 0.0
    for i in range(len(bodies)):
        for j in range(i):
            d = bodies[i].pos - bodies[j].pos
            e = e + bodies[i].mass * bodies[j].mass * d * d
    return e


CASES = [
    Case(ensemble_of_factories, (X4,), (0,), extra="hvp"),
    Case(scheduled_layers, (X4,), (0,), extra="hvp"),
    Case(residual_net, (X4,), (0,), extra="hvp"),
    Case(layer_outputs, (X4,), (0,), extra="hvp"),
    Case(l2_of_record, (X4,), (0,), extra="hvp"),
    Case(potential_energy, (X4,), (0,), extra="hvp"),
]
