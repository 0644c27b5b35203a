"""Session 46, hunt46b: spurious refusals of course-style code lifted.

cs231n's ``TwoLayerNet.__init__`` fills its parameter dict with other statements in between
(``self.params = {}``, ``self.reg = reg``, ``self.params["W1"] = ...``): the object was not built
here ("the object is a run-time value here"), so ``model.loss(X, y)`` and
``model.params["W1"] = W1`` were refused. Such a store after a dict display, nothing in between
reaching the dict, is ``self.params = {**self.params, "W1": ...}`` (lower/initappends.py).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad


class TwoLayerNet:
    def __init__(self, W1, input_dim=3, hidden_dim=4, num_classes=2, weight_scale=1e-1, reg=0.0):
        self.params = {}
        self.reg = reg
        self.params["W1"] = W1
        self.params["b1"] = np.zeros(hidden_dim)
        self.params["W2"] = weight_scale * np.arange(hidden_dim * num_classes).reshape(
            hidden_dim, num_classes
        )
        self.params["b2"] = np.zeros(num_classes)

    def loss(self, X, y):
        W1, b1 = self.params["W1"], self.params["b1"]
        W2, b2 = self.params["W2"], self.params["b2"]
        h = np.maximum(0, X.dot(W1) + b1)
        scores = h.dot(W2) + b2
        shifted = scores - np.max(scores, axis=1, keepdims=True)
        log_probs = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
        loss = -np.mean(log_probs[np.arange(X.shape[0]), y])
        return loss + 0.5 * self.reg * (np.sum(W1 * W1) + np.sum(W2 * W2))


class Aliased:
    def __init__(self, W):
        self.params = {}
        kept = self.params  # the dict reached in between: not rewritten
        self.params["W"] = W
        self.kept = kept

    def value(self):
        return np.sum(self.kept["W"] ** 2)


def built_with_weights(W1, X, y):
    return TwoLayerNet(W1, reg=0.1).loss(X, y)


def weights_stored_after(W1, X, y):
    model = TwoLayerNet(np.ones((3, 4)), reg=0.1)
    model.params["W1"] = W1
    model.reg = 0.05
    return model.loss(X, y)


X = np.array([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [-0.2, 0.9, 1.4], [0.6, -0.5, 0.1]])
Y = np.array([0, 1, 1, 0])
W1 = np.array([[0.2, -0.4, 0.6, 0.1], [0.5, 0.3, -0.2, 0.7], [-0.6, 0.2, 0.4, -0.3]])


def _fd(f, W, eps=1e-6):
    g = np.zeros_like(W)
    for i in np.ndindex(W.shape):
        e = np.zeros_like(W)
        e[i] = eps
        g[i] = (f(W + e) - f(W - e)) / (2 * eps)
    return g


@pytest.mark.parametrize("fn", [built_with_weights, weights_stored_after])
def test_cs231n_params_dict_filled_with_statements_between(fn):
    g = srcad.grad(fn)(W1, X, Y)
    assert np.allclose(g, _fd(lambda w: fn(w, X, Y), W1), atol=1e-6)
    v = np.cos(np.arange(12.0)).reshape(3, 4)
    out, t = srcad.jvp(fn, (W1, X, Y), (v, None, None))
    assert np.isclose(out, fn(W1, X, Y)) and np.isclose(t, np.sum(g * v))


def test_dict_reached_in_between_keeps_python_semantics():
    def f(W):
        return Aliased(W).value()

    W = np.array([0.5, -1.0])
    try:
        g = srcad.grad(f)(W)
    except srcad.SrcadError:
        return  # refused, as before
    assert np.allclose(g, 2 * W)
