"""Session 36 (wrong36a): silently wrong derivatives and crashes.

- Wrong derivative: ``np.sum(x * 2, where=None)`` is 0.0 for NumPy (an explicit ``where=None``
  is a False mask, for every reduction taking ``where=``: sum, prod, nansum, nanmean, the
  methods, ``np.add.reduce``, ``np.multiply.reduce``; mean/var/std raise NumPy's TypeError and
  max/min without ``initial`` its ValueError), but the rules' signatures had ``where=None`` as
  the default and read None as "no mask": the gradient was [2, 2, 2]. The default is now True
  and an explicit None is passed to NumPy as it is, also when it is only known at run time (a
  parameter `m`, where forward mode gave [2, 2, 2]).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([1.0, 2.0, 3.0])


def _fd(f, x, *args, eps=1e-6):
    return np.array(
        [(f(x + eps * e, *args) - f(x - eps * e, *args)) / (2 * eps) for e in np.eye(len(x))]
    )


def _check(f, x, *args):
    """grad, jacfwd and jvp of the scalar `f` at the 1-D `x` against central differences."""
    want = _fd(f, x, *args)
    np.testing.assert_allclose(srcad.grad(f)(x.copy(), *args), want, rtol=1e-6, atol=1e-7)
    np.testing.assert_allclose(srcad.jacfwd(f)(x.copy(), *args), want, rtol=1e-6, atol=1e-7)


# -- 1. an explicit where=None is a False mask -------------------------------------------------


def sum_none(x):
    return np.sum(x * 2, where=None)


def prod_none(x):
    return np.prod(x, where=None) + np.prod(x, initial=2.0, where=None)


def nansum_none(x):
    return np.nansum(x, where=None)


def methods_none(x):
    return x.sum(where=None) + x.prod(where=None) + x.max(where=None, initial=0.5)


def ufunc_reduce_none(x):
    return np.add.reduce(x, where=None) + np.multiply.reduce(x**2, where=None)


def axis_none(x):
    return np.sum(np.sum(np.outer(x, x), axis=0, where=None)) + np.sum(
        x, None, None, None, False, 0, None
    )


def param_mask(x, m):
    return np.sum(x * 2, where=m)


def param_mask_all(x, m):
    return (
        np.prod(x, where=m)
        + np.nansum(x, where=m)
        + x.sum(where=m)
        + np.max(x, where=m, initial=0.5)
    )


@pytest.mark.parametrize(
    "f", [sum_none, prod_none, nansum_none, methods_none, ufunc_reduce_none, axis_none]
)
def test_where_none_is_false(f):
    _check(f, X3)
    assert np.all(srcad.hessian(f)(X3) == 0.0)


@pytest.mark.parametrize("f", [param_mask, param_mask_all])
@pytest.mark.parametrize("m", [None, np.array([True, False, True]), True])
def test_where_none_at_run_time(f, m):
    _check(f, X3, m)


def nanmean_none(x):
    return np.nanmean(x, where=None)


def test_nanmean_where_none_is_nan():
    # NumPy's value is NaN (no entry selected), constant: a NaN derivative, as np.nanmean of NaNs
    with np.errstate(all="ignore"):
        assert np.isnan(nanmean_none(X3))
        assert np.all(np.isnan(srcad.grad(nanmean_none)(X3)))
        assert np.all(np.isnan(srcad.jacfwd(nanmean_none)(X3)))


def mean_none(x):
    return np.mean(x, where=None)


def max_none(x):
    return np.max(x, where=None)


@pytest.mark.parametrize("f, err", [(mean_none, TypeError), (max_none, ValueError)])
def test_where_none_numpy_errors(f, err):
    # NumPy raises for these: the derivative raises the same error
    with pytest.raises(err):
        f(X3)
    with pytest.raises(err):
        srcad.grad(f)(X3)
