"""A NumPy ufunc or a `math` function handed to a method of an object built in the function
(``Integrator().step(np.sin, y, h)``, a bound method kept in a local): the lowering inlines the
method and the function arrives as a value, whose call was refused ("cannot differentiate
through `sin`: it is not a Python function"). ad/libcalls.py makes it the primitive op."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class Integrator:
    def __init__(self, h):
        self.h = h

    def euler(self, f, y):
        return y + self.h * f(y)

    def rk2(self, f, y):
        k1 = f(y)
        return y + self.h * f(y + 0.5 * self.h * k1)


def method_given_ufunc(w):
    return np.sum(Integrator(0.1).rk2(np.sin, w))


def bound_method_in_a_local(w):
    step = Integrator(0.2).euler
    y = w
    for _ in range(3):
        y = step(np.tanh, y)
    return np.sum(y**2)


def method_given_math_function(w):
    it = Integrator(0.1)
    return it.rk2(math.exp, w[0]) * it.euler(math.sin, w[1])


@pytest.mark.parametrize(
    "f",
    [method_given_ufunc, bound_method_in_a_local, method_given_math_function],
    ids=lambda f: f.__name__,
)
def test_values_and_derivatives(f):
    w = np.array([0.3, 0.9])
    assert np.isclose(srcad.primal(f)(w), f(w))
    check_grads(f, (w,), modes=("fwd", "rev"), order=2)


def out_given_by_position(w):
    f = np.multiply
    buf = np.zeros(2)
    f(w, w, buf)  # (a ufunc's third positional operand is `out`: left a call, as Python runs it)
    return np.sum(buf)


def test_positional_out_is_not_rewritten():
    w = np.array([0.3, 0.9])
    assert np.isclose(srcad.primal(out_given_by_position)(w), out_given_by_position(w))
    try:
        g = srcad.grad(out_given_by_position)(w)
    except srcad.SrcadError:
        return  # refused: fine
    assert np.allclose(g, 2.0 * w)
