"""Session 45's soundness fixes: an unused statement that raises in Python raises in srcad's
derivatives too (passes/raising.py), in reverse, forward and second order, while unused NumPy
work stays removable."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad


def _raises_helper(x):
    return 1.0 / (x - 1.0)


def dead_div(x):
    y = 2 * x
    z = 1 / 0  # noqa: F841
    return y


def dead_sqrt(x):
    y = 2 * x
    z = math.sqrt(-1.0)  # noqa: F841
    return y


def dead_list_item(x):
    y = 2 * x
    z = [1.0, 2.0][5]  # noqa: F841
    return y


def dead_dict_item(x):
    y = 2 * x
    z = {}["b"]  # noqa: F841
    return y


def dead_log(x):
    y = x * x
    z = math.log(x - 10)  # noqa: F841
    return y


def dead_int(x):
    y = 2 * x
    z = int("a")  # noqa: F841
    return y


def dead_float_div(x):
    y = 2 * x
    z = 1.0 / (x - x)  # noqa: F841
    return y


def dead_helper(x):
    y = 2 * x
    z = _raises_helper(x)  # noqa: F841
    return y


def dead_tuple_item(x):
    y = 2 * x
    z = (1.0, 2.0)[5]  # noqa: F841
    return y


CASES = [
    (dead_div, ZeroDivisionError),
    (dead_sqrt, ValueError),
    (dead_list_item, IndexError),
    (dead_dict_item, KeyError),
    (dead_log, ValueError),
    (dead_int, ValueError),
    (dead_float_div, ZeroDivisionError),
    (dead_helper, ZeroDivisionError),
    (dead_tuple_item, IndexError),
]


@pytest.mark.parametrize("f,exc", CASES, ids=[f.__name__ for f, _ in CASES])
def test_unused_statement_raises_as_python(f, exc):
    with pytest.raises(exc):
        f(1.0)
    with pytest.raises(exc):
        srcad.grad(f)(1.0)
    with pytest.raises(exc):
        srcad.jvp(f, (1.0,), (1.0,))
    with pytest.raises(exc):
        srcad.hessian(f)(1.0)


def dead_numpy_work(x):
    y = np.sin(x).sum()
    z = np.log(x - 10.0) / (x - x)  # noqa: F841  (NumPy: nan and inf, no exception)
    w = x / 2.0  # noqa: F841
    return y


def test_unused_numpy_work_still_dropped():
    x = np.ones(3)
    with np.errstate(all="ignore"):
        assert np.allclose(srcad.grad(dead_numpy_work)(x), np.cos(x))
    src = srcad.source(dead_numpy_work, args=(x,))
    assert "log" not in src and "/" not in src


def dead_in_range(x):
    a, b = (x, 2.0 * x)  # noqa: F841
    t = [x, x * x][1]  # noqa: F841
    m = max(x, 1.0)  # noqa: F841
    return a * 3.0


def test_unused_safe_reads_dropped():
    assert srcad.grad(dead_in_range)(2.0) == 3.0
    src = srcad.source(dead_in_range, args=(2.0,))
    assert "max" not in src and "[1]" not in src


def dot_sqrt_column(A, B):
    return np.dot(A, np.sqrt(B))[:, 0].sum()


def matmul_sqrt_column(A, B):
    return (A @ np.sqrt(B))[:, 0].sum()


def test_dot_unread_column_not_nan():
    # column 1 of sqrt(B) is nan, but no read reaches column 1 of the product: `@` was right
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    B = np.array([[1.0, -1.0], [4.0, -4.0]])
    with np.errstate(invalid="ignore"):
        want = srcad.grad(matmul_sqrt_column, wrt=(0, 1))(A, B)
        got = srcad.grad(dot_sqrt_column, wrt=(0, 1))(A, B)
    assert np.allclose(want[0], [[1.0, 2.0], [1.0, 2.0]])
    assert np.allclose(got[0], want[0]) and np.allclose(got[1], want[1])


def product_of_overflowed(A, X0, s):
    M = X0 * s * s  # column 1 overflows to inf; no read reaches column 1 of A @ M
    return (A @ M)[:, 0].sum()


def test_matmul_plain_cotangent_not_past_overflow():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    X0, s = np.ones((2, 2)), np.array([1.0, 1e300])
    with np.errstate(all="ignore"):
        assert product_of_overflowed(A, X0, s) == 10.0
        assert np.allclose(srcad.grad(product_of_overflowed)(A, X0, s), np.ones((2, 2)))


def root_of_einsum(x):
    return np.sqrt(np.einsum("i,i->", x, x))


def root_of_var_squared(x):
    return np.sqrt(np.var(x)) ** 2


def test_root_of_einsum_square_sum_at_zero():
    # a norm at 0: the subgradient 0, as np.sqrt(np.sum(x * x)) and np.linalg.norm take it
    assert np.array_equal(srcad.grad(root_of_einsum)(np.zeros(3)), np.zeros(3))


def test_root_of_var_squared_hessian_at_constant():
    n = 3
    want = 2.0 / n * (np.eye(n) - 1.0 / n)  # the Hessian of np.var
    got = srcad.hessian(root_of_var_squared)(np.ones(n))
    assert np.allclose(got, want)


def norm_times_norm(x):
    r = np.linalg.norm(x)
    return (2.0 * r) * (3.0 * r)


def halved_norm_squared(x):
    r = np.linalg.norm(x)
    return (r / 2.0) ** 2


def test_products_of_multiples_of_a_norm_hessian_at_zero():
    x0 = np.zeros(3)
    assert np.allclose(srcad.hessian(norm_times_norm)(x0), 12.0 * np.eye(3))
    assert np.allclose(srcad.hessian(halved_norm_squared)(x0), 0.5 * np.eye(3))


def kept_dims_norm_squared(x):
    return np.linalg.norm(x, ord=2, keepdims=True)[0] ** 2


def test_kept_dims_norm_squared_hessian_at_zero():
    assert np.allclose(srcad.hessian(kept_dims_norm_squared)(np.zeros(3)), 2.0 * np.eye(3))


def cos_of_abs(x):
    return np.sum(np.cos(np.abs(x)))


def cosh_of_abs(x):
    return np.sum(np.cosh(np.abs(x)))


def test_even_function_of_abs_hessian_at_zero():
    # cos(|x|) is cos(x): -I at 0 (JAX's too); cosh(|x|): I
    assert np.allclose(srcad.hessian(cos_of_abs)(np.zeros(3)), -np.eye(3))
    assert np.allclose(srcad.hessian(cosh_of_abs)(np.zeros(3)), np.eye(3))


def cos_of_norm(x):
    return np.cos(np.linalg.norm(x))


def test_cos_of_norm_hessian_at_zero():
    # cos(|x|) = 1 - |x|^2 / 2 + ...: -I at 0 (srcad gave 0, JAX nan)
    assert np.allclose(srcad.hessian(cos_of_norm)(np.zeros(3)), -np.eye(3))
    assert np.array_equal(srcad.grad(cos_of_norm)(np.zeros(3)), np.zeros(3))
