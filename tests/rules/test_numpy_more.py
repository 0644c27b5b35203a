"""NumPy calls a ported corpus found refused (srcad.rules.numpy_more and the call rewrites of
srcad.lower.library): divmod, np.ptp, np.ediff1d, np.diff(prepend=, append=),
np.linalg.multi_dot, np.maximum/minimum.accumulate, np.logaddexp(2).reduce,
np.pad(constant_values=), np.take(mode=). Exact values against NumPy, derivatives against central
differences (first and second order), ties, refusals."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

R = np.random.default_rng(7)
V5 = np.array([0.3, -1.2, 0.8, 2.1, -0.4])
M34 = R.standard_normal((3, 4))


def f_divmod(x):
    q, r = divmod(x, 0.4)
    return r * x + q


def f_np_divmod(x, y):
    q, r = np.divmod(x, y)
    return np.sum(r * r + q)


def f_ptp(A):
    return np.ptp(A, axis=1, keepdims=True) * np.ptp(A) + np.ptp(A, 0)


def f_ptp_sum(x):
    return np.ptp(x)


def f_ediff1d(x, b):
    return np.ediff1d(x, to_begin=b, to_end=[x[0], 2.0]) ** 2


def f_diff_edges(A, p):
    return np.diff(A, prepend=p, append=A[:, :1] * 2.0) ** 2


def f_diff_axis0(A, s):
    return np.diff(A, 2, axis=0, prepend=s) * A[0]


def f_multi_dot(A, B, C, v):
    return np.linalg.multi_dot([v, A, B, C, v])


def f_accumulate(A):
    return np.maximum.accumulate(A, axis=1) * np.minimum.accumulate(A)


def f_maxacc(x):
    return np.sum(np.maximum.accumulate(x))


def f_lae(A):
    return np.logaddexp.reduce(A, axis=1) + np.logaddexp2.reduce(A, axis=0, keepdims=True).sum()


def f_lae_flat(x):
    return np.logaddexp.reduce(x)


def f_pad(x, c):
    return np.pad(x, ((1, 0), (2, 1)), constant_values=c) ** 2


def f_pad_sum(x, c):
    return np.sum(f_pad(x, c))


def f_take(x):
    return np.take(x, [7, -8, 1, 1], mode="wrap") * np.take(x, [-3, 9, 2, 0], mode="clip")


def f_diff_n_unknown(x, n):
    return np.diff(x, n, prepend=0.0)


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (f_divmod, (1.3,)),
        (f_np_divmod, (V5 + 3.05, np.array([0.7, 0.9, 1.1, 0.6, 0.8]))),
        (f_ptp, (M34,)),
        (f_ediff1d, (V5, 0.7)),
        (f_diff_edges, (M34, 0.6)),
        (f_diff_edges, (M34, R.standard_normal((3, 2)))),
        (f_diff_axis0, (M34, -0.3)),
        (f_multi_dot, (M34.T, M34, R.standard_normal((4, 4)), R.standard_normal(4))),
        (f_accumulate, (M34,)),
        (f_lae, (M34,)),
        (f_pad, (R.standard_normal((2, 3)), 0.7)),
        (f_take, (V5,)),
    ],
)
def test_against_numpy_and_central_differences(f, args) -> None:
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-13, atol=1e-13)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


def test_divmod_exact() -> None:
    # q = 3, r = 1.3 - 1.2: d(r x + q)/dx = r + x
    assert srcad.grad(f_divmod)(1.3) == pytest.approx(1.3 % 0.4 + 1.3, abs=1e-15)
    # the remainder's derivative in the divisor is -q; the quotient's is 0
    x, y = V5 + 3.05, np.array([0.7, 0.9, 1.1, 0.6, 0.8])
    gx, gy = srcad.grad(f_np_divmod, wrt=(0, 1))(x, y)
    q, r = np.divmod(x, y)
    np.testing.assert_allclose(gx, 2 * r, rtol=1e-13)
    np.testing.assert_allclose(gy, -2 * r * q, rtol=1e-13)


def test_ptp_ties_share_like_max_and_min() -> None:
    g = srcad.grad(f_ptp_sum)(np.array([1.0, 3.0, 3.0, 0.0, 0.0]))
    np.testing.assert_array_equal(g, [0.0, 0.5, 0.5, -0.5, -0.5])


def test_accumulate_ties_and_exact() -> None:
    # running maxima 1, 2, 2, 2: the tie at 2 is shared by x[1] and x[2] from place 2 on
    g = srcad.grad(f_maxacc)(np.array([1.0, 2.0, 2.0, -1.0]))
    np.testing.assert_array_equal(g, [1.0, 2.0, 1.0, 0.0])


def test_logaddexp_reduce_is_stable() -> None:
    x = np.array([1000.0, 1000.0, -1000.0])
    assert srcad.primal(f_lae_flat)(x) == pytest.approx(1000.0 + np.log(2.0), rel=1e-15)
    np.testing.assert_allclose(srcad.grad(f_lae_flat)(x), [0.5, 0.5, 0.0], atol=1e-300)


def test_pad_constant_values_gradient_exact() -> None:
    x, c = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), 0.7
    gx, gc = srcad.grad(f_pad_sum, wrt=(0, 1))(x, c)
    np.testing.assert_allclose(gx, 2 * x, rtol=1e-15)
    assert gc == pytest.approx(2 * c * (3 * 6 - 6), rel=1e-14)  # 12 border cells


def test_diff_with_unknown_order_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="diff"):
        srcad.grad(f_diff_n_unknown)(V5, 1)


def f_polyfit(y):
    return np.polyfit(np.arange(5.0), y, 2)


def f_polyfit_x(x, y):
    return np.polyfit(x, y, 1)


def f_cov(A, B):
    return np.cov(A, B, rowvar=False, ddof=0) + np.cov(A[0], bias=True)


def f_corrcoef(A):
    return np.corrcoef(A) * np.corrcoef(A[0], A[1])[0, 1]


def f_correlate(a, v):
    return np.correlate(a, v) * np.sum(np.correlate(v, a, "full"))


def f_correlate_same(a, v):
    return np.correlate(a, v, "same") ** 2


def f_vander_list(x):
    return np.vander([x[0], 2.0, x[1]], 3)


def f_vander(x):
    return np.vander(x, 4, increasing=True).T @ np.vander(x)


def f_meshgrid(x, y, z):
    X, Y, Z = np.meshgrid(x, y, z)
    A, B = np.meshgrid(x, y, indexing="ij", sparse=True)
    return (X * Y * Z).sum(axis=2) + (A * B).T


@pytest.mark.parametrize(
    ("f", "args"),
    [
        (f_polyfit, (V5,)),
        (f_cov, (M34.T.copy(), R.standard_normal((4, 2)))),
        (f_corrcoef, (M34,)),
        (f_correlate, (V5, np.array([0.5, -1.0, 2.0]))),
        (f_vander, (np.array([0.0, 0.5, -1.5]),)),
        (f_vander_list, (np.array([0.7, -1.2]),)),
        (f_correlate_same, (V5, np.array([0.5, -1.0, 2.0]))),
        (f_correlate_same, (np.array([0.5, -1.0]), V5)),
        (f_correlate_same, (np.array([0.5, -1.0, 0.3]), V5[:4].copy())),
        (f_meshgrid, (V5[:3], np.array([0.4, -0.9]), np.array([1.5, 0.2, -0.3, 0.8]))),
    ],
)
def test_rewritten_calls(f, args) -> None:
    np.testing.assert_allclose(srcad.primal(f)(*args), f(*args), rtol=1e-12, atol=1e-13)
    check_grads(f, args, modes=("fwd", "rev"))
    check_grads(f, args, modes=("fwd",), order=2)


def test_polyfit_gradient_is_the_pseudo_inverse() -> None:
    x = np.arange(5.0)
    V = np.vander(x, 3)
    want = np.linalg.pinv(V)  # c = pinv(V) y: the Jacobian in y
    np.testing.assert_allclose(srcad.jacfwd(f_polyfit)(V5), want, atol=1e-12)
    np.testing.assert_allclose(srcad.jacrev(f_polyfit)(V5), want, atol=1e-12)


def test_polyfit_in_x_is_refused() -> None:
    with pytest.raises(srcad.SrcadError, match="polyfit"):
        srcad.grad(lambda x, y: np.sum(f_polyfit_x(x, y)))(V5, V5)
    with pytest.raises(srcad.SrcadError, match="polyfit") as e:
        srcad.jacfwd(f_polyfit_x)(V5, V5)
    assert "test_numpy_more.py" in str(e.value)


def test_vander_at_zero_is_finite() -> None:
    J = srcad.jacfwd(lambda x: np.vander(x, 3))(np.array([0.0, 2.0]))
    assert np.all(np.isfinite(J))
    np.testing.assert_allclose(J[:, 0, 0], [0.0, 0.0])  # d x^2 / dx at 0
    np.testing.assert_allclose(J[:, 1, 1], [0.0, 1.0])  # d x / dx


def gradient_2d(f):
    return np.sum(np.gradient(f)[0])


def f_gradient_axes(A):
    gy, gx = np.gradient(A, 0.5, np.array([0.0, 0.3, 1.1, 1.5]))
    g0, g2 = np.gradient(A[None] * A[:, None], axis=(2, 0), edge_order=2)
    return gy * gx + g0.sum() - g2.sum(axis=1)


def test_gradient_over_several_axes() -> None:
    # was refused ("several axes"); d sum(np.gradient(f)[0]) / df: the column sums of the
    # axis-0 difference matrix [[-1, 1, 0], [-1/2, 0, 1/2], [0, -1, 1]], on every column
    want = np.repeat([[-1.5], [0.0], [1.5]], 3, axis=1)
    np.testing.assert_array_equal(srcad.grad(gradient_2d)(np.ones((3, 3))), want)
    A = R.standard_normal((3, 4))
    np.testing.assert_allclose(srcad.primal(f_gradient_axes)(A), f_gradient_axes(A), rtol=1e-14)
    check_grads(f_gradient_axes, (A,), modes=("fwd", "rev"))
    check_grads(f_gradient_axes, (A,), modes=("fwd",), order=2)


def f_tolist(x):
    vals = x.tolist()
    return vals[0] * vals[1] + sum(vals)


def f_tolist_2d(A):
    rows = A.tolist()
    return rows[0][1] * rows[1][2] + sum(v * v for v in rows[1])


def test_tolist_elements_carry_the_derivative() -> None:
    x = np.array([0.5, -2.0, 3.0])
    assert srcad.primal(f_tolist)(x) == f_tolist(x)
    np.testing.assert_array_equal(srcad.grad(f_tolist)(x), [-1.0, 1.5, 1.0])
    A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    want = np.array([[0.0, 6.0, 0.0], [8.0, 10.0, 14.0]])  # 2 A[1] and A[0, 1] on A[1, 2]
    np.testing.assert_array_equal(srcad.grad(f_tolist_2d)(A), want)
    check_grads(f_tolist_2d, (A,), modes=("fwd", "rev"))
    check_grads(f_tolist_2d, (A,), modes=("fwd",), order=2)


def f_ndenumerate(A):
    s = 0.0
    for (i, j), v in np.ndenumerate(A):
        s = s + v * (i + 2 * j) + v * v
    return s


def test_ndenumerate_loop() -> None:
    A = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
    assert srcad.primal(f_ndenumerate)(A) == pytest.approx(f_ndenumerate(A), rel=1e-15)
    want = np.array([[0.0, 2.0, 4.0], [1.0, 3.0, 5.0]]) + 2 * A  # i + 2 j + 2 v
    np.testing.assert_allclose(srcad.grad(f_ndenumerate)(A), want, rtol=1e-15)
    check_grads(f_ndenumerate, (A,), modes=("fwd", "rev"))
    check_grads(f_ndenumerate, (A,), modes=("fwd",), order=2)


def test_logaddexp_reduce_values_and_hessian() -> None:
    from srcad.runtime import lae_reduce

    A = R.standard_normal((3, 4))
    for axis, keep in ((0, False), (1, True), (None, False)):
        np.testing.assert_allclose(
            lae_reduce(A, axis, keep), np.logaddexp.reduce(A, axis=axis, keepdims=keep), rtol=1e-14
        )
    assert lae_reduce(np.array([-np.inf, -np.inf]), 0, False) == -np.inf
    assert lae_reduce(np.array([np.inf, 1.0]), 0, False) == np.inf
    x = np.array([0.3, -1.2, 2.0])
    w = np.exp(x - np.logaddexp.reduce(x))
    np.testing.assert_allclose(
        srcad.hessian(f_lae_flat)(x), np.diag(w) - np.outer(w, w), atol=1e-15
    )
