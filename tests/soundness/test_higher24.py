"""Second-order defects found by higher24 (session 24), each minimised and pinned.

- A product by ``np.eye(n)`` (``np.identity``, ``np.tri``), an array of zeros and ones, under a
  singular op: ``np.sqrt(np.maximum(A @ A.T, eps) * np.eye(n))``. The off-diagonal entries are
  sqrt(0): the local derivative is infinite where the factor zeroes the tangent, so grad, jvp and
  the Hessian were nan (0 * inf). `ad/boolmasks.boolish` now counts these arrays as masks (zero
  exactly where they are falsy), as it counts ``(x > 0) * 1.0``; so is ``1.0 - np.eye(n)`` and
  the result of a module-level function called with literals (``offdiag(3)``).
- The refusals of a full SVD / complete QR of a non-square matrix at second order name the
  reduced call that has a derivative.
- ``np.linalg.norm(A, 2)``, ``-2`` and ``'nuc'`` had no second derivative (refused: hessian of a
  lasso step size ``L = norm(X, 2) ** 2``); `rules/norm_svd.svd_norm_d2` gives it from the
  reduced SVD (a template differentiated again at third order), and refuses at the kinks (tied
  or zero extreme singular value, rank-deficient nuclear norm).
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad
from tests.soundness.numeric import check_scalar

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

A6 = np.array([0.4, -0.7, 1.3, 0.2, -0.5, 0.9])


def sqrt_eye(a):
    A = a.reshape(3, 2)
    return np.sum(np.sqrt(np.maximum(A @ A.T, 1e-3) * np.eye(3)))


def sqrt_identity_scaled(a):
    A = a.reshape(3, 2)
    return np.sum(np.sqrt(A @ A.T * np.identity(3) + 0.0) * 2.0)


def log1p_eye_k(a):
    A = a.reshape(3, 2)
    M = np.abs(A @ A.T) * np.eye(3, k=1, dtype=float)
    return np.sum(np.sqrt(M)) + np.sum(A**2)


def sqrt_tri(a):
    A = a.reshape(3, 2)
    return np.sum(np.sqrt((A @ A.T) ** 2 * np.tri(3)))


def dist_eye(x):
    P = x.reshape(3, 2)
    d2 = np.sum((P[:, None, :] - P[None, :, :]) ** 2, -1)
    return np.sum(np.sqrt(d2 * (1.0 - np.eye(3))) ** 3)


def offdiag(n):
    return 1.0 - np.eye(n)


def dist_helper_mask(x):
    """The mask made by a module-level function of literals (a call `boolish` now reads)."""
    P = x.reshape(3, 2)
    d2 = np.sum((P[:, None] - P[None]) ** 2, -1)
    return np.sum(np.sqrt(d2 * offdiag(3)) ** 3)


def eye_bool(a):
    A = a.reshape(3, 2)
    G = A @ A.T
    m = np.eye(3, dtype=bool)
    return np.sum(np.sqrt(np.abs(G) * m)) + np.sum(np.log1p(np.abs(G) * ~m))


@pytest.mark.parametrize(
    "f",
    [sqrt_eye, sqrt_identity_scaled, log1p_eye_k, sqrt_tri, dist_eye, dist_helper_mask, eye_bool],
)
def test_product_by_eye_under_a_root(f) -> None:
    check_scalar(f, A6)


# -- the matrix norms ord=2, -2 and 'nuc' at second order (rules/norm_svd.py) --------------------
def spectral(a):
    return np.linalg.norm(a.reshape(2, 3), 2) ** 2


def smallest_tall(a):
    return np.linalg.norm(a.reshape(3, 2), -2) * np.sum(a)


def nuclear_wide(a):
    return np.linalg.norm(a.reshape(2, 3), "nuc")


def nuclear_batched(a):
    return np.sum(np.linalg.norm(a.reshape(3, 2, 1), "nuc", axis=(0, 1)) ** 3)


def lasso_step(a):
    X = a.reshape(2, 3)
    L = np.linalg.norm(X, 2) ** 2
    w = np.ones(3)
    for _ in range(3):
        w = w - X.T @ (X @ w - 1.0) / L
    return np.sum(w**2)


@pytest.mark.parametrize("f", [spectral, smallest_tall, nuclear_wide, nuclear_batched, lasso_step])
def test_svd_matrix_norms_at_second_order(f) -> None:
    check_scalar(f, A6)


@pytest.mark.parametrize(
    "f, x, says",
    [
        (
            spectral,
            np.array([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
            "ord=2 or -2 where its singular value",
        ),
        (nuclear_wide, np.array([1.0, 2.0, 3.0, 2.0, 4.0, 6.0]), "rank-deficient"),
    ],
)
def test_svd_matrix_norms_refused_at_kinks(f, x, says) -> None:
    """A tied top singular value, a rank-deficient nuclear norm: no Hessian, a refusal."""
    srcad.grad(f)(x)  # first order: the subgradient, as before
    with pytest.raises(srcad.SrcadError, match=says):
        srcad.hessian(f)(x)


@pytest.mark.parametrize("f", [spectral, smallest_tall, nuclear_wide])
def test_svd_matrix_norms_at_third_order(f) -> None:
    """The second-order rule is a template of NumPy and np.linalg.svd: differentiated again."""
    T = srcad.jacfwd(srcad.hessian(f))(A6)
    h = srcad.hessian(f)
    fd = np.stack([(h(A6 + 1e-5 * e) - h(A6 - 1e-5 * e)) / 2e-5 for e in np.eye(6)], -1)
    np.testing.assert_allclose(T, fd, rtol=1e-5, atol=1e-6 * (1 + np.max(np.abs(fd))))


# -- a full SVD / complete QR of a non-square matrix at second order: refused, with the way out --
def full_svd_values(a):
    U, s, Vt = np.linalg.svd(a.reshape(3, 2))  # full_matrices=True by default
    return np.sum(s**3)


def reduced_svd_values(a):
    U, s, Vt = np.linalg.svd(a.reshape(3, 2), full_matrices=False)
    return np.sum(s**3)


def complete_qr(a):
    Q, R = np.linalg.qr(a.reshape(3, 2), mode="complete")
    return np.sum(Q[:, :2] ** 3) + np.sum(R**2)


def test_full_svd_and_complete_qr_refusals_name_the_reduced_form() -> None:
    """LAPACK's extra columns of a full U / complete Q are not unique: the forward mode has no
    tangent for them (the reverse mode needs none when their cotangent is 0, so grad works).
    The refusal now says which call gives the same values with columns that have one."""
    srcad.grad(full_svd_values)(A6)
    with pytest.raises(srcad.SrcadError, match=r"np.linalg.svd\(a, full_matrices=False\)"):
        srcad.hessian(full_svd_values)(A6)
    check_scalar(reduced_svd_values, A6)  # the way out: the same function
    np.testing.assert_allclose(
        srcad.grad(reduced_svd_values)(A6), srcad.grad(full_svd_values)(A6), rtol=1e-12
    )
    with pytest.raises(srcad.SrcadError, match=r"mode='reduced'"):
        srcad.hessian(complete_qr)(A6)
