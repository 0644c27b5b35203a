"""Programs srcad used to refuse, session 26 (`models26`): model objects users pass around.

- a PyTorch-style model passed as the differentiated argument, its ``__init__`` computing its
  fields (``self.Ws = [rng.normal(...) for ...]``, a string ``act``, an int ``depth``): a tree
  of its own attributes (srcad/objtrees.py); the gradient is a ``Model`` of gradients;
- a network holding a list of layer objects whose ``__init__`` draws their weights;
- ``[Affine(*p) for p in params]`` (lower/starcomp.py: ``for p_0, p_1 in params``, after a
  check that every item fills the parameters).

Still refused (strict xfail, the reason given): ``n = Net(ws); n.layers.append(Scale(ws[0]))``
(``layers.append(...)`` after a comprehension of layers: lifted in models27, lower/mappedtail.py);
objects in a list updated in pairs (``a.v += f; b.v -= f``); a state dict unpacked then updated
in place (``x, v = state["x"], state["v"]; x += dt * v``) and read back. What must stay refused
is in tests/soundness/test_models26.py (with ``y = x; y += 1.0`` on an array argument)."""

from __future__ import annotations

import numpy as np

from . import Case


class Model:
    def __init__(self, sizes, seed, act="tanh", depth=2):
        rng = np.random.default_rng(seed)
        self.Ws = [rng.normal(size=(m, n)) * 0.5 for m, n in zip(sizes[:-1], sizes[1:])]
        self.bs = [np.full(n, 0.1) for n in sizes[1:]]
        self.act = act
        self.depth = depth

    def __call__(self, x):
        for W, b in zip(self.Ws, self.bs):
            x = x @ W + b
            x = np.tanh(x) if self.act == "tanh" else np.sin(x)
        return x * self.depth


def mse_of_model(model, X, y):
    return np.mean((model(X) - y) ** 2)


class Dense:
    def __init__(self, m, n, seed):
        self.W = np.random.default_rng(seed).normal(size=(m, n)) * 0.4
        self.b = np.zeros(n) + 0.05


class Net:
    def __init__(self, sizes):
        self.layers = [Dense(m, n, k) for k, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]))]
        self.scale = 1.5

    def __call__(self, x):
        for layer in self.layers:
            x = np.tanh(x @ layer.W + layer.b)
        return self.scale * x


def net_energy(net, X):
    return np.sum(net(X) ** 2)


XS = np.random.default_rng(1).normal(size=(4, 3))
YS = np.ones((4, 1))

CASES = [
    Case(mse_of_model, (Model([3, 4, 1], 0), XS, YS), (0,), jitter=0.0),
    Case(
        mse_of_model,
        (Model([3, 2, 1], 5, act="sin", depth=3), XS, YS),
        (0, 1),
        jitter=0.0,
        name="users_models26.mse_of_model_sin",
    ),  # fmt: skip
    Case(net_energy, (Net([3, 4, 2]), XS), (0,), jitter=0.0),
]


# -- still refused ---------------------------------------------------------------------------
class Scale:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return x * self.w


class Chain:
    def __init__(self, ws):
        self.layers = [Scale(w) for w in ws]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def chain_appended(ws, x):
    n = Chain(ws)
    n.layers.append(Scale(ws[0]))
    return np.sum(n(x))


def layers_appended(ws, x):
    layers = [Scale(w) for w in ws]
    layers.append(Scale(ws[0]))
    for layer in layers:
        x = layer(x)
    return np.sum(x)


class Affine:
    def __init__(self, W, b):
        self.W = W
        self.b = b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


def starred_layers(params, x):
    layers = [Affine(*p) for p in params]
    for layer in layers:
        x = layer(x)
    return np.sum(x)


class Body:
    def __init__(self, x, v):
        self.x = x
        self.v = v


def springs_in_pairs(xs, vs):
    bodies = [Body(x, v) for x, v in zip(xs, vs)]
    for a, b in zip(bodies, bodies[1:]):
        f = 0.5 * (b.x - a.x)
        a.v += f
        b.v -= f
    return sum(np.sum(b.v**2) for b in bodies)


def state_dict_step(x0, v0):
    state = {"x": x0 * 1.0, "v": v0 * 1.0, "a": -x0}
    x, v, a = state["x"], state["v"], state["a"]
    x += 0.1 * v
    v += 0.1 * a
    return np.sum(state["x"] ** 2) + np.sum(state["v"])


WS = [np.array([1.0, 2.0]), np.array([0.5, 0.3])]
X2 = np.array([0.3, 0.4])
PARAMS = [(np.eye(2) * 0.5, np.array([0.1, 0.2])), (np.ones((2, 2)) * 0.3, np.zeros(2))]
BX = [np.array([0.1, 0.2]), np.array([0.5, 0.1]), np.array([0.9, 0.3])]


def _refused(what: str, stages=("primal", "verify", "fwd", "rev")) -> dict[str, str]:
    return dict.fromkeys(stages, f"refused (models26 did not lift it): {what}")


CASES.append(Case(starred_layers, (PARAMS, X2), (0, 1), jitter=0.0))  # (lower/starcomp.py)
CASES += [
    Case(chain_appended, (WS, X2), (0, 1)),  # (the comprehension's items known: hunt47b)
    Case(layers_appended, (WS, X2), (0, 1), jitter=0.0),  # (models27: lower/mappedtail.py)
    Case(
        springs_in_pairs,
        (BX, [b * 0.5 for b in BX]),
        (0, 1),
        xfail=_refused("attribute updates of objects in a list"),
    ),  # fmt: skip
    Case(
        state_dict_step,
        (X2, X2 * 2),
        (0, 1),
        xfail=_refused(
            "a dict's arrays updated through other names, then read back", ("primal", "fwd", "rev")
        ),
    ),  # fmt: skip
]
