"""Ported cases (session 44, idiom44): idioms users write in training and simulation code,
refused before: an SGD step ``params[k] -= lr * g[k]`` on a dict or list argument of arrays
(inline and in a helper, as a MAML-style inner loop has it: lower/argitems.py), ``f(**params)``
of a dict argument (lower/kwdicts.py), and a method chosen by ``getattr(self, "_step_" +
method)`` with the name a string argument (lower/methodpick.py), and n-body pairs from
``itertools.combinations`` updated in place (lower/combos.py).

Float64 arrays and floats -> floats. Each checked forward, reverse and at second order; the
dict and list arguments (updated in place by the functions) are copied for every call."""

from __future__ import annotations

import itertools

import numpy as np

from . import Case

R = np.random.default_rng(44004400)
X3 = np.round(R.standard_normal(3), 3)
A = np.round(R.standard_normal((5, 3)), 3)
Y = np.round(R.standard_normal(5), 3)


def _params():
    return {"w": np.round(R.standard_normal(3), 3), "b": np.array(0.25)}


def sgd_on_dict(params, x):
    """Two plain SGD steps on a linear model's parameters, then the loss at `x`-scaled data."""
    for _ in range(2):
        err = (A * x) @ params["w"] + params["b"] - Y
        grads = {"w": (A * x).T @ err / len(Y), "b": np.mean(err)}
        for k in params:
            params[k] -= 0.3 * grads[k]
    return float(np.mean(((A * x) @ params["w"] + params["b"] - Y) ** 2))


def sgd_on_list(ws, x):
    """Momentum-free updates of a list of weight arrays, zipped with their gradients."""
    grads = [np.tanh(w * x) for w in ws]
    for w, g in zip(ws, grads):
        w -= 0.1 * g
    return float(sum(np.sum(w**2) for w in ws))


def _sgd_step(params, grads, lr):
    for k in params:
        params[k] -= lr * grads[k]


def maml_inner_loop(params, x):
    """MAML's inner loop with the update in a helper; the outer loss after adaptation."""
    for _ in range(3):
        err = A @ params["w"] * x[0] + params["b"] - Y
        _sgd_step(params, {"w": x[0] * A.T @ err / len(Y), "b": np.mean(err)}, 0.2)
    return float(np.sum(x * params["w"]) + params["b"])


def _dense(w, b, x, act=np.tanh):
    return act(w * x + b)


def keyword_params(params, x):
    """A layer called with its parameters spread from a dict: ``_dense(x=x, **params)``."""
    return float(np.sum(_dense(x=x, **params) ** 2))


def _scaled(x, **hp):
    return x * hp["scale"] + hp.get("shift", 0.0)


def keyword_hyper(x, hp):
    return float(np.sum(np.sin(_scaled(x, **hp))))


class _Integrator:
    def __init__(self, h):
        self.h = h

    def _step_euler(self, y):
        return y + self.h * np.sin(y)

    def _step_midpoint(self, y):
        return y + self.h * np.sin(y + 0.5 * self.h * np.sin(y))

    def integrate(self, y, n, method="midpoint"):
        step = getattr(self, "_step_" + method)
        for _ in range(n):
            y = step(y)
        return y


def method_by_name(x, method):
    return float(np.sum(_Integrator(0.1).integrate(x, 3, method) ** 2))


def pair_forces(x):
    """n-body style pairs from ``itertools.combinations``, each pair's lists updated in place."""
    bodies = [[x[0], 0.0, 1.0], [x[1], 0.0, 2.0], [x[2], 0.0, 0.5]]
    for _ in range(3):
        for a, b in itertools.combinations(bodies, 2):
            d = a[0] - b[0]
            a[1] -= 0.05 * d * b[2]
            b[1] += 0.05 * d * a[2]
        for b in bodies:
            b[0] += 0.1 * b[1]
    return float(sum(b[0] ** 2 + 0.5 * b[2] * b[1] ** 2 for b in bodies))


CASES = [
    Case(sgd_on_dict, (_params(), 1.1), (1,), extra="hvp"),
    Case(sgd_on_list, ([X3 * 0.5, np.round(R.standard_normal(2), 3)], 0.7), (1,)),
    Case(maml_inner_loop, (_params(), X3), (1,), extra="hvp"),
    Case(keyword_params, ({"w": X3 * 0.3, "b": 0.1}, X3), (1,), extra="hvp"),
    Case(keyword_hyper, (X3, {"scale": 1.5, "shift": 0.2}), (0,), extra="hvp"),
    Case(method_by_name, (X3, "euler"), (0,), extra="hvp", name="ported_corp44_idiom.euler"),
    Case(method_by_name, (X3, "midpoint"), (0,), extra="hvp", name="ported_corp44_idiom.mid"),
    Case(pair_forces, (X3,), (0,), extra="hvp"),
]
