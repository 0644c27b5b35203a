"""Session 30 (hunt30b): corners of NumPy's reductions and in-place operators.

Reductions dividing by a count with nothing left to divide by (``srcad.rules.emptyslices``):
``np.var``/``np.std`` with ``ddof >= n`` (NumPy: inf) raised ZeroDivisionError or gave a finite
gradient (``ddof > n`` divided by a negative count); ``np.cov`` with ``ddof >= n`` raised or gave
a finite value where NumPy's is inf; ``np.mean(a, axis=0, where=w)`` of an all-False column and
``np.nanmean`` of an all-NaN one (value NaN) gave a gradient of 0 there, against a NaN tangent;
and a slice without degrees of freedom spread NaN to the gradient of inputs the selected outputs
do not read (``np.nanvar(x, axis=0, ddof=1)[0]``). Now: the derivative is NaN in those slices (as
the value), 0 where the cotangent is 0, and the other slices' derivatives are exact."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import srcad

X6 = np.array([0.3, 0.0, 1.2, -0.7, 0.4, 0.5])
M = np.array([[True, False, True], [True, False, False]])
NAN_COL = np.array([[0.3, np.nan, 1.2], [-0.7, np.nan, 0.5]])
ONE_LEFT = np.array([[0.3, np.nan, 1.2], [-0.7, 2.0, 0.5]])


def _quiet(fn, *args):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return fn(*args)


def _fd(f, x, eps=1e-6):
    g = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = eps
        g[i] = (f(x + e) - f(x - e)) / (2 * eps)
    return g


def var_all_dof(x):
    return np.var(x, ddof=6)


def var_past_dof(x):
    return np.var(x * 2.0, ddof=7)


def std_all_dof(x):
    return np.std(x, ddof=6)


def var_axis_past_dof(x):
    return np.sum(np.var(x.reshape(2, 3), axis=0, ddof=3))


def cov_all_dof(x):
    return np.sum(np.cov(x.reshape(2, 3), ddof=3))


def cov_past_dof(x):
    return np.sum(np.cov(x.reshape(2, 3), ddof=4))


@pytest.mark.parametrize(
    "f", [var_all_dof, var_past_dof, std_all_dof, var_axis_past_dof, cov_all_dof, cov_past_dof]
)
def test_no_degrees_of_freedom_left(f):
    """NumPy's value is inf (it divides by ``max(n - ddof, 0)``): the derivative is NaN, in both
    modes, and the value is NumPy's."""
    v, g = _quiet(srcad.value_and_grad(f), X6.copy())
    assert v == _quiet(f, X6.copy()) == np.inf
    assert np.all(np.isnan(g))
    _, t = _quiet(srcad.jvp, f, (X6.copy(),), (np.cos(np.arange(6.0)),))
    assert np.isnan(t)


def mean_where_sum(x):
    return np.sum(np.mean(x**2, axis=0, where=M))


def mean_where_first(x):
    return np.mean(x**2, axis=0, where=M)[0]


def nanmean_sum(x):
    return np.sum(np.nanmean(x * 2.0, axis=0))


def test_mean_where_empty_column_is_nan():
    x = np.arange(6.0).reshape(2, 3) + 1.0
    g = _quiet(srcad.grad(mean_where_sum), x)
    assert np.isnan(_quiet(mean_where_sum, x))
    assert np.all(np.isnan(g[:, 1]))  # the empty column's mean is NaN, so is its derivative
    np.testing.assert_allclose(g[:, [0, 2]], [[1.0, 6.0], [4.0, 0.0]])
    _, t = _quiet(srcad.jvp, mean_where_sum, (x,), (np.ones((2, 3)),))
    assert np.isnan(t)
    # an output that does not read the empty column: exact, no NaN anywhere
    g = _quiet(srcad.grad(mean_where_first), x)
    np.testing.assert_allclose(g, _fd(mean_where_first, x), atol=1e-6)


def test_nanmean_all_nan_column_is_nan():
    g = _quiet(srcad.grad(nanmean_sum), NAN_COL)
    assert np.all(np.isnan(g[:, 1]))
    np.testing.assert_allclose(g[:, [0, 2]], np.ones((2, 2)))


def nanvar_first(x):
    return np.nanvar(x, axis=0, ddof=1)[0]


def nanstd_first(x):
    return np.nanstd(x * 1.5, axis=0, ddof=1)[0]


def var_where_first(x):
    return np.var(x, axis=0, where=M, ddof=1)[0]


def std_where_first(x):
    return np.std(x, axis=0, where=M, ddof=1)[0]


@pytest.mark.parametrize("f", [nanvar_first, nanstd_first, var_where_first, std_where_first])
def test_slice_without_dof_spreads_no_nan(f):
    """Column 1 has one entry left (ddof=1: no degrees of freedom): output 0 does not read it,
    and its gradient there is 0, not NaN."""
    x = ONE_LEFT if f.__name__.startswith("nan") else np.arange(6.0).reshape(2, 3) ** 2
    g = _quiet(srcad.grad(f), x.copy())
    expected = np.zeros((2, 3))
    expected[:, 0] = _fd(lambda c: f(np.column_stack([c, x[:, 1:]])), x[:, 0].copy())
    np.testing.assert_allclose(g, expected, rtol=1e-6, atol=1e-8)


