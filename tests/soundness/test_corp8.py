"""Soundness regressions found by porting other projects' test corpora and benchmark programs
(session 8, corp8). Each test failed before its fix; /tmp/s8/findings.md names the program."""

from __future__ import annotations

import operator

import numpy as np
import pytest

import srcad


class Vec:
    """A raytracer's vector (pyperformance's raytrace): its own `dot` and operators."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    def dot(self, o):
        return self.x * o.x + 2.0 * self.y * o.y + 1.0

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y)

    def __mul__(self, f):
        return Vec(self.x * f, self.y * f)

    __rmul__ = __mul__

    def __neg__(self):
        return Vec(-self.x, -self.y)


def _pair(a, b):
    return [Vec(a, b), Vec(b, 2.0)]


def _dot_of_difference(x):
    vs = _pair(x[0], x[1])
    c = vs[0] - vs[1]
    return c.dot(c)


def test_user_method_on_an_operator_result_of_unknown_type_is_checked() -> None:
    # `vs[0] - vs[1]` on items of a list a helper made runs Vec.__sub__; `c.dot(c)` was then
    # trusted to be ndarray.dot (the result of an arithmetic rule) and differentiated as such:
    # a gradient of [-0.8, -1.8] for the true [-0.8, -4.4]. Now checked at run time: refused
    # (since sound9: at the operator itself, whose operands' class is unknown)
    x = np.array([0.3, 0.7])
    with pytest.raises(srcad.SrcadError, match="a user class defining `(dot|__sub__)`"):
        srcad.grad(_dot_of_difference)(x)


def _op_abs(x):
    return np.sum(operator.abs(x) * x) + operator.abs(x[0])


def test_operator_abs_is_abs() -> None:
    # operator.abs was refused ('not a Python function and srcad has no derivative rule')
    x = np.array([0.5, -1.5, 2.0])
    np.testing.assert_allclose(srcad.grad(_op_abs)(x), [2.0, 3.0, 4.0])
    np.testing.assert_allclose(srcad.hessian(_op_abs)(x), np.diag([2.0, -2.0, 2.0]))
    assert srcad.primal(_op_abs)(x) == _op_abs(x)
