"""numpy.linalg decompositions through the compiler (srcad.rules.linalg_decomp): gauge-invariant
losses of eigh/svd/qr against central differences, the degenerate cases (finite and exact for
eigenvalue-only losses, refused for eigenvectors), refusals (full U, complex eig, rank-deficient
pinv/lstsq), stacks, namedtuple fields, and second order (`srcad.hessian`) against finite
differences of srcad's gradient."""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from srcad import runtime
from srcad.testing import check_grads

rng = np.random.default_rng(7)
A3 = rng.standard_normal((3, 3))
S3 = A3 + A3.T
Q3 = np.linalg.qr(rng.standard_normal((3, 3)))[0]
DEGEN = Q3 @ np.diag([1.0, 1.0, 3.0]) @ Q3.T  # a double eigenvalue
G3 = rng.standard_normal((3, 3))


def fd_grad(f, x, h=1e-6):
    x = np.asarray(x, float)
    out = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        e = np.zeros(x.shape)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def fd_hessian(f, x, h=1e-5):
    """Central differences of srcad's gradient (flat x)."""
    g = srcad.grad(f)
    return np.array([(g(x + h * e) - g(x - h * e)) / (2 * h) for e in np.eye(x.size)])


def check_hessian(f, x, rtol=1e-5, atol=1e-6):
    got = srcad.hessian(f)(x)
    want = fd_hessian(f, x)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
    np.testing.assert_allclose(got, got.T, rtol=1e-8, atol=1e-10)


# -- eigh / eigvalsh -------------------------------------------------------------------------------
def eigh_loss(a):
    w, v = np.linalg.eigh(a)
    return np.sum(w**3) + np.sum(v**2 * np.arange(3.0)) + np.sum((v * w) @ v.T * G3)


def eigh_fields(a):
    r = np.linalg.eigh(a, "U")
    return np.sum(r.eigenvalues * np.arange(3.0)) + np.sum(r.eigenvectors[0] ** 2)


def eigvalsh_sq(a):
    return np.sum(np.linalg.eigvalsh(a) ** 2)


def eigh_values_only(a):
    w, v = np.linalg.eigh(a)
    return np.sum(np.exp(w))


def eigh_vector(a):
    w, v = np.linalg.eigh(a)
    return np.sum(v[:, 0] ** 4)


def test_eigh_gauge_invariant_losses():
    for f in (eigh_loss, eigh_fields, eigvalsh_sq):
        np.testing.assert_allclose(srcad.grad(f)(A3), fd_grad(f, A3), rtol=1e-6, atol=1e-7)
        check_grads(f, (A3,), modes=("fwd", "rev"))
    # only one triangle is read: the other gets exactly 0
    assert np.all(np.triu(srcad.grad(eigh_loss)(A3), 1) == 0)
    assert np.all(np.tril(srcad.grad(eigh_fields)(A3), -1) == 0)


def test_eigh_stack():
    a = rng.standard_normal((2, 3, 3))
    check_grads(lambda x: np.sum(np.linalg.eigh(x)[0] ** 3), (a,), modes=("fwd", "rev"))


def test_eigenvalues_at_degeneracy_are_exact_and_finite():
    # sum(w^2) = |herm(A)|_F^2: gradient 2 (A + tril(A, -1)) exactly, also at A = 2 I and with a
    # double eigenvalue, where 1/(w_i - w_j) would be infinite
    for a in (2.0 * np.eye(3), DEGEN, np.zeros((3, 3))):
        want = 2 * np.tril(a) + 2 * np.tril(a, -1)
        np.testing.assert_allclose(srcad.grad(eigvalsh_sq)(a), want, rtol=1e-12, atol=1e-12)
        g = srcad.grad(eigh_values_only)(a)
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(g, fd_grad(eigh_values_only, a), rtol=1e-6, atol=1e-7)
    # forward mode: the eigenvectors' tangent is dropped when only w is used
    _, t = srcad.jvp(eigh_values_only, (DEGEN,), (G3,))
    np.testing.assert_allclose(t, np.sum(fd_grad(eigh_values_only, DEGEN) * G3), rtol=1e-6)
    # one eigenvalue of a double pair: the mean rate (the minimum-norm subgradient)
    g = srcad.grad(lambda a: np.linalg.eigvalsh(a)[0])(2.0 * np.eye(3))
    np.testing.assert_allclose(g, np.eye(3) / 3, atol=1e-15)


