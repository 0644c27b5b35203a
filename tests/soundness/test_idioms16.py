"""WRONG on main f4f18bc: ``list(obj)`` / ``tuple(obj)`` / ``np.fromiter(obj)`` of an object whose
class defines ``__iter__`` had a zero gradient (rules/containers.to_list_vjp returned no
cotangent for it) and a tangent computed by running ``__iter__`` on the tangent object (wrong for
``yield self.a * self.b``). Now refused when it runs, at the user's line, as iterating such an
object in a loop was (rules/containers._refuse_user_iterable)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.31, -0.72, 1.13, 0.45])


class Bag:
    def __init__(self, vals):
        self.vals = vals

    def __iter__(self):
        return iter(self.vals)


class Prod:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __iter__(self):
        yield self.a * self.b
        yield self.b


def list_of_bag(x):
    b = Bag([x[0], x[1], x[2]])
    return np.sum(np.array(list(b)) ** 2)


def tuple_of_bag(x):
    b = Bag([x[0], x[1], x[2]])
    return sum(v * v for v in tuple(b))


def list_of_prod(x):
    return np.sum(np.array(list(Prod(x[0], x[1]))) ** 2)


def fromiter_of_prod(x):
    return np.sum(np.fromiter(Prod(x[0], x[1]), float) ** 2)


@pytest.mark.parametrize("f", [fromiter_of_prod])
@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_listing_a_user_iterable_is_refused(f, mode):
    f(X.copy())
    with pytest.raises(srcad.SrcadError, match="__iter__"):
        if mode == "grad":
            srcad.grad(f)(X.copy())
        else:
            srcad.jvp(f, (X.copy(),), (np.ones_like(X),))


@pytest.mark.parametrize("f", [list_of_bag, tuple_of_bag, list_of_prod])
def test_listing_a_user_iterable_follows_its_iter(f):
    # refused since 113db56; since refuse17 list/tuple of an object built here are the items its
    # class's __iter__ yields (lower/objiter.py)
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)
