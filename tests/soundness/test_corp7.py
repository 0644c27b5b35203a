"""Soundness regressions found by porting other projects' test corpora (session 7, corp7).

Each test failed before its fix; the entry in /tmp/s7/findings.md names the program."""

from __future__ import annotations

import numpy as np

import srcad

A_RANK2 = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [0.5, 0.1, 0.2]])


def _svdvals_sum(a):
    return np.sum(np.linalg.svd(a, compute_uv=False))


def _svdvals_max(a):
    return np.max(np.linalg.svd(a, compute_uv=False))


def _svdvals_min(a):
    return np.min(np.linalg.svd(a, compute_uv=False))


def test_matrix_norms_at_kinks_match_the_singular_values_convention() -> None:
    # np.linalg.norm(a, 'nuc' / 2 / -2) is sum / max / min of the singular values: at a zero
    # singular value (a kink) and at tied extreme ones, the same minimum-norm subgradient as
    # the singular values' rules (0 for a zero one, the tied cluster's mean); they gave u @ vt
    # over every pair (a zero singular value's too) and one arbitrary vector pair of a tie
    nuc = srcad.grad(lambda a: np.linalg.norm(a, "nuc"))
    two = srcad.grad(lambda a: np.linalg.norm(a, 2))
    minus_two = srcad.grad(lambda a: np.linalg.norm(a, -2))
    np.testing.assert_allclose(nuc(A_RANK2), srcad.grad(_svdvals_sum)(A_RANK2), atol=1e-12)
    for a in (np.eye(3), np.diag([2.0, 2.0, 1.0]), np.diag([2.0, 1.0, 1.0]), A_RANK2):
        np.testing.assert_allclose(two(a), srcad.grad(_svdvals_max)(a), atol=1e-12)
        np.testing.assert_allclose(minus_two(a), srcad.grad(_svdvals_min)(a), atol=1e-12)
    np.testing.assert_allclose(two(np.eye(3)), np.eye(3) / 3.0, atol=1e-12)
    np.testing.assert_allclose(minus_two(A_RANK2), np.zeros((3, 3)), atol=1e-12)


def test_matrix_norms_away_from_kinks_match_central_differences() -> None:
    a = np.random.default_rng(12600002).standard_normal((2, 3, 4))
    for ord in ("nuc", 2, -2):

        def f(x, ord=ord):
            return np.sum(np.linalg.norm(x, ord, axis=(1, 2)) ** 2)

        g = srcad.grad(f)(a)
        v = np.random.default_rng(3).standard_normal(a.shape)
        fd = (f(a + 1e-6 * v) - f(a - 1e-6 * v)) / 2e-6
        np.testing.assert_allclose(np.sum(g * v), fd, rtol=1e-6)


def test_fmax_fmin_give_the_derivative_to_the_operand_they_return_at_a_nan() -> None:
    # np.fmax(x, c) is x where c is NaN (NumPy returns the non-NaN operand): the derivative in x
    # there is 1. The rule sent it to the NaN operand (x > NaN is False): 0
    c = np.array([np.nan, 0.5, np.nan, -0.2])
    x = np.array([0.3, -1.1, 0.8, 1.7])

    def f(x):
        return np.sum(np.fmax(x, c) * np.arange(1.0, 5.0)) + np.sum(np.fmin(x, c) ** 2)

    expected = np.array([1.0, 0.0, 3.0, 4.0]) + 2.0 * np.array([x[0], x[1], x[2], 0.0])
    np.testing.assert_allclose(srcad.grad(f)(x), expected)
    _, t = srcad.jvp(f, (x,), (np.ones(4),))
    np.testing.assert_allclose(t, expected.sum())


def test_clip_with_crossed_bounds_is_the_upper_bound() -> None:
    # np.clip(a, lo, hi) is minimum(maximum(a, lo), hi): hi everywhere when lo > hi. Elements
    # below both bounds were credited to lo; clip(x, c, c) is constant, x got a derivative 1
    def f(x, lo, hi):
        return np.sum(np.clip(x, lo, hi) * np.arange(1.0, 5.0))

    x = np.array([0.0, 1.5, 3.0, 0.9])
    gx, glo, ghi = srcad.grad(f, (0, 1, 2))(x, 2.0, 1.0)
    np.testing.assert_array_equal(gx, np.zeros(4))
    assert (glo, ghi) == (0.0, 10.0)
    g = srcad.grad(lambda x: np.sum(x.clip(1.0, 1.0) * x))(np.array([1.0, 2.0, 0.5]))
    np.testing.assert_array_equal(g, np.ones(3))  # d/dx of 1 * x; clip(x, 1, 1) is constant


def test_second_derivative_of_x_to_the_zero_at_zero_is_zero() -> None:
    # x ** 0 is the constant 1: its second derivative is 0 at x == 0 too. pow_dx's x-rule was
    # y * pow_dx(x, y - 1): 0 * inf = NaN there (polynomial features x ** np.arange(k) at 0)
    def f(x):
        return np.sum(x ** np.arange(4) * np.array([1.0, 2.0, 3.0, 4.0])) + np.sum(x**0)

    h = srcad.hessian(f)(np.zeros(4))
    np.testing.assert_array_equal(h, np.diag([0.0, 0.0, 6.0, 0.0]))
    t = srcad.jacfwd(srcad.hessian(f))(np.zeros(4))
    assert np.all(np.isfinite(t))
    t[3, 3, 3] -= 24.0  # d^3 (4 x^3) / dx^3
    np.testing.assert_array_equal(t, np.zeros((4, 4, 4)))