def test_eigenvectors_at_degeneracy_are_refused():
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.grad(eigh_vector)(DEGEN)
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):
        srcad.jvp(eigh_vector, (DEGEN,), (G3,))
    with pytest.raises(srcad.SrcadError, match="repeated eigenvalue"):  # second order needs them
        srcad.hessian(eigvalsh_flat)(DEGEN.ravel())


# -- svd / svdvals ------------------------------------------------------------------------------
def svd_recon(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return (
        np.sum((u * s) @ vh * np.ones(a.shape)) + np.sum(s**2) + np.sum(u[:, 0] ** 2 * u[:, 1] ** 2)
    )


def svd_full_s_only(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(s) + np.sum(np.linalg.svd(a).S ** 3)


def svd_full_u(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(u[:, -1] ** 2 * np.arange(4.0))


def nuclear(a):
    return np.sum(np.linalg.svdvals(a))


def test_svd_gauge_invariant_losses():
    for a in (rng.standard_normal((4, 3)), rng.standard_normal((3, 5)), A3):
        for f in (svd_recon, svd_full_s_only, nuclear):
            np.testing.assert_allclose(srcad.grad(f)(a), fd_grad(f, a), rtol=1e-6, atol=1e-7)
            check_grads(f, (a,), modes=("fwd", "rev"))
    a = rng.standard_normal((2, 4, 3))
    check_grads(
        lambda x: np.sum(np.linalg.svd(x, compute_uv=False) ** 2), (a,), modes=("fwd", "rev")
    )


def test_svd_refusals_and_kinks():
    a = rng.standard_normal((4, 3))
    with pytest.raises(srcad.SrcadError, match="not unique"):
        srcad.grad(svd_full_u)(a)
    # the nuclear norm of a rank-2 matrix: the minimum-norm subgradient U1 V1^T (0 on the kink)
    b = rng.standard_normal((4, 2)) @ rng.standard_normal((2, 3))
    u, s, vh = np.linalg.svd(b, full_matrices=False)
    np.testing.assert_allclose(srcad.grad(nuclear)(b), u[:, :2] @ vh[:2], atol=1e-12)
    np.testing.assert_allclose(srcad.grad(nuclear)(np.zeros((2, 3))), 0.0, atol=0)
    # hermitian=True: a zero eigenvalue leaves a zero row in NumPy's Vh (no SVD): refused
    z = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 3.0]])
    with pytest.raises(srcad.SrcadError, match="zero eigenvalue"):
        srcad.grad(lambda x: np.sum(np.linalg.svd(x, hermitian=True)[2] ** 3))(z)


# -- qr, pinv, matrix_power, lstsq, eig ----------------------------------------------------------
def qr_loss(a):
    q, r = np.linalg.qr(a)
    return np.sum(q**2 * np.arange(q.shape[1])) + np.sum(r**3) + np.sum(np.linalg.qr(a, "r"))


def qr_complete_q(a):
    q, r = np.linalg.qr(a, mode="complete")
    return np.sum(q * 1.5)


def test_qr_pinv_power_lstsq():
    for a in (rng.standard_normal((4, 3)), rng.standard_normal((2, 4)), A3):
        for f in (qr_loss, pinv_cube):
            np.testing.assert_allclose(srcad.grad(f)(a), fd_grad(f, a), rtol=1e-6, atol=1e-7)
    with pytest.raises(srcad.SrcadError, match="complete Q"):
        srcad.grad(qr_complete_q)(rng.standard_normal((4, 2)))
    np.testing.assert_allclose(  # complete of a wide matrix is the reduced one
        srcad.grad(qr_complete_q)(A3[:2]), fd_grad(qr_complete_q, A3[:2]), rtol=1e-6, atol=1e-7
    )
    for n in (-3, 0, 4):
        g = srcad.grad(power_loss)(A3, n)
        np.testing.assert_allclose(
            g, fd_grad(lambda x, n=n: power_loss(x, n), A3), rtol=1e-6, atol=1e-7
        )
    a, b = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    check_grads(lstsq_loss, (a, b), modes=("fwd", "rev"))
    with pytest.raises(srcad.SrcadError, match="rank-deficient"):
        srcad.grad(pinv_cube)(np.ones((3, 2)))
    with pytest.raises(srcad.SrcadError, match="rank-deficient"):
        srcad.grad(lstsq_loss)(np.ones((5, 3)), b)


