"""Soundness fixes of session 33's hunt33a: programs written after other projects' code
("Deep Learning from Scratch" layers, scikit-learn's MLP, scipy.stats logpdfs, ...).
Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

R = np.random.default_rng(33)
X4 = R.standard_normal(4)


# -- private names of a class body: `self.__g` is `self._A__g` ------------------------------------
# srcad read `self.__g` as the attribute `__g`: an AttributeError in the generated code for an
# object made outside, and a subclass's `self.__g` and its base's were one field (the value and
# the gradient of `sub_private` were wrong); `self.__forward(x)` (DLFS's BatchNormalization) was
# refused


class _Scale:
    def __init__(self, g):
        self.__g = g

    def fw(self, x):
        return self.__g * x


class _Twice(_Scale):
    def __init__(self, g):
        super().__init__(g)
        self.__g = 2.0 * g

    def fw2(self, x):
        return self.__g * x + self.fw(x)


class _Norm:
    def __init__(self, gamma):
        self.gamma = gamma
        self.input_shape = None

    def forward(self, x):
        self.input_shape = x.shape
        return self.__forward(x)

    def __forward(self, x):
        xc = x - x.mean()
        return self.gamma * xc / np.sqrt(np.mean(xc**2) + 1e-7)


_G = _Scale(np.array([2.0, 3.0]))
_T = _Twice(np.array([0.5, -1.5]))


def sub_private(p):
    return np.sum(_Twice(p[:2]).fw2(p[2:]) ** 2)


def global_private(p):
    return np.sum(np.sin(_G.fw(p)) + _T.fw2(p) ** 2)


def local_private(p):
    return np.sum(np.sin(_Scale(p[:2]).fw(p[2:])))


def private_method(p):
    return np.sum(np.tanh(_Norm(p[0]).forward(p[1:])))


def read_mangled_outside(p):
    s = _Scale(p[:2])
    return np.sum(s._Scale__g * p[2:] ** 2)


@pytest.mark.parametrize(
    "f, x",
    [
        (sub_private, X4),
        (global_private, X4[:2]),
        (local_private, X4),
        (private_method, X4),
        (read_mangled_outside, X4),
    ],
)
def test_private_names_of_a_class_body(f, x):
    check_scalar(f, x.copy())


# -- `hasattr(obj, "m")` in a loop that sets `obj.m` first ----------------------------------------
# nnfs's optimizers create a layer's moment buffers lazily (`if not hasattr(layer,
# "weight_cache"): ...`). srcad carries a field first set in a `for` loop from an unset value,
# and took `hasattr` for True in every round: the first round's branch was skipped (a wrong value
# and gradient, or a TypeError on the None standing for the unset field). Now refused.


class _Layer:
    def __init__(self, w):
        self.w = w


def lazy_buffer_branch(p):
    layer = _Layer(p.copy())
    for _ in range(3):
        if not hasattr(layer, "m"):
            layer.m = np.zeros_like(layer.w)
            layer.w = layer.w * 2.0
        else:
            layer.w = layer.w + np.sin(layer.w)
        layer.m = 0.9 * layer.w
    return np.sum(layer.w**2)


def lazy_buffer_momentum(p):
    layer = _Layer(p.copy())
    for _ in range(3):
        if not hasattr(layer, "m"):
            layer.m = np.zeros_like(layer.w)
        layer.m = 0.9 * layer.m + layer.w
        layer.w = layer.w - 0.1 * layer.m
    return np.sum(layer.w**2)


@pytest.mark.parametrize("f", [lazy_buffer_branch, lazy_buffer_momentum])
def test_hasattr_of_a_field_first_set_in_a_loop_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.grad(f)(X4[:2].copy())


# -- `for key in params.keys(): params[key] -= lr * grads[key]` -----------------------------------
# Deep Learning from Scratch's optimizers (common/optimizer.py) step a dict of parameters so. The
# keys were listed from the view (`list(d.keys())`), which the mutation check takes to hold the
# dict's values: the update was refused (a spurious refusal) where `for key in params:` passed


def _loss_grads(params):
    z = np.tanh(XB @ params["W"] + params["b"])
    loss = np.sum((z - YB) ** 2)
    dz = 2.0 * (z - YB) * (1.0 - z**2)
    return loss, {"W": XB.T @ dz, "b": dz.sum(axis=0)}


XB, YB = R.standard_normal((5, 2)), R.standard_normal((5, 2))


def sgd_steps(p):
    params = {"W": p[:4].reshape(2, 2).copy(), "b": p[4:].copy()}
    for _ in range(3):
        _, grads = _loss_grads(params)
        for key in params.keys():
            params[key] -= 0.05 * grads[key]
    return _loss_grads(params)[0]


def adagrad_steps(p):
    params = {"W": p[:4].reshape(2, 2).copy(), "b": p[4:].copy()}
    h = {key: np.zeros_like(val) for key, val in params.items()}
    for _ in range(2):
        _, grads = _loss_grads(params)
        for key in params.keys():
            h[key] += grads[key] * grads[key]
            params[key] -= 0.1 * grads[key] / (np.sqrt(h[key]) + 1e-7)
    return _loss_grads(params)[0]


@pytest.mark.parametrize("f", [sgd_steps, adagrad_steps])
def test_updating_a_dict_over_its_keys_view(f):
    check_scalar(f, R.standard_normal(6) * 0.5)


# -- a dict display of layers: `{"Affine1": Affine(W1, b1), "Relu1": Relu(), ...}` --------------
# Deep Learning from Scratch keeps a network's layers in a dict and runs `for layer in
# layers.values(): x = layer.forward(x)`. A list display of such objects was followed; a dict
# display only held functions and names, so `layer.forward` of a dict's value was refused


class _Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b


class _Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out


XL = R.standard_normal((4, 3))


def layers_by_values(p):
    layers = {
        "Affine1": _Affine(p[:6].reshape(3, 2), p[6:8]),
        "Relu1": _Relu(),
        "Affine2": _Affine(p[8:10].reshape(2, 1), p[10:11]),
    }
    x = XL
    for layer in layers.values():
        x = layer.forward(x)
    return np.sum(x**2) + np.sum(layers["Affine1"].x * layers["Affine1"].W[0, 0])


def layers_by_items(p):
    layers = {"Affine1": _Affine(p[:6].reshape(3, 2), p[6:8]), "Act": _Relu()}
    x = XL
    for _, layer in layers.items():
        x = layer.forward(x)
    return np.sum(np.tanh(x) * layers["Act"].mask)


@pytest.mark.parametrize("f", [layers_by_values, layers_by_items])
def test_a_dict_display_of_layer_objects(f):
    check_scalar(f, np.linspace(-1.0, 1.2, 11))


def lazy_getattr_default(p):
    layer = _Layer(p.copy())
    for _ in range(3):
        m = getattr(layer, "m", 0.5)  # 0.5 in the first round, the field's value after
        layer.m = 0.9 * m + layer.w
        layer.w = layer.w - 0.1 * layer.m
    return np.sum(layer.w**2)


def lazy_getattr_none(p):
    layer = _Layer(p.copy())
    for _ in range(3):
        if getattr(layer, "m", None) is None:
            layer.m = np.zeros_like(layer.w)
            layer.w = layer.w * 2.0
        layer.m = 0.9 * layer.m + layer.w
        layer.w = layer.w - 0.1 * layer.m
    return np.sum(layer.w**2)


def test_getattr_of_a_field_first_set_in_a_loop():
    with pytest.raises(srcad.SrcadError, match="used as a value"):
        srcad.grad(lazy_getattr_default)(X4[:2].copy())
    check_scalar(lazy_getattr_none, X4[:2].copy())  # None while unset: the carried value


# -- `out.reshape(*self.input_shape)`: a shape spread into NumPy's reshape -------------------------
# DLFS's BatchNormalization.forward and Affine.backward end so; `*args` of a value of run-time
# length was refused unless the callee was a user function ("supported only for tuple/list
# literals of known length"). NumPy's `a.reshape(*s)` is `a.reshape(s)` (and `transpose`)


class _BatchNorm:
    def __init__(self, gamma):
        self.gamma = gamma
        self.input_shape = None

    def forward(self, x):
        self.input_shape = x.shape
        if x.ndim != 2:
            x = x.reshape(x.shape[0], -1)
        out = self.gamma * (x - x.mean(axis=0)) / np.sqrt(x.var(axis=0) + 1e-7)
        return out.reshape(*self.input_shape)


X5 = R.standard_normal((3, 2, 2, 2))


def batchnorm_spread_shape(p):
    return np.sum(_BatchNorm(p).forward(X5 * p[0]) ** 3)


def transpose_spread_axes(p):
    x = np.outer(p, p[::-1]).reshape(2, 4, 8)
    axes = np.roll(np.arange(x.ndim), 1)  # (2, 0, 1), known when the code runs
    return np.sum(np.sin(x.transpose(*axes)) * np.arange(64.0).reshape(8, 2, 4))


@pytest.mark.parametrize("f", [batchnorm_spread_shape, transpose_spread_axes])
def test_a_spread_shape_into_reshape(f):
    check_scalar(f, np.linspace(0.5, 1.0, 8))


def transpose_array_axes(p):
    x = np.outer(p, p[::-1]).reshape(2, 4, 8)
    return np.sum(np.sin(x.transpose(np.roll(np.arange(3), 1))) * np.arange(64.0).reshape(8, 2, 4))


def test_transpose_by_an_array_of_axes():
    # the reverse sweep's `_srcad.varargs((axes,))` kept the array as one axis: a TypeError
    check_scalar(transpose_array_axes, np.linspace(0.5, 1.0, 8))


def hasattr_in_a_later_loop(p):
    layer = _Layer(p.copy())
    for _ in range(2):
        layer.m = np.sin(layer.w)
        layer.w = layer.w + layer.m
    for _ in range(2):
        if hasattr(layer, "m"):  # set by the first loop: True in every round here
            layer.w = layer.w * 1.5
        layer.m = layer.w
    return np.sum(layer.w**2)


def test_hasattr_after_the_loop_that_set_the_field():
    check_scalar(hasattr_in_a_later_loop, X4[:2].copy())
