"""Programs srcad used to refuse, session 29 (`refuse29`): spurious refusals users hit.

- a graph of nodes whose ``__init__`` computes a field, built by a comprehension over a
  run-time range and summed by another comprehension (lower/mappedseq.space);
- a particle system of dataclasses whose ``__post_init__`` computes the kinetic energy and
  whose ``field(default_factory=list)`` history each step appends to (lower/postinit.py);
- a two-layer network whose layers pick their activation object from a module-level table of
  classes (``self.act = ACTIVATIONS[name]()``, lower/fnitems.static_entry);
- a mesh of triangles built by a filtered loop of appends and read by index and comprehension
  (lower/mappedseq.py); 3-vectors made by ``Vec3(*(a - b for a, b in zip(p, q)))``
  (lower/starcalls.class_call);
- a ring buffer rotated each step (``deque.rotate``, lower/deques.py), dropout noise of the
  input's shape (``np.random.rand(*h.shape)``, lower/fastcalls.py) and a histogram-binned
  loss whose edges follow the data (rules/histograms.py).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse29.py."""

from __future__ import annotations

from collections import deque
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


class Tri:
    def __init__(self, a, b, c):
        self.e1 = b - a
        self.e2 = c - a
        self.area = 0.5 * abs(self.e1[0] * self.e2[1] - self.e1[1] * self.e2[0])


def mesh_area(x):
    pts = np.concatenate([x, x[::-1] * 0.5 + 1.0]).reshape(-1, 2)
    tris = []
    for i in range(len(pts) - 2):
        if i % 2 == 0 or x[0] > 0:
            tris.append(Tri(pts[i], pts[i + 1], pts[i + 2]))
    return sum(t.area for t in tris) + tris[0].area * tris[-1].area


class Vec3:
    def __init__(self, x, y, z):
        self.x, self.y, self.z = x, y, z

    def cross(self, o):
        return Vec3(self.y * o.z - self.z * o.y, self.z * o.x - self.x * o.z,
                    self.x * o.y - self.y * o.x)  # fmt: skip

    def norm(self):
        return np.sqrt(self.x**2 + self.y**2 + self.z**2)


def triangle_normal(x):
    p, q, r = x[:3], x[3:], x[:3] * x[3:]
    u = Vec3(*(a - b for a, b in zip(q, p)))
    v = Vec3(*(a - b for a, b in zip(r, p)))
    return u.cross(v).norm()


def ring_buffer_filter(x):
    buf = deque([0.0, 0.0, 0.0], maxlen=3)
    out = 0.0
    for v in x:
        buf.append(v)
        buf.rotate(1)
        out = out + 0.5 * buf[0] + 0.3 * buf[1] * buf[2]
    return out


def dropout_mlp(x):
    np.random.seed(7)
    h = np.tanh(np.outer(x, x[::-1]))
    keep = np.random.rand(*h.shape) < 0.8
    h = h * keep / 0.8 + 0.01 * np.random.randn(*h.shape)
    return np.sum(h**2)


def binned_loss(x):
    counts, edges = np.histogram(x, bins=3)
    centers = 0.5 * (edges[1:] + edges[:-1])
    return np.sum(counts * centers**2) + np.sum((x - centers.mean()) ** 2)


CASES = [
    Case(f, (X6.copy(),), (0,), extra="hvp")
    for f in (
        spring_chain_energy,
        bodies_drifting,
        two_layer_table_net,
        mesh_area,
        triangle_normal,
        ring_buffer_filter,
        dropout_mlp,
        binned_loss,
    )
]
