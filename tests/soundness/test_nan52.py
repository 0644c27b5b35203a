"""nan52: NaN derivatives where the function is finite and differentiable.

- ``np.where(x > 0, helper(x), 0.0)``: the caller's where did not mask a helper's result
  (`ad/resultmasks.py` read elementwise uses only), so the helper's backward function multiplied
  the unselected side's exact zero by ``0.5 / sqrt(-1)``; nor ``np.nan_to_num(helper(x))`` and
  ``y = helper(x); y[x <= 0] = 0.0`` (now the union of the masks of every use, `where_masks`'),
  nor a call in a loop body (``s += np.where(x[i] > 0, helper(x[i]), 0.0)``).
- ``np.tanh(b @ x)`` with an inf in a constant vector `b`: the cotangent of a 1-D @ 1-D (or an
  outer) product, ``g * b``, was ``0 * inf`` where the saturated tanh gives 0
  (`rules/unread.outer_unread`, as `unread_zeroed` drops such terms from a sum); forward,
  ``np.inner(b, x)``'s tangent (`infzero.contract_fixed`, as session 51's `matmul_fixed`).
- ``v = np.sum(Y[k] * w); if np.isnan(v): continue``: masks did not pass through a sum
  (`ad/gathers.py`'s "reduce", `branchmasks.REDUCES`), so the NaN row's zero cotangent met `Y`'s
  NaN in ``Y[k] * w``.
- ``np.sqrt(np.sum(W * (x - C) ** 2))`` at ``x = C``: a weighted sum of squares was no sum of
  squares for the root's subgradient 0 (`ad/sqsums.py`, ``_srcad.weighted_sq_zero``: every
  weight > 0 when it runs); nor ``(x[i] - C[i]) * (x[i] - C[i])``, two reads of one value
  (`sqsums.same_value`): ``np.cos(np.sqrt(d))`` of such a loop sum was NaN at its centre.
- ``np.log(ndtr(e - b))`` with an inf in a parameter `e`: the derivative of ``exp(-x^2 / 2)`` was
  ``0 * inf`` at ``x = inf`` (Hessian NaN); now ``_srcad.sp_gauss_d``, 0 there.

Values against central differences (and closed forms), grad, jvp, vjp and Hessian.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from scipy.special import erf, erfc, ndtr

import srcad


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _fd_hessian(f, x, eps=1e-5):
    g = srcad.grad(f)
    return np.array([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in np.eye(len(x))])


def _check(f, x, hess=True):
    x = np.asarray(x, dtype=float)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        want = _fd(f, x)
        np.testing.assert_allclose(srcad.grad(f)(x.copy()), want, rtol=1e-6, atol=1e-7)
        _, pull = srcad.vjp(f, x.copy())
        np.testing.assert_allclose(pull(1.0)[0], want, rtol=1e-6, atol=1e-7)
        jv = [srcad.jvp(f, (x.copy(),), (e,))[1] for e in np.eye(len(x))]
        np.testing.assert_allclose(jv, want, rtol=1e-6, atol=1e-7)
        if hess:
            h = srcad.hessian(f)(x.copy())
            np.testing.assert_allclose(h, _fd_hessian(f, x), rtol=1e-5, atol=1e-6)
            np.testing.assert_allclose(srcad.jacfwd(srcad.grad(f))(x.copy()), h, rtol=1e-12)


# 1. a helper's result on a where's side ------------------------------------------------------


def mysqrt(x):
    return np.sqrt(x)


def mylog(x):
    return np.log(x)


def where_helper_sqrt(x):
    return np.sum(np.where(x > 0, mysqrt(x), 0.0))


def where_helper_else(x):
    return np.sum(np.where(x <= 0, 0.0, mysqrt(x)) * x)


def nan_to_num_helper(x):
    return np.sum(np.nan_to_num(mysqrt(x)))


def patched_helper(x):
    y = mysqrt(x)
    y[x <= 0] = 0.0
    return np.sum(y)


@pytest.mark.parametrize(
    "f", [where_helper_sqrt, where_helper_else, nan_to_num_helper, patched_helper]
)
def test_where_of_helper(f):
    _check(f, [0.5, -1.0, 2.0])


def loop_of_helper(x):
    s = 0.0
    for i in range(3):
        y = mysqrt(x[i])
        s = s + np.where(x[i] > 0, y, 0.0) * x[i]
    return s


def while_of_helper(x):
    s, i = 0.0, 0
    while i < 3:
        s = s + np.where(x[i] > 0, mysqrt(x[i]), 0.0)
        i += 1
    return s


def rows_of_helper(x):
    s = 0.0
    for row in x.reshape(2, 2):
        s = s + np.sum(np.where(row > 0, mysqrt(row), 0.0))
    return s


def appended_helper(x):
    out = []
    for v in x:
        out.append(np.where(v > 0, mysqrt(v), 0.0))
    return np.sum(np.array(out))


@pytest.mark.parametrize("f", [loop_of_helper, while_of_helper, rows_of_helper, appended_helper])
def test_where_of_helper_in_a_loop(f):  # (the call in a loop body: masked there)
    _check(f, [0.5, -1.0, 2.0, -3.0] if f is rows_of_helper else [0.5, -1.0, 2.0])


def test_where_of_helper_log_at_zero():  # (the inlined np.log's value: the left side's 0)
    def inline(x):
        return np.sum(np.where(x > 0, np.log(x), 0.0))

    def helper(x):
        return np.sum(np.where(x > 0, mylog(x), 0.0))

    x = np.array([0.5, 0.0, 2.0])
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(srcad.grad(helper)(x), [2.0, 0.0, 0.5])
        np.testing.assert_array_equal(srcad.grad(helper)(x), srcad.grad(inline)(x))
        np.testing.assert_array_equal(srcad.hessian(helper)(x), np.diag([-4.0, 0.0, -0.25]))


# 2. a saturated tanh of a product with an inf ------------------------------------------------

BV = np.array([np.inf, 1.0])


def tanh_vec_dot(x):
    return np.tanh(BV @ x[:2]) + np.sum(x)


def tanh_mat_vec(x):  # (the matrix's cotangent: the outer product of g and BV)
    return np.sum(np.tanh(x[:4].reshape(2, 2) @ BV)) + np.sum(x)


def tanh_vec_mat(x):  # (the matrix's: the outer product of BV and g)
    return np.sum(np.tanh(BV @ x[:4].reshape(2, 2))) + np.sum(x)


def tanh_inner(x):  # (forward: np.inner's tangent got no matmul_fixed, 0 * inf)
    return np.tanh(np.inner(BV, x[:2])) + np.sum(np.tanh(np.inner(x[:4].reshape(2, 2), BV)))


@pytest.mark.parametrize("f", [tanh_vec_dot, tanh_mat_vec, tanh_vec_mat, tanh_inner])
def test_saturated_product_with_inf(f):
    _check(f, [0.3, 0.3, 0.5, -0.2])


def test_saturated_product_values():
    with np.errstate(all="ignore"):
        np.testing.assert_array_equal(srcad.grad(tanh_vec_dot)(np.array([0.3, 0.3, 0.5])), 1.0)
        np.testing.assert_array_equal(srcad.hessian(tanh_vec_dot)(np.array([0.3, 0.3, 0.5])), 0.0)


# 4. a NaN row skipped by a test of its sum ---------------------------------------------------

Y2 = np.array([[1.0, 2.0], [np.nan, 1.0], [0.5, -0.3]])
Y2C = Y2[[0, 2]]


def skip_nan_rows(w):
    s = 0.0
    for k in range(3):
        v = np.sum(Y2[k] * w)
        if np.isnan(v):
            continue
        s += v * v
    return s


def keep_finite_rows(w):
    s = 0.0
    for k in range(3):
        v = np.mean(Y2[k] * w)
        if not np.isnan(v):
            s = s + v**2
    return s


def where_of_row_sums(w):
    v = np.sum(Y2 * w, axis=1)
    return np.sum(np.where(np.isnan(v), 0.0, v * v))


def where_of_row_sums_keepdims(w):
    v = (Y2 * w).sum(axis=-1, keepdims=True)
    return np.sum(np.where(np.isfinite(v), np.sin(v), 0.0))


@pytest.mark.parametrize(
    "f", [skip_nan_rows, keep_finite_rows, where_of_row_sums, where_of_row_sums_keepdims]
)
def test_nan_rows_skipped_by_their_sum(f):
    _check(f, [0.3, 0.7])


def test_nan_rows_closed_form():
    w = np.array([0.3, 0.7])
    v = Y2C @ w
    np.testing.assert_allclose(srcad.grad(skip_nan_rows)(w), 2 * v @ Y2C, rtol=1e-13)
    np.testing.assert_allclose(srcad.hessian(skip_nan_rows)(w), 2 * Y2C.T @ Y2C, rtol=1e-13)


# 5. a weighted distance at its centre --------------------------------------------------------

WP = np.array([1.0, 2.0, 0.5])
CP = np.array([0.1, 0.2, 0.3])
WNEG = np.array([1.0, -2.0, 0.5])


def weighted_root(x):
    return np.sqrt(np.sum(WP * (x - CP) ** 2)) + np.sum(x**2)


def weighted_root_right(x):
    return np.sum(x**2) + np.sqrt(((x - CP) ** 2 * WP).sum())


def test_weighted_root_at_centre():  # (the subgradient 0, as np.linalg.norm's)
    with np.errstate(all="ignore"):
        for f in (weighted_root, weighted_root_right):
            np.testing.assert_allclose(srcad.grad(f)(CP.copy()), 2 * CP, rtol=1e-14)
            _, pull = srcad.vjp(f, CP.copy())
            np.testing.assert_allclose(pull(1.0)[0], 2 * CP, rtol=1e-14)
            with pytest.raises(srcad.SrcadError, match="second derivative of a magnitude at 0"):
                srcad.hessian(f)(CP.copy())
    _check(weighted_root, CP + np.array([0.1, -0.2, 0.05]))

    def negative(x):  # (a weight <= 0: 0 there is no norm's minimum, not masked)
        return np.sqrt(np.sum(WNEG * (x - CP) ** 2))

    with np.errstate(all="ignore"):
        assert np.isnan(srcad.grad(negative)(CP.copy())).all()


# 6. a loop sum of squares written ``t * t`` of two reads -------------------------------------


def cos_root_loop(x):
    d = 0.0
    for i in range(3):
        d += (x[i] - CP[i]) * (x[i] - CP[i])
    return np.cos(np.sqrt(d))


def exp_cos_root_loop(x):
    d = 0.0
    for i in range(3):
        d = d + (x[i] - CP[i]) * (x[i] - CP[i])
    return np.exp(np.cos(np.sqrt(d)))


def test_smooth_function_of_root_at_centre():
    with np.errstate(all="ignore"):
        for f, h in ((cos_root_loop, -1.0), (exp_cos_root_loop, -np.e)):
            np.testing.assert_array_equal(srcad.grad(f)(CP.copy()), 0.0)
            np.testing.assert_allclose(srcad.hessian(f)(CP.copy()), h * np.eye(3), rtol=1e-14)
    for f in (cos_root_loop, exp_cos_root_loop):
        _check(f, CP + np.array([0.3, -0.2, 0.1]))
        _check(f, CP.copy(), hess=False)


# 7. a Gaussian's derivatives at an infinite argument -----------------------------------------

EINF = np.array([np.inf, 0.5, 1.0])


def log_ndtr_of_shift(b, e):
    return np.sum(np.log(ndtr(e - b)))


def erf_of_shift(b, e):
    return np.sum(erf(e - b) ** 2 + erfc(b - e))


@pytest.mark.parametrize("f", [log_ndtr_of_shift, erf_of_shift])
def test_gaussian_derivatives_at_inf(f):
    b = np.array([0.2, 0.3, 0.4])
    with np.errstate(all="ignore"):
        h = srcad.hessian(f)(b, EINF)
        g = srcad.grad(f)
        want = np.array([(g(b + 1e-5 * u, EINF) - g(b - 1e-5 * u, EINF)) / 2e-5 for u in np.eye(3)])
        np.testing.assert_allclose(h, want, rtol=1e-5, atol=1e-8)
        assert h[0, 0] == 0.0
        np.testing.assert_allclose(srcad.jacfwd(srcad.grad(f))(b, EINF), h, rtol=1e-12)
        np.testing.assert_allclose(srcad.jacrev(srcad.grad(f))(b, EINF), h, rtol=1e-12)
