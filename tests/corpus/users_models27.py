"""Programs srcad used to refuse, session 27 (`models27`): model objects and state users pass
around.

- a network whose ``__init__`` builds its layers from parameter tuples,
  ``self.layers = [Affine(*p) for p in params]`` (lower/starcomp.py, on the ``__init__``'s body);
- an evaluation counter of the model differentiated, ``m.calls += 1``: Python's update, once per
  call of the derivative (ad/effects.py), as autograd runs the function once;
- a recursive ``tree_map`` given a lambda (an SGD step over nested dicts and lists of arrays,
  unrolled in the loss): the helper called as a function of its own with the lambda lifted
  (lower/fnlifted.py).

Still refused (strict xfail, the reason given): a lambda reading a variable of the loss
(``lambda a, g: a - lr * g``), ``{k: tmap(f, t[k]) for k in t}`` (the keys of a differentiated
dict), ``type(t)(tmap(f, v) for v in t)``. What must stay refused is in
tests/soundness/test_models27.py."""

from __future__ import annotations

import numpy as np

from . import Case, refused_everywhere, refused_when_differentiated


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class StarNet:
    def __init__(self, params):
        self.layers = [Affine(*p) for p in params]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_net_energy(params, x):
    return np.sum(StarNet(params)(x) ** 2)


class Counted:
    def __init__(self, n):
        self.w = np.linspace(0.2, 0.9, n)
        self.calls = 0

    def __call__(self, x):
        return np.sin(self.w * x)


def counted_model_loss(m, x):
    m.calls += 1
    return np.sum(np.sin(m.w * x) ** 2) + np.sum(m.w * x)


def counted_model_called(m, x):
    # the written model then called: refused since 51dad45 (the call could read the new field)
    m.calls += 1
    return np.sum(m(x) ** 2) + np.sum(m.w * x)


def tmap(f, t):
    if isinstance(t, dict):
        return {k: tmap(f, v) for k, v in t.items()}
    if isinstance(t, list):
        return [tmap(f, v) for v in t]
    return f(t)


def tmap2(f, t, u):
    if isinstance(t, dict):
        return {k: tmap2(f, v, u[k]) for k, v in t.items()}
    if isinstance(t, list):
        return [tmap2(f, a, b) for a, b in zip(t, u)]
    return f(t, u)


def mlp(p, x):
    for layer in p["layers"]:
        x = np.tanh(x @ layer["W"] + layer["b"])
    return np.sum(x**2)


def sgd_unrolled(p, x):
    for _ in range(2):
        g = tmap(lambda a: np.sin(a), p)
        p = tmap2(lambda a, b: a - 0.1 * b, p, g)
    return mlp(p, x)


def sgd_captured_lr(p, x, lr):
    return mlp(tmap2(lambda a, b: a - lr * b, p, p), x)


def tmap_keys(f, t):
    if isinstance(t, dict):
        return {k: tmap_keys(f, t[k]) for k in t}
    if isinstance(t, list):
        return [tmap_keys(f, v) for v in t]
    return f(t)


def tree_by_keys(p, x):
    return mlp(tmap_keys(lambda a: a * 0.9, p), x)


def tmap_typed(f, t):
    if isinstance(t, dict):
        return {k: tmap_typed(f, v) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(tmap_typed(f, v) for v in t)
    return f(t)


def tree_typed(p, x):
    return mlp(tmap_typed(lambda a: a * 0.9, p), x)


X2 = np.array([0.3, 0.4])
PARAMS = [(np.eye(2) * 0.5, np.array([0.1, 0.2])), (np.ones((2, 2)) * 0.3, np.zeros(2))]
P = {
    "layers": [
        {"W": np.eye(2) * 0.5, "b": np.array([0.1, 0.2])},
        {"W": np.ones((2, 2)) * 0.3, "b": np.array([0.0, -0.1])},
    ]
}

CASES = [
    Case(star_net_energy, (PARAMS, X2), (0, 1), jitter=0.0),
    Case(counted_model_loss, (Counted(3), np.array([0.5, 1.0, 1.5])), (0, 1), jitter=0.0),
    Case(
        counted_model_called,
        (Counted(3), np.array([0.5, 1.0, 1.5])),
        (0, 1),
        jitter=0.0,
        xfail=refused_when_differentiated(
            "refused: a model whose field the loss updates is then called (a helper could read "
            "the new value; models27's 51dad45)"
        ),
    ),
    Case(sgd_unrolled, (P, X2), (0, 1), jitter=0.0),
    Case(
        sgd_captured_lr,
        (P, X2, 0.1),
        (0, 1),
        jitter=0.0,
        xfail=refused_everywhere(
            "refused (models27 did not lift it): a lambda reading a variable of the loss given "
            "to a recursive helper"
        ),
    ),
    Case(
        tree_by_keys,
        (P, X2),
        (0, 1),
        jitter=0.0,
        xfail=refused_when_differentiated(
            "refused (models27 did not lift it): the keys of a differentiated dict iterated"
        ),
    ),
    Case(
        tree_typed,
        (P, X2),
        (0, 1),
        jitter=0.0,
        xfail=refused_when_differentiated(
            "refused (models27 did not lift it): `type(t)(...)` called"
        ),
    ),
]
