# ruff: noqa: B009, B010 - the constant-name setattr/getattr calls are what is tested
"""Session 21 (lead): spurious refusals turned into checked derivatives.

- ``setattr(obj, "name", v)`` as a statement with a constant name is ``obj.name = v``
  (lower/setattrs.py; in a method inlined too, whose store analysis, lower/escapes.py, counts it
  as a store of that name); a computed or mangled name stays refused;
- ``hasattr(obj, "name")`` on a user object: a flag, zero derivative (rules/builtins.ZERO).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

X = np.array([0.2, 0.7, 0.9, 0.4, 0.3])


class Box:
    def __init__(self, a):
        self.a = a


class Model:
    def __init__(self, w):
        self.w = w
        self.b = 0.0

    def step(self, x):
        setattr(self, "b", self.b + np.sum(self.w * x))
        return self.b**2


def set_field(x):
    q = Box(x)
    setattr(q, "a", x * 2.0)
    return np.sum(getattr(q, "a") ** 2)


def set_in_loop(x):
    q = Box(x)
    for _ in range(3):
        setattr(q, "a", q.a * x + 1.0)
    return np.sum(q.a)


def set_seen_by_alias(x):
    q = Box(x)
    r = q
    setattr(q, "a", x * 3.0)
    return np.sum(r.a * q.a)


def set_in_method(x):
    m = Model(x * 0.5)
    return m.step(x) + m.b


def has_field(x):
    q = Box(x)
    s = np.sum(q.a * x) if hasattr(q, "a") else 0.0
    t = np.sum(x) if hasattr(q, "missing") else 0.0
    return s + 2.0 * t


@pytest.mark.parametrize("f", [set_field, set_in_loop, set_seen_by_alias, set_in_method, has_field])
def test_accepted_and_right(f) -> None:
    np.testing.assert_allclose(srcad.value_and_grad(f)(X)[0], f(X), rtol=1e-12)
    check_grads(f, (X,), modes=("fwd", "rev"))
    h = srcad.hessian(f)(X)
    eps = 1e-6
    fd = [(srcad.grad(f)(X + eps * e) - srcad.grad(f)(X - eps * e)) / (2 * eps) for e in np.eye(5)]
    np.testing.assert_allclose(h, np.array(fd), rtol=1e-5, atol=1e-6)


def set_computed_name(x):
    q = Box(x)
    for k in ["a"]:  # (without the `break`: unrolled, lower/attrloops.py; test_idiom23.py)
        setattr(q, k, x * 3.0)
        break
    return np.sum(q.a)


def set_value_used(x):
    q = Box(x)
    r = setattr(q, "a", x)
    return np.sum(q.a) if r is None else 0.0


def set_mangled(x):
    q = Box(x)
    setattr(q, "__a", x * 3.0)
    return np.sum(q.a)


@pytest.mark.parametrize("f", [set_computed_name, set_value_used, set_mangled])
def test_still_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="setattr"):
        srcad.grad(f)(X)


# -- `a = x[0]; a += v` in a helper called with a 1-D float array (ad/base.py) ------------------
# (hunts21: refused "`inner` modifies its argument `x` in place"; differentiated directly it was
# accepted). The caller now tells the helper's mutation check which arguments are numbers and
# float arrays of known rank (passes/alias.typed_param_mutations); a real update stays refused.
def _first_plus(x):
    a = x[0]
    a += x[2]
    return a * x[1]


def _first_squared(x):
    a = x[0]
    a *= a
    a /= x[1]
    return a


def _row_plus(x):
    a = x[0]
    a += 1.0
    return np.sum(a * x)


def _slice_plus(x):
    a = x[0:2]
    a += 1.0
    return np.sum(a)


def calls_first_plus(v):
    return _first_plus(v) * 2.0


def calls_first_squared(v):
    return _first_squared(v) + v[2]


def calls_row_plus(v):  # x[0] of a 2-D array is a row: the caller's M changes
    M = np.outer(v, v)
    r = _row_plus(M)
    return r + np.sum(M)


def calls_slice_plus(v):  # a slice is a view: the caller's w changes
    w = v * 1.0
    r = _slice_plus(w)
    return r + np.sum(w)


@pytest.mark.parametrize("f", [calls_first_plus, calls_first_squared])
def test_scalar_element_updates_in_helpers(f) -> None:
    x = np.array([0.3, 0.5, 0.7])
    np.testing.assert_allclose(srcad.value_and_grad(f)(x)[0], f(x.copy()), rtol=1e-12)
    check_grads(f, (x,), modes=("fwd", "rev"), order=2)


@pytest.mark.parametrize("f", [calls_row_plus, calls_slice_plus])
def test_view_updates_in_helpers_still_refused(f) -> None:
    with pytest.raises(srcad.SrcadError, match="modifies its argument"):
        srcad.grad(f)(np.array([0.3, 0.5, 0.7]))
