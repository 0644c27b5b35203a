"""Small user classes built inside the differentiated function (issue 10 item 6): the tutorials'
`Dual` class (an ``__init__`` storing its arguments, arithmetic dunders, attribute reads, methods
calling each other and chained on results). ``Dual(a, b)`` runs as Python runs it; its tangent and
cotangent are `Dual` objects of tangents and cotangents. Exact values, central differences at
first and second order; properties of records and attribute assignments stay located refusals.
A class whose ``__init__`` computes (``Twice``) is built from its fields when used here
(lower/objects.py); passed on as a value it is refused as before (tests/soundness/test_refuse5.py)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads


class Dual:
    def __init__(self, a, b=0.0):
        """A value and its derivative."""
        self.a = a
        self.b = b

    def __add__(self, o):
        o = lift(o)
        return Dual(self.a + o.a, self.b + o.b)

    def __mul__(self, o):
        o = lift(o)
        return Dual(self.a * o.a, self.a * o.b + self.b * o.a)

    def sin(self):
        return Dual(np.sin(self.a), np.cos(self.a) * self.b)

    def square(self):
        return self * self


def lift(o):
    if isinstance(o, Dual):
        return o
    return Dual(o, 0.0)


class Twice:
    def __init__(self, a):
        self.a = a * 2.0


class Prop:
    def __init__(self, a):
        self.a = a

    @property
    def twice(self):
        return self.a * 2.0


def dual(x):
    d = Dual(x, 1.0) * Dual(x, 1.0)
    return d.a + d.b  # x**2 + 2 x


def poly(x):
    d = Dual(x, 1.0)
    e = d.square().sin() + d * 3.0  # Dual(sin(x^2) + 3x, 2x cos(x^2) + 3)
    return e.a * e.b


def arrays(x):
    d = Dual(x, np.ones_like(x)).square().sin()
    return np.sum(d.a * d.b)


def computes(x):
    return Twice(x).a


def prop(x):
    return Prop(x).twice


def assigns(x):
    d = Dual(x, 1.0)
    d.a = x * 3.0
    return d.a


def poly_exact(x):
    """poly(x) = u u' with u = sin(x^2) + 3x, and its first two derivatives."""
    u, u1 = np.sin(x**2) + 3 * x, 2 * x * np.cos(x**2) + 3
    u2 = 2 * np.cos(x**2) - 4 * x**2 * np.sin(x**2)
    u3 = -12 * x * np.sin(x**2) - 8 * x**3 * np.cos(x**2)
    return u * u1, u1**2 + u * u2, 3 * u1 * u2 + u * u3


def test_dual_first_order() -> None:
    assert srcad.grad(dual)(0.7) == pytest.approx(2 * 0.7 + 2, rel=1e-15)
    assert srcad.jvp(dual, (0.7,), (1.0,))[1] == pytest.approx(3.4, rel=1e-15)
    value, slope, _ = poly_exact(0.7)
    assert poly(0.7) == pytest.approx(value, rel=1e-15)
    assert srcad.grad(poly)(0.7) == pytest.approx(slope, rel=1e-14)  # 20.1025594249288
    assert srcad.jvp(poly, (0.7,), (1.0,))[1] == pytest.approx(slope, rel=1e-14)
    assert srcad.vjp(poly, 0.7)[1](1.0)[0] == pytest.approx(slope, rel=1e-14)
    x = np.array([0.7, 0.2, -1.1])
    expect = np.sin(2 * x**2) + 4 * x**2 * np.cos(2 * x**2)  # d/dx of sum(x sin(2 x^2))
    np.testing.assert_allclose(srcad.grad(arrays)(x), expect, rtol=1e-14)
    np.testing.assert_allclose(srcad.jacfwd(arrays)(x), expect, rtol=1e-14)
    check_grads(arrays, (x,), modes=("fwd", "rev"))
    check_grads(poly, (0.7,), modes=("fwd", "rev"))


def test_dual_second_order() -> None:
    assert srcad.hessian(dual)(0.7) == pytest.approx(2.0, rel=1e-14)
    assert srcad.hessian(poly)(0.7) == pytest.approx(poly_exact(0.7)[2], rel=1e-13)  # -5.68482
    check_grads(poly, (0.7,), order=2)
    check_grads(arrays, (np.array([0.7, 0.2, -1.1]),), order=2)


def assigns_argument(d, x):
    d.a = x * 3.0
    return d.a


def test_field_written_here_and_refusal_of_an_argument_write_located() -> None:
    """``d.a = ...`` of a record built here: its field (lower/objstate.py; session 6 lifted the
    refusal); of an argument, refused at the user's line."""
    assert srcad.grad(assigns)(0.7) == 3.0
    assert srcad.jvp(assigns, (0.7,), (1.0,)) == pytest.approx((2.1, 3.0))
    for run in (
        lambda: srcad.grad(assigns_argument, wrt=1)(Dual(1.0), 0.7),
        lambda: srcad.jvp(assigns_argument, (Dual(1.0), 0.7), (None, 1.0)),
    ):
        with pytest.raises(srcad.SrcadError, match="the attribute `a`") as e:
            run()
        assert "test_user_classes.py" in str(e.value)


def test_property_of_a_record_is_its_getter() -> None:
    """``Prop(x).twice``: the property's getter differentiated (ad/properties.py; session 6
    lifted the refusal)."""
    assert srcad.grad(prop)(0.7) == 2.0
    assert srcad.jvp(prop, (0.7,), (1.0,)) == (1.4, 2.0)
    check_grads(prop, (0.7,), modes=("fwd", "rev"), order=2)


def test_init_that_computes_is_built_from_its_fields() -> None:
    assert srcad.grad(computes)(0.7) == 2.0
    assert srcad.jvp(computes, (0.7,), (1.0,)) == (1.4, 2.0)
