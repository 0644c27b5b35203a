"""Second-order defects found by higher24 (session 24), each minimised and pinned.

- A product by ``np.eye(n)`` (``np.identity``, ``np.tri``), an array of zeros and ones, under a
  singular op: ``np.sqrt(np.maximum(A @ A.T, eps) * np.eye(n))``. The off-diagonal entries are
  sqrt(0): the local derivative is infinite where the factor zeroes the tangent, so grad, jvp and
  the Hessian were nan (0 * inf). `ad/boolmasks.boolish` now counts these arrays as masks (zero
  exactly where they are falsy), as it counts ``(x > 0) * 1.0``.
"""

from __future__ import annotations

import numpy as np
import pytest

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


@pytest.mark.parametrize("f", [sqrt_eye, sqrt_identity_scaled, log1p_eye_k, sqrt_tri, dist_eye])
def test_product_by_eye_under_a_root(f) -> None:
    check_scalar(f, A6)
