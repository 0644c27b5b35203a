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
]
