"""Idioms refused before session 45 (idiom45), checked by value: derivatives against central
differences (forward and reverse, to order 2) and the primal against Python's own run.

1. ``super().energy`` of a base class's property, in a method or property of a subclass whose
   method srcad lowers as its own function (srcad/ad/dispatch.resolve_super): the property's
   getter called on ``self``; before, the ``super`` op reached the rules ("no derivative rule").
2. ``getattr(self, "_step_" + method)()`` in a base class's method inlined on an object built
   here whose class (a subclass) alone defines the chosen method (lower/methodpick.py): the
   candidates are the object's exact class's; before, the base class's only, and the call was
   refused when it ran.
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


CASES = [
    (super_property_in_property, (X4,)),
    (super_property_in_method, (X4,)),
    (subclass_method_pick, (X4,)),
    (subclass_method_pick, (X4, "euler")),
]


@pytest.mark.parametrize(("fn", "args"), CASES, ids=[c[0].__name__ for c in CASES])
def test_lifted_by_value(fn, args):
    check_grads(fn, copy.deepcopy(args), modes=("fwd", "rev"), order=2)
    assert np.allclose(srcad.primal(fn)(*copy.deepcopy(args)), fn(*copy.deepcopy(args)))
