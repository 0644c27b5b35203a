"""Python idioms users write that srcad used to refuse or crash on (session 7, `refuse7`):
namedtuples as sequences (``p + (v,)``, ``p * 2``, ``sum(p)``, ``np.array(p)``: their
cotangents keep the class, srcad.trees.seq_like); lists and tuples of user objects made in the
function or in an ``__init__`` built here (``self.layers = [Dense(w) for w in ...]``, ``for l in
self.layers: x = l(x)``: lower/objseq.py, loops unrolled), with ``enumerate``/``zip``/
``reversed``, constant indices and slices, ``len``. Each is checked forward, reverse and
(``extra="hvp"``) at second order; the neighbours that must stay refused are in
tests/soundness/test_refuse7.py."""

from __future__ import annotations

import collections
import io
import itertools
import math
import operator
import typing
from dataclasses import dataclass

import numpy as np

from . import Case

Pt = collections.namedtuple("Pt", "a b")


class State(typing.NamedTuple):
    pos: float
    vel: float


def namedtuple_concat(x):
    p = Pt(x[0], x[1])
    q = p + (x[2],)
    r = (x[0] * 2.0,) + p
    return q[0] * q[2] + r[0] * r[2]


def namedtuple_repeat_sum(x):
    s = State(x[0], x[1] ** 2)
    return sum(s * 2) * x[2] + sum(s)


def namedtuple_array(x):
    s = State(np.sin(x[0]), x[1] * x[2])
    return np.sum(np.array(s) ** 2) + np.prod(s)


def namedtuple_in_loop(x):
    s = State(x[0], x[1])
    hist = ()
    for _ in range(3):
        s = State(s.pos + 0.1 * s.vel, s.vel - 0.1 * s.pos * x[2])
        hist = hist + s
    return sum(hist) + sum(hist[1:3]) * hist[-1]


def namedtuple_argument(s, x):
    q = s + (x,)
    return sum(q) * q[0] + np.sum(np.array(s) * x)


class Dense:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w * x)


@dataclass
class Affine:
    w: float
    b: float = 0.1

    def __call__(self, x):
        return self.w * x + self.b


class Scaled:
    def __init__(self, w, b=0.1):
        self.w = w * 2.0
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w * x + self.b)

    def forward(self, x):
        return self(x) * 1.5


class Counting:
    def __init__(self, w):
        self.w = w
        self.total = 0.0

    def __call__(self, x):
        self.total = self.total + np.sum(x)
        return x * self.w


class MLP:
    def __init__(self, scale):
        self.layers = [Scaled(w) for w in (0.5, -0.3, 0.9)]
        self.head = Dense(1.2)
        self.scale = scale

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x) * self.scale
        return self.head(x)

    def depth(self):
        return len(self.layers)


class Mixed:
    def __init__(self, w):
        self.blocks = [Dense(w), Affine(0.3), Scaled(-0.4)]

    def __call__(self, x):
        for i, b in enumerate(self.blocks):
            x = b(x) + 0.1 * i
        return x


def layers_list(x):
    layers = [Dense(0.5), Affine(1.5, b=0.3), Scaled(-0.7)]
    for layer in layers:
        x = layer(x)
    return np.sum(x)


def layers_weights_from_x(x):
    layers = [Dense(x[0]), Scaled(x[1])]
    y = x
    for layer in layers:
        y = layer(y)
    return np.sum(y) + np.sum(layers[1].forward(x))


def layers_in_init(x):
    m = MLP(1.1)
    return np.sum(m(x)) / m.depth()


def layers_in_init_from_x(x):
    m = Mixed(x[2])
    return np.sum(m(x) ** 2)


def layers_model_in_loop(x):
    m = MLP(0.9)
    s = 0.0
    for t in range(3):
        s = s + np.sum(m(x * (t + 1.0)))
    return s


def layers_model_in_branch(x):
    m = MLP(1.1)
    if x[0] > 0:
        y = m(x)
    else:
        y = m(-x)
    return np.sum(y)


def layers_nested_helper(x):
    layers = [Dense(0.5), Scaled(-1.5)]

    def forward(z):
        for layer in layers:
            z = layer(z)
        return z

    return np.sum(forward(x) + forward(2.0 * x))


def layers_stateful(x):
    layers = [Counting(0.5), Counting(2.0)]
    for layer in layers:
        x = layer(x)
    return np.sum(x) + layers[0].total * layers[1].total


