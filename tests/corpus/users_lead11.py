"""Function factories (session 11, lead; lower/factories.py): a helper returning one of its nested
functions or a lambda, called later. Refused before: "cannot tell which function this call
invokes" (a module-level factory) or "the nested function `g` is used as a value" (a nested one).
JAX-style code builds layers, schedules and activations this way."""

from __future__ import annotations

import math

import numpy as np

from . import Case

V4 = np.array([0.7, 0.5, 0.13, 0.9])
SCALE = 2.0


def _make(a):
    def g(v):
        return a * np.sin(v) * SCALE

    return g


def _make_layer(W, b, act=np.tanh):
    def layer(h):
        return act(h @ W + b)

    return layer


def _make_lam(a, k=2):
    sq = a**k
    return lambda v: sq * v + a


def _compose(f1, f2):
    def h(v):
        return f1(f2(v))

    return h


def _get_act(name):
    if name == "relu":
        return lambda z: np.maximum(z, 0.0)
    elif name == "sq":

        def sq(z):
            return z * z

        return sq
    return lambda z: z


def _relu(z):
    return np.maximum(z, 0.0)


def _get_library_act(name):
    if name == "tanh":
        return np.tanh
    if name == "relu":
        return _relu
    if name == "sin":
        return math.sin
    return lambda z: z


def _make_sched(lr0):
    def sched(t):
        return lr0 / (1.0 + 0.1 * t)

    return sched


def _dense(n_out):  # stax-style: a layer is a pair of functions
    def init_fun(n_in):
        return np.ones((n_in, n_out)) * 0.1, np.zeros(n_out)

    def apply_fun(params, h):
        W, b = params
        return h @ W + b

    return init_fun, apply_fun


def _tanh_layer():
    return (lambda n: ()), (lambda params, h: np.tanh(h))


def _sgd(lr):  # optax-style: an optimiser is a pair of functions
    def init(w):
        return w

    def update(w, g):
        return w - lr * g

    return init, update


def factory_called_later(x):
    g = _make(x[0])
    return np.sum(g(x))


def factory_called_at_once(x):
    return np.sum(_make(x[0])(x))


def two_layers(x):
    l1 = _make_layer(np.outer(x[:2], x[2:]), x[:2] * 0.1)
    l2 = _make_layer(np.eye(2) * x[0], 0.0, act=np.sin)
    return np.sum(l2(l1(np.ones(2))) ** 2)


def returned_lambda(x):
    g = _make_lam(x[0])
    return g(x[1]) * g(x[2])


def two_closures_two_values(x):
    g1, g2 = _make(x[0]), _make(x[1])
    return np.sum(g1(x) * g2(x))


def factory_in_a_loop(x):
    s = 0.0
    for c in (1.0, 2.0, 3.0):
        g = _make(c * x[0])
        s = s + np.sum(g(x))
    return s


def argument_rebound_after(x):
    w = x * 1.0
    g = _make(w)  # g reads the factory's `a`: the caller's rebinding does not reach it
    w = w * 3.0
    return np.sum(g(x)) + np.sum(w)


def activation_by_name(x):
    return np.sum(_get_act("relu")(x - 0.3)) + np.sum(_get_act("sq")(x)) + _get_act("id")(x[0])


def library_activation_by_name(x):
    act = _get_library_act("tanh")
    h = act(x) + _get_library_act("sin")(x[0]) + _get_library_act("id")(x[1])
    return np.sum(_get_library_act("relu")(h - 0.9))


def composed(x):
    h = _compose(np.sin, _make(x[0]))
    return np.sum(h(x))


def lr_schedule(x):
    w = x.copy()
    lr = _make_sched(x[0] * 0.1)
    for t in range(5):
        w = w - lr(t) * 2.0 * w
    return np.sum(w**2)


def stax_layers(x):
    init1, apply1 = _dense(2)
    init2, apply2 = _tanh_layer()
    W, b = init1(4)
    h = apply2(init2(2), apply1((W * x[0], b + x[1]), x))
    return np.sum(h**2)


def optimiser_pair(x):
    init, update = _sgd(0.1 * x[3])
    w = init(x)
    for _ in range(3):
        w = update(w, 2 * w)
    return np.sum(w**2)


def nested_factory(x):
    def mk(a):
        def g(v):
            return a * np.sin(v)

        return g

    g = mk(x[1])
    return np.sum(g(x))


CASES = [
    Case(factory_called_later, (V4,), (0,), extra="hvp"),
    Case(factory_called_at_once, (V4,), (0,), extra="hvp"),
    Case(two_layers, (V4,), (0,), extra="hvp"),
    Case(returned_lambda, (V4,), (0,), extra="hvp"),
    Case(two_closures_two_values, (V4,), (0,), extra="hvp"),
    Case(factory_in_a_loop, (V4,), (0,), extra="hvp"),
    Case(argument_rebound_after, (V4,), (0,), extra="hvp"),
    Case(activation_by_name, (V4,), (0,), extra="hvp"),
    Case(library_activation_by_name, (V4,), (0,), extra="hvp"),
    Case(composed, (V4,), (0,), extra="hvp"),
    Case(lr_schedule, (V4,), (0,), extra="hvp"),
    Case(stax_layers, (V4,), (0,), extra="hvp"),
    Case(optimiser_pair, (V4,), (0,), extra="hvp"),
    Case(nested_factory, (V4,), (0,), extra="hvp"),
]
