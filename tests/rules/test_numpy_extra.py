"""NumPy functions of issue 10 item 6 (median/percentile/quantile, interp, kron, polyval,
trapezoid, gradient, convolve, cross axes, select, append, nan_to_num, partition, reductions with
`where=`/`initial=`, einsum sublists): what the rule table cannot express -- ties, masks, exact
values, second order (srcad.hessian against central differences of srcad's gradient) and refusals.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

XP = np.array([-2.0, -0.5, 0.4, 1.5, 3.0])
FP = np.array([1.0, 2.0, -1.0, 0.5, 0.25])


def fd_hessian(f, z: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """Central differences of srcad's gradient, one column per element of `z`."""
    g = srcad.grad(f)
    cols = []
    for i in range(z.size):
        e = np.zeros(z.size)
        e[i] = eps
        e = e.reshape(z.shape)
        cols.append(np.ravel(g(z + e) - g(z - e)) / (2 * eps))
    return np.array(cols).T


def fd_grad(f, z: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    out = np.zeros(z.size)
    for i in range(z.size):
        e = np.zeros(z.size)
        e[i] = eps
        e = e.reshape(z.shape)
        out[i] = (f(z + e) - f(z - e)) / (2 * eps)
    return out.reshape(z.shape)


# -- ties, masks and exact values --------------------------------------------------------------
def median_sum(a):
    return np.sum(np.median(a))


def test_median_tie_goes_to_the_first_occurrence():
    # sorted [1, 2, 2]: rank 1 is the first 2 (a stable sort); central differences see 0.5/0.5
    a = np.array([2.0, 1.0, 2.0])
    np.testing.assert_array_equal(srcad.grad(median_sum)(a), [1.0, 0.0, 0.0])
    np.testing.assert_allclose(fd_grad(median_sum, a), [0.5, 0.0, 0.5], atol=1e-8)


def pct80(a):
    return np.percentile(a, 80.0)


def test_percentile_weights_between_order_statistics():
    # virtual index 0.8 * 3 = 2.4: 0.6 on rank 2, 0.4 on rank 3 (the two 3.0s, first one first)
    a = np.array([3.0, 1.0, 3.0, 2.0])
    assert srcad.primal(pct80)(a) == np.percentile(a, 80.0)
    np.testing.assert_allclose(srcad.grad(pct80)(a), [0.6, 0.0, 0.4, 0.0], rtol=1e-15)
    b = np.array([3.0, 1.0, 4.0, 2.0])  # no tie: finite differences agree
    np.testing.assert_allclose(srcad.grad(pct80)(b), fd_grad(pct80, b), atol=1e-8)
    np.testing.assert_allclose(srcad.grad(pct80)(b), [0.6, 0.0, 0.4, 0.0], rtol=1e-14)


def nanmed(a):
    return np.nanmedian(a)


def test_nanmedian_skips_nans():
    a = np.array([0.5, np.nan, -1.0, 2.0, np.nan, 0.7])
    np.testing.assert_array_equal(srcad.grad(nanmed)(a), [0.5, 0, 0, 0, 0, 0.5])


def masked_mean(x, m):
    return np.mean(x, where=m)


def test_mean_where_exact():
    x = np.array([0.3, -1.2, 2.5, 0.7])
    m = np.array([True, False, True, True])
    assert srcad.primal(masked_mean)(x, m) == np.mean(x, where=m)
    np.testing.assert_array_equal(srcad.grad(masked_mean)(x, m), m / 3.0)


def max_init(x, b):
    return np.max(x, initial=b)


def test_max_initial_carries_its_derivative():
    x = np.array([0.3, -1.2, 2.5])
    assert srcad.grad(max_init, wrt=(0, 1))(x, 4.0)[1] == 1.0
    np.testing.assert_array_equal(srcad.grad(max_init, wrt=(0, 1))(x, 4.0)[0], [0, 0, 0])
    gx, gb = srcad.grad(max_init, wrt=(0, 1))(x, 2.5)  # a tie: shared equally
    np.testing.assert_array_equal(gx, [0, 0, 0.5])
    assert gb == 0.5


def interp_x(x):
    return np.sum(np.interp(x, XP, FP))


def test_interp_slope_exact():
    # slopes of the segments holding each x; 0 outside [xp[0], xp[-1]); at a breakpoint the
    # right-hand segment's slope
    x = np.array([-3.0, -1.0, -0.5, 1.0, 3.0, 4.0])
    want = [0.0, 1 / 1.5, -3.0 / 0.9, 1.5 / 1.1, 0.0, 0.0]
    np.testing.assert_allclose(srcad.grad(interp_x)(x), want, rtol=1e-14)


def sum_initial(x):
    return np.sum(x, initial=x[0])


def test_sum_initial_active():
    x = np.array([0.3, -1.2, 2.5])
    np.testing.assert_array_equal(srcad.grad(sum_initial)(x), [2.0, 1.0, 1.0])


# -- second order: the Hessian of each function of the packed vector z --------------------------
def h_quantile(z):
    a = z.reshape(3, 4)
    return np.sum(np.quantile(a, [0.3, 0.8], axis=1) ** 2) + np.median(a) ** 3


def h_interp(z):
    return np.sum(np.interp(z[:4], XP, z[4:]) ** 2 * z[:4])


def h_kron(z):
    return np.sum(np.kron(z[:2], z[2:].reshape(2, 2)) ** 3)


def h_polyval(z):
    return np.sum(np.polyval(z[:4], z[4:]) ** 2)


def h_trapezoid(z):
    return np.trapezoid(z[:4] ** 2, np.cumsum(np.exp(z[4:]))) + np.trapezoid(z[:4] ** 3, dx=z[0])


def h_gradient(z):
    return np.sum(np.gradient(z**2, 0.5, edge_order=2) ** 2)


def h_convolve(z):
    return np.sum(np.convolve(z[:4], z[4:], "same") ** 2)


def h_cross(z):
    a = z[:6].reshape(3, 2)
    return np.sum(np.cross(a, a**2 + z[6:].reshape(3, 1), axis=0) ** 2)


def h_select(z):
    return np.sum(np.select([z > 1.0, z < -0.5], [z**3, z**2], z * z[0]) ** 2)


def h_append(z):
    return np.sum(np.append(z[:2] ** 2, z[2:] * z[0]) ** 2)


def h_nan_to_num(z):
    return np.sum(np.nan_to_num(np.log(z), nan=z[0], neginf=z[1]) ** 2)


def h_partition(z):
    return np.sum(np.partition(z, 2) ** 2 * np.arange(z.size))


def h_reductions(z):
    m = np.array([True, False, True, True, True, False])
    s = np.sum(z**2, where=m, initial=z[1]) + np.mean(z**3, where=m)
    return s + np.prod(z, where=m, initial=z[1]) + np.max(z**2, where=m, initial=z[5] ** 2)


def h_rollaxis(z):
    return np.sum(np.rollaxis(z.reshape(2, 3), 1) ** 3 * np.arange(6).reshape(3, 2))


def h_einsum_sublist(z):
    a, b = z[:6].reshape(2, 3), z[6:].reshape(3, 2)
    return np.sum(np.einsum(a, [0, 1], b, [1, 26]) ** 2)


SECOND = [
    (h_quantile, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4, 0.8, 1.1, -2.0, 0.1, 0.6, 1.4])),
    (h_interp, np.array([-1.0, 0.1, 0.9, 2.2, 1.0, 2.0, -1.0, 0.5, 0.25])),
    (h_kron, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_polyval, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4, 0.8])),
    (h_trapezoid, np.array([0.3, -1.2, 2.5, 0.7, 0.2, -0.4, 0.8, 0.1])),
    (h_gradient, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_convolve, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_cross, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4, 0.8, 1.1, -2.0])),
    (h_select, np.array([1.3, -1.2, 0.5, 0.7, 1.9, -0.4])),
    (h_append, np.array([0.3, -1.2, 2.5, 0.7, 1.9])),
    (h_nan_to_num, np.array([0.3, 1.2, 2.5, 0.7, 1.9, 0.4])),
    (h_partition, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_reductions, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_rollaxis, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4])),
    (h_einsum_sublist, np.array([0.3, -1.2, 2.5, 0.7, 1.9, -0.4, 0.8, 1.1, -2.0, 0.1, 0.6, 1.4])),
]


