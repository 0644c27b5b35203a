"""Spurious refusals found by hunt44 (session 44), fixed.

- ``m = Model(w); m.scale = 0.5`` where ``scale`` is a class constant (or any attribute
  ``__init__`` did not set) and no field ``__init__`` set is written: the class was a record
  nobody writes (lower/objects.construct, objrecord.wanted looked at the written names that are
  ``__init__``'s fields only), so `m` was a run-time value and the store refused ("assigning to
  attributes is not supported here"). An attribute that may be a new field counts now
  (objstate.writes_fields).
"""

from __future__ import annotations

import numpy as np

import srcad
from srcad.testing import check_grads


class Model:
    scale = 2.0

    def __init__(self, w):
        self.w = w

    def __call__(self, x):
        return self.scale * np.sum(self.w * x)


class Plain:
    def __init__(self, w):
        self.w = w


def shadow_class_constant(x):
    m = Model(x)
    before = m(x)
    m.scale = 0.5
    other = Model(2.0 * x)
    return before + m(x) + other(x) + Model.scale * m.scale


def new_attribute(x):
    p = Plain(x)
    p.extra = np.sin(x)
    return np.sum(p.extra * p.w)


def test_class_constant_shadowed_by_instance():
    x = np.array([0.3, -0.7, 1.1])
    assert np.isclose(srcad.primal(shadow_class_constant)(x), shadow_class_constant(x))
    g = srcad.grad(shadow_class_constant)(x)
    np.testing.assert_allclose(g, (4.0 + 1.0 + 8.0) * x, rtol=1e-12)
    check_grads(shadow_class_constant, (x,), modes=("fwd", "rev"), order=2)
    assert Model.scale == 2.0


def test_new_attribute_of_plain_record():
    x = np.array([0.3, -0.7, 1.1])
    assert np.isclose(srcad.primal(new_attribute)(x), new_attribute(x))
    g = srcad.grad(new_attribute)(x)
    np.testing.assert_allclose(g, np.cos(x) * x + np.sin(x), rtol=1e-12)
    check_grads(new_attribute, (x,), modes=("fwd", "rev"), order=2)
