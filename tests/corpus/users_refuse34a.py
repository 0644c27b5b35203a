"""Programs srcad used to refuse, session 34 (`refuse34a`): classes as people write them.

- an optimizer class with a method named ``update`` (``p = opt.update(p, g)``), and a parameter
  bag whose methods are named ``pop``/``clear`` (lower/usermethods.py: a user class's own method,
  not the dict's or list's in-place one);
- ``super(C, self).__init__(...)`` with two arguments (lower/objsuper.zero_arg_init);
- a concrete layer or loss class under an ``abc.ABC`` base (lower/objseq.plain_type);
- a dict of layers filled by item assignments, ``layers = {}; layers["fc1"] = Dense(...)``
  (lower/dictlayers.py);
- ``Sequential(Affine(a), Softplus(2.0), ...)`` keeping ``*layers`` (lower/objects._bind);
- a lambda passed through a factory function to a class (lower/objfns.keep).

Inputs are float arrays -> a float; each checked forward, reverse and at second order
(``extra="hvp"``). The neighbours that stay refused are in tests/soundness/test_refuse34a.py,
with ``sum(objs)`` of objects defining ``__radd__`` (now refused: ad/objsums.py)."""

from __future__ import annotations

import abc

import numpy as np

from . import Case


class _Momentum:
    def __init__(self, lr, beta=0.5):
        self.lr = lr
        self.beta = beta

    def update(self, params, grads, vel):
        vel = {k: self.beta * vel[k] + grads[k] for k in params}
        return {k: params[k] - self.lr * vel[k] for k in params}, vel


def momentum_update_method(w):
    params = {"w": w * 1.0, "b": w[0] * 0.5}
    vel = {"w": np.zeros(3), "b": 0.0}
    opt = _Momentum(0.2)
    for _ in range(3):
        grads = {"w": np.sin(params["w"]) * params["b"], "b": np.sum(params["w"]) * 0.1}
        params, vel = opt.update(params, grads, vel)
    return float(np.sum(params["w"] ** 2) + params["b"] ** 2)


class _Stack:
    def __init__(self, w):
        self.top = w[0]
        self.rest = np.tanh(w[1:])

    def pop(self):
        return self.top * np.sum(self.rest)

    def clear(self):
        return np.sum(self.rest**2)


def methods_named_pop_clear(w):
    s = _Stack(w)
    return float(s.pop() + s.clear() * s.top)


class _Affine:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return self.w * x + self.b


class _TanhAffine(_Affine):
    def __init__(self, w, b, gain):
        super(_TanhAffine, self).__init__(w, b)  # noqa: UP008 (what users write)
        self.gain = gain

    def __call__(self, x):
        return self.gain * np.tanh(super(_TanhAffine, self).__call__(x))  # noqa: UP008


def super_two_arguments(w):
    layer = _TanhAffine(w[0], w[1], w[2] ** 2)
    return float(np.sum(layer(w) ** 2))


class _Layer(abc.ABC):
    @abc.abstractmethod
    def forward(self, x): ...

    def __call__(self, x):
        return self.forward(x)


class _Scale(_Layer):
    def __init__(self, s):
        self.s = s

    def forward(self, x):
        return self.s * x


class _Softplus(_Layer):
    def __init__(self, beta):
        self.beta = beta

    def forward(self, x):
        return np.log1p(np.exp(self.beta * x)) / self.beta


def abstract_base_layers(w):
    net = [_Scale(w[0]), _Softplus(1.5), _Scale(w[1])]
    h = w
    for layer in net:
        h = layer(h)
    return float(np.sum(h))


def layer_dict_by_assignment(w):
    layers = {}
    layers["fc1"] = _Affine(w[0], 0.1)
    layers["act"] = lambda z: np.tanh(z)
    layers["fc2"] = _Affine(w[1], w[2])
    h = w
    for name in ("fc1", "act", "fc2"):
        h = layers[name](h)
    return float(np.sum(h**2))


class _Sequential:
    def __init__(self, *layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def star_layers_sequential(w):
    net = _Sequential(_Affine(w[0], 0.2), _Softplus(2.0), _Affine(w[1], w[2]))
    return float(np.sum(net(w) ** 2))


class _Head:
    def __init__(self, act, w):
        self.act = act
        self.w = w

    def __call__(self, x):
        return self.act(self.w * x)


def _make_head(act, w):
    return _Head(act, w)


def lambda_through_factory(w):
    k = w[2] ** 2
    head = _make_head(lambda z: np.tanh(k * z) + z, w[0])
    return float(np.sum(head(w) ** 2))


def layer_dict_values(w):
    layers = {}
    layers["a"] = _TanhAffine(w[0], 0.2, 1.5)
    layers["b"] = _Scale(w[2])
    h = w
    for layer in layers.values():
        h = layer(h)
    return float(np.sum(h) * len(layers))


_W = np.array([0.4, -0.6, 0.9])

CASES = [
    Case(f, (_W.copy(),), (0,), extra="hvp")
    for f in (
        momentum_update_method,
        methods_named_pop_clear,
        super_two_arguments,
        abstract_base_layers,
        layer_dict_by_assignment,
        layer_dict_values,
        star_layers_sequential,
        lambda_through_factory,
    )
]
