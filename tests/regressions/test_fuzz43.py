"""Ordinary programs the wild43 fuzz grammar (tests/fuzz/gen_wild_43*.py) found refused, now
lifted, each checked numerically (and their refused neighbours):

a. two loops ``for k in params: params[k] = ...`` over the same dict argument: the second
   iterated the first loop's result, which passes/alias_index.dict_value (and the lowering's
   optimistic `_argument`) did not follow back to the argument: "an element of `params` (`q`)
   is read after the object it shares with another name is modified".
"""

from __future__ import annotations

import copy

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
