"""What fix40a accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
second order where it applies), and the neighbours that stay refused:

a. ``for l in layers: x = l(x)`` where `layers` is a plain list (or tuple) ARGUMENT of user
   objects: the items' classes and the list's length are part of the cache key
   (`Spec.items`), the loop is unrolled for them (ad/layouts.py, which also checks them when
   it runs), so each ``l(x)`` is that class's ``__call__``. Another length or class makes
   another transform; a parameter held in the layers is differentiated through `wrt=1`.
"""

from __future__ import annotations

import copy

import numpy as np

import srcad
from srcad.testing import check_grads

X = np.array([0.3, -0.2, 0.5])
W = np.array([[0.1, 0.2, 0.3], [0.4, -0.5, 0.6], [0.7, 0.8, -0.9]])


# -- a. a list of layer objects passed as an argument ------------------------------------------
class Dense:
    def __init__(self, w, b):
        self.w = w
        self.b = b

    def __call__(self, x):
        return np.tanh(self.w @ x + self.b)


class Square:
    def __init__(self, s):
        self.s = s

    def __call__(self, x):
        return self.s * x**2


def run_layers(x, layers):
    for layer in layers:
        x = layer(x)
    return sum(x)


def _layers(n):
    return [Dense(W * (k + 1) * 0.5, X * (k - 1)) for k in range(n)]


def _fd(f, x, *rest, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *rest) - f(x - eps * e, *rest)) / (2 * eps) for e in np.eye(3)]
    )


def test_layer_list_argument():
    check_grads(run_layers, (X, _layers(2)), modes=("fwd", "rev"), order=2, wrt=0)
    check_grads(run_layers, (X, tuple(_layers(2))), modes=("fwd", "rev"), order=2, wrt=0)


def test_layer_list_length_and_class_make_new_transforms():
    g = srcad.grad(run_layers)
    for layers in (_layers(2), _layers(3), [*_layers(1), Square(0.5)], _layers(2)):
        np.testing.assert_allclose(g(X, layers), _fd(run_layers, X, layers), rtol=1e-6, atol=1e-8)
    grown = _layers(1)
    first = g(X, grown)
    grown.append(Dense(W.T, X))  # the same list object, one more layer
    np.testing.assert_allclose(g(X, grown), _fd(run_layers, X, grown), rtol=1e-6, atol=1e-8)
    assert not np.allclose(first, g(X, grown))


def test_layer_list_parameters():
    layers = _layers(2)
    grads = srcad.grad(run_layers, wrt=1)(X, layers)
    eps = 1e-6
    for k, name in [(0, "w"), (0, "b"), (1, "w"), (1, "b")]:
        got = getattr(grads[k], name)
        v = getattr(layers[k], name)
        for idx in np.ndindex(v.shape):
            up, down = copy.deepcopy(layers), copy.deepcopy(layers)
            getattr(up[k], name)[idx] += eps
            getattr(down[k], name)[idx] -= eps
            fd = (run_layers(X, up) - run_layers(X, down)) / (2 * eps)
            assert abs(got[idx] - fd) < 1e-7
