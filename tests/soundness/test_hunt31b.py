"""Soundness fixes of session 31's hunt31b: NumPy's aliasing, indexing and dtype semantics.
Input: small functions written like users' code; output: assertions against NumPy and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import srcad
from tests.soundness.numeric import check_scalar

X = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])


# -- np.identity(n, dtype) positionally: an integer matrix ----------------------------------------
# The second positional argument of np.identity is its dtype (np.eye's is M): the reverse sweep
# took ``np.identity(3, int)`` for a float matrix, so ``a[0, 1] = v`` (truncated by NumPy, no
# derivative) passed the cotangent to `v` as if stored (gradient 13.27 where NumPy's is 5.54).


def identity_int_positional(x):
    a = np.identity(3, int)
    a[0, 1] = x[0] * 10
    return np.sum(a * np.outer(x[:3], x[3:]))


def identity_int_element(x):
    a = np.identity(3, np.int64)
    a[2, 0] = x[1] * 4.0 - x[2]
    return np.sum(a * x[:3]) + x[1] ** 2


def identity_float_positional(x):
    a = np.identity(3, float)
    a[0, 1] = x[0] * 10
    return np.sum(a * np.outer(x[:3], x[3:]))


@pytest.mark.parametrize(
    "f", [identity_int_positional, identity_int_element, identity_float_positional]
)
def test_identity_dtype_positional(f):
    check_scalar(f, X.copy())


# -- np.fill_diagonal of an integer array --------------------------------------------------------
# NumPy casts the values to the array's integers (no derivative reaches them); srcad's rule for
# the write (``_srcad.fill_diag``) passed `val`'s tangent and cotangent through as if stored, in
# both modes: the derivative of the truncated values was 1 (now 0, as ``np.add.at`` and ``np.put``
# into integer arrays already were).


def fill_diagonal_int_values(x):
    a = np.zeros((3, 3), int)
    np.fill_diagonal(a, x[:3] * 10)
    return np.sum(a * np.outer(x[:3], x[3:])) + x[0]


def fill_diagonal_int_scalar(x):
    a = np.eye(3, dtype=int)
    np.fill_diagonal(a, x[0] * 10)
    return np.sum(a * np.outer(x[:3], x[3:])) + x[1] ** 2


def fill_diagonal_bool_wrap(x):
    a = np.zeros((7, 3), bool)
    np.fill_diagonal(a, x[:2], wrap=True)
    return np.sum(a * np.arange(21.0).reshape(7, 3)) * x[2]


@pytest.mark.parametrize(
    "f", [fill_diagonal_int_values, fill_diagonal_int_scalar, fill_diagonal_bool_wrap]
)
def test_fill_diagonal_integer_array(f):
    check_scalar(f, X.copy())


def test_fill_diagonal_float32_tangent_keeps_dtype():
    """A float32 array written with float64 values: its tangent is float32, as the value."""

    def f(x):
        a = np.zeros((3, 3), np.float32)
        np.fill_diagonal(a, x[:3] * 2.0)
        return a

    v, t = srcad.jvp(f, (X.copy(),), (np.ones(6),))
    assert v.dtype == t.dtype == np.float32
    np.testing.assert_array_equal(t, 2.0 * np.eye(3))


# -- ``out=`` of a reduction into an integer array ------------------------------------------------
# NumPy casts a reduction's result into ``out=`` unsafely (``np.sum(a, axis=0, out=o)`` with an
# integer `o` truncates), a ufunc's by ``same_kind`` (``np.clip(a, lo, hi, out=o)`` raises).
# srcad cast every ``out=`` by ``same_kind``: the reductions raised NumPy's TypeError in the
# generated code where NumPy runs. Now their values are NumPy's and their derivative 0.


def sum_out_int(x):
    o = np.zeros(3, int)
    np.sum(x.reshape(2, 3) * 10, axis=0, out=o)
    return np.sum(o * x[:3]) + x[0] * x[4]


def mean_out_int(x):
    o = np.zeros(3, int)
    np.mean(x.reshape(2, 3) * 10, axis=0, out=o)
    return np.sum(o * x[:3]) + x[0] * x[4]


def cumsum_out_int(x):
    o = np.zeros(6, int)
    np.cumsum(x * 10, out=o)
    return np.sum(o * x) + x[1] ** 2


def prod_out_int(x):
    o = np.zeros(3, int)
    np.prod(x.reshape(2, 3) * 10, axis=0, out=o)
    return np.sum(o * x[:3]) + x[0] * x[4]


def sum_out_float(x):
    o = np.zeros(3)
    np.sum(x.reshape(2, 3) ** 2, axis=0, out=o)
    return np.sum(o * x[:3])


@pytest.mark.parametrize(
    "f", [sum_out_int, mean_out_int, cumsum_out_int, prod_out_int, sum_out_float]
)
def test_reduction_out_casts_unsafely(f):
    check_scalar(f, X.copy())


def clip_out_int(x):
    o = np.zeros(6, int)
    np.clip(x * 10, -5, 5, out=o)
    return np.sum(o * x)


def test_ufunc_out_still_casts_same_kind():
    """np.clip's ``out=`` is a ufunc's: NumPy refuses the float -> int cast, and so does srcad."""
    with pytest.raises(TypeError):
        clip_out_int(X.copy())
    with pytest.raises(TypeError):
        srcad.grad(clip_out_int)(X.copy())


# -- np.putmask / np.place of an array of values NumPy will not cast safely -----------------------
# NumPy raises TypeError for ``np.putmask(a, m, v)`` and ``np.place(a, m, v)`` when `v` is an
# array whose dtype does not cast safely to `a`'s (float values into an integer or a float32
# array); srcad's lowering wrote the values cast unsafely, so a program NumPy rejects ran and got
# a value and a derivative. Now the generated code raises NumPy's TypeError.


def putmask_float_into_int(x):
    a = np.zeros(6, int)
    np.putmask(a, x > 0, x * 10)
    return np.sum(a * x) + x[0]


def place_float_into_int(x):
    a = np.zeros(6, int)
    np.place(a, x > 0, x[:3] * 10)
    return np.sum(a * x) + x[0]


def putmask_float64_into_float32(x):
    a = np.zeros(6, np.float32)
    np.putmask(a, x > 0, x)
    return float(np.sum(a * x))


@pytest.mark.parametrize(
    "f", [putmask_float_into_int, place_float_into_int, putmask_float64_into_float32]
)
def test_putmask_place_unsafe_cast_raises(f):
    with pytest.raises(TypeError, match="rule 'safe'"):
        f(X.copy())
    with pytest.raises(TypeError, match="rule 'safe'"):
        srcad.grad(f)(X.copy())
    with pytest.raises(TypeError, match="rule 'safe'"):
        srcad.jvp(f, (X.copy(),), (np.ones(6),))


def putmask_number_into_int(x):
    a = np.zeros(6, int)
    np.putmask(a, x > 0, x[0] * 10)  # a number is converted to a's dtype: truncated, no error
    return np.sum(a * x) + x[1] * x[2]


def putmask_float_values(x):
    y = x.copy()
    np.putmask(y, y > 0.4, x[:4] * 5.0)
    return np.sum(y * np.arange(1.0, 7.0))


@pytest.mark.parametrize("f", [putmask_number_into_int, putmask_float_values])
def test_putmask_castable_values_still_differentiated(f):
    check_scalar(f, X.copy())


# -- np.diagflat is a new array (spurious refusal) -------------------------------------------------
# ``np.diagflat(v)`` is lowered as ``np.diag(np.ravel(v))``: the diag of a 1-D array, a new 2-D
# array. The alias analysis did not know np.ravel's result is 1-D and took the diag for a view of
# `v` (the diag of a 2-D array), so writing into the matrix was refused ("the argument `x` is
# modified in place"). np.ravel's result now counts as 1-D.


def diagflat_then_write(x):
    a = np.diagflat(x[:3])
    a[0, 1] = 3.0 * x[4]
    return np.sum(a * np.arange(9.0).reshape(3, 3)) + np.sum(x**2)


def diagflat_of_matrix_offset(x):
    a = np.diagflat(x[:4].reshape(2, 2), 1)
    a[2, 0] = x[5] ** 2
    return np.sum(a * np.arange(25.0).reshape(5, 5)) + x[0] * x[1]


@pytest.mark.parametrize("f", [diagflat_then_write, diagflat_of_matrix_offset])
def test_diagflat_is_a_new_array(f):
    check_scalar(f, X.copy())


# -- writes into sliding_window_view's windows, and into rows of read-only views ----------------
# ``sliding_window_view(a, n)`` is read-only (NumPy raises ValueError at a write) and with
# ``writeable=True`` its windows share their elements: NumPy's ``w[0, 1] = v`` also changes
# ``w[1, 0]`` and the array. srcad wrote into a copy of the windows: a wrong value and derivative
# (writeable) or a value where NumPy raises. A row of a read-only view (``r = b[0]; r[1] = v``)
# and a write in a loop that carries the view (``for i in ...: d[i] = 0``, ``for row in b: row
# *= 2``) were not followed either. All are refused now.

W12 = np.arange(12.0).reshape(4, 3)


def windows_writeable_write(x):
    w = sliding_window_view(x * 1.0, 3, writeable=True)
    w[0, 1] = x[0] * 5.0
    return np.sum(w * W12)


def windows_writeable_iadd(x):
    w = sliding_window_view(x * 1.0, 3, writeable=True)
    w[1] += x[3:]
    return np.sum(w * W12)


def windows_read_only_write(x):
    w = sliding_window_view(x * 1.0, 3)
    w[0, 0] = 5.0
    return np.sum(w * W12)


def windows_row_write(x):
    w = sliding_window_view(x * 1.0, 3)
    r = w[1]
    r[0] = 5.0
    return np.sum(r)


def broadcast_row_write(x):
    b = np.broadcast_to(x[:3] * 1.0, (2, 3))
    r = b[0]
    r[1] = 5.0
    return np.sum(r)


def diagonal_loop_write(x):
    d = np.diagonal(np.outer(x[:3], x[3:]))
    for i in range(3):
        d[i] = 0.0
    return np.sum(d)


def broadcast_row_loop(x):
    b = np.broadcast_to(x[:3] * 1.0, (2, 3))
    for row in b:
        row *= 2.0
    return np.sum(b)


@pytest.mark.parametrize(
    "f",
    [
        windows_writeable_write,
        windows_writeable_iadd,
        windows_read_only_write,
        windows_row_write,
        broadcast_row_write,
        diagonal_loop_write,
        broadcast_row_loop,
    ],
)
def test_writes_into_shared_or_read_only_views_refused(f):
    if "writeable" not in f.__name__:
        with pytest.raises(ValueError, match="read-only"):
            f(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.grad(f)(X.copy())
    with pytest.raises(srcad.SrcadError):
        srcad.jvp(f, (X.copy(),), (np.ones(6),))


def windows_read_then_write_copy(x):
    w = sliding_window_view(x * 1.0, 3).copy()
    w[0, 1] = x[0] * 5.0
    d = np.diagonal(np.outer(x[:3], x[3:])).copy()
    for i in range(3):
        d[i] = d[i] ** 2
    return np.sum(w * W12) + np.sum(d)


def test_copies_of_views_still_differentiated():
    check_scalar(windows_read_then_write_copy, X.copy())


# -- np.copyto of a value with leading length-1 axes ---------------------------------------------
# NumPy's copy drops a value's leading length-1 axes (``np.copyto(y[:2], v.reshape(1, 2))``);
# the forward rule broadcast the tangent to the target's shape without dropping them and
# raised ValueError ("input operand has more dimensions than allowed") in the generated code.


def copyto_view_leading_axes(x):
    y = x * 1.0
    np.copyto(y[:2], x[4:].reshape(1, 2) ** 2)
    return np.sum(y * np.arange(1.0, 7.0))


def copyto_leading_axes_where(x):
    y = x[:2] * 1.0
    np.copyto(y, x[4:].reshape(1, 1, 2) ** 2, where=np.array([True, False]))
    return np.sum(y * np.arange(1.0, 3.0)) + x[0] * x[3]


@pytest.mark.parametrize("f", [copyto_view_leading_axes, copyto_leading_axes_where])
def test_copyto_drops_leading_unit_axes(f):
    check_scalar(f, X.copy())


# -- an object array of numbers --------------------------------------------------------------------
# ``a = np.zeros(3, dtype=object); a[:] = x[:3] * 2.0``: the cotangent reaching `x` through `a`
# is an object array; adding it into the gradient's float64 slices (``_srcad.add_at``) raised
# NumPy's casting error in reverse mode. It is converted to the gradient's dtype first.


def object_array_buffer(x):
    a = np.zeros(3, dtype=object)
    a[:] = x[:3] * 2.0
    return float(np.sum(a * x[3:]))


def test_object_array_cotangent():
    g = srcad.grad(object_array_buffer)(X.copy())
    np.testing.assert_allclose(g, np.concatenate([2.0 * X[3:], 2.0 * X[:3]]), rtol=1e-12)
    _, t = srcad.jvp(object_array_buffer, (X.copy(),), (np.ones(6),))
    np.testing.assert_allclose(t, np.sum(g), rtol=1e-12)


# -- an integer array of an ndarray subclass -------------------------------------------------------
# ``x[i] = v`` into an integer array truncates `v` (no derivative); the run-time check
# (``_srcad.is_inexact``) looked at ``type(x) is np.ndarray`` only, so an integer array of a
# subclass (without Python-level ``__setitem__``) passed `v`'s derivative through, in both modes.


class _Tagged(np.ndarray):
    """An ndarray subclass adding nothing (as libraries' tagged arrays do)."""


TAGGED_INT = np.zeros(3, int).view(_Tagged)
TAGGED_INT2 = np.zeros((3, 3), int).view(_Tagged)


def subclass_int_element(x):
    a = TAGGED_INT.copy()
    a[0] = x[0] * 10
    return float(np.sum(np.asarray(a) * x[:3])) + x[1] ** 2


def subclass_int_slice(x):
    a = TAGGED_INT.copy()
    a[:2] = x[:2] * 10
    return float(np.sum(np.asarray(a) * x[:3])) + x[1] * x[4]


def subclass_int_matrix_element(x):
    a = TAGGED_INT2.copy()
    a[1, 2] = x[0] * 10
    return float(np.sum(np.asarray(a) * np.outer(x[:3], x[3:]))) + x[1] ** 2


@pytest.mark.parametrize(
    "f", [subclass_int_element, subclass_int_slice, subclass_int_matrix_element]
)
def test_integer_subclass_truncates(f):
    check_scalar(f, X.copy())


# -- ``a op= v`` of an array of a plain ndarray subclass ----------------------------------------
# NumPy's ``a += v`` keeps `a`'s dtype (and raises where it cannot cast back); srcad's cast of
# the result (``_srcad.inplace_cast``) took any `a` that is not exactly an ndarray for a number,
# rebound to ``a + v``: a float32 subclass array became float64 (another value than NumPy's) and
# an integer one took float values where NumPy raises.


TAGGED_F32 = np.zeros(6, np.float32).view(_Tagged)


def subclass_float32_iadd(x):
    a = TAGGED_F32.copy()
    a += x
    return np.asarray(a)


def subclass_int_iadd(x):
    a = TAGGED_INT.copy()
    a += 0.5 * x[:3]
    return float(np.sum(np.asarray(a) * x[:3]))


def test_subclass_inplace_keeps_dtype():
    ref = subclass_float32_iadd(X.copy())
    v, t = srcad.jvp(subclass_float32_iadd, (X.copy(),), (np.ones(6),))
    assert v.dtype == ref.dtype == np.float32
    np.testing.assert_array_equal(v, ref)
    np.testing.assert_array_equal(t, np.ones(6))
    out, pull = srcad.vjp(subclass_float32_iadd, X.copy())
    assert out.dtype == np.float32
    np.testing.assert_allclose(pull(np.ones(6, np.float32))[0], np.ones(6))
    with pytest.raises(TypeError):
        subclass_int_iadd(X.copy())
    with pytest.raises(TypeError):
        srcad.grad(subclass_int_iadd)(X.copy())
