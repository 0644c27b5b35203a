"""Soundness fixes of session 28's hunt28a: user-style programs that srcad got wrong or refused.
Input: small functions; output: assertions against Python and central differences
(tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.7, 0.2, -0.4])


# -- a view-making NumPy function of a number makes a new array, which `op=` updates in place --


def asarray_of_item(x):
    t = np.asarray(x[0])
    ts = [t]
    t += 1.0
    return ts[0] * t


def atleast_1d_of_number(x):
    t = np.atleast_1d(x[0] * 2.0)
    ts = [t]
    t += 1.0
    return ts[0][0] * t[0]


def reshape_of_item(x):
    t = np.reshape(x[0], (1,))
    u = t
    t *= 3.0
    return u[0] * x[1]


def asarray_of_sum(x):
    t = np.asarray(np.sum(x))
    ts = [t]
    t += 1.0
    return ts[0] * t


def asarray_of_float_argument(x0):
    x = np.asarray(x0)
    hist = [x]
    x += 0.1 * x
    return hist[0] * x0


@pytest.mark.parametrize(
    "f", [asarray_of_item, atleast_1d_of_number, asarray_of_sum]
)  # reshape_of_item: (accepted since iter41c, checked in tests/regressions/test_iter41c.py: lower/opfork.py)
def test_new_array_of_a_number_updated_in_place_refused(f):
    # Python: the list (the other name) holds the array `op=` updates; srcad's values would not
    # see the update (a wrong derivative before this session, the update taken for a rebinding)
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X.copy())


def test_asarray_of_a_float_argument_updated_in_place_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(asarray_of_float_argument)(0.7)


def atleast_1d_alone(theta):
    theta = np.atleast_1d(theta)
    theta *= 2.0
    return np.sum(theta**2)


def test_new_array_of_a_number_alone_still_differentiated():
    assert srcad.grad(atleast_1d_alone)(0.7) == pytest.approx(8 * 0.7)


# -- a whole reduction of a NumPy array is a NumPy scalar: `t += np.sum(x)` rebinds `t` --


def loss_history(w):
    A = np.array([[1.0, 0.5, 0.0], [0.3, -0.2, 0.4], [0.9, 0.1, -0.3]])
    y = np.array([1.0, 0.0, 0.5])
    total = 0.0
    hist = []
    for _ in range(3):
        pred = A @ w
        loss = np.mean((pred - y) ** 2)
        total += loss
        hist.append(total)
        w = w - 0.1 * A.T @ (pred - y)
    return hist[-1] + hist[0]


def best_of_history(w):
    A = np.array([[1.0, 0.5, 0.0], [0.3, -0.2, 0.4], [0.9, 0.1, -0.3]])
    best = np.inf
    hist = []
    for _ in range(3):
        r = A @ w - 1.0
        loss = np.sum(r**2)
        hist.append(loss)
        loss += 0.1 * np.linalg.norm(w) ** 2
        best = min(best, loss)
        w = w - 0.1 * A.T @ r
    return best + hist[0]


def adaptive_times(x):
    t = 0.0
    ts = [t]
    for _ in range(3):
        t += 0.1 * np.sum(x**2)
        ts.append(t)
    return sum(ts) + ts[1] * x[0]


def numpy_scalar_times(x):
    t = np.float64(0.5) * x[0]
    ts = [t]
    t *= 3.0
    return ts[0] * t + x.max()


@pytest.mark.parametrize("f", [loss_history, best_of_history, adaptive_times, numpy_scalar_times])
def test_reduction_op_assign_rebinds(f):
    # refused before this session ("`hist` is read after the object it shares with another name
    # is updated with `op=`"): np.sum/np.mean/np.linalg.norm of a NumPy array is a NumPy scalar
    check_scalar(f, X.copy())


def zero_d_kept(x):
    t = np.sum(x, keepdims=True)
    ts = [t]
    t += 1.0
    return ts[0][0] * x[0]


def test_reduction_keeping_dims_still_refused():
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(zero_d_kept)(X.copy())


def total_becomes_array(w):
    total = 0.0
    hist = []
    for _ in range(3):
        total += np.sum(w**2) * w  # a new array, then updated in place on the next pass
        hist.append(total)
    return np.sum(hist[0])


def reduction_then_array(w):
    total = np.sum(w)
    hist = [total]
    total += w  # a number plus an array: a new array, which the next `op=` updates
    hist.append(total)
    total += 1.0
    return np.sum(hist[1]) + hist[0]


@pytest.mark.parametrize("f", [total_becomes_array, reduction_then_array])
def test_reduction_times_array_updated_in_place_still_refused(f):
    with pytest.raises(srcad.SrcadError, match="is read after the object it shares"):
        srcad.grad(f)(X.copy())
