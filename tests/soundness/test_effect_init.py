"""Objects whose ``__init__`` has effects (draws random numbers) and whose
fields the function then overwrites (``m = Model(); m.W = W``: a model initialised at random,
its parameters set from the argument): followed as their fields, the effects run once, where
Python runs them; using such an object as a run-time value is refused (building it again would
repeat the effects)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

RNG = np.random.default_rng(5)
X = np.linspace(-1.0, 1.0, 15).reshape(5, 3)


class Model:
    def __init__(self, scale=1.5):
        self.W = RNG.normal(size=(3, 2))
        self.scale = scale

    def __call__(self, x):
        return np.tanh(x @ self.W) * self.scale

    @property
    def l2(self):
        return np.sum(self.W**2)


def set_and_call(W):
    m = Model()
    m.W = W
    return np.sum(m(X) ** 2) + 0.1 * m.l2


def set_in_loop(W):
    total = 0.0
    for k in range(2):
        m = Model(scale=1.0 + k)
        m.W = W * (k + 1)
        total = total + np.sum(m(X))
    return total


def mixes_random_field(W):
    m = Model()
    m.W = W * m.W  # the random draw read once: the derivative is m.W's value
    return np.sum(m.W) * m.scale


def escapes(W):
    m = Model()
    m.W = W
    return np.sum(m(X)) + len(repr(m))


class Box:
    def __init__(self):
        self.W = 0.0


def escapes_unwritten(W):
    # `b.W = W` makes Model's `W` a field this function may write: m is followed, and then
    # used as a value; Python's object is the one its effects built, srcad cannot rebuild it
    b = Box()
    b.W = W
    m = Model()
    return np.sum(b.W * m.W) + len(repr(m))


W0 = np.array([[0.3, -0.2], [0.5, 0.1], [-0.4, 0.7]])


@pytest.mark.parametrize("f", [set_and_call, set_in_loop])
def test_fields_overwritten_after_an_effectful_init(f) -> None:
    check_grads(f, (W0,), order=2)


def test_the_init_runs_once_per_call() -> None:
    # the generator advanced by one draw per Model() the function builds, as Python's
    global RNG
    for f, draws in ((set_and_call, 1), (set_in_loop, 2)):
        RNG = np.random.default_rng(3)
        srcad.grad(f)(W0)
        ref = np.random.default_rng(3)
        for _ in range(draws):
            ref.normal(size=(3, 2))
        assert RNG.normal() == ref.normal()
    RNG = np.random.default_rng(5)


def test_a_random_field_read_once() -> None:
    global RNG
    RNG = np.random.default_rng(11)
    g = srcad.grad(mixes_random_field)(W0)
    drawn = np.random.default_rng(11).normal(size=(3, 2))
    np.testing.assert_allclose(g, 1.5 * drawn, rtol=1e-15)
    RNG = np.random.default_rng(5)


def test_used_as_a_value_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="after a method or the function wrote its fields"):
        srcad.grad(escapes)(W0)
    with pytest.raises(srcad.SrcadError, match="its `__init__` has effects"):
        srcad.grad(escapes_unwritten)(W0)
