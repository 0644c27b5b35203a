"""Session 52's adversarial review of session 51's first-order code (fuzz52).

A function chosen by a run-time condition (lower/fnchoice.py) read its branches tentatively and
kept what it lowered when both were functions: ``f = o.fn if c else np.cos`` of a property
``fn`` counting its reads (``self.n += 1.0; return np.sin``) ran the property once for the
branch Python does not take and again in the branch it takes: ``np.sum(f(x)) + o.n`` was
2.583 where Python gives 1.583 (c true) and 3.420 for 2.420 (c false). Such a read is no
plain read of a function now: its calls are refused ('cannot tell which function').

``np.inner`` and ``np.tensordot`` of data with an inf in a row no read reaches (as ``M @ x``,
finite where read): the reverse mode's ``tensordot_vjp`` summed ``0 * inf`` (gradient nan where
central differences give [-0.227, 0.303, -0.379]), and forward mode had no ``matmul_fixed`` for
them (jvp nan through ``np.arctan`` of the infinite entries).

A helper's result masked by its caller (ad/resultmasks.py) was not masked when the caller
multiplied it by a NumPy scalar: ``np.nanmean(h(Y, s) * s)`` of ``s = np.float64(1.356)`` goes
through ``_srcad.plain_receiver(r, '__mul__', ..)`` first, a use that masked nothing, so the
helper's backward multiplied 0 by ``cos(nan)``: gradient nan where it is 0.3536 (fuzz wild52f
seed 52514; a Python float or a 0-d array answered).
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


class _Sc:
    def __init__(self, k):
        self.k = k

    def scale(self, t):
        return t * self.k

    def shift(self, t):
        return np.tanh(t + self.k)


def chosen_global(x):
    g = _sq if x[0] > 0 else np.exp
    return np.sum(g(x))


def chosen_chain(x):
    c1 = x[0] > 0
    c2 = x[1] > 0
    g = np.tanh if c1 else np.cos if c2 else np.exp
    return np.sum(g(x))


def chosen_method(x):
    o = _Sc(x[2])
    f = o.scale if x[1] > 0 else o.shift
    return np.sum(f(x))


@pytest.mark.parametrize("x", [_X, _XN], ids=["taken", "other"])
def test_chosen_read_with_effect(x):
    """The property's read is refused or right; plain reads of functions (a module-level
    function: a global op; an inner conditional: an if op; a method of an object built here:
    an attribute op) are still chosen and differentiated."""
    try:
        val = srcad.primal(chosen_property)(x.copy())
    except srcad.SrcadError as e:
        assert "cannot tell which function" in str(e)
    else:
        assert val == pytest.approx(chosen_property(x.copy()), rel=1e-12)
    for f in (chosen_global, chosen_chain, chosen_method):
        val, g = srcad.value_and_grad(f)(x.copy())
        assert val == pytest.approx(f(x.copy()), rel=1e-12)
        np.testing.assert_allclose(g, _cd(f, x), rtol=1e-6, atol=1e-9)


# -- np.inner / np.tensordot with an inf in a row no read reaches ---------------------------------

_M = np.array([[0.2, np.inf, 0.1], [0.3, -0.4, 0.5], [np.inf, 0.1, 0.2]])
_M3 = np.stack([_M, _M * 0.5])


def inner_gauss(x):
    r = np.inner(_M, x)
    return np.sum(np.exp(-r * r))


def inner_rows(x):
    r = np.inner(np.stack([x, x * x]), _M)
    return np.sum(np.arctan(r))


def tensordot_one(x):
    r = np.tensordot(_M, x, axes=1)
    return np.sum(np.arctan(r))


def tensordot_axes(x):
    r = np.tensordot(_M3, np.stack([x, x * x]), ([2], [1]))
    return np.sum(np.exp(-r * r))


@pytest.mark.parametrize("f", [inner_gauss, inner_rows, tensordot_one, tensordot_axes])
def test_contraction_with_unread_inf(f):
    for x in (_X, _XN):
        val, g = srcad.value_and_grad(f)(x.copy())
        assert val == pytest.approx(f(x.copy()), rel=1e-12)
        cd = _cd(f, x)
        np.testing.assert_allclose(g, cd, rtol=1e-6, atol=1e-9)
        u = np.cos(np.arange(3.0) + 1.0)
        _, t = srcad.jvp(f, (x.copy(),), (u,))
        np.testing.assert_allclose(t, np.dot(cd, u), rtol=1e-6, atol=1e-9)


# -- a helper's masked result multiplied by a NumPy scalar (a receiver guard first) --------------

_NANZ = np.array([np.nan, 0.3, 0.323, np.nan, -0.2])


def _h(a, b):
    return np.sin(a * b)


def masked_by_scalar(x, s):
    return np.nanmean(_h(_NANZ, s) * s) + np.sum(x)


def masked_sum_by_scalar(x, s):
    return np.nansum(_h(_NANZ, s * x[0]) * s)


@pytest.mark.parametrize("f", [masked_by_scalar, masked_sum_by_scalar])
def test_masked_helper_result_times_numpy_scalar(f):
    x = np.array([0.7, -0.2])
    for s in (np.float64(1.356), 1.356, np.array(1.356)):  # (the float and 0-d: as before)
        g = srcad.grad(f, wrt=1)(x.copy(), s)
        cd = (f(x, s + 1e-6) - f(x, s - 1e-6)) / 2e-6
        assert np.isfinite(g)
        assert g == pytest.approx(cd, rel=1e-6)
