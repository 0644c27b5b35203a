"""Second derivatives found by the session-25 hunt (helper higher25).

1. ``np.linalg.eigvalsh(M) @ c`` (`c` a constant vector) at second order where eigenvalues of
   `M` repeat: the product's cotangent ``matmul_vjp(g, w, c, 0)`` reads `w` for its shape only,
   but its JVP rule's term in `w` was the run-time zero ``zeros_like(ans)``, so the cotangent of
   eigvalsh looked varied and the spectral rule refused it (srcad/rules/spectral.py). A term the
   call's constants make ``zeros_like`` is now a structural zero (srcad/ad/termzeros.py): the
   Hessians of ``w @ c``, ``c @ w``, ``np.dot``, ``w.dot``, ``np.inner``, ``np.einsum``.
2. The Hessian of ``np.linalg.det`` at a matrix singular in exact arithmetic whose determinant
   rounds to ~1e-17 instead of 0 (``det(x y^T + y x^T)``, 0 for every x: srcad gave entries of
   0.54): the second-order rule's ``d != 0`` form cancels two terms of size 1/s_min. Such a
   matrix (condition number above 1e6) now takes the SVD form (srcad/rules/det_cond.py); its
   third derivative is refused.
3. ``scipy.linalg.eigvalsh(M) @ c`` (and ``eigh(eigvals_only=True)``) at repeated eigenvalues:
   its cotangent ``V diag(gbar) V^T`` read eigh's eigenvectors (refused at second order); now
   the spectral sum of np.linalg.eigvalsh (srcad/rules/spectral.py).
"""

from __future__ import annotations

import numpy as np
import pytest
import scipy.linalg as sla

import srcad
from tests.soundness.numeric import central_differences

C3 = np.array([1.0, 2.0, 3.0])


def hessian_fd(f, x):
    """Central differences of srcad's gradient of `f`, row by row."""
    g = srcad.grad(f)
    return np.array([central_differences(lambda z, i=i: g(z)[i], x, 1e-5) for i in range(len(x))])


def hessian_fd2(f, x, eps=1e-4):
    """Second central differences of the value alone."""
    n = len(x)
    h = np.zeros((n, n))
    for i, ei in enumerate(np.eye(n)):
        for j, ej in enumerate(np.eye(n)):
            h[i, j] = (
                f(x + eps * (ei + ej)) - f(x + eps * (ei - ej))
                - f(x - eps * (ei - ej)) + f(x - eps * (ei + ej))
            ) / (4 * eps * eps)  # fmt: skip
    return h


def eigs(x):
    return np.linalg.eigvalsh(np.eye(3) + np.outer(x, x))


def w_at_c(x):
    return eigs(x) @ C3


def c_at_w(x):
    return C3 @ eigs(x)


def np_dot(x):
    return np.dot(eigs(x), C3)


def method_dot(x):
    return eigs(x).dot(C3)


def weighted_sum(x):
    return np.sum(eigs(x) * C3)


def einsum_scalar(x):
    return np.einsum("i,i", eigs(x), C3)


def einsum_arrow(x):
    return np.einsum("i,i->", C3, eigs(x))


def np_inner(x):
    return np.inner(eigs(x), C3)


def matrix_weights(x):
    w = np.linalg.eigvalsh(np.eye(3) + np.outer(x, x))
    return np.sum(np.array([[1.0, 0.5, 0.0], [0.0, 1.0, 2.0]]) @ w)


LINEAR = [
    w_at_c,
    c_at_w,
    np_dot,
    method_dot,
    weighted_sum,
    einsum_scalar,
    einsum_arrow,
    np_inner,
    matrix_weights,
]
REPEATED = np.array([0.3, -0.5, 0.7])  # I + x x^T: eigenvalues 1, 1, 1 + |x|^2


