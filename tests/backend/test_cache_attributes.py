"""Attributes of objects a transform read (``mylib.f``, ``cfg.act``, a bound method of a global
object) are part of what a cached derivative depends on: rebinding one re-transforms (it used to
return the old function's derivative, silently), and reading the same object again reuses the
cache."""

from __future__ import annotations

import types

import numpy as np

import srcad


def tanh1(x):
    return np.tanh(x)


def sin1(x):
    return np.sin(x)


mylib = types.ModuleType("mylib")  # a user module (its attributes are followed)
mylib.f = tanh1


class Cfg:
    pass


cfg = Cfg()
cfg.act = tanh1


class Model:
    def __init__(self, scale):
        self.scale = scale

    def forward(self, x):
        return np.sum(np.sin(x)) * self.scale


model = Model(2.0)
X = np.array([0.3, -0.5, 0.7])


def via_module(x):
    return np.sum(mylib.f(x))


def via_object(x):
    return np.sum(cfg.act(x))


def via_method(x):
    return model.forward(x)


def test_rebinding_a_module_attribute_retransforms() -> None:
    mylib.f = tanh1
    np.testing.assert_allclose(srcad.grad(via_module)(X), 1 - np.tanh(X) ** 2, rtol=1e-14)
    mylib.f = sin1
    try:
        np.testing.assert_allclose(srcad.grad(via_module)(X), np.cos(X), rtol=1e-14)
        assert srcad.jvp(via_module, (X,), (np.ones(3),))[1] == np.sum(np.cos(X))
    finally:
        mylib.f = tanh1


def test_rebinding_an_object_attribute_retransforms() -> None:
    cfg.act = tanh1
    g = srcad.grad(via_object)
    np.testing.assert_allclose(g(X), 1 - np.tanh(X) ** 2, rtol=1e-14)
    np.testing.assert_allclose(g(X), 1 - np.tanh(X) ** 2, rtol=1e-14)  # the fast path
    cfg.act = sin1
    try:
        np.testing.assert_allclose(g(X), np.cos(X), rtol=1e-14)
    finally:
        cfg.act = tanh1


def test_same_objects_reuse_the_cache() -> None:
    srcad.cache_clear()
    g = srcad.grad(via_method)  # model.forward is a new bound method at every read
    for _ in range(3):
        np.testing.assert_allclose(g(X), 2.0 * np.cos(X), rtol=1e-14)
    info = srcad.cache_info()
    assert info.misses == 1 and info.hits == 2
