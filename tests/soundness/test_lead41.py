"""`obj.method()(x)`: the call of a call's result. numpy_fns._vectorize_parts lowered the inner
call's callee to ask whether it was ``np.vectorize``, and the caller lowered it again: the
generated code built the object twice (an `__init__` with an effect ran once more than in
Python, `srcad.primal` included), or, for ``p.deriv()(t)`` of an object `p` built at run time,
kept a dead ``attr.deriv`` read (marked as possibly updating `p`, so never removed) that forward
mode and Hessians refused ("no derivative rule for `.deriv` of a Poly")."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

import srcad
from srcad.testing import check_grads

LOG: list[int] = []


class V:
    def __init__(self, a):
        LOG.append(1)
        self.a = a

    def __call__(self, t):
        return self.a * t

    def double(self):
        return V(self.a * 2.0)


class Poly:
    def __init__(self, coefs):
        self.c = coefs

    def __call__(self, t):
        r = 0.0
        for ci in reversed(self.c):
            r = r * t + ci
        return r

    def deriv(self):
        return Poly([i * c for i, c in enumerate(self.c)][1:])


def chained(x):
    return V(x[0]).double()(x[1])


def poly_slope(x):
    return Poly(list(x)).deriv()(0.3) + Poly([x[0], x[1]]).deriv()(x[2])


def bound_then_chained(x):
    p = Poly(list(x))
    return p(0.5) + p.deriv()(0.3)


X = np.array([0.7, -0.3, 1.2, 0.4])


def test_the_object_is_built_as_often_as_in_python():
    LOG.clear()
    want = chained(X)
    n = len(LOG)
    LOG.clear()
    assert srcad.primal(chained)(X) == want
    assert len(LOG) == n == 2


def test_derivatives_of_a_call_of_a_call():
    check_grads(poly_slope, (X,), modes=("fwd", "rev"), order=2)
    g = srcad.grad(poly_slope)(X)
    # d/dc of sum_i i c_i 0.3^(i-1) and of c1 (the slope of c0 + c1 t)
    np.testing.assert_allclose(g, [0.0, 1.0 + 1.0, 2 * 0.3, 3 * 0.09], rtol=1e-12)


def test_a_method_of_a_run_time_object_called_at_once():
    check_grads(bound_then_chained, (X,), modes=("fwd", "rev"), order=2)
    h = srcad.hessian(bound_then_chained)(X)
    np.testing.assert_array_equal(h, np.zeros((4, 4)))  # linear in the coefficients


# -- `for k, v in helper(x).items()`: the helper ran three times (a silently wrong derivative) --
COUNT = [0]


def batches(x):
    COUNT[0] += 1  # an effect Python runs once per loop
    return {"a": x[:2] * COUNT[0], "b": x[2:]}


def over_items(x):
    t = 0.0
    for _, v in batches(x).items():
        t = t + np.sum(v**2)
    return t


def over_values(x):
    t = 0.0
    for v in batches(x).values():
        t = t + np.sum(v**2)
    return t


def test_a_loops_iterable_call_runs_once():
    # checkpointing.checkpoint_marker and calls._iter_call each lowered `batches(x).items` to
    # ask whether the loop iterates srcad.checkpoint_loop / range / zip, and the loop lowered it
    # a third time: the counter read 3, the value was 13.5 and the gradient [9, 18, 3]
    x = np.array([0.5, 1.0, 1.5])
    for f in (over_items, over_values):
        COUNT[0] = 0
        want = f(x)
        COUNT[0] = 0
        assert srcad.primal(f)(x) == want == 3.5
        COUNT[0] = 0
        np.testing.assert_allclose(srcad.grad(f)(x), 2.0 * x, rtol=1e-15)
        assert COUNT[0] == 1


class Parts:
    def __init__(self, w):
        self.w = w

    def parts(self):
        COUNT[0] += 1
        return {"a": self.w[:2] * COUNT[0], "b": self.w[2:]}


def method_items(x):
    t = 0.0
    for _, v in Parts(x).parts().items():
        t = t + np.sum(v)
    return t


def test_a_methods_items_run_once():
    x = np.array([0.5, 1.0, 1.5])
    COUNT[0] = 0
    want = method_items(x)
    COUNT[0] = 0
    assert srcad.primal(method_items)(x) == want == 3.0
    COUNT[0] = 0
    np.testing.assert_array_equal(srcad.grad(method_items)(x), [1.0, 1.0, 1.0])
    assert COUNT[0] == 1


# -- a NamedTuple's property (was: "no derivative rule for `.s` of a Pt") -------------------------
class Pt(NamedTuple):
    x: float
    y: float

    @property
    def s(self):
        return self.x + self.y

    def norm2(self):
        return self.x**2 + self.y**2


def nt_property(p):
    return Pt(p[0], p[1]).s * p[2]


def nt_property_and_method(p):
    q = Pt(p[0], p[1])
    return q.s * q.norm2()


def test_a_namedtuples_property_is_its_getter():
    # properties.getter took the `__getattribute__` of the `tuple` base for one of the class's
    # own and gave up; NumPy-free records' properties are plain getters
    x = np.array([0.5, 1.0, 1.5])
    for f in (nt_property, nt_property_and_method):
        assert srcad.primal(f)(x) == f(x)
        check_grads(f, (x,), modes=("fwd", "rev"), order=2)
    np.testing.assert_allclose(srcad.grad(nt_property_and_method)(x), [2.75, 4.25, 0.0])


VEC = np.vectorize


def vectorize_alias(x):
    return np.sum(VEC(lambda t: t * 3.0 if t > 0 else -t)(x))


def test_np_vectorize_through_a_module_alias():
    # the np.vectorize check looks the alias up in the namespace (nothing lowered ahead of time)
    np.testing.assert_array_equal(srcad.grad(vectorize_alias)(np.array([0.5, -1.0])), [3.0, -1.0])
