"""Session 52's adversarial review of session 51's first-order code (fuzz52).

A function chosen by a run-time condition (lower/fnchoice.py) read its branches tentatively and
kept what it lowered when both were functions: ``f = o.fn if c else np.cos`` of a property
``fn`` counting its reads (``self.n += 1.0; return np.sin``) ran the property once for the
branch Python does not take and again in the branch it takes: ``np.sum(f(x)) + o.n`` was
2.583 where Python gives 1.583 (c true) and 3.420 for 2.420 (c false). Such a read is no
plain read of a function now: its calls are refused ('cannot tell which function').
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

_X = np.array([0.3, -0.7, 1.2])
_XN = np.array([-0.5, 0.4, 0.9])


def _cd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


# -- a chosen function read through a property with an effect ------------------------------------


class _Counted:
    def __init__(self):
        self.n = 0.0

    @property
    def fn(self):
        self.n += 1.0
        return np.sin


def chosen_property(x):
    o = _Counted()
    f = o.fn if x[0] > 0 else np.cos
    return np.sum(f(x)) + o.n


def _sq(t):
    return t * t


def chosen_global(x):
    g = _sq if x[0] > 0 else np.exp
    return np.sum(g(x))


@pytest.mark.parametrize("x", [_X, _XN], ids=["taken", "other"])
def test_chosen_property_not_run_twice(x):
    try:
        val = srcad.primal(chosen_property)(x.copy())
    except srcad.SrcadError as e:
        assert "cannot tell which function" in str(e)
        return
    assert val == pytest.approx(chosen_property(x.copy()), rel=1e-12)


@pytest.mark.parametrize("x", [_X, _XN], ids=["taken", "other"])
def test_chosen_global_still_lowered(x):
    val, g = srcad.value_and_grad(chosen_global)(x.copy())
    assert val == pytest.approx(chosen_global(x.copy()), rel=1e-12)
    np.testing.assert_allclose(g, _cd(chosen_global, x), rtol=1e-6)