# -- `a op= v` growing `a` along an axis of length 1 the code made: NumPy raises ValueError --


def grow_row(x):
    a = np.zeros((1, 3))
    a += x.reshape(2, 3)
    return np.sum(a**2)


def grow_row_in_loop(x):
    a = np.zeros((1, 3))
    for k in range(2):
        a += x.reshape(2, 3) * k
    return np.sum(a**2)


def grow_new_axis(x):
    a = x[:3][None]
    a *= x.reshape(2, 3)
    return np.sum(a**2)


def grow_keepdims(x):
    m = np.max(x.reshape(2, 3), axis=0, keepdims=True)
    m -= x.reshape(2, 3)
    return np.sum(m**2)


@pytest.mark.parametrize("f", [grow_row, grow_row_in_loop, grow_new_axis, grow_keepdims])
def test_op_assign_growing_a_length_one_axis_raises_as_numpy_does(f):
    # `a op= v` ran as `a = a op v`, broadcasting the (1, 3) `a` to (2, 3): a value and a
    # gradient of a program Python does not run
    x = np.arange(6.0) + 1.0
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        f(x.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.grad(f)(x.copy())
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.jvp(f, (x.copy(),), (x.copy(),))
    with pytest.raises(ValueError, match="non-broadcastable output operand"):
        srcad.primal(f)(x.copy())


def into_row(x):
    a = np.zeros((1, 3))
    a += x[:3]
    a += x.reshape(2, 3)[1:]
    a *= np.sum(x.reshape(2, 3), axis=0, keepdims=True)
    return np.sum(a**2)


def test_op_assign_into_a_length_one_axis_still_differentiated():
    from .numeric import check_scalar

    check_scalar(into_row, np.arange(6.0) * 0.3 - 0.5)


# -- `np.sort(x, stable=True)` (NumPy 2.0's keyword) was refused: "cannot bind the arguments" --


def sorted_stably(x):
    y = x.copy()
    y.sort(stable=True)
    return np.sum(np.sort(x.reshape(2, 3), axis=0, stable=True) * y.reshape(2, 3) ** 2)


def test_sort_stable_keyword_differentiated():
    from .numeric import check_scalar

    check_scalar(sorted_stably, np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5]))


# -- `np.nansum(..., where=, initial=)` was refused: "cannot bind the arguments" --


def nansum_masked(x):
    a = np.where(x > 1.5, np.nan, x).reshape(2, 3) ** 2
    s = np.nansum(a, axis=1, where=np.array([True, False, True]), initial=x[0])
    return np.sum(s * np.array([1.0, -2.0])) + np.nansum(x**3, initial=0.5)


def test_nansum_where_initial_differentiated():
    from .numeric import check_scalar

    check_scalar(nansum_masked, np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5]))


# -- `np.piecewise(x, conds, funcs, *args, **kw)` was refused (a list of functions as a value) --


def _scaled_square(t, a, b=0.0):
    return a * t**2 + b


def piecewise_with_arguments(x):
    y = np.piecewise(
        x, [x < 0, x > 1], [_scaled_square, lambda t, a, b: t * a * b, 0.5], x[1], b=x[2]
    )
    return np.sum(y * np.array([1.0, 2.0, -1.0, 0.5, 3.0, 1.5]))


def test_piecewise_extra_arguments_differentiated():
    from .numeric import check_scalar

    check_scalar(piecewise_with_arguments, np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5]))


# -- `np.linalg.lstsq(A, y)` of a rank-deficient constant A, differentiated in y: was refused --

COLLINEAR = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])


def lstsq_collinear(y):
    x = np.linalg.lstsq(COLLINEAR, y, rcond=None)[0]
    return np.sum(x * np.array([1.0, 3.0, -2.0])) + np.sum(x**2)


def test_lstsq_rank_deficient_constant_matrix_differentiated_in_b():
    # the minimum-norm solution A+ y is linear in y at any rank of A
    from .numeric import check_scalar

    check_scalar(lstsq_collinear, np.array([0.3, -1.1, 1.2, -0.7]))


def lstsq_collinear_matrix(a):
    return np.sum(np.linalg.lstsq(np.outer(a[:4], a[4:6]), a[6:], rcond=None)[0] ** 2)


def test_lstsq_rank_deficient_varied_matrix_still_refused():
    with pytest.raises(srcad.SrcadError, match="rank-deficient"):
        srcad.grad(lstsq_collinear_matrix)(np.arange(10.0) + 1.0)


# -- `np.nanmean(..., where=)` was refused: "cannot bind the arguments" --


def nanmean_masked(x):
    a = np.where(x > 1.5, np.nan, x).reshape(2, 3) ** 2
    m = np.nanmean(a, axis=0, where=np.array([[True, True, False], [True, False, True]]))
    return np.sum(m * np.array([1.0, -2.0, 0.5])) + np.nanmean(x**3, where=x > 0)


def test_nanmean_where_differentiated():
    from .numeric import check_scalar

    check_scalar(nanmean_masked, np.array([0.3, -1.1, 1.2, -0.7, 2.0, 0.5]))
