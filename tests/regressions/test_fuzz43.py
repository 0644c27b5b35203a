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
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

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
