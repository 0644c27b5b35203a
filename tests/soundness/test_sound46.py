"""Session 46's soundness fixes: Hessians of smooth squares of magnitudes at 0 (a norm or an
abs made outside a loop and squared in it, an entry of ``np.abs(x)`` squared, an exponent
``np.int64(2)``), masked even functions of a norm, ..."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_Z = np.zeros(3)
_X = np.array([0.3, -0.7, 1.1])


def norm_squared_in_loop(x):
    r = np.linalg.norm(x)
    s = 0.0
    for _i in range(3):
        s += r**2
    return s


def norm_squared_in_while(x):
    r = np.linalg.norm(x)
    s = 0.0
    k = 0
    while k < 3:
        s = s + r**2 * k
        k += 1
    return s


def scaled_norm_product_in_nested_loops(x):
    r = np.linalg.norm(x)
    s = 0.0
    for _i in range(3):
        for _j in range(2):
            s += (2.0 * r) * (3.0 * r)
    return s


def abs_entries_squared(x):
    n = np.abs(x)
    return sum(n[i] ** 2 for i in range(len(x)))


def abs_entry_repeated(x):
    n = np.abs(x)
    return sum(n[0] ** 2 for i in range(3))


def abs_entries_in_branches(x):
    n = np.abs(x)
    s = 0.0
    for i in range(len(x)):
        if x[i] > 5:
            s = s + n[i] ** 2
        else:
            s = s - n[i] ** 2 * 0.5
    return s


def abs_slice_squared(x):
    n = np.abs(x)
    return np.sum(n[1:] ** 2)


def abs_fancy_squared(x):
    n = np.abs(x)
    return np.sum(n[np.array([0, 0, 2])] ** 2)


def norm_int64_square(x):
    r = np.linalg.norm(x)
    return r ** np.int64(2)


def norm_int64_square_in_loop(x):
    r = np.linalg.norm(x)
    s = 0.0
    for _i in range(3):
        s = s * 0.5 + r ** np.int64(2)
    return s


CASES = [
    (norm_squared_in_loop, 6.0 * np.eye(3)),
    (norm_squared_in_while, 6.0 * np.eye(3)),
    (scaled_norm_product_in_nested_loops, 72.0 * np.eye(3)),
    (abs_entries_squared, 2.0 * np.eye(3)),
    (abs_entry_repeated, np.diag([6.0, 0.0, 0.0])),
    (abs_entries_in_branches, -np.eye(3)),
    (abs_slice_squared, np.diag([0.0, 2.0, 2.0])),
    (abs_fancy_squared, np.diag([4.0, 0.0, 2.0])),
    (norm_int64_square, 2.0 * np.eye(3)),
    (norm_int64_square_in_loop, 3.5 * np.eye(3)),
]


@pytest.mark.parametrize(("f", "want"), CASES, ids=[c[0].__name__ for c in CASES])
def test_smooth_square_hessian_at_zero(f, want):
    np.testing.assert_allclose(srcad.hessian(f)(_Z), want, atol=1e-12)
    v = np.array([1.0, -2.0, 0.5])
    _, hv = srcad.hvp(f, (_Z,), (v,))
    np.testing.assert_allclose(hv, want @ v, atol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(_Z), 0.0, atol=1e-12)


@pytest.mark.parametrize(("f", "want"), CASES, ids=[c[0].__name__ for c in CASES])
def test_smooth_square_away_from_zero(f, want):
    check_grads(f, (_X,), order=2)


def cos_norm_unselected(x):
    return np.where(x[1] > 0, 1.0, np.cos(np.linalg.norm(x[:2])))


def cos_abs_unselected(x):
    return np.sum(np.where(x > 0, 1.0, np.cos(np.abs(x))))


def test_masked_cos_of_norm_at_inf():
    """The unselected branch's cotangent is 0 where the norm is inf (it was 0 * inf = nan)."""
    x = np.array([np.inf, 1.0, 0.0])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(srcad.grad(cos_norm_unselected)(x), [0.0, 0.0, 0.0])
    check_grads(cos_norm_unselected, (np.array([0.3, -0.7, 1.1]),), order=2)


def test_masked_cos_of_abs_at_inf():
    x = np.array([np.inf, -0.5, 0.5])
    with np.errstate(all="ignore"):
        g = srcad.grad(cos_abs_unselected)(x)
    np.testing.assert_allclose(g, [0.0, np.sin(0.5), 0.0], rtol=1e-15)
    check_grads(cos_abs_unselected, (np.array([-0.3, -0.7, 1.1]),), order=2)


def root_of_squares_plus_zero(x):
    return np.sum(np.sqrt(x**2 + 0.0) ** 2)


def norm_of_squares_plus_const(x):
    return np.sqrt(np.sum(x**2) + 0) ** 2 + np.sqrt(x @ x + 1.0)


def test_root_of_squares_plus_nonnegative_constant():
    """``np.sqrt(x ** 2 + 0.0) ** 2`` is ``x ** 2``: gradient 0 and Hessian 2I at 0 (were nan)."""
    np.testing.assert_array_equal(srcad.grad(root_of_squares_plus_zero)(_Z), 0.0)
    np.testing.assert_allclose(srcad.hessian(root_of_squares_plus_zero)(_Z), 2 * np.eye(3))
    check_grads(root_of_squares_plus_zero, (_X,), order=2)
    h = srcad.hessian(norm_of_squares_plus_const)(_Z)
    np.testing.assert_allclose(h, 3.0 * np.eye(3))
    check_grads(norm_of_squares_plus_const, (_X,), order=2)