def pinv_cube(a):
    return np.sum(np.linalg.pinv(a) ** 3)


def power_loss(a, n):
    return np.sum(np.linalg.matrix_power(a, n) * G3)


def lstsq_loss(a, b):
    x, res, rank, sv = np.linalg.lstsq(a, b)
    return np.sum(x**2) + np.sum(res) + np.sum(sv)


def eig_loss(a):  # (`.real`: NumPy 2.5's eig returns complex arrays for real eigenvalues too)
    w, v = np.linalg.eig(a)
    w3 = np.linalg.eigvals(a) ** 3
    return np.sum(w**2).real + np.sum(v**2 * np.arange(3.0)).real + np.sum(w3).real


REAL_EIG = (lambda p: p @ np.diag([1.0, 2.0, 4.0]) @ np.linalg.inv(p))(A3 + 3 * np.eye(3))


def test_eig_real_and_complex():
    np.testing.assert_allclose(
        srcad.grad(eig_loss)(REAL_EIG), fd_grad(eig_loss, REAL_EIG), rtol=1e-6, atol=1e-7
    )
    rot = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(srcad.SrcadError, match="complex eigenvalues"):
        srcad.grad(lambda x: np.sum(np.abs(np.linalg.eigvals(x))))(rot)


def test_helper_edges():
    x = np.c_[rng.standard_normal((4, 2)), np.zeros((4, 2))]
    np.testing.assert_array_equal(runtime.trim_ct(x, 2, -1), x[:, :2])
    with pytest.raises(srcad.SrcadError):
        runtime.trim_ct(x + 1.0, 2, -1)
    f = runtime.inv_gaps(np.array([1.0, 1.0, 3.0]), np.c_[np.zeros((3, 2)), np.ones(3)])
    np.testing.assert_array_equal(f, [[0, 0, 0.5], [0, 0, 0.5], [-0.5, -0.5, 0]])
    with pytest.raises(srcad.SrcadError, match="Vh"):
        runtime.field_index((1.0, 2.0, 3.0), "Vh")
    assert runtime.field_ct(2.0, np.linalg.svd(A3), "Vh") == (None, None, 2.0)


# -- second order ---------------------------------------------------------------------------------
def eigvalsh_flat(x):
    return np.sum(np.linalg.eigvalsh(np.reshape(x, (3, 3))) ** 3)


def eigh_flat(x):
    return eigh_loss(np.reshape(x, (3, 3)))


def svd_flat(x):
    return svd_recon(np.reshape(x, (4, 3))) + np.sum(np.linalg.svdvals(np.reshape(x, (4, 3))))


def qr_flat(x):
    return qr_loss(np.reshape(x, (2, 3)))


def pinv_power_flat(x):
    a = np.reshape(x, (2, 3))
    return np.sum(np.linalg.pinv(a) ** 2) + np.sum(np.linalg.matrix_power(a @ a.T, -2))


def lstsq_flat(x):
    return lstsq_loss(np.reshape(x, (4, 2)), np.arange(4.0))


def eig_flat(x):
    return eig_loss(np.reshape(x, (3, 3)))


@pytest.mark.parametrize(
    "f, x",
    [
        (eigvalsh_flat, S3.ravel()),
        (eigh_flat, S3.ravel()),
        (svd_flat, rng.standard_normal(12)),
        (qr_flat, rng.standard_normal(6)),
        (pinv_power_flat, rng.standard_normal(6)),
        (lstsq_flat, rng.standard_normal(8)),
        (eig_flat, REAL_EIG.ravel()),
    ],
)
def test_hessian(f, x):
    check_hessian(f, x)
