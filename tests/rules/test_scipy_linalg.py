"""scipy.linalg through srcad as users write it (srcad/rules/scipy_linalg.py): Gaussian-process
log marginal likelihoods (cho_factor + cho_solve, cholesky + solve_triangular) differentiated in
the kernel's hyperparameters against the closed form ``0.5 tr((a a^T - K^-1) dK)`` and central
differences, second derivatives, the triangle each function reads, and the refusals."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

pytest.importorskip("scipy")
import scipy.linalg as sl  # noqa: E402

X = np.array([-1.3, -0.6, 0.1, 0.4, 1.2, 2.0])
Y = np.array([0.5, -0.2, 0.3, 0.9, -0.7, 0.1])
# log lengthscale, log variance, log noise
THETA = np.array([np.log(0.8), np.log(1.1), np.log(0.1)])


def _kernel(theta):
    ell, var, noise = np.exp(theta[0]), np.exp(theta[1]), np.exp(theta[2])
    d2 = (X[:, None] - X[None, :]) ** 2
    return var * np.exp(-0.5 * d2 / ell**2) + noise * np.eye(len(X))


def gp_nlml_cho(theta):
    k = _kernel(theta)
    c, lower = sl.cho_factor(k)
    alpha = sl.cho_solve((c, lower), Y)
    return 0.5 * Y @ alpha + np.sum(np.log(np.diag(c))) + 0.5 * len(X) * np.log(2 * np.pi)


def gp_nlml_tri(theta):
    k = _kernel(theta)
    chol = sl.cholesky(k, lower=True)
    z = sl.solve_triangular(chol, Y, lower=True)
    alpha = sl.solve_triangular(chol, z, lower=True, trans="T")
    return 0.5 * Y @ alpha + np.sum(np.log(np.diag(chol))) + 0.5 * len(X) * np.log(2 * np.pi)


def _closed_form_grad(theta):
    """d nlml / d theta = -0.5 tr((a a^T - K^-1) dK/dtheta), a = K^-1 y (Rasmussen & Williams 5.9)."""
    ell, var, noise = np.exp(theta)
    d2 = (X[:, None] - X[None, :]) ** 2
    rbf = var * np.exp(-0.5 * d2 / ell**2)
    # d/d log ell, d/d log var, d/d log noise
    dks = [rbf * d2 / ell**2, rbf, noise * np.eye(len(X))]
    k = _kernel(theta)
    a = np.linalg.solve(k, Y)
    w = np.outer(a, a) - np.linalg.inv(k)
    return np.array([-0.5 * np.sum(w * dk) for dk in dks])


def _fd(f, x, h=1e-6):
    out = np.zeros_like(x)
    for i in range(x.size):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


@pytest.mark.parametrize("f", [gp_nlml_cho, gp_nlml_tri])
def test_gp_marginal_likelihood_gradient(f):
    want = _closed_form_grad(THETA)
    value, got = srcad.value_and_grad(f)(THETA)
    assert value == pytest.approx(f(THETA), rel=1e-14)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(got, _fd(f, THETA), rtol=1e-6, atol=1e-8)
    _, tangent = srcad.jvp(f, (THETA,), (np.array([0.3, -1.0, 0.5]),))
    assert tangent == pytest.approx(want @ np.array([0.3, -1.0, 0.5]), rel=1e-9)


@pytest.mark.parametrize("f", [gp_nlml_cho, gp_nlml_tri])
def test_gp_marginal_likelihood_hessian(f):
    hess = srcad.hessian(f)(THETA)
    want = np.stack([_fd(lambda t, i=i: _closed_form_grad(t)[i], THETA) for i in range(3)])
    np.testing.assert_allclose(hess, want, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(hess, hess.T, rtol=1e-10, atol=1e-12)


def test_gp_grad_values_are_the_known_numbers():
    got = srcad.grad(gp_nlml_cho)(THETA)
    np.testing.assert_allclose(got, _closed_form_grad(THETA), rtol=1e-9)
    np.testing.assert_allclose(srcad.grad(gp_nlml_tri)(THETA), got, rtol=1e-10)


A = np.array([[3.0, 0.4, -0.7], [0.9, 2.5, 0.3], [-0.2, 1.1, 4.0]])
K = A @ A.T + np.eye(3)
B = np.array([[0.3, -1.0], [2.0, 0.5], [-0.4, 1.2]])


def test_solve_triangular_reads_one_triangle():
    def f(a):
        return np.sum(sl.solve_triangular(a, B, lower=True, unit_diagonal=True) ** 2)

    g = srcad.grad(f)(A)
    assert np.all(np.triu(g) == 0.0)  # neither the upper triangle nor the (unit) diagonal is read
    np.testing.assert_allclose(g, _fd(lambda v: f(v.reshape(3, 3)), A.ravel()).reshape(3, 3),
                               rtol=1e-6, atol=1e-9)  # fmt: skip


def test_cho_factor_other_triangle_is_what_scipy_leaves():
    """scipy up to 1.17 leaves a's entries in the triangle cho_factor does not write (derivative
    1 there), 1.18 zeros (derivative 0: srcad gave 1, a wrong gradient, before asking scipy)."""

    def f(a):
        c, _ = sl.cho_factor(a)
        return np.sum(c * B[:, :1])

    g = srcad.grad(f)(K)
    np.testing.assert_allclose(g, _fd(lambda v: f(v.reshape(3, 3)), K.ravel()).reshape(3, 3),
                               rtol=1e-6, atol=1e-8)  # fmt: skip
    copies = sl.cho_factor(K)[0][1, 0] == K[1, 0]
    rest = np.tril(np.broadcast_to(B[:, :1], (3, 3)), -1) if copies else np.zeros((3, 3))
    np.testing.assert_allclose(np.tril(g, -1), rest)


@pytest.mark.parametrize("assume_a", [None, "gen", "sym", "pos", "lower triangular"])
def test_solve_assume_a(assume_a):
    def f(a, b):
        return np.sum(np.sin(sl.solve(a, b, assume_a=assume_a)))

    check_grads(f, (K + 0.2 * A, B), modes=("fwd", "rev"), order=2)


def test_inv_det_expm():
    def f(a):
        return sl.det(a) * np.sum(sl.inv(a)) + np.sum(sl.expm(0.2 * a) * A)

    check_grads(f, (A,), modes=("fwd", "rev"), order=2)


def test_solve_unknown_kind_is_scipys_error():
    """scipy refuses the primal itself: its own error, not srcad's."""

    def f(a, b):
        return np.sum(sl.solve(a, b, assume_a="no such kind"))

    with pytest.raises(ValueError, match="not a recognized matrix structure"):
        srcad.grad(f)(K, B)