@pytest.mark.parametrize("f, z", SECOND, ids=[f.__name__ for f, _ in SECOND])
def test_hessian_vs_fd_of_the_gradient(f, z):
    np.testing.assert_allclose(srcad.grad(f)(z), fd_grad(f, z), rtol=1e-6, atol=1e-6)
    H = srcad.hessian(f)(z)
    np.testing.assert_allclose(H, fd_hessian(f, z), rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(H, H.T, atol=1e-10)


def test_nan_to_num_derivative_is_zero_where_replaced():
    z = np.array([0.3, 1.2, -2.5, 0.7])  # log(-2.5) is nan: replaced by z[0]
    g = srcad.grad(h_nan_to_num)(z)
    assert g[2] == 0.0
    np.testing.assert_allclose(g[1], 2 * np.log(1.2) / 1.2, rtol=1e-14)
    np.testing.assert_allclose(g[0], 2 * np.log(0.3) / 0.3 + 2 * z[0], rtol=1e-14)


# -- refusals ----------------------------------------------------------------------------------
def q_active(a, q):
    return np.quantile(a, q)


def xp_active(x, xp):
    return np.sum(np.interp(x, xp, FP))


def left_active(x, b):
    return np.sum(np.interp(x, XP, FP, left=b))


def spacing_active(f, h):  # over all axes of a 2-D f (one axis: lower/gradient_np.py)
    return sum(np.sum(g) for g in np.gradient(f, h))


def quantile_weights(a):
    return np.quantile(a, 0.5, method="inverted_cdf", weights=np.ones(3))


def nan_to_num_inplace(x):
    return np.sum(np.nan_to_num(x, copy=False))


@pytest.mark.parametrize(
    "f, args, wrt, msg",
    [
        (q_active, (np.array([0.3, 1.0, 2.0]), 0.4), 1, "`q`"),
        (spacing_active, (np.array([[0.3, 1.0, 2.0], [0.1, 0.5, 0.4]]), 0.5), 1, "pass axis=k"),
        (quantile_weights, (np.array([0.3, 1.0, 2.0]),), 0, "weights"),
        (nan_to_num_inplace, (np.array([0.3, 1.0]),), 0, "copy=False"),
    ],
)
def test_refused(f, args, wrt, msg):
    with pytest.raises(srcad.SrcadError, match=msg):
        srcad.grad(f, wrt=wrt)(*args)


def test_xp_active_is_differentiated():
    # (refused before session 13: rules/numpy_api13 has the xp terms)
    x = np.array([0.3, 1.0])
    g = srcad.grad(xp_active, wrt=1)(x, XP)
    h = 1e-6
    fd = [(xp_active(x, XP + h * e) - xp_active(x, XP - h * e)) / (2 * h) for e in np.eye(len(XP))]
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("x", [np.array([-3.0, 1.0, 4.0]), np.array([-2.2, -2.5, 0.3])])
def test_left_right_active_are_differentiated(x):
    # (refused before session 21: rules/numpy_api13 has the left/right terms; left where x < xp[0])
    check_grads(left_active, (x, 0.5), modes=("fwd", "rev"))
    g = srcad.grad(left_active, wrt=1)(x, 0.5)
    assert g == np.sum(x < XP[0])
    check_grads(lambda x, b: np.sum(np.interp(x, XP, FP, right=b * x[0]) ** 2), (x, 0.5))
