"""Session 50's spurious refusals of everyday idioms, and answers where Python raises.

``scipy.signal.lfilter_zi(b, a)`` with leading zeros in ``a`` raised a ValueError of srcad's
(SciPy drops the zeros: now so does srcad). ``scipy.signal.lfilter(b, a, x, axis=0, zi=zi)``
(an axis other than the last, with ``zi``) had no rule: now the last axis's code between two
``np.moveaxis``. An unused read ``d["a"]`` after ``del d["a"]`` (or ``d.pop("a")``) answered a
gradient where Python raises KeyError: now raises it. ``x.strides`` read as a value (an int
tuple, no derivative, as ``x.shape``) was refused. An item write ``y[i] = e`` in a ``try`` body
or a ``with np.errstate(all="raise")`` block was refused: now a step checked before it runs
(``_srcad.setitem_check``), the handler taken where Python's is.
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.signal

import srcad
from tests.soundness.numeric import check_scalar

X4 = np.array([0.3, 0.5, 0.7, 0.9])


def zi_leading_zero(x):
    b = np.array([0.5, 0.2])
    a = np.array([0.0, 1.0, -0.3])
    zi = scipy.signal.lfilter_zi(b, a)
    return np.sum(zi) * x[0] + x[1] ** 2


def zi_leading_zeros_in_a(x):
    a = np.array([0.0, 0.0, 1.0, x[0], x[1] * 0.1])
    zi = scipy.signal.lfilter_zi(x[2:], a)
    return np.sum(zi**2)


@pytest.mark.parametrize("f", [zi_leading_zero, zi_leading_zeros_in_a])
def test_lfilter_zi_leading_zeros(f):
    check_scalar(f, X4.copy())


def read_deleted(x):
    d = {"a": x[0], "b": x[1]}
    del d["a"]
    d["a"]
    return d["b"] * 2


def read_popped(x):
    d = {"a": x[0], "b": x[1]}
    d.pop("a")
    d["a"]
    return d["b"] * 2


@pytest.mark.parametrize("f", [read_deleted, read_popped])
def test_read_of_a_deleted_key_raises(f):
    with pytest.raises(KeyError):
        f(X4)
    with pytest.raises(KeyError):
        srcad.grad(f)(X4)


def strides_of_slice(x):
    y = x[::2]
    return y[0] * y.strides[0] + np.sum(x**2)


def strides_of_transpose(x):
    m = np.outer(x, x)
    m[0, 0] = 3.0
    n = m.T
    return np.sum(n * n.strides[0] / 8.0) + n.strides[1] * x[1]


@pytest.mark.parametrize("f", [strides_of_slice, strides_of_transpose])
def test_strides_read_as_a_value(f):
    check_scalar(f, X4.copy())


def errstate_writes(x):
    y = np.zeros(4)
    with np.errstate(all="raise"):
        for i in range(4):
            y[i] = np.exp(x[i]) * x[(i + 1) % 4]
    return np.sum(y**2)


def write_out_of_range(x):
    y = np.zeros(3)
    try:
        for i in range(5):
            y[i] = x[i % 4] * x[i % 3]
    except IndexError:
        y[0] = y[0] + 10 * x[1] ** 2
    return np.sum(y * y)


def list_write_out_of_range(x):
    y = [0.0, 0.0]
    try:
        y[1] = x[0] * x[1]
        y[2] = x[2]
    except IndexError:
        y[0] = x[3] ** 2
    return y[0] + y[1] * 3


def dict_writes(x):
    d = {}
    try:
        d["a"] = x[0] ** 2
        d["b"] = np.log(x[1])
    except KeyError:
        d["a"] = 0.0
    return d["a"] + d["b"] * x[2]


def slice_write_of_wrong_shape(x):
    y = np.zeros(3)
    try:
        y[:2] = x[:3]
    except ValueError:
        y = x[:3] * x[3]
    return np.sum(y**2)


@pytest.mark.parametrize(
    "f",
    [errstate_writes, write_out_of_range, list_write_out_of_range, dict_writes,
     slice_write_of_wrong_shape],
)  # fmt: skip
def test_item_writes_in_try_bodies(f):
    check_scalar(f, X4.copy())


def test_item_write_under_errstate_raises_as_numpy():
    x = X4 * 1000.0
    with pytest.raises(FloatingPointError):
        errstate_writes(x)
    with pytest.raises(FloatingPointError):
        srcad.grad(errstate_writes)(x)


def lfilter_axis0(v):
    x = v[:8].reshape(4, 2)
    b = np.array([0.5, 0.2, v[9]])
    a = np.array([1.0, -0.3, 0.1])
    zi = np.array([[v[8], 0.2], [0.1, v[8] * 2]])
    y, zf = scipy.signal.lfilter(b, a, x, axis=0, zi=zi)
    return np.sum(y**2) + np.sum(zf * v[:2])


def lfilter_middle_axis(v):
    x = v[:8].reshape(2, 2, 2)
    b = np.array([0.5, 0.2])
    a = np.array([1.0, v[9] * 0.5])
    zi = np.array([[[v[8], 0.2]], [[0.1, 0.3]]])
    y, zf = scipy.signal.lfilter(b, a, x, axis=-2, zi=zi)
    return np.sum(y**2) + np.sum(zf**2)


@pytest.mark.parametrize("f", [lfilter_axis0, lfilter_middle_axis])
def test_lfilter_zi_along_another_axis(f):
    check_scalar(f, np.linspace(0.2, 1.1, 10))
