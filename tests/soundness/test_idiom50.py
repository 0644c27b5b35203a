"""Session 50's spurious refusals of everyday idioms, and answers where Python raises.

``scipy.signal.lfilter_zi(b, a)`` with leading zeros in ``a`` raised a ValueError of srcad's
(SciPy before 1.18 drops the zeros, 1.18 raises its own ValueError: now so does srcad). An
unused read ``d["a"]`` after ``del d["a"]`` (or ``d.pop("a")``) answered a gradient where
Python raises KeyError: now raises it. ``x.strides`` read as a value (an int tuple, no
derivative, as ``x.shape``) was refused. An item write ``y[i] = e`` in a ``try`` body or a
``with np.errstate(all="raise")`` block was refused: now a step checked before it runs
(``_srcad.setitem_check``), the handler taken where Python's is.
``scipy.signal.lfilter(b, a, x, axis=0, zi=zi)`` (an axis other than the last, with ``zi``)
had no rule: now the last axis's code between two ``np.moveaxis``. ``scipy.integrate.simpson(y,
x=x)`` was refused in ``x``: now differentiated (first order) through the spacings.
"""

from __future__ import annotations

import collections

import numpy as np
import pytest
import scipy.integrate
import scipy.signal

import srcad
from tests.soundness.numeric import central_differences, check_scalar

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
    try:
        f(X4.copy())
    except ValueError as e:  # (SciPy 1.18 raises: so does srcad, with its message)
        with pytest.raises(ValueError, match="must be non-zero"):
            srcad.grad(f)(X4.copy())
        assert "must be non-zero" in str(e)
        return
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


def ordered_dict_writes(x):
    d = collections.OrderedDict()
    try:
        d["a"] = x[0] ** 2
        d["b"] = x[1] * x[2]
    except KeyError:
        d["a"] = 0.0
    return d["a"] + d["b"]


def default_dict_writes(x):
    d = collections.defaultdict(float)
    try:
        d["a"] = x[0] ** 2
    except KeyError:
        pass
    d["b"] += x[1]
    return d["a"] * d["b"]


@pytest.mark.parametrize(
    "f",
    [errstate_writes, write_out_of_range, list_write_out_of_range, dict_writes,
     slice_write_of_wrong_shape, ordered_dict_writes, default_dict_writes],
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


def simpson_in_x(v):
    x = np.cumsum(0.1 + v**2)
    return scipy.integrate.simpson(np.sin(x) * v[0], x=x)


def simpson_rows_in_x(v):
    x = np.cumsum(0.1 + v[:5] ** 2)
    rows = np.stack([np.sin(x), np.cos(x) * v[5]], axis=1)
    return np.sum(scipy.integrate.simpson(rows, x=x, axis=0) ** 2)


@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 7])
def test_simpson_differentiated_in_x(n):
    v = np.linspace(0.3, 1.2, n)
    val, g = srcad.value_and_grad(simpson_in_x)(v)
    np.testing.assert_allclose(val, simpson_in_x(v), rtol=1e-12)
    np.testing.assert_allclose(g, central_differences(simpson_in_x, v), rtol=1e-6, atol=1e-8)
    u = np.cos(np.arange(n) + 1.0)
    _, t = srcad.jvp(simpson_in_x, (v,), (u,))
    np.testing.assert_allclose(t, g @ u, rtol=1e-10, atol=1e-12)
    with pytest.raises(srcad.SrcadError):  # (no second order in x: refused)
        srcad.hessian(simpson_in_x)(v)


def test_simpson_rows_differentiated_in_x():
    v = np.linspace(0.3, 1.2, 6)
    g = srcad.grad(simpson_rows_in_x)(v)
    np.testing.assert_allclose(g, central_differences(simpson_rows_in_x, v), rtol=1e-6, atol=1e-8)


def repeated_point(v):
    x = np.array([0.0, v[0], v[0], 1.0, 2.0])
    return scipy.integrate.simpson(np.sin(x), x=x)


def cumulative_in_x(v):
    x = np.cumsum(0.1 + v**2)
    return np.sum(scipy.integrate.cumulative_simpson(np.sin(x), x=x))


@pytest.mark.parametrize("f", [repeated_point, cumulative_in_x])
def test_simpson_in_x_refused_where_not_differentiated(f):
    f(X4)  # (Python answers)
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X4)


def simpson_grid_of_y_shape(v):
    x = np.cumsum(0.1 + v.reshape(2, 3) ** 2, axis=1)
    return np.sum(scipy.integrate.simpson(np.sin(x), x=x))


def test_simpson_in_an_n_d_x_refused():
    v = np.linspace(0.3, 1.2, 6)
    simpson_grid_of_y_shape(v)  # (Python answers)
    with pytest.raises(srcad.SrcadError, match="one dimension"):
        srcad.jvp(simpson_grid_of_y_shape, (v,), (np.ones(6),))
    with pytest.raises(ValueError, match="1-D"):  # (the weights' own check, reverse mode)
        srcad.grad(simpson_grid_of_y_shape)(v)
