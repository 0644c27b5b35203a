"""Hessians through the runtime helpers' own rules (the helpers first-order code calls: products,
linalg, var/std, prod/cumprod, math.prod, digamma/polygamma, x ** y): `srcad.hessian(f)` against
central differences of `srcad.grad(f)` and against closed forms with exact numbers, symmetric;
`srcad.hvp` agrees with `hessian @ v`; third derivatives where the chain closes again."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
import srcad.runtime as _srcad
from srcad.rules.helpers import NO_RULES

RNG = np.random.default_rng(20240921)
A0 = np.array([[2.0, 0.5, -0.3], [0.1, 1.5, 0.4], [-0.2, 0.3, 1.8]])
SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
B0 = np.array([1.0, -2.0, 0.5])
M0 = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def _fd_jac(g, x, h=1e-5):
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e.flat[j] = h
        cols.append(np.ravel((np.asarray(g(x + e)) - np.asarray(g(x - e))) / (2 * h)))
    return np.stack(cols, axis=-1).reshape(np.shape(x) + np.shape(x))


# -- the functions (module level: srcad reads their source) --------------------------------
def dot_quad(x):
    return np.dot(x, np.dot(M0.T @ M0, x)) + np.inner(x, x) ** 2


def tensordot_f(x):
    y = np.reshape(x, (2, 3))
    return np.sum(np.tensordot(y, y, axes=([1], [1])) ** 2)


def einsum_f(x):
    y = np.reshape(x, (2, 3))
    return np.einsum("ij,kj,ik->", y, y, np.ones((2, 2))) + np.einsum("ij,ij->", y, y) ** 2


def vecdot_f(x):
    y = np.reshape(x, (2, 3))
    return np.sum(np.linalg.vecdot(y, y * y))


def det_f(x):
    return np.linalg.det(np.reshape(x, (3, 3)))


def slogdet_f(x):
    sign, logdet = np.linalg.slogdet(np.reshape(x, (3, 3)))
    return logdet


def solve_f(x):
    a = np.reshape(x[:9], (3, 3))
    return np.sum(np.linalg.solve(a, x[9:]) ** 2)


def solve_mat_f(x):
    a = np.reshape(x[:9], (3, 3))
    return np.sum(np.linalg.solve(a, np.reshape(x[9:], (3, 2))) ** 2)


def cholesky_f(x):
    a = np.reshape(x, (3, 3))
    a = a @ a.T + np.eye(3)
    return np.sum(np.linalg.cholesky(a) ** 3)


def cholesky_upper_f(x):
    a = np.reshape(x, (3, 3))
    return np.sum(np.sin(np.linalg.cholesky(a @ a.T + np.eye(3), upper=True)))


def norm_f(x):
    return np.linalg.norm(x) + np.linalg.norm(x, 3) ** 2


def norm_p_f(x):  # the order p depends on the input: norm_dord differentiated again
    return np.linalg.norm(x[:3], x[3]) ** 2


def norm_axis_f(x):
    return np.sum(np.linalg.norm(np.reshape(x, (2, 3)), axis=1) ** 3)


def norm_fro_f(x):
    return np.linalg.norm(np.reshape(x, (2, 3)), "fro") * np.sum(x)


def var_std_f(x):
    y = np.reshape(x, (2, 3))
    return np.var(x) * np.std(y, axis=1, ddof=1).sum() + np.mean(x) ** 2


def nanvar_f(x):
    y = np.where(np.arange(6) == 2, np.nan, x)
    return np.nanvar(y) + np.nanstd(y) ** 3


def average_f(x):
    a, w = np.reshape(x[:6], (2, 3)), x[6:] ** 2 + 0.5
    return np.sum(np.average(a, axis=1, weights=w) ** 2)


def prod_f(x):
    return np.prod(x) + np.sum(np.prod(np.reshape(x, (2, 2)), axis=0) ** 2)


def cumprod_f(x):
    return np.sum(np.cumprod(x) ** 2)


def math_prod_f(x):
    return math.prod([x[0], x[1], x[2]]) ** 2


def lgamma(t):
    return math.lgamma(t)


def lgamma_gamma(x):
    return math.lgamma(x[0]) * math.gamma(x[1] / 2.0) + math.gamma(x[0] * x[1])


def pow_f(x):
    return x[0] ** x[1] + x[1] ** (x[0] * x[2])


def lib24_special_f(x):  # scipy_extra24: exprel, wrightomega, ellipk/ellipe (sp_h2f1)
    import scipy.special as sp

    m = np.tanh(x)
    return np.sum(sp.exprel(x * x[0]) + sp.wrightomega(x) * x[::-1] + sp.ellipk(m) * sp.ellipe(m))


def lib24_lfilter_f(x):  # scipy_signal24: sp_lfilter, sp_lfilter_t, sp_lag_corr in b, a, x
    import scipy.signal as ss

    y = ss.lfilter(x[:2], np.array([1.0, -0.5 * x[2]]), x * x[4])
    return np.sum(y**2) + np.sum(ss.lfilter([1.0], [1.0, -0.3], x[::-1])[::-1] * x)


def lib24_simpson_f(x):  # scipy_extra24: simpson_apply and its transpose simpson_apply_t
    import scipy.integrate as si

    y = np.sin(x) * x
    return si.simpson(y**2, dx=0.3) + np.sum(si.cumulative_simpson(y, x=np.arange(4.0) ** 1.3) ** 2)


def lib25_ndimage_f(x):  # scipy_ndimage25: ndi_corr (x, w), its transposes, ndi_sep, savgol
    import scipy.ndimage as nd
    import scipy.signal as ss

    img = np.reshape(x, (2, 3))
    u = nd.correlate(img * img, np.reshape(x[:4], (2, 2)), mode="mirror")
    v = nd.gaussian_filter(np.sin(img), 0.7, mode="wrap") * img
    w = nd.convolve1d(img**2, x[3:], axis=1, mode="constant", cval=0.2)
    return np.sum(u * v) + np.sum(np.tanh(w)) + np.sum(ss.savgol_filter(x * x[0], 5, 2) ** 2)


def lib25_lambertw_f(x):  # scipy_special25: lambertw, branches 0 and -1, real and complex z
    import scipy.special as sp

    w0 = np.real(sp.lambertw(np.exp(x) * x[0]))
    wm = np.real(sp.lambertw(-0.2 * np.exp(-(x**2)), -1))
    return np.sum(w0 * x) + np.sum(wm**2) + np.sum(np.abs(sp.lambertw(x + 1j * x[::-1])) ** 2)


def lib26_roots_f(x):  # linalg_decomp_d2: real_eigvals (np.roots on NumPy 2.5), eigvals
    r = np.roots(np.array([1.0, -(6.0 + 0.1 * x[0]), 11.0 + 0.1 * x[1], -6.0 - 0.1 * x[2], 0.0]))
    return np.sum(r**3) + r[1] * x[0]


def lib26_emath_pinvh_f(x):  # numpy_lib26: np.emath; library_lib26: scipy.linalg.pinvh
    import scipy.linalg as sla

    a = np.emath.sqrt(x * x + 0.5) + np.emath.log(x * x + 1.0) + np.emath.arcsin(0.4 * np.tanh(x))
    m = np.array([[2.0 + x[0], 7.0], [x[1], 3.0 + x[2] * x[0]]])
    return np.sum(a * x) + np.sum(sla.pinvh(m) ** 2) + np.sum(np.emath.log10(x * x + 2.0) * x)


CASES = [
    (dot_quad, RNG.normal(size=3)),
    (tensordot_f, RNG.normal(size=6)),
    (einsum_f, RNG.normal(size=6)),
    (vecdot_f, RNG.normal(size=6)),
    (det_f, np.ravel(A0)),
    (slogdet_f, np.ravel(A0)),
    (solve_f, np.concatenate([np.ravel(A0), B0])),
    (solve_mat_f, np.concatenate([np.ravel(A0), RNG.normal(size=6)])),
    (cholesky_f, np.ravel(A0)),
    (cholesky_upper_f, np.ravel(A0)),
    (norm_f, RNG.normal(size=4)),
    (norm_axis_f, RNG.normal(size=6)),
    (norm_p_f, np.array([0.5, -1.2, 2.0, 2.5])),
    (norm_p_f, np.array([0.5, 0.0, 2.0, 3.5])),
    (norm_fro_f, RNG.normal(size=6)),
    (var_std_f, RNG.normal(size=6)),
    (nanvar_f, RNG.normal(size=6)),
    (average_f, RNG.normal(size=9)),
    (prod_f, RNG.normal(size=4)),
    (prod_f, np.array([0.5, 0.0, -1.5, 2.0])),
    (cumprod_f, RNG.normal(size=4)),
    (cumprod_f, np.array([1.5, 0.0, -0.5, 2.0])),
    (math_prod_f, RNG.normal(size=3)),
    (pow_f, np.array([1.3, 0.7, 1.9])),
    (lgamma_gamma, np.array([1.7, 0.6])),
    (lgamma_gamma, np.array([-0.4, 2.2])),
    (lib24_special_f, np.array([-0.8, 0.0, 0.6, 1.9])),
    (lib24_simpson_f, np.array([0.3, -0.7, 1.1, 0.4])),
    (lib24_lfilter_f, np.array([0.3, -0.7, 1.1, 0.4, 0.8])),
    (lib25_ndimage_f, np.array([0.3, -0.7, 1.1, 0.4, 0.8, -0.2])),
    (lib25_lambertw_f, np.array([0.3, -0.7, 1.1, 0.4])),
    (lib26_roots_f, np.array([0.3, -0.2, 0.1])),
    (lib26_emath_pinvh_f, np.array([0.3, -0.7, 1.1])),
]


@pytest.mark.parametrize(
    ("f", "x"), CASES, ids=[f"{f.__name__}-{i}" for i, (f, _) in enumerate(CASES)]
)
def test_hessian_matches_finite_differences_of_the_gradient(f, x) -> None:
    H = srcad.hessian(f)(x)
    assert H.shape == x.shape + x.shape
    fd = _fd_jac(srcad.grad(f), x)
    np.testing.assert_allclose(H, fd, rtol=1e-6, atol=1e-6 * (1 + np.max(np.abs(fd))))
    np.testing.assert_allclose(H, H.T, rtol=1e-10, atol=1e-10 * (1 + np.max(np.abs(H))))
    v = RNG.normal(size=x.shape)
    g, hv = srcad.hvp(f, (x,), (v,))
    np.testing.assert_allclose(g, srcad.grad(f)(x), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(hv, H @ v, rtol=1e-9, atol=1e-9 * (1 + np.max(np.abs(H))))


def test_every_helper_has_rules() -> None:
    assert NO_RULES == {}


# -- exact numbers ------------------------------------------------------------------------------
def test_hessian_of_det_is_the_second_derivative_of_the_determinant() -> None:
    # d2 det / dA_ij dA_kl = det(A) (inv(A)_ji inv(A)_lk - inv(A)_li inv(A)_jk)
    inv, d = np.linalg.inv(A0), np.linalg.det(A0)
    want = d * (np.einsum("ji,lk->ijkl", inv, inv) - np.einsum("li,jk->ijkl", inv, inv))
    H = srcad.hessian(det_f)(np.ravel(A0)).reshape(3, 3, 3, 3)
    np.testing.assert_allclose(H, want, rtol=1e-12, atol=1e-13)
    assert H[0, 0, 1, 1] == pytest.approx(1.8, rel=1e-12)  # rows and columns 0, 1 removed: A[2, 2]
    assert H[0, 1, 1, 0] == pytest.approx(-1.8, rel=1e-12)
    # d2 log|det| = -inv(A)_li inv(A)_jk
    H = srcad.hessian(slogdet_f)(np.ravel(A0)).reshape(3, 3, 3, 3)
    np.testing.assert_allclose(H, -np.einsum("li,jk->ijkl", inv, inv), rtol=1e-11, atol=1e-13)


def test_hessian_of_prod_with_zeros_is_exact() -> None:
    # prod(x) at x = (0.5, 0, -1.5, 2): H_ij = prod of the other two
    x = np.array([0.5, 0.0, -1.5, 2.0])
    H = srcad.hessian(lambda_prod)(x)
    want = np.array(
        [
            [0.0, -3.0, 0.0, 0.0],
            [-3.0, 0.0, 1.0, -0.75],
            [0.0, 1.0, 0.0, 0.0],
            [0.0, -0.75, 0.0, 0.0],
        ]
    )
    np.testing.assert_array_equal(H, want)


def lambda_prod(x):
    return np.prod(x)


def test_lgamma_second_and_third_derivatives_are_polygamma() -> None:
    # trigamma(1) = pi^2 / 6, trigamma(1/2) = pi^2 / 2, psi''(1) = -2 zeta(3)
    d2 = srcad.grad(srcad.grad(lgamma))
    assert d2(1.0) == pytest.approx(math.pi**2 / 6, rel=1e-15)
    assert d2(0.5) == pytest.approx(math.pi**2 / 2, rel=1e-15)
    d3 = srcad.grad(srcad.grad(srcad.grad(lgamma)))
    assert d3(1.0) == pytest.approx(-2.0 * 1.2020569031595942, rel=1e-14)


@pytest.mark.parametrize(
    ("n", "x", "want"),
    [
        (1, 1.0, math.pi**2 / 6),
        (1, 2.0, math.pi**2 / 6 - 1.0),
        (1, 0.5, math.pi**2 / 2),
        (2, 1.0, -2.0 * 1.2020569031595942),
        (3, 1.0, math.pi**4 / 15),
        (1, -0.5, math.pi**2 / 2 + 4.0),  # trigamma(1/2) + 1 / (-1/2)^2
        (1, 1e-3, 1000001.6425331958),  # mpmath: 1000001.642533195827...
    ],
)
def test_polygamma_exact_values(n, x, want) -> None:
    assert _srcad.polygamma(n, x) == pytest.approx(want, rel=2e-15)
    assert type(_srcad.polygamma(n, x)) is float
    np.testing.assert_allclose(_srcad.polygamma(n, np.array([x])), [want], rtol=2e-15)


def test_polygamma_against_mpmath() -> None:
    mpmath = pytest.importorskip("mpmath")
    xs = np.array([1e-3, 0.3, 0.9, 2.5, 7.3, 30.0, 1e4, -0.5, -2.7, -10.25])
    for n in (1, 2, 3, 5, 8):
        want = np.array([float(mpmath.polygamma(n, float(x))) for x in xs])
        np.testing.assert_allclose(_srcad.polygamma(n, xs), want, rtol=5e-15)


def test_pow_second_derivatives_exact() -> None:
    # f = x ** y: f_xx = y (y-1) x^(y-2), f_xy = x^(y-1) (1 + y log x), f_yy = x^y log(x)^2
    x, y = 1.3, 0.7
    H = srcad.hessian(pow_xy)(np.array([x, y]))
    want = [
        [y * (y - 1) * x ** (y - 2), x ** (y - 1) * (1 + y * math.log(x))],
        [x ** (y - 1) * (1 + y * math.log(x)), x**y * math.log(x) ** 2],
    ]
    np.testing.assert_allclose(H, want, rtol=1e-14)
    # the third derivative f_xxy = d/dy [y (y-1) x^(y-2)] (pow_dx_dy's own rule)
    f_xxy = (2 * y - 1) * x ** (y - 2) + y * (y - 1) * x ** (y - 2) * math.log(x)
    got = srcad.jacfwd(srcad.hessian(pow_xy))(np.array([x, y]))
    assert got[0, 0, 1] == pytest.approx(f_xxy, rel=1e-13)


def pow_xy(v):
    return v[0] ** v[1]


def test_var_hessian_exact() -> None:
    # var(x) = |x - mean|^2 / n: H = 2 (I - 1/n) / n
    x = np.array([0.3, -1.2, 2.0, 0.5])
    H = srcad.hessian(var_only)(x)
    np.testing.assert_allclose(H, 2.0 * (np.eye(4) - 0.25) / 4.0, rtol=1e-14, atol=1e-15)


def var_only(x):
    return np.var(x)


def test_norm_hessian_exact() -> None:
    # |x|: H = (I - u u^T) / |x|
    x = np.array([3.0, 4.0])
    H = srcad.hessian(norm2)(x)
    np.testing.assert_allclose(H, [[0.128, -0.096], [-0.096, 0.072]], rtol=1e-14)


def norm2(x):
    return np.linalg.norm(x)


def test_solve_hessian_exact() -> None:
    # f(b) = |inv(A) b|^2: H = 2 inv(A)^T inv(A)
    inv = np.linalg.inv(A0)
    H = srcad.hessian(solve_b)(B0)
    np.testing.assert_allclose(H, 2.0 * inv.T @ inv, rtol=1e-12)


def solve_b(b):
    return np.sum(np.linalg.solve(A0, b) ** 2)


def test_third_order_through_the_helpers() -> None:
    # d3/dt3 of det(t A0 + I) is 6 det(A0) at any t; of prod(t * c) it is 6 prod(c) (n = 3)
    d3 = srcad.grad(srcad.grad(srcad.grad(det_line)))
    assert d3(0.3) == pytest.approx(6.0 * np.linalg.det(A0), rel=1e-10)
    d3 = srcad.grad(srcad.grad(srcad.grad(prod_line)))
    assert d3(0.7) == pytest.approx(6.0 * 0.5 * -2.0 * 3.0, rel=1e-12)


def det_line(t):
    return np.linalg.det(t * A0 + np.eye(3))


def prod_line(t):
    return np.prod(t * np.array([0.5, -2.0, 3.0]))


def det2(x):
    return np.linalg.det(np.reshape(x, (2, 2)))


def test_hessian_of_det_at_singular_matrices() -> None:
    # det of 2x2 = x0 x3 - x1 x2: a constant Hessian, also at the zero matrix
    want = [
        [0.0, 0.0, 0.0, 1.0],
        [0.0, 0.0, -1.0, 0.0],
        [0.0, -1.0, 0.0, 0.0],
        [1.0, 0.0, 0.0, 0.0],
    ]
    np.testing.assert_allclose(srcad.hessian(det2)(np.zeros(4)), want, atol=1e-15)
    np.testing.assert_allclose(
        srcad.hessian(det2)(np.array([1.0, 2.0, 2.0, 4.0])), want, atol=1e-14
    )
    # a rank-2 3x3 matrix: H_ijkl = +-(the 1x1 minor left), against the adjugate's differences
    s1 = np.array([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]])
    H = srcad.hessian(det_f)(np.ravel(s1))
    np.testing.assert_allclose(H, _fd_jac(srcad.grad(det_f), np.ravel(s1)), atol=1e-8)
    assert H[0, 4] == pytest.approx(1.0, abs=1e-14)  # d2/dA00 dA11: A22
    assert H[1, 3] == pytest.approx(-1.0, abs=1e-14)  # d2/dA01 dA10: -A22
    assert H[0, 8] == pytest.approx(4.0, abs=1e-14)  # d2/dA00 dA22: A11


def norm_of_zero_p(x):  # the norm of a zero vector, with an input-dependent order
    return np.linalg.norm(x[:3] - x[:3], x[3]) + np.sum(x * x) + np.linalg.norm(x[:3] - x[:3])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # 0 / 0 on np.where's unselected side
def test_hessian_through_norms_of_a_zero_vector_is_not_nan() -> None:
    # the vector is 0 for every x: only sum(x * x) counts (H = 2 I); the norms' second-order
    # factors are 0 where the norm is 0 (div0), so a zero tangent gives 0, not 0 * inf
    x = np.array([-0.17, -0.6, 0.6, 2.5])
    np.testing.assert_array_equal(srcad.hessian(norm_of_zero_p)(x), 2.0 * np.eye(4))
    _, hv = srcad.hvp(norm_of_zero_p, (x,), (np.ones(4),))
    np.testing.assert_array_equal(hv, 2.0 * np.ones(4))