def layers_reversed_slices(x):
    layers = [Dense(0.5), Scaled(-1.5), Affine(2.0)]
    for layer in reversed(layers[:-1]):
        x = layer(x)
    return np.sum(layers[-1](x)) * len(layers)


def layers_zip_comprehension(x):
    layers = (Dense(0.5), Scaled(-1.5))
    scales = [1.0, 2.0]
    outs = [np.sum(layer(x)) * s for layer, s in zip(layers, scales)]
    return outs[0] * outs[1] + sum(layer.w for layer in layers) * x[0]


def _relu(z):
    return np.maximum(z, 0.0)


def _square(z):
    return z * z


ACTIVATIONS = {"relu": _relu, "tanh": np.tanh, "square": _square}
PIPELINE = [np.sin, _square, np.tanh]


class Configured:
    def __init__(self, act):
        self.act = act
        self.w = 0.7

    def __call__(self, x):
        return ACTIVATIONS[self.act](self.w * x)


def dict_of_functions_local(x):
    acts = {"relu": _relu, "tanh": np.tanh, "cube": lambda z: z**3}
    return np.sum(acts["tanh"](x) + acts["relu"](x) * acts["cube"](x))


def dict_of_functions_values(x):
    acts = {"relu": _relu, "tanh": np.tanh}
    s = sum(np.sum(f(x)) for f in acts.values())
    for name, f in acts.items():
        s = s + np.sum(f(x)) * len(name)
    return s


def dict_of_functions_key_argument(x, name="square"):
    key = "a" if name == "tanh" else "b"
    return np.sum(ACTIVATIONS[name](x)) + np.sum({"a": np.sin, "b": _square}[key](x))


def dict_of_functions_key_in_loop(x):
    s = 0.0
    for name in ["square", "relu", "tanh"]:
        s = s + np.sum(ACTIVATIONS[name](x))
    return s


def dict_of_functions_key_branch(x):
    acts = {"relu": _relu, "tanh": np.tanh, "square": _square}
    name = "square" if x[0] > 0 else "tanh"
    return np.sum(acts[name](x))


def dict_of_functions_config(x):
    m = Configured("square")
    return np.sum(m(x)) + np.sum(ACTIVATIONS[m.act](x))


