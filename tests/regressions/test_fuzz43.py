"""Ordinary programs the wild43 fuzz grammar (tests/fuzz/gen_wild_43*.py) found refused, now
lifted, each checked numerically (and their refused neighbours):

a. two loops ``for k in params: params[k] = ...`` over the same dict argument: the second
   iterated the first loop's result, which passes/alias_index.dict_value (and the lowering's
   optimistic `_argument`) did not follow back to the argument: "an element of `params` (`q`)
   is read after the object it shares with another name is modified".
b. a list/tuple of NamedTuple items a loop rebuilds (``ps = tuple(p.moved(dt) for p in ps)``)
   in a function that also writes a field of the same name to objects of another class
   (``for q in qs: q.x += ...`` on dataclass items): lower/seqcarry._eligible asked whether any
   field of that name is written anywhere (objstate.written_fields goes by attribute name) and
   refused, later "no derivative rule for `.moved()`"; a namedtuple's fields cannot be written.
c. a comprehension over ``islice(gen(x), k)`` (or ``zip`` of generators) after an object with
   mutable fields was built (an accumulator, a cached property): objstate.object_writes counts
   every field as written by any comprehension that calls anything, and lower/generators
   refused "this comprehension writes while the generator `gen` runs its items"; a
   comprehension reaching no object (plain values, library functions, the module-level
   generator) writes none (genzip.objects_unreached).
d. a ``for`` loop over a generator (``enumerate(zip(gen1(x), gen2(y)))`` too) that may leave
   early (``break``, ``return``): refused, although for a generator that ends and changes
   nothing (genzip.finite_pure, what ``zip`` already asked) the items srcad computes past the
   break are only unused (test_refuse9's loop_breaks, test_iter41c's zip_break, refused
   until now, are checked here). One looping over its argument (an iterator?) stays refused.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from itertools import islice
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads
from tests.regressions.test_iter41c import zip_break
from tests.soundness.test_refuse9 import loop_breaks

D = {"scale": np.array([0.5, -1.0]), "shift": 0.2}


def two_loops(params, w):
    for q in params:
        params[q] = params[q] + params["shift"] * w
    for q in params:
        params[q] = np.tanh(params[q]) * 1.3
    return float(np.sum(params["scale"])) * params["shift"]


def three_loops(params, w):
    for q in params:
        params[q] = params[q] * w
    s = 0.0
    for q in params:
        params[q] = params[q] * 1.5
        s = s + np.sum(params[q])
    for q in params:
        params[q] = params[q] - 0.1
    return s * np.sum(params["scale"] * params["shift"])


@pytest.mark.parametrize("f", [two_loops, three_loops])
def test_dict_argument_updated_by_two_loops(f):
    want_args = copy.deepcopy(D)
    want = f(want_args, 0.8)
    got_args = copy.deepcopy(D)
    assert srcad.primal(f)(got_args, 0.8) == pytest.approx(want, rel=1e-12)
    assert all(np.allclose(got_args[k], want_args[k]) for k in D)  # the caller's dict
    check_grads(f, (copy.deepcopy(D), 0.8), modes=("fwd", "rev"), order=2)


def twice_over_list(xs, w):
    for k in xs:
        xs[k] = xs[k] * w
    for k in xs:
        xs[k] = xs[k] * w
    return xs[0] + xs[1]


def test_list_argument_stays_refused():
    with pytest.raises(srcad.SrcadError, match="an element of `xs`"):
        srcad.grad(twice_over_list, wrt=1)([1, 0], 2.0)


@dataclass
class _P:
    x: float
    v: float


class _N(NamedTuple):
    x: float
    y: float

    def moved(self, dt):
        return _N(self.x + dt * self.y, self.y * 0.9)


def named_carried_beside_written_fields(x0, x1):
    ps = (_N(x0[0], x1[0]), _N(x0[0] * x0[0] * 0.5, np.cos(x1[1])), _N(math.sin(x1[0]), x0[1]))
    for _ in range(2):
        ps = tuple(p.moved(0.233 * j) for j, p in enumerate(ps))
    qs = [_P(math.sin(float(np.sum(x1))), float(np.sum(x1))), _P(np.mean(x0), x0[2])]
    for _ in range(3):
        for q in qs:
            q.x += 0.055 * q.v * q.x
    return ps[0].x * ps[-1].y + qs[0].x * qs[-1].v


def test_namedtuples_carried_beside_written_fields_of_another_class():
    x = np.array([0.3, -0.4, 0.8])
    f = named_carried_beside_written_fields
    assert srcad.primal(f)(x, x) == pytest.approx(f(x, x), rel=1e-12)
    check_grads(f, (x, x), modes=("fwd", "rev"), order=2)


class _Acc:
    def __init__(self):
        self.total = 0.0
        self.n = 0

    def add(self, v):
        self.total = self.total + v
        self.n += 1
        return self

    def __iadd__(self, v):
        return self.add(v)


def _gen(v):
    for i in range(len(v)):
        yield np.sin(v[i])


def _gen2(v):
    acc = 0.0
    for i in range(len(v)):
        acc = acc + v[i]
        yield acc


def islice_after_an_object(x):
    acc = _Acc()
    for e in x:
        acc += np.sin(e) * e
    s = float(np.prod(np.array([e + 2.0 for e in islice(_gen(x), 2)])))
    return acc.total / acc.n + s


def zip_after_an_object(x):
    acc = _Acc()
    for i in range(3):
        acc += x[i] * x[i]
    t = sum([p * q * (i + 1) for i, (p, q) in enumerate(zip(_gen(x), _gen2(x)))])
    return acc.total * t


def object_in_the_comprehension(x):
    acc = _Acc()
    s = sum([acc.add(e).total for e in islice(_gen(x), 2)])
    return s + acc.total


@pytest.mark.parametrize("f", [islice_after_an_object, zip_after_an_object])
def test_generator_comprehension_after_an_object(f):
    x = np.array([0.5, 0.4, 0.3])
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


def test_comprehension_reaching_an_object_stays_refused():
    with pytest.raises(srcad.SrcadError, match="writes while the generator"):
        srcad.grad(object_in_the_comprehension)(np.array([0.5, 0.4, 0.3]))


def _gen_param(v):
    for e in v:
        yield np.tanh(e)


def zip_loop_with_break(x0, x1):
    s = 0.0
    for i, (p, q) in enumerate(zip(_gen(x0), _gen2(x1))):
        s = s + p * q * (i + 1.0)
        if s > 0.1:
            break
    return s


def loop_with_return(x0, x1):
    s = 0.0
    for p in _gen(x0):
        s = s + p * x1[0]
        if s > 0.3:
            return s * 2.0
    return s


def loop_over_param_generator_with_break(x0, x1):
    s = 0.0
    for p in _gen_param(x0):
        s = s + p
        if s > 0.5:
            break
    return s * x1[0]


@pytest.mark.parametrize("f", [zip_loop_with_break, loop_with_return])
def test_loop_leaving_a_finite_pure_generator_early(f):
    x0, x1 = np.array([0.5, 0.4, 0.3]), np.array([0.6, 0.9, -0.2])
    assert srcad.primal(f)(x0, x1) == pytest.approx(f(x0, x1), rel=1e-12)
    check_grads(f, (x0, x1), modes=("fwd", "rev"), order=2)


def test_loop_leaving_a_generator_over_its_argument_stays_refused():
    x = np.array([0.5, 0.4, 0.3])
    with pytest.raises(srcad.SrcadError, match="may leave early"):
        srcad.grad(loop_over_param_generator_with_break)(x, x)


@pytest.mark.parametrize("f", [zip_break, loop_breaks])
def test_earlier_refusals_of_a_break(f):
    x = np.array([0.3, -0.2, 0.5])
    assert srcad.primal(f)(x) == pytest.approx(f(x), rel=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)
