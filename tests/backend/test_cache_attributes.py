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


class _Model:
    def __init__(self, w):
        self.w = w

    def forward(self, x):
        return np.sin(self.w * x)

    def __call__(self, x):
        return np.cos(self.w * x)


def _loss_method(m, x):
    return np.sum(m.forward(x))


def _loss_call(m, x):
    return np.sum(m(x))


def test_replacing_a_method_of_an_argument_class_remakes_the_transform(monkeypatch):
    # `Model.forward = g` after a transform of a function calling `m.forward(x)` on an argument of
    # that class: the cached derivative used the old method (2 cos(2x), not the new one's)
    x = np.array([0.3, 0.5])
    m = _Model(2.0)
    g = srcad.grad(_loss_method, wrt=1)
    np.testing.assert_allclose(g(m, x), 2 * np.cos(2 * x), rtol=1e-12)
    monkeypatch.setattr(_Model, "forward", lambda self, x: np.tanh(self.w * x))
    np.testing.assert_allclose(g(m, x), 2 / np.cosh(2 * x) ** 2, rtol=1e-12)
    h = srcad.grad(_loss_call, wrt=1)
    np.testing.assert_allclose(h(m, x), -2 * np.sin(2 * x), rtol=1e-12)
    monkeypatch.setattr(_Model, "__call__", lambda self, x: self.w * x**2)
    np.testing.assert_allclose(h(m, x), 4 * x, rtol=1e-12)
