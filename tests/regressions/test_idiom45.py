"""Idioms refused before session 45 (idiom45), checked by value: derivatives against central
differences (forward and reverse, to order 2) and the primal against Python's own run.

1. ``super().energy`` of a base class's property, in a method or property of a subclass whose
   method srcad lowers as its own function (srcad/ad/dispatch.resolve_super): the property's
   getter called on ``self``; before, the ``super`` op reached the rules ("no derivative rule").
2. ``getattr(self, "_step_" + method)()`` in a base class's method inlined on an object built
   here whose class (a subclass) alone defines the chosen method (lower/methodpick.py): the
   candidates are the object's exact class's; before, the base class's only, and the call was
   refused when it ran.
3. ``with MGR:`` / ``with MGR as m:`` on a module-level instance of a user context manager
   (lower/withs.user_manager): ``MGR.__enter__()``, the body, ``MGR.__exit__(None, None, None)``
   as for ``with M(...)``; before, "`with` statements are not supported".
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(4505)
X4 = R.standard_normal(4)


# -- 1. `super().prop` ---------------------------------------------------------------------------


class _E0:
    def __init__(self, v):
        self.v = v

    @property
    def energy(self):
        return self.v**2


class _E1(_E0):
    @property
    def energy(self):
        return super().energy * 2 + self.v


class _E2(_E0):
    def total(self):
        return super().energy * 3 - self.v


def super_property_in_property(x):
    return np.sum(_E1(x).energy)


def super_property_in_method(x):
    return np.sum(_E2(x).total() * x)


# -- 2. methodpick on a subclass's method ---------------------------------------------------------


class _Stepper:
    def __init__(self, v):
        self.v = v

    def run(self, method):
        return getattr(self, "_step_" + method)()

    def _step_euler(self):
        return self.v * 2


class _Heun(_Stepper):
    def _step_heun(self):
        return self.v**2 + self.v


def subclass_method_pick(x, method="heun"):
    s = _Heun(x)
    s.v = s.v * 3
    out = s.run(method)
    return np.sum(out * s.run("euler"))


# -- 3. `with` on a module-level manager instance ------------------------------------------------


class _Count:
    def __init__(self):
        self.n = 0

    def __enter__(self):
        self.n += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        return False


class _Quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass


COUNT = _Count()
QUIET = _Quiet()


def with_module_manager(x):
    with QUIET:
        y = np.cos(x) ** 2
    return np.sum(y * x)


def with_module_manager_as(x):
    with COUNT as m:
        y = np.sin(x) * (m.n > 0)
    return np.sum(y**2)


CASES = [
    (super_property_in_property, (X4,)),
    (super_property_in_method, (X4,)),
    (subclass_method_pick, (X4,)),
    (subclass_method_pick, (X4, "euler")),
    (with_module_manager, (X4,)),
    (with_module_manager_as, (X4,)),
]


@pytest.mark.parametrize(("fn", "args"), CASES, ids=[c[0].__name__ for c in CASES])
def test_lifted_by_value(fn, args):
    check_grads(fn, copy.deepcopy(args), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(fn)(*copy.deepcopy(args)), fn(*copy.deepcopy(args)))


@pytest.mark.parametrize("how", ["primal", "grad", "jvp"])
def test_with_module_manager_counts_like_python(how):
    COUNT.n = 5
    want = with_module_manager_as(X4)
    assert COUNT.n == 6
    COUNT.n = 5
    if how == "primal":
        assert np.allclose(srcad.primal(with_module_manager_as)(X4), want)
    elif how == "grad":
        srcad.grad(with_module_manager_as)(X4)
    else:
        out, _ = srcad.jvp(with_module_manager_as, (X4,), (np.ones(4),))
        assert np.allclose(out, want)
    assert COUNT.n == 6
