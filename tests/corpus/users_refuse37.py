"""Programs srcad used to refuse, session 37 (`refuse37`): idioms people write.

- ``sum(objs[1:], objs[0])`` of a helper's list of user objects: the start's class checked
  when the code runs, its own ``__add__`` called (ad/objsumloop.py);
- ``sum(list(map(V, x)))``: the list `map` makes is a run-time list of objects, not one built
  again where it is read (lower/mappedseq._listed);
- ``for layer in Net([L1(), L2()])``, the model made in the loop's header
  (lower/objiter.loop_items);
- ``vars(o).items()`` of a record (lower/getattrs.vars_of);
- ``a, b = itertools.tee(np.tanh(x))`` each read once (lower/tees.py);
- ``np.histogram2d(..., density=True)``, ``np.nanprod(x, where=m)``, ``cmath.exp`` of a
  complex number made from reals (lower/library_lib37.py);
- ``z.imag[i] = v`` of a local complex array (lower/complexparts.py).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/regressions/test_refuse37.py."""

from __future__ import annotations

import cmath
import itertools

import numpy as np

from . import Case

X4 = np.array([0.4, -0.7, 1.3, 0.25])


class Vec:
    """A value with `+` of its own, as users write one (``__radd__`` for ``sum``'s 0)."""

    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        return Vec(self.a + o.a)

    def __radd__(self, o):
        return Vec(self.a + o)


def make_vecs(x):
    return [Vec(x[0]), Vec(x[1] * x[2]), Vec(np.sin(x[3]))]


def sum_with_first_as_start(x):
    objs = make_vecs(x)
    return sum(objs[1:], objs[0]).a ** 2


def sum_of_mapped_objects(x):
    return sum(list(map(Vec, x * x))).a * x[0]


class Tanh:
    def __call__(self, x):
        return np.tanh(x)


class Scale:
    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return x * self.k


class Net:
    def __init__(self, layers):
        self.layers = layers

    def __iter__(self):
        return iter(self.layers)


def net_made_in_loop_header(x):
    for layer in Net([Scale(0.7), Tanh(), Scale(1.5)]):
        x = layer(x)
    return np.sum(np.sin(x))


class Affine:
    def __init__(self, w, b):
        self.w = w
        self.b = b


def vars_of_record(x):
    layer = Affine(np.tanh(x), x[0] * x[1])
    return sum(np.sum(v**2) for k, v in vars(layer).items() if k != "skip")


def teed_features(x):
    a, b = itertools.tee(np.tanh(x))
    return sum(a) ** 2 - sum(v**3 for v in b)


def density_and_masked_product(x):
    h, _, _ = np.histogram2d(x, x[::-1], bins=2, range=[[-2.0, 2.0], [-2.0, 2.0]], weights=x**2,
                             density=True)  # fmt: skip
    return np.sum(h**2) + np.nanprod(x, where=x > 0.0)


def damped_phasor(x):
    z = complex(-(x[0] ** 2), x[1]) * x[2]
    return (cmath.exp(z) * x[3]).real + abs(cmath.sqrt(z - 1.0))


def phase_edited(x):
    z = np.zeros(4, complex)
    z.real[:] = np.cos(x)
    z.imag[1:3] = x[:2] * x[3]
    return np.sum(np.abs(z) ** 3) + np.angle(z[2])


CASES = [
    Case(sum_with_first_as_start, (X4,), (0,), extra="hvp"),
    Case(sum_of_mapped_objects, (X4,), (0,), extra="hvp"),
    Case(net_made_in_loop_header, (X4,), (0,), extra="hvp"),
    Case(vars_of_record, (X4,), (0,), extra="hvp"),
    Case(teed_features, (X4,), (0,), extra="hvp"),
    Case(density_and_masked_product, (X4,), (0,), extra="hvp"),
    Case(damped_phasor, (X4,), (0,), extra="hvp"),
    Case(phase_edited, (X4,), (0,), extra="hvp"),
]
