"""Programs srcad used to refuse, session 19 (`refuse19`): a model's layers that are not a list
display bound to a name.

- a loop over a list or tuple display of constructor calls, ``for layer in [Dense(a),
  Dense(b)]: x = layer(x)`` ('cannot tell which function this call invokes'; the same display
  bound to a name first was accepted): the display's elements are lowered once, tentatively,
  as a list of objects (lower/fnvalues._built_seq, lower/objseq.attempt);
- objects appended to a fresh local list, ``layers = []; layers.append(Dense(w))``, also in a
  loop over constants (``for w in (0.5, 1.5): layers.append(Dense(w))``, unrolled as a loop
  making functions is: lower/fnlists.py), and an object bound to a name appended;
- the PyTorch-style model whose ``__init__`` grows its layers, ``self.layers = []`` then
  ``self.layers.append(Dense(w))`` (straight-line or in a loop over constants), while the list
  is only reached through the field (lower/objappend.py, lower/objinit.py);
- ``x.var(mean=m)`` / ``x.std(..., mean=, ddof=)`` (NumPy 2's keyword, accepted for
  ``np.var`` but not the method: lower/library_np.method_call), and ``np.atleast_2d(a, b)``
  of several arrays (the tuple of each's: library_np.atleast);
- two-level factories, ``make(a)(b)(x)`` ('the nested function `inner` is used as a value'): a
  function returned by a factory's returned function is carried too, as nothing rebinds what it
  reads once the factories returned (lower/fnargs.Carried.gone); lambdas returning lambdas too
  (lower/closures.inline).

Each is checked forward, reverse and (``extra="hvp"``) at second order; what must stay refused
is in tests/soundness/test_refuse19.py."""

from __future__ import annotations

import numpy as np

from . import Case

V6 = np.array([0.5, -1.2, 0.8, 2.0, -0.3, 1.1])


class Sine:
    def __init__(self, a):
        self.a = a

    def __call__(self, x):
        return np.sin(self.a * x)


class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def forward(self, x):
        return np.tanh(self.w * x + self.b)


def layers_display(x):
    for layer in [Sine(0.7), Sine(1.3)]:
        x = layer(x)
    return np.sum(x**2)


def layers_tuple_display(x):
    h = x
    for layer in (Dense(0.5, 0.1), Dense(x[0], -0.2), Dense(1.5, 0.0)):
        h = layer.forward(h)
    return np.sum(h * x)


def appended_layers(x):
    layers = []
    layers.append(Sine(0.5))
    layers.append(Dense(x[1], 0.3))
    h = layers[0](x)
    return np.sum(layers[1].forward(h) ** 2) + len(layers)


def appended_in_loop(x):
    layers = []
    for w in (0.4, 0.9, 1.6):
        layers.append(Dense(w, 0.1 * w))
    h = x
    for layer in layers:
        h = layer.forward(h)
    return np.sum(np.cos(h))


def appended_named(x):
    first = Sine(1.1)
    stack = []
    stack.append(first)
    stack.append(Sine(x[2]))
    first.a = 0.6  # the list holds `first`: its layer sees the new field, as Python's
    for s in stack:
        x = s(x)
    return np.sum(x)


class Mlp:
    def __init__(self, widths):
        self.layers = []
        for k in range(3):
            self.layers.append(Dense(0.3 + 0.4 * k, 0.05 * k))
        self.scale = 2.0

    def __call__(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return self.scale * np.sum(x**2)


def mlp_grown_in_init(x):
    return Mlp(None)(x)


class Stack:
    def __init__(self, w):
        self.count = 0
        self.layers = []
        self.layers.append(Dense(w, 0.1))
        for a in (0.8, 1.7):
            self.layers.append(Sine(a))
            self.count += 1

    def __call__(self, x):
        h = self.layers[0].forward(x)
        for layer in self.layers[1:]:
            h = layer(h)
        return np.sum(h) * self.count


def stack_grown_in_init(x):
    return Stack(x[3])(x) + Stack(0.5)(x[::-1])


def var_given_mean(x):
    m = x.mean()
    w = x.reshape(2, 3)
    cols = w.mean(axis=0, keepdims=True)
    return x.var(mean=m) + np.sum(w.std(axis=0, mean=cols, ddof=1)) + np.var(x, correction=1)


def atleast_pairs(x):
    a, b = np.atleast_2d(x[:3], x[3])
    c, d, e = np.atleast_1d(x[0], x[1:3], 2.0)
    return np.sum(a * b) + np.sum(c) * np.sum(d**2) + e


def _make_layer(w):
    def with_bias(b):
        def layer(h):
            return np.tanh(w * h + b)

        return layer

    return with_bias


def _schedule(a):
    def m1(b):
        def m2(c):
            def m3(z):
                return np.sum(np.cos(z * a) * b + c * z)

            return m3

        return m2

    return m1


def two_level_factory(x):
    layer = _make_layer(1.5)(0.2)
    h = _make_layer(x[0])(x[1])(x)
    return np.sum(layer(h) ** 2) + _schedule(x[2])(2.0)(x[3])(x)


def nested_two_level(x):
    def mk(a):
        def mid(b):
            def inner(q):
                return np.sin(q * a) * b

            return inner

        return mid

    return np.sum(mk(2.0)(x[0])(x)) + np.sum(mk(x[1])(0.5)(x[::-1]))


def _curried(a):
    return lambda b: lambda x: np.sum(np.sin(a * x) * b)


def curried_lambdas(x):
    scale = lambda c: lambda v: np.exp(-c * v)  # noqa: E731
    return _curried(x[0])(3.0)(x) + np.sum(scale(0.5)(x[1:4]))


CASES = [
    Case(f, (V6.copy(),), (0,), extra="hvp")
    for f in (
        layers_display,
        layers_tuple_display,
        appended_layers,
        appended_in_loop,
        appended_named,
        mlp_grown_in_init,
        stack_grown_in_init,
        var_given_mean,
        atleast_pairs,
        two_level_factory,
        nested_two_level,
        curried_lambdas,
    )
]
