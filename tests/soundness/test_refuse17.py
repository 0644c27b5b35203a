"""WRONG on main 26da372: ``sum(obj)`` / ``math.fsum(obj)`` of an object whose class defines
``__iter__`` took the cotangent of each *field* item as the output's (rules/builtins.iter_sum_vjp
runs over the object, not over what ``__iter__`` yields): ``yield v * 2.0`` gave half the
gradient; of a user-class argument too. ``max``/``min``/``sorted``/``math.prod`` of such an
object, ``sum(Rev(a, b))`` with ``iter((self.b, self.a))`` raised a TypeError when the code ran.

Now an object built in the function is listed by its class's ``__iter__`` (lower/objiter.py)
where ``sum``/``max``/``min``/``sorted``/``list``/``tuple``/``dict``/``math.fsum``/``math.prod``
take it, where it is unpacked (``a, b = obj``, ``f(*obj)``) and in ``enumerate(obj)``; the
runtime helpers refuse any other user iterable when they run (rules/builtins.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.35, -0.6, 0.9, 1.2])


class Doubled:
    def __init__(self, x):
        self.x = x

    def __iter__(self):
        for v in self.x:
            yield v * 2.0


class Swapped:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __iter__(self):
        return iter((self.b, self.a))


class SubDoubled(Doubled):
    pass


def sum_of_object(x):
    return sum(Doubled(x[:3])) * x[3]


def sum_of_named_object(x):
    c = Doubled(x[:3])
    return sum(c) * x[3]


def fsum_of_object(x):
    return math.fsum(Doubled(x[:3])) * x[3]


def nested_sums(x):
    return sum(sum(Doubled(x[i : i + 2])) for i in range(2))


def sum_of_subclass(x):
    return sum(SubDoubled(x[:3])) * x[3]


def sum_of_swapped(x):
    return sum(Swapped(x[0], x[1] * x[1])) * x[3]


def max_of_object(x):
    return max(Doubled(x[:3])) * x[3]


def sorted_object(x):
    return sorted(Doubled(x[:3]))[0] * x[3]


def prod_of_object(x):
    return math.prod(Doubled(x[:3])) * x[3]


def sum_of_argument(c, y):
    return sum(c) * y


WRONG_BEFORE = [sum_of_object, sum_of_named_object, fsum_of_object, nested_sums, sum_of_subclass]
RAISED_BEFORE = [sum_of_swapped, max_of_object, sorted_object, prod_of_object]


@pytest.mark.parametrize("f", WRONG_BEFORE + RAISED_BEFORE, ids=lambda f: f.__name__)
def test_builtins_over_a_user_iterable_follow_its_iter(f):
    assert srcad.primal(f)(X.copy()) == pytest.approx(f(X.copy()))
    check_grads(f, (X.copy(),), modes=("fwd", "rev"), order=2)


def test_sum_of_a_user_iterable_argument_is_refused():
    # main: gradient field x = [1.5, 1.5, 1.5] where Python's function has 3.0 each
    c = Doubled(np.array([0.3, -0.5, 0.8]))
    with pytest.raises(srcad.SrcadError, match="__iter__"):
        srcad.grad(sum_of_argument, wrt=(0, 1))(c, 1.5)
