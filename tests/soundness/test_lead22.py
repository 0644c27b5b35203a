"""Arrays made with ``dtype=float`` are float arrays of a known rank for the view-write checks
(passes/ranks.float64_dtype): ``u = np.array(x, dtype=float); w = u[::-1]; w[...] = ...`` and
``u = np.zeros(4, dtype=float); w = u[1:]; w[:] = ...`` were refused ('modified through another
name') while the same programs without ``dtype=`` were accepted; checked numerically (gradient
against central differences, JVP/VJP dot test, Hessian against differences of the gradient).
An integer dtype or ``np.asarray`` (which may return its argument itself) stays refused."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.3, 0.7, 0.2, 0.9])


def _check(f, x=X):
    check_scalar(f, x)


def array_dtype_float_reversed_view(x):
    u = np.array(x, dtype=float)
    w = u[::-1]
    w[...] = np.sin(w) * 0.5
    return np.sum(u * x)


def array_dtype_string_view(x):
    u = np.array(x, dtype="float64")
    w = u[1:3]
    w *= x[0]
    return np.sum(u**2)


def zeros_dtype_float_view(x):
    u = np.zeros(4, dtype=float)
    w = u[1:]
    w[:] = x[:3] ** 2
    return np.sum(u * x)


def zeros_dtype_np_float64_2d_row(x):
    m = np.zeros((2, 2), dtype=np.float64)
    row = m[1]
    row[0] = x[0] ** 2
    return np.sum(m) * x[1]


def element_of_array_dtype_float(x):
    u = np.array(x, dtype=float)
    w = u[0]  # a number: `w *= 3` leaves `u` as it is
    w *= 3.0
    return np.sum(u * x) + w


@pytest.mark.parametrize(
    "f",
    [
        array_dtype_float_reversed_view,
        array_dtype_string_view,
        zeros_dtype_float_view,
        zeros_dtype_np_float64_2d_row,
        element_of_array_dtype_float,
    ],
)
def test_dtype_float_arrays_accepted(f):
    _check(f)


def zeros_dtype_int_view(x):
    u = np.zeros(4, dtype=int)
    w = u[1:]
    w[:] = x[:3] * 10
    return np.sum(u * x)


def asarray_dtype_float_view(x):
    u = np.asarray(x, dtype=float)  # `x` itself: the write would change the caller's array
    w = u[::-1]
    w[...] = np.sin(w)
    return np.sum(u * x)


@pytest.mark.parametrize("f", [zeros_dtype_int_view, asarray_dtype_float_view])
def test_other_dtypes_and_asarray_stay_refused(f):
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
