"""What refuse33b accepts, checked numerically (`srcad.testing.check_grads` forward and reverse;
value, gradient, JVP, VJP and Hessian against Python and central differences), and the
neighbours that must stay refused or raise Python's error (tests/corpus/users_refuse33b.py holds
the corpus cases):

1. ``NT(*x[1:3])`` of a namedtuple: its generated ``__new__`` names the items
   (lower/starcalls.class_call), with Python's TypeError for a slice of the wrong length and the
   field's default for a short one.
2. ``collections.OrderedDict([(k, v), ...])`` (or keywords) read as a dict: ``dict(pairs)``
   (lower/ordereddicts.py); compared with ``==`` (order matters) or returned, it stays refused.
"""

from __future__ import annotations

import collections
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.soundness.numeric import check_scalar

X = np.array([0.5, -1.2, 0.8, 2.0])


def _both(f, *args):
    check_grads(f, args, modes=("fwd", "rev"))


# -- 1. a namedtuple built from a spread array slice --------------------------------------------
class NT(NamedTuple):
    a: float
    b: float


class NTd(NamedTuple):
    a: float
    b: float = 3.0


def nt_slice(x):
    p = NT(*x[1:3])
    return p.a * p.b**2 + x[0]


def nt_default_left(x):
    p = NTd(*x[3:])  # one item: `b` takes its default
    return p.a * p.b + x[0] ** 2


@pytest.mark.parametrize("f", [nt_slice, nt_default_left])
def test_namedtuple_from_spread_slice(f):
    _both(f, X)
    check_scalar(f, X)


def test_namedtuple_spread_of_wrong_length_raises_as_python():
    def f(x):
        p = NT(*x[1:])  # three items for two fields
        return p.a * p.b

    with pytest.raises(TypeError):
        f(X)
    with pytest.raises(TypeError):
        srcad.grad(f)(X)
    assert srcad.grad(f)(X[:3])[1] == X[2]  # two items: fine


# -- 2. an OrderedDict built from pairs ---------------------------------------------------------
def od_pairs(x):
    d = collections.OrderedDict([("a", x[0]), ("b", x[1] * 2.0), ("a", x[2] ** 2)])
    return d["a"] * d["b"] + sum(d.values()) * len(d)


def od_keywords(x):
    d = collections.OrderedDict(u=np.sin(x), v=x * x)
    return np.sum(d["u"] * d["v"]) + np.sum(list(d.values())[0])


@pytest.mark.parametrize("f", [od_pairs, od_keywords])
def test_ordered_dict_from_pairs(f):
    _both(f, X)
    check_scalar(f, X)


def od_compared(x):
    d = collections.OrderedDict([("a", x[1]), ("b", 2.0)])
    e = collections.OrderedDict([("b", 2.0), ("a", x[1])])  # equal as dicts, not as these
    return x[0] * (2.0 if d == e else 3.0)


def od_returned(x):
    d = collections.OrderedDict([("a", x[0]), ("b", x[1])])
    return d


def od_constant_compared(x):
    d = collections.OrderedDict([("a", 1.0), ("b", 2.0)])  # constants: run as Python runs them
    e = collections.OrderedDict([("b", 2.0), ("a", 1.0)])
    return x[0] * (2.0 if d == e else 3.0)


def test_ordered_dict_compared_stays_refused():
    assert srcad.grad(od_constant_compared)(X)[0] == 3.0
    with pytest.raises(srcad.SrcadError, match="OrderedDict"):
        srcad.grad(od_compared)(X)
    with pytest.raises(srcad.SrcadError, match="OrderedDict"):
        srcad.jacrev(od_returned)(X)
