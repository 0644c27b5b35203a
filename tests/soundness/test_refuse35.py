"""What refuse35 accepts, checked numerically (`srcad.testing.check_grads` forward and reverse,
and `check_scalar`: value, gradient, JVP, VJP and Hessian against Python and central
differences), and the neighbours that stay refused (tests/corpus/users_refuse35.py holds the
corpus cases):

1. ``sum(objs[, start])`` / ``math.prod(objs[, start])`` of a run-time list of objects whose
   class defines ``__add__``/``__radd__`` (``__mul__``/``__rmul__``): the loop of the class's own
   operator (ad/objsumloop.py), each item checked to be of that class at run time, an empty list
   with a number start refused at run time; a class whose operator leaves the class (session
   34's ``Sq``, tests/soundness/test_refuse34a.py), may return NotImplemented, or a list of two
   classes stay refused at transform time.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. sums and products of run-time lists of objects --------------------------------------------
class Pair:
    def __init__(self, a, b):
        self.a = a
        self.b = b

    def __add__(self, o):  # not field-wise linear: `b` multiplies
        return Pair(self.a + o.a, self.b * o.b)

    def __radd__(self, o):
        return Pair(self.a + o, self.b)

    def __mul__(self, o):
        return Pair(self.a * o.a, self.b + o.b)

    def __rmul__(self, o):
        return Pair(self.a * o, np.sin(self.b))


class SubPair(Pair):
    def __radd__(self, o):
        return Pair(self.a - o, self.b)


class MaybeNot:
    def __init__(self, a):
        self.a = a

    def __add__(self, o):
        if isinstance(o, MaybeNot):
            return MaybeNot(self.a + o.a)
        return NotImplemented

    def __radd__(self, o):
        return MaybeNot(self.a + o)


def sum_default_start(x):
    s = sum([Pair(v, np.sin(v)) for v in x])
    return s.a * s.b


def sum_object_start_keyword(x):
    s = sum((Pair(v, v * v) for v in x), start=Pair(1.0, 2.0))
    return s.a**2 + s.b


def sum_float_start_appended(x):
    ps = []
    for v in x:
        if v > 0:
            ps.append(Pair(v, 1.0 + v))
        else:
            ps.append(Pair(2.0 * v, np.cos(v)))
    return sum(ps, 0.5).b + sum(ps, 0.5).a


def prod_of_objects(x):
    p = math.prod([Pair(v, v) for v in x])
    return p.a + p.b**2


def sum_in_a_loop(x):
    t = 0.0
    for k in range(2):
        s = sum([Pair(v * (k + 1.0), v) for v in x])
        t = t + s.a * s.b
    return t


def sum_empty_with_object_start(x):
    s = sum([Pair(v, v) for v in x if v > 10.0], Pair(x[0], x[1]))
    return s.a * s.b


@pytest.mark.parametrize(
    "f",
    [
        sum_default_start,
        sum_object_start_keyword,
        sum_float_start_appended,
        prod_of_objects,
        sum_in_a_loop,
        sum_empty_with_object_start,
    ],
)
def test_sum_of_objects_is_the_loop_of_their_operator(f):
    _both(f, X)
    check_scalar(f, X)


def sum_empty_default_start(x):
    s = sum([Pair(v, v) for v in x if v > 10.0])  # Python: 0, then `0.a` fails
    return s.a


def sum_with_a_number_item(x):
    ps = [Pair(v, v) for v in x]
    ps.append(x[0])
    return sum(ps, Pair(0.0, 1.0)).a


def sum_of_two_classes(x):
    s = sum([Pair(x[0], x[1])] + [SubPair(v, v) for v in x])
    return s.a


def sum_maybe_not_implemented(x):
    return sum([MaybeNot(v) for v in x]).a


def sum_array_start(x):
    return sum([Pair(v, v) for v in x], x).a


def test_empty_list_with_a_number_start_is_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="empty list"):
        srcad.grad(sum_empty_default_start)(X)


def test_an_item_of_another_class_is_refused_at_run_time():
    with pytest.raises(srcad.SrcadError, match="an item of another class"):
        srcad.grad(sum_with_a_number_item)(X)


@pytest.mark.parametrize("f", [sum_of_two_classes, sum_maybe_not_implemented, sum_array_start])
def test_sums_srcad_cannot_follow_stay_refused(f):
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.grad(f)(X)
    with pytest.raises(srcad.SrcadError, match="objects runs their"):
        srcad.jvp(f, (X,), (np.ones(3),))
