"""``operator.itemgetter`` / ``operator.attrgetter`` made in the differentiated function
(lower/partials.Getter): called (``g(obj)``), as a ``key=`` of sorted/max/min, mapped over a
list. Refused before (session 13): "cannot tell which function this call invokes". Each case
against Python's value and finite differences, forward, reverse and second order."""

from __future__ import annotations

import operator
from collections import namedtuple
from operator import attrgetter, itemgetter

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.37, 0.81, 0.45, 1.23])
_P = namedtuple("_P", "pos mass")


class _Body:
    def __init__(self, p, m):
        self.p = p
        self.m = m


def called(x):
    a, b = itemgetter(0, 2)(x)
    return a * b + operator.itemgetter(3)(x) ** 2


def max_key(x):
    pairs = [(x[0], x[1]), (x[2], x[3])]
    return max(pairs, key=operator.itemgetter(0))[1] ** 2


def sorted_key(x):
    rows = [x[:2], x[2:]]
    return np.sum(sorted(rows, key=itemgetter(0), reverse=True)[0] * 2.0)


def mapped_attrs(x):
    ps = [_P(x[0], 2.0), _P(x[1], 3.0)]
    return sum(map(attrgetter("pos"), ps)) * min(ps, key=attrgetter("mass")).pos


def objects(x):
    bs = [_Body(x[0], x[1]), _Body(x[2], x[3])]
    heavy = max(bs, key=attrgetter("m"))
    return heavy.p * heavy.m


def dict_keys(x):
    a, b = itemgetter("a", "b")({"a": x[0], "b": x[1]})
    return a * b**2


def key_taken_when_made(x):
    k = 1
    g = itemgetter(k)
    k = 2  # the getter keeps 1, as Python's does
    return g(x) * 3.0 + k


CASES = [called, max_key, sorted_key, mapped_attrs, objects, dict_keys, key_taken_when_made]


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_getters(f):
    assert srcad.primal(f)(X) == pytest.approx(f(X))
    check_grads(f, (X,), modes=("fwd", "rev"), order=2)


def test_a_getter_as_a_value_is_refused():
    def f(x):
        return itemgetter(0)

    with pytest.raises(srcad.SrcadError, match="itemgetter"):
        srcad.grad(lambda x: f(x)(x))(X)