@pytest.mark.parametrize("f", LINEAR, ids=lambda f: f.__name__)
def test_eigvalsh_times_constant_at_repeated_eigenvalues(f):
    x = REPEATED
    h = srcad.hessian(f)(x.copy())
    np.testing.assert_allclose(h, hessian_fd(f, x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(h, hessian_fd2(f, x), rtol=1e-4, atol=1e-5)
    v = np.array([0.4, 1.0, -0.6])
    _, hv = srcad.hvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(hv, h @ v, rtol=1e-10, atol=1e-12)


def generic(x):
    m = np.diag([1.0, 2.0, 3.5]) + np.outer(x, x) + 0.3 * np.outer(x[::-1], np.sin(x))
    return np.linalg.eigvalsh(m + m.T) @ C3 + np.dot(C3, np.linalg.eigvalsh(m @ m.T))


def test_eigvalsh_times_constant_at_a_generic_point():
    x = np.array([0.3, -0.5, 0.7])
    h = srcad.hessian(generic)(x.copy())
    np.testing.assert_allclose(h, hessian_fd(generic, x), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(h, hessian_fd2(generic, x), rtol=1e-4, atol=1e-5)


def varying(x):
    w = eigs(x)
    return w @ w  # the cotangent 2 w varies with the repeated eigenvalues


def varying_dot(x):
    w = eigs(x)
    return np.dot(w * w, C3)


def spread(x):
    w = np.linalg.eigvalsh(np.diag([1.0, 2.0, 3.5]) + np.outer(x, x))
    return w @ w + np.dot(w * w, C3)


@pytest.mark.parametrize("f", [varying, varying_dot], ids=lambda f: f.__name__)
def test_varying_cotangent_still_refused(f):
    srcad.grad(f)(REPEATED.copy())
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.hessian(f)(REPEATED.copy())


def test_varying_cotangent_at_distinct_eigenvalues():
    x = np.array([0.9, 0.2, -0.4])
    h = srcad.hessian(spread)(x.copy())
    np.testing.assert_allclose(h, hessian_fd(spread, x), rtol=1e-5, atol=1e-6)


def det_rank2(x):
    a = np.outer(x[:3], x[3:]) + np.outer(x[3:], x[:3])  # rank 2: det is 0 for every x
    return np.linalg.det(a)


def sla_det_rank2(x):
    return sla.det(np.outer(x[:3], x[3:]) + np.outer(x[3:], x[:3]))


B0 = np.array([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]])  # det rounds to 6.7e-18


def det_near(x):
    return np.linalg.det(
        B0 + np.diag([x[0], 0.0, 0.0]) + 0.5 * x[1] * np.eye(3) + x[2] * np.eye(3, k=2)
    )


def det_batched(x):
    a = np.stack([B0 + x[0] * np.eye(3, k=2), np.diag([1.0, 2.0, 3.0]) + np.outer(x, x)])
    return np.sum(np.linalg.det(a) * np.array([1.0, 0.5]))


X6 = np.array([0.5, -0.3, 0.15, 0.8, 0.35, -0.6])


@pytest.mark.parametrize(
    "f, x",
    [
        (det_rank2, X6),
        (sla_det_rank2, X6),
        (det_near, np.zeros(3)),
        (det_near, np.array([0.1, 0.2, -0.3])),
        (det_batched, np.array([0.0, 0.4, -0.2])),
    ],
    ids=["rank2", "sla_rank2", "near", "near_regular", "batched"],
)
def test_det_hessian_at_numerically_singular_matrices(f, x):
    h = srcad.hessian(f)(x.copy())
    np.testing.assert_allclose(h, hessian_fd(f, x), rtol=1e-6, atol=1e-8)
    v = np.cos(np.arange(len(x)) + 1.0)
    _, hv = srcad.hvp(f, (x.copy(),), (v,))
    np.testing.assert_allclose(hv, h @ v, rtol=1e-10, atol=1e-12)


def test_det_third_derivative_refused_at_singular_matrices():
    with pytest.raises(srcad.SrcadError, match="third derivative of np.linalg.det"):
        srcad.jacfwd(srcad.hessian(det_rank2))(X6.copy())
    x = np.array([0.1, 0.2, -0.3])  # regular: third derivatives against differences
    t = srcad.jacfwd(srcad.hessian(det_near))(x.copy())
    hs = srcad.hessian(det_near)
    want = np.array([(hs(x + 1e-5 * e) - hs(x - 1e-5 * e)) / 2e-5 for e in np.eye(3)])
    np.testing.assert_allclose(t, np.moveaxis(want, 0, -1), rtol=1e-6, atol=1e-8)


def sla_eigvalsh_c(x):
    return sla.eigvalsh(np.eye(3) + np.outer(x, x)) @ C3


def sla_eigh_only(x):
    return np.dot(C3, sla.eigh(np.eye(3) + np.outer(x, x), eigvals_only=True))


def sla_generic(x):
    m = np.diag([1.0, 2.0, 3.5]) + np.outer(x, x)
    return sla.eigvalsh(m, lower=False) @ C3 + np.sum(sla.eigvalsh(m) ** 2)


@pytest.mark.parametrize(
    "f, x",
    [(sla_eigvalsh_c, REPEATED), (sla_eigh_only, REPEATED), (sla_generic, REPEATED)],
    ids=["eigvalsh", "eigh_only", "generic"],
)
def test_scipy_eigvalsh_times_constant(f, x):
    h = srcad.hessian(f)(x.copy())
    np.testing.assert_allclose(h, hessian_fd(f, x), rtol=1e-5, atol=1e-7)


def test_scipy_eigvalsh_varying_cotangent_refused():
    def f(x):
        return np.sum(sla.eigvalsh(np.eye(3) + np.outer(x, x)) ** 2)

    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.hessian(f)(REPEATED.copy())
