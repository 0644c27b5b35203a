"""NumPy/`math` calls users make that srcad refused (srcad.rules.numpy_more3 and the rewrites of
srcad.lower.library_np): np.modf, np.linalg.matrix_rank, np.linalg.tensorinv/tensorsolve,
np.cov with fweights/aweights, math.dist, np.diagflat, np.logaddexp(2).accumulate, np.var/std
with correction= and mean=, np.delete, np.resize, np.nancumsum/nancumprod, and the refusal of
np.ma. Values against NumPy, derivatives against central differences (first and second order)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(9750001)
V3 = np.array([0.3, 0.7, 1.2])


def f_modf(x):
    frac, whole = np.modf(x * 3.0)
    return frac * whole * x + np.modf(x)[0] ** 2


def f_rank(x):
    a = np.outer(x, x)
    return np.linalg.matrix_rank(a) * a


def f_tensorinv(a):
    return np.linalg.tensorinv(a) ** 2


def f_tensorinv1(a):
    return np.linalg.tensorinv(a, ind=1)


def f_tensorsolve(a, b):
    return np.linalg.tensorsolve(a, b)


def f_tensorsolve_axes(a, b):
    return np.linalg.tensorsolve(a, b, axes=(0, 2))


def f_cov_aweights(X, w):
    return np.cov(X, aweights=w)


def f_cov_both(X, w):
    return np.cov(X, X[:1] ** 2, fweights=[1, 3, 2, 1], aweights=w, ddof=2)


def f_cov_fweights(X):
    return np.cov(X.T, rowvar=False, fweights=np.array([2, 1, 1, 4]), bias=True)


def f_cov_1d(x, w):
    return np.cov(x, aweights=w, ddof=0)


def f_dist(x, y):
    return math.dist([x[0], x[1] * y], [1.0, y])


def f_dist_arrays(x, y):
    return math.dist(x, y) * x[0]


def f_diagflat(x, A):
    return np.diagflat(x, 1) * 2.0 + np.diagflat(A, k=-1).sum() * np.diagflat(x[:2] ** 2, 2)


def f_lae_accumulate(x, A):
    return np.logaddexp.accumulate(x) * x[0] + np.logaddexp.accumulate(A, axis=1).sum(0)


def f_lae2_accumulate(A):
    return np.logaddexp2.accumulate(A, 0) ** 2


def f_var_correction(A):
    return np.var(A, axis=1, correction=1) + np.std(A, correction=1.5) * np.nanstd(
        A, 1, correction=1
    )


def f_var_mean(A):
    # NumPy >= 2.0's mean= (the mean given, not recomputed): with axis/keepdims, where=, ddof,
    # correction= and a complex input (lower/library_np.var_of_mean)
    m = np.mean(A, axis=1, keepdims=True) * 0.9
    return (
        np.var(A, axis=1, mean=m, ddof=1) * np.std(A, mean=np.mean(A))
        + np.std(A, axis=0, mean=A[:1], keepdims=True, correction=1)[0, :3]
        + np.var(A, mean=0.2, where=A > 0.0)
        + np.std(A[0] * (1 + 2j), mean=A[1, 0] * 1j)
    )


def f_delete(A):
    return np.delete(A, [0, 2], axis=1) ** 2 + np.delete(A, -1, 1).sum() * np.delete(A, 3)[:2]


def f_delete_mask_slice(A):
    return (
        np.delete(A[0], np.array([True, False, True, False]))
        * np.delete(A, slice(1, None, 2), 0)[:, :2]
    )


def f_resize(A):
    return np.resize(A, (2, 7)) ** 2 + np.resize(A[0], 14).reshape(2, 7) * np.resize(A, 3)[0]


def f_nancumsum(A):
    B = np.where(A > 1.0, np.nan, A)
    return np.nancumsum(B, axis=1) * np.nancumprod(B, axis=0) + np.nancumsum(A)[-1]


T6 = np.eye(6) * 3.0 + 0.3 * R.standard_normal((6, 6))
CASES = [
    (f_modf, (np.array([0.3, -0.7, 1.2, 2.6]),)),
    (f_rank, (V3,)),
    (f_tensorinv, (T6.reshape(2, 3, 6),)),
    (f_tensorinv1, (T6[:3, :3] + 0.0,)),
    (f_tensorsolve, (T6.reshape(2, 3, 2, 3), R.standard_normal((2, 3)))),
    (f_tensorsolve_axes, (T6.reshape(2, 3, 6).transpose(0, 2, 1) + 0.0, R.standard_normal(6))),
    (f_cov_aweights, (R.standard_normal((2, 4)), np.array([1.0, 2.0, 0.5, 1.5]))),
    (f_cov_both, (R.standard_normal((3, 4)), np.array([1.0, 2.0, 0.5, 1.5]))),
    (f_cov_fweights, (R.standard_normal((2, 4)),)),
    (f_cov_1d, (R.standard_normal(5), np.array([1.0, 2.0, 0.5, 1.5, 0.7]))),
    (f_dist, (V3, 0.4)),
    (f_dist_arrays, (V3, np.array([1.0, -0.5, 2.0]))),
    (f_diagflat, (V3, R.standard_normal((2, 2)))),
    (f_lae_accumulate, (V3, R.standard_normal((4, 3)))),
    (f_lae2_accumulate, (R.standard_normal((3, 2)),)),
    (f_var_correction, (R.standard_normal((3, 4)),)),
    (f_var_mean, (R.standard_normal((3, 4)),)),
    (f_delete, (R.standard_normal((3, 4)),)),
    (f_delete_mask_slice, (R.standard_normal((3, 4)),)),
    (f_resize, (R.standard_normal((3, 4)),)),
    (f_nancumsum, (np.array([[0.3, 1.4, -0.2], [1.1, 0.5, 0.9], [-0.7, 0.2, 1.6]]),)),
]


@pytest.mark.parametrize(("f", "args"), CASES, ids=[f.__name__ for f, _ in CASES])
def test_against_numpy_and_central_differences(f, args) -> None:
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-13, atol=1e-13)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


def test_cov_weights_checked_as_numpy() -> None:
    def f(x):
        return np.cov(np.stack([x, x]), fweights=[1.5, 1, 1]).sum()

    with pytest.raises(TypeError, match="fweights must be integer"):
        srcad.grad(f)(V3)


def test_delete_and_correction_as_numpy() -> None:
    # np.delete's positions out of range raise NumPy's IndexError; ddof and correction together
    # are NumPy's ValueError, refused (not one of them silently ignored)
    with pytest.raises(IndexError):
        srcad.grad(lambda x: np.delete(x, 5).sum())(V3)
    with pytest.raises(srcad.SrcadError, match="cannot bind"):
        srcad.grad(lambda x: np.var(x, ddof=1, correction=1))(V3)
    ints = np.arange(4)
    assert srcad.primal(lambda x: np.nancumsum(x))(ints).dtype == np.nancumsum(ints).dtype


def test_dist_at_equal_points_is_zero() -> None:
    # math.dist is not differentiable at p == q: the minimum-norm subgradient, 0
    assert np.array_equal(srcad.grad(lambda x: math.dist(x, V3))(V3.copy()), np.zeros(3))


def test_logaddexp_accumulate_from_minus_infinity_and_far_apart() -> None:
    def f(x):
        return np.sum(np.logaddexp.accumulate(x))

    # sum_k exp(x_j - out_k) over k >= j: no NaN from -inf, no overflow from -1000
    got = srcad.grad(f)(np.array([-1000.0, 0.0, -np.inf, 3.0]))
    w = np.exp(3.0 - np.logaddexp(0.0, 3.0))
    np.testing.assert_allclose(got, [1.0, 2.0 + np.exp(-np.logaddexp(0.0, 3.0)), 0.0, w])


def test_masked_arrays_refused_by_name() -> None:
    def f(x):
        return np.ma.masked_greater(x, 1.0).sum()

    with pytest.raises(srcad.SrcadError, match=r"masked arrays \(`np.ma.masked_greater`\)"):
        srcad.grad(f)(V3)
