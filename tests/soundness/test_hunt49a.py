"""Session 49, hunt49a: regressions found by user-style ML and simulation programs
(tests/corpus/ported_corp49_a.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_E = np.arange(9.0).reshape(3, 3) / 7.0
_TAGS = [0, 2, 1]


# -- a helper's ``score = emit[0, tags[0]]; score += ...`` (a CRF path score) -----------------
def _path_score(emit, tags):
    score = emit[0, tags[0]]
    for t in range(1, len(tags)):
        score += emit[t, tags[t]]
    return score


def crf_literal(e):
    return _path_score(e, [0, 2, 1])


def crf_global(e):
    return _path_score(e, _TAGS)


def crf_display(e, a):
    return _path_score(e, [a, 2, 1]) * 2.0


@pytest.mark.parametrize("f", [crf_literal, crf_global], ids=lambda f: f.__name__)
def test_item_of_number_list_into_2d_is_a_number(f):
    """``emit[0, tags[0]]`` of a 2-D float array and a list of ints is a number: ``+=`` rebinds
    it. Was refused ("modifies its argument `emit` in place") when called from a helper."""
    want = np.zeros((3, 3))
    want[0, 0] = want[1, 2] = want[2, 1] = 1.0
    np.testing.assert_array_equal(srcad.grad(f)(_E.copy()), want)
    check_grads(f, (_E.copy(),), modes=("fwd", "rev"), order=2)


def test_item_of_built_list_into_2d():
    g = srcad.grad(crf_display)(_E.copy(), 1)
    assert g[0, 1] == 2.0 and g.sum() == 6.0


def _row_update(emit, tags):
    row = emit[tags[0]]
    row += 1.0
    return np.sum(emit)


def _slice_update(emit, tags):
    part = emit[0, tags[0] :]
    part += 1.0
    return np.sum(emit)


def row_caller(e):
    return _row_update(e, [1, 0])


def slice_caller(e):
    return _slice_update(e, [1, 0])


@pytest.mark.parametrize("f", [row_caller, slice_caller], ids=lambda f: f.__name__)
def test_row_or_slice_update_still_refused(f):
    """``emit[tags[0]]`` of a 2-D array is a row, ``emit[0, tags[0]:]`` a slice: views the
    ``+=`` updates, so the caller's array would change: still refused."""
    with pytest.raises(srcad.SrcadError, match="modifies its argument `emit` in place"):
        srcad.grad(f)(_E.copy())


# -- reverse over forward of NaN-skipping losses (missing data): NaN where 0 -------------------
_Y = np.array([0.1, np.nan, 0.3, np.nan, -1.0])
_P = np.array([0.5, -0.2, 1.0, 0.3, 0.4])
_V = np.array([1.0, 0.5, -0.3, 0.2, 0.7])


def nan_l1(p):
    return np.nansum(np.abs(p - _Y))


def nan_log1p(p):
    return np.nansum(np.log1p((p - _Y) ** 2))


def nan_cosh(p):
    return np.nanmean(np.cosh(p - _Y))


def _grad_of_jvp(f):
    def inner(y):
        return srcad.jvp(f, (y,), (_V,))[1]

    return srcad.grad(inner)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_abs_second_derivative_exactly_zero_for_reals():
    """|x|'s second derivative on reals is 0: was ``w (u / r - u x^2 / r^3)`` (1e-17 rounding)
    and NaN where `x` is NaN (the left-out entries of np.nansum)."""
    got = _grad_of_jvp(nan_l1)(_P.copy())
    np.testing.assert_array_equal(got, np.zeros(5))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("f", [nan_log1p, nan_cosh], ids=lambda f: f.__name__)
def test_nan_reduction_grad_of_jvp(f):
    """The JVP's ``broadcast_like(dp, p - y)`` was taken for a possible list, so its products
    were dispatched as possible repetitions and no np.where / NaN mask ran through them: the
    reverse sweep of the JVP gave NaN at the missing entries (the Hessian there is 0)."""
    want = srcad.hessian(f)(_P.copy()) @ _V
    assert np.all(np.isfinite(want)) and want[1] == want[3] == 0.0
    np.testing.assert_allclose(_grad_of_jvp(f)(_P.copy()), want, rtol=1e-12, atol=1e-14)


# -- a derivative called inside differentiated code, of a function updating a number with op= --
def pendulum(th0, dt):
    th, om = th0, 0.0
    for _ in range(int(1.0 / dt)):
        om -= 9.81 * math.sin(th) * dt
        th += om * dt
    return 0.5 * om**2 - 9.81 * math.cos(th)


def _pend(y):
    return pendulum(y, 0.05)


def grad_inside(y):
    return srcad.grad(pendulum)(y, 0.05)


def jvp_inside(y):
    return srcad.jvp(pendulum, (y, 0.05), (1.0, 0.0))[1]


def hvp_inside(y):
    return srcad.hvp(pendulum, (y, 0.05), (1.0, None))[1]


def grad_helper_inside(y):
    return srcad.grad(_pend)(y) * 2.0


@pytest.mark.parametrize(
    "f, scale",
    [(grad_inside, 1.0), (jvp_inside, 1.0), (grad_helper_inside, 2.0)],
    ids=["grad", "jvp", "grad_helper"],
)
def test_number_updated_with_op_in_nested_derivative(f, scale):
    """``th = th0; th += v`` of a number was refused ("the argument `th0` is updated with `op=`
    in place") when srcad.grad/jvp of the function was itself differentiated: the level made
    for the inner call did not know `th0` is a number, as its caller does."""
    want = srcad.hessian(pendulum)(0.5, 0.05)
    assert srcad.grad(f)(0.5) == pytest.approx(scale * want, rel=1e-10)


def test_number_updated_with_op_hvp_inside():
    want = srcad.hessian(_pend)(0.5)
    assert hvp_inside(0.5) == pytest.approx(want, rel=1e-10)
    h = 1e-5
    fd = (hvp_inside(0.5 + h) - hvp_inside(0.5 - h)) / (2 * h)
    assert srcad.grad(hvp_inside)(0.5) == pytest.approx(fd, rel=1e-5)


# -- reverse over reverse of NaN-skipping means: a reduction's cotangent is numeric ------------
_W = np.array([1.0, 0.5, -0.3, 0.2, 0.7])


def nan_sin(p):
    return np.nanmean(np.sin(p * _Y) * p)


def nan_abs_mean(p):
    return np.nanmean(np.abs(p - _Y) * (p - _Y))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("f", [nan_sin, nan_abs_mean], ids=lambda f: f.__name__)
def test_nanmean_grad_of_grad(f):
    """``_srcad.nanmean_vjp(g, a)`` (sum_vjp, mean_vjp, var_vjp, nanvar_vjp) had an unknown
    kind, so its products were dispatched as possible list repetitions and the NaN mask of the
    gradient's own np.where did not run through them: grad of grad was NaN at y's NaNs."""

    def inner(y):
        return np.sum(srcad.grad(f)(y) * _W)

    want = srcad.hessian(f)(_P.copy()) @ _W
    assert np.all(np.isfinite(want))
    np.testing.assert_allclose(srcad.grad(inner)(_P.copy()), want, rtol=1e-12, atol=1e-14)
