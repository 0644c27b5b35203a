"""``for layer in self.layers`` in a method of a model that is a global or an argument: the
list's length and its items' classes are part of the transform (`values.layout_class` in the
`Spec` and in the classes of called methods; `layouts.unroll_layouts` unrolls the loop), the
weights are read at run time. Exact numbers against the hand-written chain rule and central
differences."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

W1 = np.array([[0.5, -0.3], [0.2, 0.8]])
B1 = np.array([0.1, -0.2])
W2 = np.array([[1.1, 0.4], [-0.6, 0.3]])
B2 = np.array([0.05, 0.3])
X = np.array([0.3, -0.7])
V = np.array([0.4, 1.3])


class Dense:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def __call__(self, x):
        return np.tanh(x @ self.W + self.b)


class Square:
    def __init__(self, c):
        self.c = c

    def __call__(self, x):
        return self.c * x * x


class MLP:
    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


model = MLP([Dense(W1, B1), Dense(W2, B2)])


def loss(x):
    return np.sum(model(x) ** 2)


def loss2(model, x):
    return np.sum(model(x) ** 2)


def _by_hand(layers, x):
    """The value and the gradient of sum(model(x)**2) by the chain rule."""
    outs, jacs = [x], []
    for layer in layers:
        z = outs[-1]
        if isinstance(layer, Dense):
            y = np.tanh(z @ layer.W + layer.b)
            jacs.append(layer.W * (1.0 - y**2))  # d y_j / d z_i = W_ij (1 - y_j^2)
        else:
            y = layer.c * z * z
            jacs.append(np.diag(2.0 * layer.c * z))
        outs.append(y)
    g = 2.0 * outs[-1]
    for j in reversed(jacs):
        g = j @ g
    return np.sum(outs[-1] ** 2), g


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def test_global_model():
    want = _by_hand(model.layers, X)[1]
    np.testing.assert_allclose(want, [0.52523844, 0.02902057], atol=5e-9)
    np.testing.assert_allclose(srcad.grad(loss)(X), want, rtol=1e-13)
    np.testing.assert_allclose(want, _fd(loss, X), rtol=1e-7)


def test_model_as_argument():
    want = _by_hand(model.layers, X)[1]
    np.testing.assert_allclose(srcad.grad(loss2, wrt=1)(model, X), want, rtol=1e-13)
    np.testing.assert_allclose(want, _fd(lambda x: loss2(model, x), X), rtol=1e-7)


def test_length_changes_between_calls():
    g2 = srcad.grad(loss2, wrt=1)
    m3 = MLP([Dense(W1, B1), Dense(W2, B2), Dense(W1, B2)])
    m1 = MLP((Dense(W2, B1),))
    for m in (model, m3, m1, model):
        np.testing.assert_allclose(g2(m, X), _by_hand(m.layers, X)[1], rtol=1e-13)
    saved = model.layers
    g = srcad.grad(loss)
    try:
        model.layers = [Dense(W2, B1)]
        np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)
        model.layers.append(Square(0.7))  # the same list, one more layer
        np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)
        model.layers[0] = Square(1.5)  # a layer of another class
        np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)
    finally:
        model.layers = saved
    np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)


def test_two_classes_and_a_repeated_layer():
    d = Dense(W1, B1)
    m = MLP([d, Square(0.5), d, Dense(W2, B2)])
    want = _by_hand(m.layers, X)[1]
    np.testing.assert_allclose(srcad.grad(loss2, wrt=1)(m, X), want, rtol=1e-13)
    np.testing.assert_allclose(want, _fd(lambda x: loss2(m, x), X), rtol=1e-7)


def test_rebound_weight_is_read_at_run_time():
    m = MLP([Dense(W1, B1), Dense(W2, B2)])
    g = srcad.grad(loss2, wrt=1)
    np.testing.assert_allclose(g(m, X), _by_hand(m.layers, X)[1], rtol=1e-13)
    m.layers[1].W = 2.0 * W2
    np.testing.assert_allclose(g(m, X), _by_hand(m.layers, X)[1], rtol=1e-13)
    saved = model.layers[0].W
    try:
        model.layers[0].W = -W1
        np.testing.assert_allclose(srcad.grad(loss)(X), _by_hand(model.layers, X)[1], rtol=1e-13)
    finally:
        model.layers[0].W = saved


def test_jvp_and_hvp():
    want_g = _by_hand(model.layers, X)[1]
    val, tan = srcad.jvp(loss, (X,), (V,))
    np.testing.assert_allclose(val, _by_hand(model.layers, X)[0], rtol=1e-14)
    np.testing.assert_allclose(tan, want_g @ V, rtol=1e-13)
    eps = 1e-5
    hv_fd = (_by_hand(model.layers, X + eps * V)[1] - _by_hand(model.layers, X - eps * V)[1]) / (
        2 * eps
    )
    _, hv = srcad.hvp(loss, (X,), (V,))
    np.testing.assert_allclose(hv, hv_fd, rtol=1e-7)
    _, hv2 = srcad.hvp(loss2, (model, X), (None, V), wrt=1)
    np.testing.assert_allclose(hv2, hv, rtol=1e-13)


class Growing:
    """A model whose helper appends a layer before the loop: the unrolled copies would miss it,
    so the derivative fails at run time instead of silently dropping the new layer."""

    def __init__(self, layers):
        self.layers = layers

    def grow(self):
        self.layers.append(Square(1.0))
        return 0.0

    def __call__(self, x):
        t = self.grow()
        for layer in self.layers:
            x = layer(x)
        return x + t


def test_list_changed_while_running_is_refused():
    m = Growing([Square(1.0)])
    # a SrcadError (rules/checks.require: no `assert`, which `python -O` would skip)
    with pytest.raises(srcad.SrcadError, match="srcad unrolled this loop for a list of 1 items"):
        srcad.grad(loss2, wrt=1)(m, np.array([1.5]))


def test_other_methods_and_unknown_callees_still_refused():
    class Holder:
        def __init__(self, fs):
            self.fs = fs

        def __call__(self, x):
            for f in self.fs:
                x = f(x)
            return x

    h = Holder([np.sin, np.cos])  # not user objects: no unrolling, a located refusal
    with pytest.raises(srcad.SrcadError, match="cannot tell which function"):
        srcad.grad(loss2, wrt=1)(h, X)


def test_global_model_rebound():
    global model
    saved = model
    g = srcad.grad(loss)
    try:
        np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)
        model = MLP([Dense(W1, B1)] * 3)
        want = _by_hand(model.layers, X)[1]
        np.testing.assert_allclose(g(X), want, rtol=1e-13)
        np.testing.assert_allclose(want, _fd(loss, X), rtol=1e-7)
    finally:
        model = saved
    np.testing.assert_allclose(g(X), _by_hand(model.layers, X)[1], rtol=1e-13)
