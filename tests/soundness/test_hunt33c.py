"""Soundness fixes of session 33's hunt33c: NumPy's edge semantics (dtypes, shapes, layouts).
Input: small functions written like users' code; output: assertions against NumPy and central
differences (tests/soundness/numeric.py), or the refusal srcad should give."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import srcad
import srcad.testing
from tests.soundness.numeric import central_differences, check_scalar

_NUMPY_2_2 = np.lib.NumpyVersion(np.__version__) >= "2.2.0"

X = np.array([0.37, -1.13, 1.21, -0.73, 2.09, 0.51])
LONG = np.finfo(np.longdouble).eps < np.finfo(np.float64).eps
needs_longdouble = pytest.mark.skipif(not LONG, reason="np.longdouble is float64 here")


# -- np.logaddexp.reduce / .accumulate keep NumPy's dtype -----------------------------------------
# Their runtime helpers cast the operand to float64: a float32 (or float16) `x` gave a float64
# value where NumPy gives float32, and a longdouble `x` a value rounded to float64 (5e-17 off
# NumPy's). Now the value has NumPy's dtype (the logsumexp is computed in at least float64 and
# rounded once), and the tangent the value's dtype.


def lae_reduce(x):
    return np.logaddexp.reduce(x)


def lae_reduce_rows(x):
    return np.logaddexp.reduce(x.reshape(2, 3), axis=1, keepdims=True)


def lae2_reduce(x):
    return np.logaddexp2.reduce(x)


def lae_accumulate(x):
    return np.logaddexp.accumulate(x)


LAE = [lae_reduce, lae_reduce_rows, lae2_reduce, lae_accumulate]


@pytest.mark.parametrize("f", LAE)
@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_logaddexp_reductions_keep_a_narrow_dtype(f, dtype):
    x = X.astype(dtype)
    want = f(x.copy())
    value, tangent = srcad.jvp(f, (x.copy(),), (np.ones_like(x),))
    assert type(value) is type(want) and value.dtype == want.dtype == dtype
    assert tangent.dtype == dtype
    np.testing.assert_allclose(value, want, rtol=2 * np.finfo(dtype).eps)
    out, pull = srcad.vjp(f, x.copy())
    assert out.dtype == dtype and pull(np.ones_like(out))[0].dtype == dtype
    g = srcad.grad(lambda v: np.sum(f(v)))(X.copy())  # the float64 derivative is unchanged
    np.testing.assert_allclose(g, central_differences(lambda v: np.sum(f(v)), X), rtol=1e-6)


@needs_longdouble
@pytest.mark.parametrize("f", [lae_reduce, lae_reduce_rows, lae_accumulate])
def test_logaddexp_reductions_keep_longdouble_precision(f):
    # (logaddexp2 is lowered as logaddexp of x * ln2, ln2 a float64 constant: 2e-17 off)
    x = X.astype(np.longdouble) + np.longdouble(2.0) ** -60
    want = f(x.copy())
    value, tangent = srcad.jvp(f, (x.copy(),), (np.ones_like(x),))
    assert value.dtype == tangent.dtype == np.longdouble
    np.testing.assert_allclose(value, want, rtol=8 * np.finfo(np.longdouble).eps, atol=0)


# -- VJPs summing a cotangent by np.bincount, for a longdouble cotangent --------------------------
# np.bincount casts its weights to float64 by the 'safe' rule: the reverse sweep of np.pad with
# mode 'edge'/'reflect'/'symmetric'/'wrap', np.put, np.place, np.put_along_axis,
# sliding_window_view and np.fill_diagonal raised NumPy's TypeError ("Cannot cast array data from
# dtype('float128') to dtype('float64')") on a longdouble argument, and np.compress / np.insert
# rounded the cotangent to float64. Now the cotangent is summed in its own dtype.


def pad_reflect(x):
    return np.pad(x, (1, 2), mode="reflect")


def pad_edge(x):
    return np.pad(x, 2, mode="edge")


def pad_wrap(x):
    return np.pad(x, (2, 1), mode="wrap")


def put_flat(x):
    y = x.copy()
    np.put(y, [0, 2], x[:2] ** 2)
    return y


def place_masked(x):
    y = x.copy()
    np.place(y, x > 0.4, x[:1] * 3)
    return y


def put_along(x):
    y = np.zeros(6, x.dtype)
    np.put_along_axis(y, np.array([4, 0]), x[1:3], 0)
    return y


def windows(x):
    return sliding_window_view(x, 3).sum(axis=1)


def fill_diag(x):
    a = np.zeros((3, 3), x.dtype)
    np.fill_diagonal(a, x[:3] * 2.0)
    return a.ravel()


def compressed(x):
    return np.compress([True, False, True, True, False, True], x) * 2.0


def inserted(x):
    return np.insert(x, 2, x[0] * 3.0)


SUMS = [pad_reflect, pad_edge, pad_wrap, put_flat, place_masked, put_along, windows, fill_diag,
        compressed, inserted]  # fmt: skip


@needs_longdouble
@pytest.mark.parametrize("f", SUMS)
def test_longdouble_cotangent_summed_in_its_dtype(f):
    x = X.astype(np.longdouble)
    out, pull = srcad.vjp(f, x.copy())
    ct = np.cos(np.arange(np.size(out))).astype(np.longdouble) + np.longdouble(2.0) ** -60
    (g,) = pull(ct)
    assert g.dtype == np.longdouble and g.shape == x.shape
    _, pull64 = srcad.vjp(f, X.copy())
    np.testing.assert_allclose(g, pull64(ct.astype(float))[0], rtol=1e-13, atol=1e-15)
    # the 2**-60 survives: the sums are not rounded to float64
    low = g - pull(ct - np.longdouble(2.0) ** -60)[0]
    assert np.any(low != 0)
    w = ct.astype(float)
    g64 = srcad.grad(lambda v: np.sum(f(v) * w))(x.copy())
    assert g64.dtype == np.longdouble


# -- np.linalg.multi_dot checks the ranks as NumPy does ---------------------------------------------
# multi_dot was lowered to ``A @ B @ C``: matmul takes a stack of matrices, so a 3-D operand (which
# NumPy refuses with LinAlgError) gave a value and a gradient ([6, 6, ...] for the sum below), and
# a 0-d one raised matmul's ValueError. Now the generated code raises NumPy's LinAlgError.

STACK = np.ones((2, 3, 3))


def multi_dot_of_a_stack(x):
    return np.sum(np.linalg.multi_dot([STACK, x[:9].reshape(3, 3), np.eye(3)]))


def multi_dot_of_a_scalar(x):
    return np.sum(np.linalg.multi_dot([x[0], x[:9].reshape(3, 3), np.eye(3)]))


def multi_dot_vectors(x):
    return np.linalg.multi_dot([x[:3], np.eye(3) * x[3], x[:9].reshape(3, 3), x[6:9]])


@pytest.mark.parametrize("f", [multi_dot_of_a_stack, multi_dot_of_a_scalar])
def test_multi_dot_rank_errors_as_numpy(f):
    x = np.linspace(-1.0, 1.0, 9)
    with pytest.raises(np.linalg.LinAlgError, match="two-dimensional"):
        f(x)
    with pytest.raises(np.linalg.LinAlgError, match="two-dimensional"):
        srcad.grad(f)(x)
    with pytest.raises(np.linalg.LinAlgError, match="two-dimensional"):
        srcad.jvp(f, (x,), (np.ones(9),))


def test_multi_dot_of_vectors_and_matrices():
    x = np.linspace(-1.0, 1.0, 9) + 0.1
    check_scalar(multi_dot_vectors, x)


# -- NumPy's (and math's) errors kept by calls srcad rewrites into other operations ---------------
# math.dist(p, q) is lowered to a norm of ``p - q``, np.vander to powers of a column, np.resize to
# a take of repeated positions, np.polyder to NumPy's steps: the rewrites broadcast where the call
# raises, so programs Python rejects ran with a value and a gradient (math.dist of points of
# lengths 1 and 2, or of two matrices; np.vander of a matrix or with N = -1; np.resize to a
# negative shape; np.polyder of a matrix). Now they raise Python's error (np.polyder, whose
# NumPy steps broadcast a matrix's rows oddly: refused).


def dist_of_lengths_1_and_2(x):
    return math.dist(x[:1], x[1:3])


def dist_of_matrices(x):
    return math.dist(x[:4].reshape(2, 2), x[2:6].reshape(2, 2))


def vander_of_a_matrix(x):
    return np.sum(np.vander(x[:4].reshape(2, 2)))


def vander_negative_columns(x):
    return np.sum(np.vander(x, -1)) + x[0]


def resize_to_a_negative_shape(x):
    return np.sum(np.resize(x, (-1, -2))) + x[0]


def resize_negative(x):
    return np.sum(np.resize(x, -3)) + x[0]


@pytest.mark.parametrize(
    "f, error",
    [
        (dist_of_lengths_1_and_2, ValueError),
        (dist_of_matrices, TypeError),
        (vander_of_a_matrix, ValueError),
        (vander_negative_columns, ValueError),
        (resize_to_a_negative_shape, ValueError),
        (resize_negative, ValueError),
    ],
)
def test_rewritten_calls_raise_as_python(f, error):
    with pytest.raises(error):
        f(X.copy())
    with pytest.raises(error):
        srcad.grad(f)(X.copy())
    with pytest.raises(error):
        srcad.jvp(f, (X.copy(),), (np.ones(6),))


def polyder_of_a_matrix(x):
    return np.sum(np.polyder(x[:4].reshape(2, 2)))


def test_polyder_of_a_matrix_refused():
    with pytest.raises(ValueError):
        polyder_of_a_matrix(X.copy())
    with pytest.raises(srcad.SrcadError, match="not 1-D"):
        srcad.grad(polyder_of_a_matrix)(X.copy())


def rewritten_calls_in_range(x):
    d = math.dist(x[:3], x[3:]) + math.dist((x[0], x[1]), [x[2], 1.5])
    v = np.sum(np.vander(x[:3], 4) * np.arange(12.0).reshape(3, 4))
    r = np.sum(np.resize(x, (2, 4)) * np.arange(8.0).reshape(2, 4))
    return d + v + r + np.sum(np.polyder(x, 2) * x[:4])


def test_rewritten_calls_in_range():
    check_scalar(rewritten_calls_in_range, X.copy())


# -- more rewritten calls: NumPy's errors, and calls NumPy runs -----------------------------------
# np.cov with a fractional ddof (NumPy: ValueError "ddof must be integer") and np.trim_zeros with
# a `trim` of other letters than "fb" (ValueError) ran; np.cumulative_sum of a 0-d array (NumPy:
# as a 1-D one) and np.polyint(p, 1, k=[a, b]) (NumPy takes k[0]) raised NumPy errors in the
# generated code where Python runs; np.trim_zeros of a 2-D array (NumPy 2.2 trims each axis)
# raised a TypeError: now refused.


def cov_fractional_ddof(x):
    return np.sum(np.cov(x[:4].reshape(2, 2), ddof=1.5))


def trim_zeros_bad_trim(x):
    return np.sum(np.trim_zeros(x, trim="x"))


@pytest.mark.parametrize("f", [cov_fractional_ddof, trim_zeros_bad_trim])
def test_rewritten_calls_keep_numpy_value_errors(f):
    if f is cov_fractional_ddof or _NUMPY_2_2:  # NumPy < 2.2 ignores other letters of `trim`
        with pytest.raises(ValueError):
            f(X.copy())
    for run in (srcad.grad(f), lambda x: srcad.jvp(f, (x,), (np.ones(6),))):
        with pytest.raises((ValueError, srcad.SrcadError)):
            run(X.copy())


def cumulative_sum_of_a_scalar(x):
    return np.sum(np.cumulative_sum(x[1] * x[2], include_initial=True) * x[:2])


def polyint_sequence_constant(x):
    return np.sum(np.polyint(x[:3], 1, k=[x[4], 2.0]) * x[2:])


def test_rewritten_calls_numpy_runs():
    if hasattr(np, "cumulative_sum"):  # NumPy >= 2.1
        check_scalar(cumulative_sum_of_a_scalar, X.copy())
    check_scalar(polyint_sequence_constant, X.copy())


def trim_zeros_2d(x):
    return np.sum(np.trim_zeros(np.pad(x.reshape(2, 3), 1)))


def test_trim_zeros_of_a_matrix_refused():
    if _NUMPY_2_2:  # before, NumPy raises ValueError for a 2-D array
        assert trim_zeros_2d(X.copy()) == pytest.approx(np.sum(X))
    with pytest.raises(srcad.SrcadError, match="not 1-D"):
        srcad.grad(trim_zeros_2d)(X.copy())


# -- srcad.testing.check_grads keeps an argument's memory order -----------------------------------
# The central differences of check_grads perturbed a Fortran-ordered (or transposed) argument into
# a C-ordered copy: a function reading memory order (``ravel(order="K")``, ``order="A"``) was
# differenced as another function, and check_grads reported a mismatch (expected -9.82, got 2.27)
# for srcad's correct derivatives. The perturbed arguments now keep the argument's layout.

XT = (np.arange(12.0).reshape(3, 4) / 7.0 - 0.5).T


def ravel_in_memory_order(a):
    w = np.arange(a.size, dtype=float)
    return np.sum(np.sin(a).ravel(order="K") * w) + np.sum(a.reshape(-1, order="A") * w)


def test_check_grads_of_a_transposed_argument():
    srcad.testing.check_grads(ravel_in_memory_order, (XT,), modes=("fwd", "rev"))
    g = srcad.grad(ravel_in_memory_order)(XT)
    e = np.zeros_like(XT)
    e[0, 1] = 1e-6
    fd = (ravel_in_memory_order(XT + e) - ravel_in_memory_order(XT - e)) / 2e-6
    assert (XT + e).flags.f_contiguous and g[0, 1] == pytest.approx(fd, rel=1e-6)
