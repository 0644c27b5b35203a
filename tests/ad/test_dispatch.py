"""User methods resolved at transform time (srcad/ad/dispatch.py): ``super().f(x)`` under single
inheritance is the base class's `f` (exact values and central differences, an instance made
inside or passed in); multiple inheritance, and ``super()`` in a nested function, stay refused
rather than resolved by a guess."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class A:
    def __init__(self, w):
        self.w = w

    def f(self, x):
        return self.w * np.sin(x)


class B(A):
    def __init__(self, w):
        self.w = w

    def f(self, x):
        return super().f(x) * x


class M:
    def f(self, x):
        return x**3


class Both(B, M):
    def __init__(self, w):
        self.w = w

    def f(self, x):
        return super().f(x) + 1.0


class Nested(A):
    def __init__(self, w):
        self.w = w

    def f(self, x):
        g = lambda y: super(Nested, self).f(y)  # noqa: E731
        return g(x) + super().f(x)


def made_inside(x):
    return np.sum(B(x[0]).f(x))


def passed_in(o, x):
    return np.sum(o.f(x))


X = np.array([0.3, -0.4, 1.1])


def test_super_single_inheritance():
    g = srcad.grad(made_inside)(X)
    expect = X[0] * (np.cos(X) * X + np.sin(X))  # d/dx of sum(x0 sin(x) x)
    expect[0] += np.sum(np.sin(X) * X)
    np.testing.assert_allclose(g, expect, rtol=1e-12)
    check_grads(made_inside, (X,), modes=("fwd", "rev"), order=2)
    check_grads(passed_in, (B(0.7), X), wrt=1, modes=("fwd", "rev"))


def test_super_multiple_inheritance_refused():
    # Both.__mro__ is Both, B, A, M: B's super() is A here, M for another class: not resolved
    with pytest.raises(srcad.SrcadError):
        srcad.grad(passed_in, wrt=1)(Both(0.7), X)


def test_super_with_arguments_and_nested_function():
    # explicit super(Nested, self) is not rewritten; the method still runs as Python runs it
    assert np.isclose(passed_in(Nested(0.5), X), np.sum(np.sin(X)))
    with pytest.raises(srcad.SrcadError):
        srcad.grad(passed_in, wrt=1)(Nested(0.5), X)
