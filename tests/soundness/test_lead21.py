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
    for k in ["a"]:
        setattr(q, k, x * 3.0)
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