def dead_literal_read(x):
    z = [1.0][x.size * 5]  # noqa: F841
    return np.sum(2 * x * x)


def dead_zeros_read(x):
    z = np.zeros(3)[5]  # noqa: F841
    return np.sum(2 * x * x)


def dead_zeros_read_2d(x):
    z = np.zeros((2, 3))[1, 3]  # noqa: F841
    return np.sum(2 * x * x)


def dead_int_of_nan(x):
    z = int(x[0] * np.nan)  # noqa: F841
    return np.sum(2 * x * x)


def dead_float_of_array(x):
    z = float(x)  # noqa: F841
    return np.sum(2 * x * x)


def dead_reshape(x):
    z = np.reshape(x, (7,))  # noqa: F841
    return np.sum(2 * x * x)


def dead_reshape_method(x):
    z = x.reshape((7,))  # noqa: F841
    return np.sum(2 * x * x)


DEAD = [dead_literal_read, dead_zeros_read, dead_zeros_read_2d, dead_int_of_nan,
        dead_float_of_array, dead_reshape, dead_reshape_method]  # fmt: skip


@pytest.mark.parametrize("f", DEAD, ids=[f.__name__ for f in DEAD])
def test_dead_statement_raises_as_python(f):
    """An unused statement that raises in Python raises in the derivatives too."""
    x = np.ones(3)
    with pytest.raises(Exception) as py:
        f(x)
    err = type(py.value)
    with pytest.raises(err):
        srcad.grad(f)(x)
    with pytest.raises(err):
        srcad.jvp(f, (x,), (x,))
    with pytest.raises(err):
        srcad.hessian(f)(x)


def dead_reads_in_range(x):
    a = [1.0, 2.0][x.size - 3]  # noqa: F841
    b = np.zeros(3)[2]  # noqa: F841
    c = int(len(x))  # noqa: F841
    d = np.reshape(x, (3, 1))  # noqa: F841
    return np.sum(2 * x * x)


def test_dead_statements_that_answer_still_answer():
    check_grads(dead_reads_in_range, (_X,), order=2)


def cosh_of_norm(x):
    return np.cosh(np.linalg.norm(x))


def math_cosh_of_norm(x):
    import math

    return math.cosh(np.linalg.norm(x))


@pytest.mark.parametrize("f", [cosh_of_norm, math_cosh_of_norm])
def test_cosh_of_norm_hessian_at_zero(f):
    """cosh(|x|) is smooth: its Hessian at 0 is I (was 0; JAX: nan)."""
    np.testing.assert_allclose(srcad.hessian(f)(_Z), np.eye(3), atol=1e-15)
    for x in (_X, np.array([1e-4, 2e-4, -3e-4]), np.array([9e-4, 1e-4, 0.0]), 3 * _X):
        check_grads(f, (x,), order=2)


def matrix_two_norms(a):
    return np.sum(np.linalg.norm(a, 2, axis=(-2, -1)))


def matrix_two_norms_kw(a):
    return np.sum(np.linalg.norm(a, ord=2, axis=(1, 2)))


@pytest.mark.parametrize("f", [matrix_two_norms, matrix_two_norms_kw])
@pytest.mark.parametrize("shape", [(2, 0, 3), (2, 3, 0), (0, 3, 3)])
def test_matrix_two_norm_hvp_of_empty_matrices(f, shape):
    """The HVP of the matrix 2-norm of empty matrices is empty (it indexed the first singular
    value: IndexError in the generated code)."""
    a = np.zeros(shape)
    try:
        f(a)
    except ValueError:  # (NumPy 2.0's norm of an empty stack raises: no derivative to check)
        pytest.skip("this NumPy's np.linalg.norm(ord=2) of empty matrices raises")
    _, hv = srcad.hvp(f, (a,), (np.ones(shape),))
    assert hv.shape == shape
    assert srcad.grad(f)(a).shape == shape


def test_matrix_two_norm_hvp_still_right():
    a = np.random.default_rng(3).normal(size=(2, 3, 4))
    check_grads(matrix_two_norms, (a,), order=2)


def _norm_helper(v):
    return np.linalg.norm(v)


def _abs_helper(v):
    return np.abs(v)


def _norm_of_second(v, w):
    return np.linalg.norm(w)


def helper_norm_squared(x):
    return _norm_helper(x) ** 2


def helper_abs_squared(x):
    return np.sum(_abs_helper(x) ** 2)


def helper_second_arg_squared(x):
    return _norm_of_second(x, 2.0 * x) ** 2


def helper_norm_squared_in_loop(x):
    s = 0.0
    for _i in range(2):
        s += _norm_helper(x) ** 2
    return s


HELPERS = [
    (helper_norm_squared, 2.0),
    (helper_abs_squared, 2.0),
    (helper_second_arg_squared, 8.0),
    (helper_norm_squared_in_loop, 4.0),
]


@pytest.mark.parametrize(("f", "c"), HELPERS, ids=[h[0].__name__ for h in HELPERS])
def test_helper_magnitude_squared_hessian_at_zero(f, c):
    """A helper returning the norm (abs) of its parameter, squared by the caller: Hessian c I
    at 0 (was 0; JAX: nan for the norm)."""
    np.testing.assert_allclose(srcad.hessian(f)(_Z), c * np.eye(3), atol=1e-12)
    _, hv = srcad.hvp(f, (_Z,), (np.ones(3),))
    np.testing.assert_allclose(hv, c * np.ones(3), atol=1e-12)
    check_grads(f, (_X,), order=2)
