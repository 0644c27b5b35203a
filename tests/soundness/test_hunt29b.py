"""Session 29 (hunt29b): a user helper's dict default read by a differentiated caller.

Before: the transform of a caller copied the helper's dict default into its code (a dict built
of the items it held then), so ``CONFIG["k"] = ...`` after a first derivative left every later
derivative with the old value (silently wrong), and an empty dict default (``opts={}``) reached
the helper as None (an AttributeError, not a SrcadError). Now the default is the helper's own
object, read when the code runs, as Python passes it."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

from . import _foreign29b
from .numeric import central_differences as numeric_grad

X = np.array([0.3, -0.7, 1.1])
CONFIG = {"k": 2.0}
OPTS = {"a": 1.0, "b": 2.0}


def _scaled(x, opts=CONFIG):
    return np.sum(opts["k"] * x**2)


def _user(x):
    return _scaled(x) * 1.0


def _two(x, opts=OPTS):
    return np.sum(opts["a"] * np.sin(x) + opts["b"] * x**3)


def _user_two(x):
    return _two(x) + _two(x, {"a": 3.0, "b": 0.0})


def _empty(x, opts={}):  # noqa: B006 (a user's mutable default is the point)
    return np.sum(x**2) * opts.get("k", 3.0)


def _user_empty(x):
    return _empty(x)


@pytest.mark.parametrize("mode", ["grad", "jvp", "hessian"])
def test_dict_default_mutated_after_transform(mode):
    def derivative(f):
        if mode == "grad":
            return srcad.grad(f)(X)
        if mode == "jvp":
            return srcad.jvp(f, (X,), (np.ones(3),))[1]
        return srcad.hessian(f)(X) @ np.ones(3)

    def expected(f):
        g = numeric_grad(f, X)
        if mode == "jvp":
            return np.sum(g)
        if mode == "hessian":
            return numeric_grad(lambda z: np.sum(numeric_grad(f, z, 1e-4)), X, 1e-4)
        return g

    CONFIG["k"] = 2.0
    try:
        np.testing.assert_allclose(derivative(_user), expected(_user), rtol=1e-4, atol=1e-6)
        CONFIG["k"] = -3.0  # the helper's default changed in place: the derivative follows
        np.testing.assert_allclose(derivative(_user), expected(_user), rtol=1e-4, atol=1e-6)
    finally:
        CONFIG["k"] = 2.0


def test_two_key_dict_default_mutated():
    OPTS.update(a=1.0, b=2.0)
    try:
        np.testing.assert_allclose(srcad.grad(_user_two)(X), numeric_grad(_user_two, X), rtol=1e-5)
        OPTS["b"] = -4.0
        np.testing.assert_allclose(srcad.grad(_user_two)(X), numeric_grad(_user_two, X), rtol=1e-5)
    finally:
        OPTS.update(a=1.0, b=2.0)


@pytest.mark.parametrize("mode", ["grad", "jvp"])
def test_empty_dict_default(mode):
    if mode == "grad":
        got = srcad.grad(_user_empty)(X)
    else:
        got = srcad.jvp(_user_empty, (X,), (np.ones(3),))[1]
    want = 6.0 * X if mode == "grad" else np.sum(6.0 * X)
    np.testing.assert_allclose(got, want, rtol=1e-12)


# -- a dict or list as an operand of the inlined body of a *args helper ----------------------------
# Before: its default (``opts=CONFIG``), or another module's global dict/list it reads, was an
# operand `Const(dict)` that passes looked up in tables (``a in statics``): TypeError, unhashable,
# reported as an internal error (a refusal of a plain program). Now such a Const hashes by
# identity, and the body reads the object when the code runs.

VA_CONFIG = {"k": 2.0}
VA_LIST = [2.0]


def _va(x, *rest, opts=VA_CONFIG, c=VA_LIST):
    return np.sum(opts["k"] * c[0] * x**2) + len(rest)


def _user_va(x):
    return _va(x) + _va(x, 1.0)


def _user_foreign(x):
    return _foreign29b.helper(x) + _foreign29b.helper_list(x, 1.0)


@pytest.mark.parametrize("user", [_user_va, _user_foreign], ids=["default", "foreign"])
def test_varargs_helper_reading_a_dict(user):
    saved = dict(VA_CONFIG), list(VA_LIST), dict(_foreign29b.CFG), list(_foreign29b.LST)
    try:
        for k, c in ((2.0, 2.0), (-3.0, 0.5)):
            VA_CONFIG["k"], VA_LIST[0] = k, c
            _foreign29b.CFG["k"], _foreign29b.LST[0] = k, c
            want = numeric_grad(user, X)
            np.testing.assert_allclose(srcad.grad(user)(X), want, rtol=1e-5, atol=1e-8)
            _, t = srcad.jvp(user, (X,), (np.ones(3),))
            np.testing.assert_allclose(t, np.sum(want), rtol=1e-5)
    finally:
        VA_CONFIG.update(saved[0])
        VA_LIST[:] = saved[1]
        _foreign29b.CFG.update(saved[2])
        _foreign29b.LST[:] = saved[3]


WEIGHTS = {"a": 1.0, "b": 2.0}


def _weighted(x, d=WEIGHTS):
    return sum(v * np.sum(x**2) for v in d.values())


def _user_weighted(x):
    return _weighted(x)


def test_dict_default_values_loop_after_change():
    """A loop over a helper's dict default: an item changed, then one added, after the first
    derivative (before: both later derivatives kept the first dict's items)."""
    saved = dict(WEIGHTS)
    try:
        for change in ({}, {"a": -4.0}, {"z": 3.0}):
            WEIGHTS.update(change)
            want = numeric_grad(_user_weighted, X)
            np.testing.assert_allclose(srcad.grad(_user_weighted)(X), want, rtol=1e-5, atol=1e-8)
    finally:
        WEIGHTS.clear()
        WEIGHTS.update(saved)
