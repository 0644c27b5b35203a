"""Wrong or crashing second derivatives found by the corpus Hessians, the third-order tests and
the second-order fuzzer (tests/higher/test_corpus_hessians.py, ``python -m tests.fuzz --order
2``): each minimised to a tiny function with the exact numbers, ``xfail(strict=True)`` while open,
so a fix shows up as XPASS."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.corpus.containers import dict_param, tuple_param


def pow_by_loop_index(x):
    s = 0.0
    for i in range(2):
        s = s + x ** (i + 1) * x  # x**2 + x**3
    return s


# H1, fixed: the zero tangent of a taped int met a nan/inf factor of pow_dx/pow_dy's rules,
# whose terms are now 0 where the tangent is 0 (srcad/rules/elementwise.py)
def test_second_derivative_of_a_power_with_a_loop_index_exponent_at_a_negative_base() -> None:
    x = -0.5
    exact = 2.0 + 6.0 * x  # -1.0
    assert srcad.grad(pow_by_loop_index)(x) == pytest.approx(2 * x + 3 * x * x, rel=1e-15)
    assert srcad.hessian(pow_by_loop_index)(x) == pytest.approx(exact, rel=1e-14)  # nan
    assert srcad.grad(srcad.grad(pow_by_loop_index))(x) == pytest.approx(exact, rel=1e-14)
    assert srcad.hvp(pow_by_loop_index, (x,), (1.0,))[1] == pytest.approx(exact, rel=1e-14)


def pow_by_loop_index_array(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum(x ** (i + 1))
    return s


# H1, fixed: the zero tangent of a taped int met a nan/inf factor of pow_dx/pow_dy's rules,
# whose terms are now 0 where the tangent is 0 (srcad/rules/elementwise.py)
def test_hessian_of_array_powers_with_a_loop_index_exponent() -> None:
    x = np.array([0.3, -0.7, 1.1])
    exact = np.diag(2.0 + 6.0 * x)  # diag(3.8, -2.2, 8.6); srcad: row 1 all NaN
    np.testing.assert_allclose(srcad.hessian(pow_by_loop_index_array)(x), exact, rtol=1e-14)


def zero_base_by_loop_index(x):
    s = 0.0
    for i in range(2):
        s = s + (i * 1.0) ** x  # 0.0 ** x + 1.0 ** x = 1 for x > 0
    return s


# H1, fixed: the zero tangent of a taped int met a nan/inf factor of pow_dx/pow_dy's rules,
# whose terms are now 0 where the tangent is 0 (srcad/rules/elementwise.py)
def test_second_derivative_of_a_power_of_a_loop_index_base_zero() -> None:
    assert srcad.grad(zero_base_by_loop_index)(1.5) == 0.0
    assert srcad.grad(srcad.grad(zero_base_by_loop_index))(1.5) == 0.0  # ZeroDivisionError
    assert srcad.hessian(zero_base_by_loop_index)(1.5) == 0.0


def zero_base_by_loop_index_array(x):
    s = 0.0
    for i in range(3):
        s = s + np.sum((i * 1.0) ** x) * np.sum(x)
    return s


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
# H1, fixed: the zero tangent of a taped int met a nan/inf factor of pow_dx/pow_dy's rules,
# whose terms are now 0 where the tangent is 0 (srcad/rules/elementwise.py)
def test_hessian_of_powers_of_a_loop_index_base_zero() -> None:
    x = np.array([1.3, 0.3, 2.1])
    # f = S(x) sum(1 + 2**x), S = sum(x): H = 1 u^T + u 1^T + S diag(2**x ln2^2), u = 2**x ln2
    u = 2.0**x * np.log(2.0)
    exact = np.outer(np.ones(3), u) + np.outer(u, np.ones(3)) + np.sum(x) * np.diag(u * np.log(2))
    np.testing.assert_allclose(srcad.hessian(zero_base_by_loop_index_array)(x), exact, rtol=1e-13)


def _leaves(t) -> list[float]:
    if isinstance(t, (tuple, list)):
        return [v for e in t for v in _leaves(e)]
    if isinstance(t, dict):
        return [v for k in t for v in _leaves(t[k])]
    return list(np.ravel(np.asarray(t, float)))


# H2, fixed: a tuple argument is refused with a clear SrcadError (srcad.hvp takes any structure)
def test_hessian_of_a_tuple_argument_is_right_or_refused() -> None:
    wb, x = (np.array([0.5, -0.3]), 0.2), np.array([1.0, 2.0])
    # f = (w @ x + b)**2: H = 2 [x; 1] [x; 1]^T over (w0, w1, b)
    a = np.array([1.0, 2.0, 1.0])
    exact = 2.0 * np.outer(a, a)
    try:
        H = srcad.hessian(tuple_param)(wb, x)
    except srcad.SrcadError as e:
        assert "internal error" not in str(e)
        return
    np.testing.assert_allclose(np.sort(_leaves(H)), np.sort(exact.ravel()), rtol=1e-14)


# H2, fixed: a dict argument is refused with a clear SrcadError (srcad.hvp takes any structure)
def test_hessian_of_a_dict_argument_is_right_or_refused() -> None:
    params = {"w": np.array([0.5, -0.3]), "b": np.array([0.1, 0.2])}
    try:
        H = srcad.hessian(dict_param)(params, 1.5)
    except srcad.SrcadError as e:
        assert "internal error" not in str(e)
        return
    g = srcad.grad(dict_param)
    cols = []
    for key, j in (("w", 0), ("w", 1), ("b", 0), ("b", 1)):
        h = 1e-5
        hi = {k: v.copy() for k, v in params.items()}
        lo = {k: v.copy() for k, v in params.items()}
        hi[key][j] += h
        lo[key][j] -= h
        cols.append((np.array(_leaves(g(hi, 1.5))) - np.array(_leaves(g(lo, 1.5)))) / (2 * h))
    exact = np.stack(cols, axis=1)
    np.testing.assert_allclose(np.sort(_leaves(H)), np.sort(exact.ravel()), rtol=1e-6, atol=1e-9)


def norm_of_zero(x):
    return np.linalg.norm(x - x) + np.sum(x * x)  # norm(x - x) is 0 for every x: H = 2 I


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_hessian_through_the_norm_of_a_zero_vector() -> None:
    # H4 (python -m tests.fuzz --order 2, seed 101775), fixed: the second-order rule of
    # np.linalg.norm divided by the norm, so a zero tangent at a zero vector gave 0 * inf = NaN
    # everywhere; its factors are 0 where the norm is (div0), like the subgradient.
    x = np.array([-0.17, -0.6, 0.6])
    np.testing.assert_allclose(srcad.grad(norm_of_zero)(x), 2.0 * x, rtol=1e-15)
    np.testing.assert_allclose(srcad.hessian(norm_of_zero)(x), 2.0 * np.eye(3), rtol=1e-15)
    _, hv = srcad.hvp(norm_of_zero, (x,), (np.ones(3),))
    np.testing.assert_allclose(hv, 2.0 * np.ones(3), rtol=1e-15)
