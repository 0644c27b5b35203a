"""``for k in params: params[k] = ...`` on a dict argument: iterating a dict gives its keys, a
new list of immutable values, so the writes change no object the loop reads (for a list
argument Python iterates the live list: still refused). It was refused when lowering ("an
element of `params` (`k`) is read after the object it shares with another name is modified"),
because the lowering cannot know the argument is a dict; the hazard now waits for the call's
Spec (passes/alias_index.dict_value: `Facts.dicts`)."""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

D = {"u": np.array([1.0, 2.0]), "v": np.array([0.5, -1.0])}


def scale_in_place(params):
    for k in params:
        params[k] = params[k] * 2.0
    return np.sum(params["u"] * params["v"])


def scale_by(params, w):
    for k in params:
        params[k] = params[k] * w
    return np.sum(params[0]) + np.sum(params[1])


def test_dict_argument_updated_in_a_loop_over_its_keys():
    want = copy.deepcopy(D)
    out = scale_in_place(want)
    got = copy.deepcopy(D)
    assert srcad.primal(scale_in_place)(got) == out
    assert all(np.array_equal(got[k], want[k]) for k in D)  # the caller's dict, as Python's
    g_arg = copy.deepcopy(D)
    g = srcad.grad(scale_in_place)(g_arg)
    assert np.allclose(g["u"], 4.0 * D["v"]) and np.allclose(g["v"], 4.0 * D["u"])
    assert all(np.array_equal(g_arg[k], want[k]) for k in D)
    check_grads(scale_in_place, (copy.deepcopy(D),), modes=("fwd", "rev"), order=2)


def test_int_keys_and_a_list_argument():
    d = {0: np.ones(2), 1: 3.0 * np.ones(2)}
    assert srcad.grad(scale_by, wrt=1)(copy.deepcopy(d), 2.0) == pytest.approx(8.0)
    with pytest.raises(srcad.SrcadError, match="an element of `params`"):
        srcad.grad(scale_by, wrt=1)([1, 0], 2.0)  # (Python: the live list, a float index)


def grow(params):
    for k in params:
        params[k + "_sq"] = params[k] ** 2
    return np.sum(params["u"])


def shrink(params):
    for k in params:
        if k == "u":
            del params["v"]
    return np.sum(params["u"])


@pytest.mark.parametrize("f", [grow, shrink])
def test_size_change_raises_as_python(f):
    """Python raises RuntimeError at the next step after the body adds or removes a key; srcad
    iterates a snapshot of the keys, so it checks the size (lower/dictiter.py, `dict_len`)."""
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        f(copy.deepcopy(D))
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        srcad.grad(f)(copy.deepcopy(D))
    with pytest.raises(RuntimeError, match="changed size during iteration"):
        srcad.primal(f)(copy.deepcopy(D))


def test_list_argument_loop_without_writes_has_no_check():
    def total(xs, w):
        s = 0.0
        for v in xs:
            s = s + v * w
        return s

    assert srcad.grad(total, wrt=1)([1.0, 2.0, 3.0], 2.0) == pytest.approx(6.0)
    assert "dict_len" not in srcad.source(total, mode="grad", wrt=1, args=([1.0, 2.0], 2.0))
