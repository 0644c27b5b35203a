"""Soundness hunt 13: wrong results and crashes found by probes written like users' code (argument
variants of NumPy/SciPy calls: defaults, arrays where a number is usual, tuples of axes) and by
the order-2 fuzz campaigns (seeds 19800000-19849999). The fixed rules have rows in the rule
tables (tests/rules: np.average over a tuple of axes, multivariate_normal with a number or 1-D
covariance, np.trapezoid with an array spacing or an x of another rank); here the calls whose
argument had been marked as never carrying a derivative though a user's may:

- WRONG derivative: ``np.pad(x, w, mode='linear_ramp', end_values=(a, b))`` with end values
  computed from the inputs: `end_values` was `nondiff`, so their derivative was dropped (jvp
  -8.2 for 15.0). Now refused (no term for it).
- WRONG derivative: ``np.interp(x, xp, fp, period=p)`` with a `p` computed from the inputs:
  `period` was `nondiff` (the values move with it). Now refused.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X6 = np.array([0.31, -0.72, 1.13, 0.45, 0.27, -0.58])


def _fd(f, x, v, h=1e-6):
    return (f(x + h * v) - f(x - h * v)) / (2 * h)


def _ramp_ends(x):
    return np.sum(
        np.pad(x[:4], (2, 3), mode="linear_ramp", end_values=(x[4], x[5])) * np.arange(9.0)
    )


def _ramp_const(x):
    return np.sum(
        np.pad(x[:4], (2, 3), mode="linear_ramp", end_values=(1.0, -2.0)) * np.arange(9.0)
    )


def _interp_period(x):
    xp, fp = np.array([0.0, 1.0, 2.0]), np.array([1.0, 3.0, 2.0])
    return np.sum(np.interp(x[:3], xp, fp, period=3.0 + x[3] ** 2))


def _interp_const_period(x):
    return np.sum(np.interp(x[:3], np.array([0.0, 1.0, 2.0]), x[3:6], period=3.0))


@pytest.mark.parametrize("fn, arg", [(_ramp_ends, "end_values"), (_interp_period, "period")])
def test_input_dependent_settings_refused(fn, arg):
    for run in (lambda: srcad.grad(fn)(X6), lambda: srcad.jvp(fn, (X6,), (np.ones(6),))):
        with pytest.raises(srcad.SrcadError, match=f"not differentiable in its argument `{arg}`"):
            run()


@pytest.mark.parametrize("fn", [_ramp_const, _interp_const_period])
def test_constant_settings_still_differentiated(fn):
    v = np.linspace(-1.0, 1.0, 6)
    np.testing.assert_allclose(srcad.grad(fn)(X6) @ v, _fd(fn, X6, v), rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(srcad.jvp(fn, (X6,), (v,))[1], _fd(fn, X6, v), rtol=1e-6)


# -- a write through a reshape view whose value is a view of the same memory ----------------------
def _self_view_write(x):
    u = np.copy(x)
    w = u.reshape(-1)
    w[::2] = w[5:15]  # NumPy writes element by element here: no copy of the value first
    return np.sum(u * np.arange(20.0).reshape(u.shape))


def _base_view_write(x):
    u = np.copy(x)
    w = u.reshape(-1)
    w[::2] = u.reshape(-1)[5:15]
    return np.sum(w * np.arange(20.0))


def _direct_view_write(x):
    u = np.copy(x)
    u.reshape(-1)[::2] = u.reshape(-1)[5:15]
    return np.sum(u * np.arange(20.0).reshape(u.shape))


@pytest.mark.parametrize("fn", [_self_view_write, _base_view_write, _direct_view_write])
def test_overlapping_write_through_a_view_refused(fn):
    # lower/viewwrites rewrote the write into a copy of the view, out of passes/overlap.py's
    # sight: srcad.primal 140.0 where Python gives 133.2 (main 4ac6c7d, /tmp/s13/hunt13/known)
    x = np.arange(20.0).reshape(4, 5) * 0.1 - 0.5
    with pytest.raises(srcad.SrcadError, match="view of the array it is written into"):
        srcad.primal(fn)(x.copy())


def _shift_view_write(x):
    u = np.copy(x)
    w = u.reshape(-1)
    w[1:] = w[:-1]  # NumPy runs this one backwards: the value as it was
    return np.sum(u * np.arange(6.0).reshape(u.shape))


def _transposed_row_write(x):
    a = np.copy(x[:4].reshape(2, 2))
    r = a.T
    r[1] = r[0] * 1.0
    return np.sum(a * np.arange(4.0).reshape(2, 2))


@pytest.mark.parametrize("fn", [_shift_view_write, _transposed_row_write])
def test_writes_through_views_still_differentiated(fn):
    x = X6.reshape(2, 3) if fn is _shift_view_write else X6
    v = np.linspace(-1.0, 1.0, x.size).reshape(x.shape)
    assert srcad.primal(fn)(x.copy()) == pytest.approx(fn(x.copy()))
    np.testing.assert_allclose(np.sum(srcad.grad(fn)(x.copy()) * v), _fd(fn, x, v), rtol=1e-6)
