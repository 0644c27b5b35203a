"""Programs srcad used to refuse, session 29 (`refuse29`): spurious refusals users hit.

- a graph of nodes whose ``__init__`` computes a field, built by a comprehension over a
  run-time range and summed by another comprehension (lower/mappedseq.space);
- a particle system of dataclasses whose ``__post_init__`` computes the kinetic energy and
  whose ``field(default_factory=list)`` history each step appends to (lower/postinit.py);
- a two-layer network whose layers pick their activation object from a module-level table of
  classes (``self.act = ACTIVATIONS[name]()``, lower/fnitems.static_entry).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse29.py."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import Case

X6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


class Spring:
    def __init__(self, a, b, k):
        self.k = k
        self.d = b - a
        self.stretch = np.linalg.norm(self.d) - 1.0

    def energy(self):
        return 0.5 * self.k * self.stretch**2


def spring_chain_energy(x):
    pts = x.reshape(-1, 2)
    springs = [Spring(pts[i], pts[i + 1], 1.0 + i) for i in range(len(pts) - 1)]
    return sum(s.energy() for s in springs) + max([s.stretch for s in springs])


@dataclass
class Body:
    m: float
    v: float
    ke: float = 0.0
    trail: list = field(default_factory=list)

    def __post_init__(self):
        self.ke = 0.5 * self.m * self.v**2


def bodies_drifting(x):
    bodies = [Body(x[i], x[i + 3]) for i in range(3)]
    for b in bodies:
        b.trail.append(b.v * 0.1)
        b.trail.append(b.ke * b.v)
    return sum(b.ke for b in bodies) + sum(sum(b.trail) for b in bodies)


class Softplus:
    def __call__(self, z):
        return np.log1p(np.exp(z))


class Tanh:
    def __call__(self, z):
        return np.tanh(z)


ACTIVATIONS = {"softplus": Softplus, "tanh": Tanh}


class Layer:
    def __init__(self, w, b, act="tanh"):
        self.w = w
        self.b = b
        self.act = ACTIVATIONS[act]()

    def __call__(self, h):
        return self.act(self.w * h + self.b)


def two_layer_table_net(x):
    net = [Layer(x[0], x[1], "softplus"), Layer(x[2], x[3])]
    h = x[4:]
    for layer in net:
        h = layer(h)
    return np.sum(h**2)


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (spring_chain_energy, bodies_drifting, two_layer_table_net)
]