def functions_run_time_index(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(PIPELINE[i](x)) * (i + 1.0) + np.sum(PIPELINE[-i - 1](x))
    return s


def layers_run_time_index(x):
    layers = [Dense(0.5), Scaled(-1.5), Affine(2.0)]
    for i in range(len(layers)):
        x = layers[i](x)
    return np.sum(x)


class _Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total += v
        self.n += 1
        return self.n


def objects_list_sees_writes(x):
    a = _Acc()
    a.add(x[0])
    before = [a]  # the object itself, not a copy: the later write shows through both names
    after = (a,)
    a.add(x[1] ** 2)
    return before[0].total * after[-1].total + a.n


def pair_energy(x):
    pts = [x[0], x[1] * 2.0, x[2], x[0] * x[2]]
    e = sum((a - b) ** 2 / (1.0 + a * a) for a, b in itertools.combinations(pts, 2))
    for a, b, c in itertools.combinations(pts, 3):
        e = e + a * b * c
    return e


def path_length(x):
    pts = [x[0], x[1], x[2], x[0] + 1.0]
    d = 0.0
    for p, q in itertools.pairwise(pts):
        d = d + math.hypot(q - p, 1.0, p * 0.5)  # three coordinates
    return d + sum(b - a for a, b in itertools.pairwise(x))


def permutations_and_products(x):
    s = sum(a * b**2 for a, b in itertools.permutations(x, 2))
    s = s + sum(itertools.starmap(operator.mul, zip(x, x[::-1])))
    s = s + sum(itertools.starmap(lambda a, b: a * np.sin(b), zip(x, x)))
    return s + sum([a * b for a, b in itertools.combinations_with_replacement(x[:2], 2)])


def zip_longest_padding(x):
    short = [x[0] * 2.0]
    s = sum(a * b for a, b in itertools.zip_longest(x, short, fillvalue=1.0))
    for a, b in itertools.zip_longest(x[:2], x):
        s = s + (a if a is not None else 0.5) * b
    return s


def list_remove_clear_del(x):
    xs = [x[0], x[1], x[2], 5.0]
    xs.remove(5.0)
    total = 0.0
    buf = []
    for v in xs:
        buf.append(v * v)
        if len(buf) == 2:
            total = total + sum(buf)
            buf.clear()
    ys = [x[0], x[1], x[2], x[0] * x[1]]
    del ys[1:3]
    zs = list(x)
    del zs[-2:]
    return total + sum(buf) + ys[0] * ys[1] + zs[0] + len(ys)


def dict_clear_in_loop(x):
    d = {}
    s = 0.0
    for i in range(3):
        d["v"] = x[i] * 2.0
        d["w"] = x[i] ** 2
        s = s + d["v"] * d["w"]
        d.clear()
    return s + len(d)


_LOG = io.StringIO()


def _total(items):
    s = 0.0
    for v in items:
        s = s + v
    return s


def generators_run_at_once(x):
    print(", ".join(f"{v:.2f}" for v in x), file=_LOG)
    s = _total(v * v for v in x) + np.sum(np.fromiter((v**3 for v in x), float))
    k = x[0]
    for a, b in zip((v * k for v in x), x):  # the body rebinds nothing the generator reads
        s = s + a * b
    s = s + sum(i * v for i, v in enumerate(w * 2.0 for w in x))
    return s + sum([sum(v * w for w in x) for v in x]) * (any(v > 1.0 for v in x) + 1.0)


def iterator_header_and_rows(x):
    rows = [x * 1.0, x * 2.0, x**2, np.sin(x)]
    it = iter(rows)
    head = next(it)
    s = 0.0
    for k in range(2):
        s = s + np.sum(next(it) * head) * (k + 1)
    for r in it:  # the rest
        s = s + np.sum(r * head)
    return s + next(it, 0.5) * x[0]


def iterator_pairs_and_first(x):
    it = iter([x[0], x[1], x[2], x[0] * x[1]])
    s = 0.0
    for _ in range(2):
        a = next(it)
        b = next(it) if a > -10.0 else 1.0
        s = s + a * b
    d = {"w": x[2], "b": x[0]}
    return s + d[next(iter(d))] * next(iter(x)) + next(iter([]), 2.0)


class Particle:
    def __init__(self, pos, vel):
        self.pos = pos
        self.vel = vel * 1.0
        self.hist = [pos, pos]

    @classmethod
    def at_rest(cls, pos):
        return cls(pos, 0.0 * pos)

    @classmethod
    def moving(cls, pos, speed):
        return cls(pos, speed * 2.0)

    def step(self, dt):
        self.pos = self.pos + dt * self.vel
        self.hist[1] = self.pos  # a field's element written in a method
        return self


def factory_classmethods(x):
    a = Particle.at_rest(x[0])
    b = Particle.moving(x[1], x[2])
    for _ in range(3):
        b.step(0.1).step(0.05)
    a.hist[0] = a.pos * x[2]  # written in the function
    return a.hist[0] * b.pos + b.hist[1] ** 2 + b.hist[0]


def polynomial_helpers(x):
    p = np.polymul(x, [1.0, -x[1]])
    q = np.polyder(np.polyadd(p, x), 1)
    r = np.polysub(np.polyint(q, 1, k=x[0]), [0.0, x[2]])
    return np.polyval(r, 0.3) + np.sum(np.polyder(x, 2) ** 2) + np.sum(np.polyint(x, 2))


def _make_particle(p, speed):
    scaled = speed * 0.5
    return Particle(p, scaled)


def _make_block(w):
    return Scaled(w * 0.5, b=0.2)


def objects_from_helpers(x):
    a = _make_particle(x[0], x[1])
    a.step(0.2)
    a.vel = a.vel * x[2]  # a field of the object the helper made, written here
    blocks = [_make_block(x[2]), _make_block(0.7)]
    y = x
    for b in blocks:
        y = b(y)
    return a.pos * a.vel + np.sum(y)


class Body:
    def __init__(self, m, q):
        self.m = m
        self.q = q
        self.v = 0.0

    def step(self, f, dt):
        self.v = self.v + f / self.m * dt
        self.q = self.q + self.v * dt


def bodies_in_a_loop(x):
    bodies = [Body(1.0 + i, x[i]) for i in range(3)]
    others = [Body(m, q) for m, q in zip([2.0, 3.0], x)]
    for _ in range(4):
        for b in bodies:
            b.step(-b.q, 0.1)
        for k, b in enumerate(others):
            b.step(-b.q * (k + 1), 0.1)
    return sum(c.q * c.v for c in bodies) + sum(c.q for c in others)


def particles_as_dicts(x):
    ps = [{"pos": x[i], "vel": 0.0} for i in range(3)]
    for _ in range(4):
        for p in ps:
            p["vel"] += -0.5 * p["pos"] * 0.1
            p["pos"] += p["vel"] * 0.1
    rows = [[x[0], 1.0], [x[1], 2.0]]
    for r in rows:
        r[1] = r[1] * r[0]
        r.append(r[0] ** 2)
    return sum(p["pos"] ** 2 for p in ps) + sum(r[1] + r[2] for r in rows)


def maps_run_at_once(x):
    k = x[0]
    a = list(map(lambda v: v * k, x))
    m = map(np.sin, x)  # run later, but nothing it reads changes
    b = np.array(list(m))
    s = 0.0
    for v in map(lambda t: t**2, x):
        s = s + v
    return sum(a) + np.sum(b) + s + sum(filter(lambda v: v > 0, x))


V3 = np.array([0.3, -0.7, 1.2])

CASES = [
    Case(namedtuple_concat, (V3,), (0,), extra="hvp"),
    Case(namedtuple_repeat_sum, (V3,), (0,), extra="hvp"),
    Case(namedtuple_array, (V3,), (0,), extra="hvp"),
    Case(namedtuple_in_loop, (V3,), (0,), extra="hvp"),
    Case(namedtuple_argument, (State(0.4, -1.3), 0.7), (0, 1)),
    Case(layers_list, (V3,), (0,), extra="hvp"),
    Case(layers_weights_from_x, (V3,), (0,), extra="hvp"),
    Case(layers_in_init, (V3,), (0,), extra="hvp"),
    Case(layers_in_init_from_x, (V3,), (0,), extra="hvp"),
    Case(layers_model_in_loop, (V3,), (0,), extra="hvp"),
    Case(layers_model_in_branch, (V3,), (0,), extra="hvp"),
    Case(layers_nested_helper, (V3,), (0,), extra="hvp"),
    Case(layers_stateful, (V3,), (0,), extra="hvp"),
    Case(layers_reversed_slices, (V3,), (0,), extra="hvp"),
    Case(layers_zip_comprehension, (V3,), (0,), extra="hvp"),
    Case(dict_of_functions_local, (V3,), (0,), extra="hvp"),
    Case(dict_of_functions_values, (V3,), (0,), extra="hvp"),
    Case(dict_of_functions_key_argument, (V3, "square"), (0,), extra="hvp"),
    Case(dict_of_functions_key_argument, (V3, "tanh"), (0,), name="dict_fns_key_tanh"),
    Case(dict_of_functions_key_in_loop, (V3,), (0,), extra="hvp"),
    Case(dict_of_functions_key_branch, (V3,), (0,), extra="hvp"),
    Case(dict_of_functions_config, (V3,), (0,), extra="hvp"),
    Case(functions_run_time_index, (V3,), (0,), extra="hvp"),
    Case(layers_run_time_index, (V3,), (0,), extra="hvp"),
    Case(objects_list_sees_writes, (V3,), (0,), extra="hvp"),
    Case(pair_energy, (V3,), (0,), extra="hvp"),
    Case(path_length, (V3,), (0,), extra="hvp"),
    Case(permutations_and_products, (V3,), (0,), extra="hvp"),
    Case(zip_longest_padding, (V3,), (0,), extra="hvp"),
    Case(list_remove_clear_del, (V3,), (0,), extra="hvp"),
    Case(dict_clear_in_loop, (V3,), (0,), extra="hvp"),
    Case(generators_run_at_once, (V3,), (0,), extra="hvp"),
    Case(iterator_header_and_rows, (V3,), (0,), extra="hvp"),
    Case(iterator_pairs_and_first, (V3,), (0,), extra="hvp"),
    Case(factory_classmethods, (V3,), (0,), extra="hvp"),
    Case(polynomial_helpers, (V3,), (0,), extra="hvp"),
    Case(objects_from_helpers, (V3,), (0,), extra="hvp"),
    Case(bodies_in_a_loop, (V3,), (0,), extra="hvp"),
    Case(particles_as_dicts, (V3,), (0,), extra="hvp"),
    Case(maps_run_at_once, (V3,), (0,), extra="hvp"),
]
