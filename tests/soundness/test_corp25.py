"""Found porting other projects' numerical programs (corp25).

``functools.reduce(f, reversed(xs), init)`` (Rosetta Code's Horner's rule) and the same fold over
``zip(...)`` / ``enumerate(...)`` or through ``itertools.accumulate`` were refused ("no
derivative rule for `reversed`"): the fold took the iterator itself as its sequence. Now the
iterator's items are listed first (lower/stdlib.py `_listed`), as ``list(reversed(xs))`` is.

Rosetta Code's LU decomposition swaps rows of a list of lists, ``ID[j], ID[row] = ID[row],
ID[j]``, with ``row = max(range(j, n), key=lambda i: abs(m[i][j]))`` in a loop: the mutation
check refused it ("a value is read after the object it shares with another name is modified"),
not knowing `row` was an int (an unknown index could be a slice, whose read is a new list). Now
a ``range``, ``list(range(...))`` and the like are sequences of ints, and ``max`` / ``min`` of
one, or the position ``max(xs, key=f)`` picks, an int (passes/scalars.py `int_vars`)."""

from __future__ import annotations

import itertools
import math
from functools import reduce

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

C = np.array([-19.0, 7.0, -4.0, 6.0, 0.5])


def horner(c):
    return reduce(lambda acc, k: acc * 1.3 + k, reversed(c), 0.0)


def horner_list(c):
    return reduce(lambda acc, k: acc * 0.7 - k * k, reversed(list(c)), 1.0)


def weighted_zip(c):
    return reduce(lambda acc, pair: acc + pair[0] * np.sin(pair[1]), zip(c, c[::-1]), 0.0)


def indexed(c):
    return reduce(lambda acc, ik: acc * 0.5 + ik[0] * ik[1] ** 2, enumerate(c), 0.0)


def running(c):
    return sum(itertools.accumulate(reversed(c), lambda a, b: a * b))


def no_init(c):
    return reduce(lambda a, b: a * 0.9 + np.cos(b), reversed(c))


@pytest.mark.parametrize("f", [horner, horner_list, weighted_zip, indexed, running, no_init])
def test_fold_over_an_iterator(f):
    check_scalar(f, C / 7.0)


def test_horner_value_and_gradient():
    g = srcad.grad(horner)(C)
    np.testing.assert_allclose(g, 1.3 ** np.arange(5))
    assert srcad.primal(horner)(C) == horner(C)


def pivot_rows(a):
    m = [list(r) for r in a]
    n = len(m)
    ID = [[float(i == j) for j in range(n)] for i in range(n)]
    for j in range(n):
        row = max(range(j, n), key=lambda i: abs(m[i][j]))
        ID[j], ID[row] = ID[row], ID[j]
    return np.sum(np.array(ID) @ a * np.arange(1.0, n + 1)[:, None])


def largest_row_plain(a):
    ID = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    for j in range(3):
        row = max(range(j, 3))
        t = ID[row]
        ID[row] = ID[j]
        ID[j] = t
    return np.sum(np.array(ID) @ a * np.array([1.0, 2.0, 3.0]))


def from_tuple_of_range(a):
    ID = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    for j in range(3):
        row = max(tuple(range(j, 3)))
        ID[j], ID[row] = ID[row], ID[j]
    return np.sum(np.array(ID) @ a * np.array([1.0, 2.0, 3.0]))


A3 = np.array([[1.0, 2.0, 3.0], [7.0, 5.0, 6.0], [4.0, 8.0, 9.5]])


@pytest.mark.parametrize("f", [pivot_rows, largest_row_plain, from_tuple_of_range])
def test_row_swaps_with_a_picked_index(f):
    assert srcad.primal(f)(A3) == f(A3)
    check_scalar(lambda x: f(x.reshape(3, 3)), A3.ravel())


# -- a user class whose field is named like an array attribute ----------------------------------
# ``self.shape = shape`` (a Gamma distribution's shape parameter) was read by the rule of an
# array's ``.shape`` (no derivative): srcad.grad gave 0.0 for d/dk of ``Gamma(k, 2.0).shape ** 2``
# (central differences: 5.0). Now a float there is refused, located (ad/zeroattrs.py: a run-time
# check after the read); a field holding ints or a tuple of them keeps its zero derivative.


class Gamma:
    def __init__(self, shape, rate):
        self.shape = shape
        self.rate = rate

    def logpdf(self, x):
        a = self.shape
        return a * math.log(self.rate) + (a - 1) * math.log(x) - self.rate * x - math.lgamma(a)


class Sized:
    def __init__(self, size, ndim):
        self.size = size
        self.ndim = ndim


def shape_squared(k):
    return Gamma(k, 2.0).shape ** 2


def gamma_logpdf(k):
    return Gamma(k, 2.0).logpdf(1.3)


def in_a_list(k):
    return sum(g.shape * g.rate for g in [Gamma(k, 2.0), Gamma(2.0, k)])


def size_and_ndim(k):
    s = Sized(k * k, 3.0 * k)
    return s.size + s.ndim


@pytest.mark.parametrize("f", [shape_squared, gamma_logpdf, in_a_list, size_and_ndim])
def test_a_field_named_like_an_array_attribute_is_refused(f):
    with pytest.raises(srcad.SrcadError, match="the field its __init__ stores"):
        srcad.grad(f)(2.5)
    with pytest.raises(srcad.SrcadError, match="the field its __init__ stores"):
        srcad.jvp(f, (2.5,), (1.0,))
    with pytest.raises(srcad.SrcadError, match="the field its __init__ stores"):
        srcad.hvp(f, (2.5,), (1.0,))


def test_a_field_read_as_an_argument_is_refused():
    with pytest.raises(srcad.SrcadError, match="the field its __init__ stores"):
        srcad.grad(lambda g: g.logpdf(1.3) * 1.0)(Gamma(2.5, 2.0))


def test_array_shape_still_has_no_derivative():
    def f(x):
        return np.sum(x**2) * x.shape[0] + x.ndim * x.size

    x = np.array([0.3, -1.2, 2.0])
    np.testing.assert_allclose(srcad.grad(f)(x), 2 * x * 3)


class Layer:
    def __init__(self, W, shape, size):
        self.W = W
        self.shape = shape
        self.size = size


def layer_sum(w):
    layer = Layer(w * 2.0, (2, 3), 6)
    return np.sum(np.sin(layer.W.reshape(layer.shape))) * layer.size


def test_int_fields_named_like_array_attributes_still_work():
    check_scalar(layer_sum, np.linspace(-1.0, 1.0, 6))
