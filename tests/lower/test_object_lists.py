"""Lists of model objects known at transform time (srcad/lower/fnvalues.py `_object_items`,
srcad/lower/values.py `_static_item`): ``for layer in LAYERS: x = layer(x)`` over a global list
(or ``model.layers`` of a global model) of user objects with ``__call__``/``forward`` is unrolled,
each call resolved; replacing, appending or rebinding a layer re-makes the transform. Exact
numbers against the hand-written chain rule and central differences."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

W1 = np.array([[0.5, -0.3], [0.2, 0.8]])
W2 = np.array([[1.1, 0.4], [-0.6, 0.3]])
X = np.array([0.3, -0.7])


class Dense:
    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return np.tanh(self.w @ x)

    def forward(self, x):
        return np.tanh(self.w @ x)


class Model:
    def __init__(self, layers):
        self.layers = layers


LAYERS = [Dense(W1), Dense(W2)]
MODEL = Model((Dense(W2), Dense(W1)))


def _chain_grad(ws, x):
    """d sum(tanh(W_n ... tanh(W_1 x))) / dx by hand."""
    outs = [x]
    for w in ws:
        outs.append(np.tanh(w @ outs[-1]))
    g = np.ones_like(outs[-1])
    for w, out in zip(reversed(ws), reversed(outs[1:])):
        g = w.T @ (g * (1.0 - out**2))
    return g


def loop_call(x):
    for layer in LAYERS:
        x = layer(x)
    return np.sum(x)


def loop_forward(x):
    for layer in LAYERS:
        x = layer.forward(x)
    return np.sum(x)


def loop_model(x):
    for layer in MODEL.layers:
        x = layer(x)
    return np.sum(x)


def enumerate_layers(x):
    s = 0.0
    for k, layer in enumerate(LAYERS):
        s = s + (k + 1.0) * np.sum(layer(x))
    return s


def indexed(x):
    return np.sum(LAYERS[1](LAYERS[0](x)))


@pytest.mark.parametrize("f", [loop_call, loop_forward, indexed])
def test_layers_give_the_chain_rule(f):
    want = _chain_grad([W1, W2], X)
    np.testing.assert_allclose(srcad.grad(f)(X), want, rtol=1e-13)
    np.testing.assert_allclose(want, [0.33404864, 0.27130965], atol=5e-9)
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_model_attribute_layers():
    np.testing.assert_allclose(srcad.grad(loop_model)(X), _chain_grad([W2, W1], X), rtol=1e-13)


def test_enumerate_layers():
    t1, t2 = np.tanh(W1 @ X), np.tanh(W2 @ X)
    want = W1.T @ (1.0 - t1**2) + 2.0 * W2.T @ (1.0 - t2**2)
    np.testing.assert_allclose(srcad.grad(enumerate_layers)(X), want, rtol=1e-13)


def test_replacing_a_layer_remakes_the_transform():
    global LAYERS
    saved = list(LAYERS)
    try:
        grad = srcad.grad(loop_call)
        np.testing.assert_allclose(grad(X), _chain_grad([W1, W2], X), rtol=1e-13)
        LAYERS[1] = Dense(3.0 * W2)  # the same list, a new layer
        np.testing.assert_allclose(grad(X), _chain_grad([W1, 3.0 * W2], X), rtol=1e-13)
        LAYERS.append(Dense(W1))  # one more layer: one more unrolled copy
        np.testing.assert_allclose(grad(X), _chain_grad([W1, 3.0 * W2, W1], X), rtol=1e-13)
        LAYERS = [Dense(W2)]  # the global rebound
        np.testing.assert_allclose(grad(X), _chain_grad([W2], X), rtol=1e-13)
        MODEL.layers = (Dense(W1),)  # an attribute of a global object rebound
        np.testing.assert_allclose(srcad.grad(loop_model)(X), _chain_grad([W1], X), rtol=1e-13)
    finally:
        LAYERS = saved
        MODEL.layers = (Dense(W2), Dense(W1))
    np.testing.assert_allclose(srcad.grad(loop_call)(X), _chain_grad([W1, W2], X), rtol=1e-13)


def getattr_const(x):
    act = getattr(np, "sin")  # noqa: B009
    return np.sum(act(x) * getattr(LAYERS[0], "w")[0])  # noqa: B009


def test_getattr_with_a_constant_name_is_the_attribute():
    want = np.cos(X) * W1[0]
    np.testing.assert_allclose(srcad.grad(getattr_const)(X), want, rtol=1e-15)
    check_grads(getattr_const, (X,), modes=("fwd", "rev"))
