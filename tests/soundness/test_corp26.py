"""Programs the corp26 corpus (ported_corp26_*) reached (session 26).

1. A ``Sequential`` holding the list of layer objects its constructor was given, called as
   ``for layer in self.layers: x = layer(x)``, was refused ("cannot tell which function this call
   invokes") when no class in the chain had an ``__init__`` beyond storing its arguments: such
   classes were records, whose list field's items are not known functions. A loop calling the
   items of a field now counts as calling the field (lower/escapes.self_calls, as
   ``self.act(z)`` did), so the object is built here and the loop unrolled over known layers.
2. statsmodels' composition ``GLM(y, X, Poisson(Power(0.5)))``: a family holding a link object
   with fields, its methods calling ``self.link.inverse(z)``, was refused ("no derivative rule
   for `.fitted()`"): the family was a record whose field's class is not known. A call of a
   method of a field's object now counts as calling the field too (lower/escapes.self_calls).
3. scikit-learn's MLP: ``act = ACTIVATIONS[self.activation]`` then ``act(z)`` was refused
   ("cannot tell which function this call invokes") while ``ACTIVATIONS[self.activation](z)``
   was dispatched on the key: the object was a record, its field a run-time value. A method
   picking a table's item by a field's value makes the object built here, the field known, and
   the item the function itself (lower/fnitems.static_entry). A field rebound later picks the
   new item; a key known only at run time stays refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


class Scale:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return x * self.w


class Shift:
    def __init__(self, b):
        self.b = b

    def __call__(self, x):
        return np.tanh(x) + self.b


class Seq:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


def same_layers(x):
    return np.sum(Seq([Scale(2.0), Scale(3.0)])(x))


def mixed_layers(x):
    return np.sum(Seq([Scale(x[0]), Shift(0.5), Scale(x[1])])(x) ** 2)


def mixed_twice(x):
    net = Seq([Shift(x[1]), Scale(1.5)])
    return np.sum(net(net(x)))


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.mark.parametrize("f", [same_layers, mixed_layers, mixed_twice])
def test_sequential_of_constructor_list(f) -> None:
    x = np.array([0.3, -0.2, 0.7])
    np.testing.assert_allclose(srcad.grad(f)(x), _fd(f, x), rtol=1e-6, atol=1e-8)
    _, hv = srcad.hvp(f, [x], [np.array([1.0, 0.5, -0.3])])
    fd = (
        srcad.grad(f)(x + 1e-5 * np.array([1.0, 0.5, -0.3]))
        - srcad.grad(f)(x - 1e-5 * np.array([1.0, 0.5, -0.3]))
    ) / 2e-5
    np.testing.assert_allclose(hv, fd, rtol=1e-5, atol=1e-7)


class Power:
    def __init__(self, power):
        self.power = power

    def inverse(self, z):
        return z ** (1.0 / self.power)


class Family:
    def __init__(self, link):
        self.link = link

    def fitted(self, eta):
        return self.link.inverse(eta)


class Model:
    def __init__(self, y, family):
        self.y, self.family = y, family

    def loglike(self, eta):
        mu = self.family.fitted(eta)
        return np.sum(self.y * np.log(mu) - mu)


def glm_power_link(x):
    return Model(np.array([1.0, 2.0, 0.0]), Family(Power(0.5))).loglike(x)


def family_power_link(x):
    return np.sum(Family(Power(x[0] + 1.0)).fitted(x) ** 2)


@pytest.mark.parametrize("f", [glm_power_link, family_power_link])
def test_method_of_a_field_object(f) -> None:
    x = np.array([1.3, 0.8, 1.1])
    np.testing.assert_allclose(srcad.grad(f)(x), _fd(f, x), rtol=1e-6, atol=1e-8)


def _relu(z):
    return np.maximum(z, 0)


def _square(z):
    return z * z


ACTS = {"tanh": np.tanh, "relu": _relu, "square": _square}


class Net:
    def __init__(self, W, activation="tanh"):
        self.W, self.activation = W, activation

    def forward(self, x):
        act = ACTS[self.activation]
        return act(x @ self.W)


def picked_default(x):
    return np.sum(Net(np.eye(3) * 0.5).forward(x))


def picked_then_rebound(x):
    net = Net(np.eye(3), "square")
    y = net.forward(x)
    net.activation = "relu"
    return np.sum(y * net.forward(x))


@pytest.mark.parametrize("f", [picked_default, picked_then_rebound])
def test_table_item_picked_by_a_field(f) -> None:
    x = np.array([1.3, 0.8, -1.1])
    np.testing.assert_allclose(srcad.grad(f)(x), _fd(f, x), rtol=1e-6, atol=1e-8)


def test_table_key_known_only_at_run_time_is_refused() -> None:
    def f(x, name):
        return np.sum(Net(np.eye(3), name).forward(x))

    with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
        srcad.grad(f)(np.array([1.3, 0.8, -1.1]), "square")
