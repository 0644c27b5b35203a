"""Session 46, hunt46b: wrong derivatives found in course-style code.

A squared norm scaled by a value, ``n = np.linalg.norm(w); lam * n * n`` (Python reads
``(lam * n) * n``), an L2 penalty at the common starting point ``w = 0``: its Hessian came out 0
where it is ``2 lam I`` (the chain rule through the norm's subgradient 0). ``ad/squares.py``
took constant multiples only (``0.5 * n * n``); ``ad/squares_scaled.py`` takes factors that are
values too, and divisors (``np.exp(-(r / ell) ** 2)``, an RBF kernel at its centre), their own
derivatives read from the smooth square. And a squared whole-array norm
under an ``np.where`` mask (``np.where(c, n * n, 0.0)``, ``np.where(c, 0.7 * r * r, 0.0)`` of a
root of a sum of squares) took the chain rule, Hessian 0 at 0 too: the square is a number, so
its masked rule applies.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

V = np.array([1.0, 2.0, -1.0])
LAM = 0.7


def lam_n_n(w, lam):
    n = np.linalg.norm(w)
    return lam * n * n + np.sum(w)


def n_lam_n(w, lam):
    n = np.linalg.norm(w)
    return n * lam * n


def two_scaled(w, lam):
    n = np.linalg.norm(w)
    return (lam * n) * (2.0 * n)


def scaled_by_intermediate(w, lam):
    n = np.linalg.norm(w)
    m = lam * n
    return m * n


def numpy_scalar_factor(w, lam):
    n = np.linalg.norm(w)
    return np.float64(lam) * n * n


def root_factor(w, lam):
    n = np.sqrt(np.sum(w * w))
    return lam * n * n


def scaled_square_of_product(w, lam):
    n = np.linalg.norm(w)
    return (lam * n) ** 2


def hypot_factor(w, lam):
    n = np.hypot(w[0], w[1])
    return lam * n * (3.0 * n) + w[2] ** 2


def where_norm_square(w, lam):
    n = np.linalg.norm(w)
    return np.where(lam > 0, n * n, 0.0)


def where_scaled_root_square(w, lam):
    n = np.sqrt(np.sum(w**2))
    return np.where(lam > 0, 0.7 * n * n, 0.0)


def where_lam_norm_square(w, lam):
    n = np.linalg.norm(w)
    return np.where(lam > 0, lam * n * n, 0.0)


def divided_by_value(w, lam):
    n = np.linalg.norm(w)
    return (n / lam) * n


def rbf_of_scaled_distance(w, lam):
    r = np.linalg.norm(w)
    return np.exp(-((r / lam) ** 2))


def rbf_of_scaled_root(w, lam):
    r = np.sqrt(np.sum(w**2))
    return np.exp(-0.5 * (r / lam) ** 2)


def scaled_distance_squared(w, lam):
    r = np.linalg.norm(w) / lam
    return np.exp(-r * r)


def numpy_multiply(w, lam):
    n = np.linalg.norm(w)
    return np.multiply(n, n) + np.multiply(lam * n, n)


CASES = [
    (lam_n_n, 2 * LAM * np.eye(3)),
    (n_lam_n, 2 * LAM * np.eye(3)),
    (two_scaled, 4 * LAM * np.eye(3)),
    (scaled_by_intermediate, 2 * LAM * np.eye(3)),
    (numpy_scalar_factor, 2 * LAM * np.eye(3)),
    (root_factor, 2 * LAM * np.eye(3)),
    (scaled_square_of_product, 2 * LAM**2 * np.eye(3)),
    (hypot_factor, np.diag([6 * LAM, 6 * LAM, 2.0])),
    (where_norm_square, 2 * np.eye(3)),
    (where_scaled_root_square, 1.4 * np.eye(3)),
    (where_lam_norm_square, 2 * LAM * np.eye(3)),
    (divided_by_value, 2 / LAM * np.eye(3)),
    (rbf_of_scaled_distance, -2 / LAM**2 * np.eye(3)),
    (rbf_of_scaled_root, -1 / LAM**2 * np.eye(3)),
    (scaled_distance_squared, -2 / LAM**2 * np.eye(3)),
    (numpy_multiply, (2 + 2 * LAM) * np.eye(3)),
]


@pytest.mark.parametrize("fn,hess", CASES, ids=[c[0].__name__ for c in CASES])
def test_scaled_square_hessian_at_zero(fn, hess):
    w = np.zeros(3)
    g, hv = srcad.hvp(fn, (w, LAM), (V, None))
    assert np.allclose(hv, hess @ V)
    assert np.allclose(srcad.hessian(fn)(w, LAM), hess)
    assert np.allclose(g, srcad.grad(fn)(w, LAM))


def _fd(f, x, eps=1e-6):
    """Central differences of `f` at the vector `x`, one entry per column (f's shape first)."""
    cols = [(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)]
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("fn", [c[0] for c in CASES], ids=[c[0].__name__ for c in CASES])
def test_scaled_square_derivatives_in_both_arguments(fn):
    w = np.array([0.3, -1.2, 0.8])
    gw = srcad.grad(fn)(w, LAM)
    assert np.allclose(gw, _fd(lambda t: fn(t, LAM), w), atol=1e-6)
    gl = srcad.grad(fn, 1)(w, LAM)
    fd = (fn(w, LAM + 1e-6) - fn(w, LAM - 1e-6)) / 2e-6
    assert np.allclose(gl, fd, atol=1e-6)
    _, tan = srcad.jvp(fn, (w, LAM), (V, 0.5))
    assert np.allclose(tan, gw @ V + 0.5 * gl)
    # the mixed second derivative d/dlam of the gradient in w, at w and at 0
    for at in (w, np.zeros(3)):
        mixed = srcad.jacfwd(lambda lam, at=at: srcad.grad(fn)(at, lam))(LAM)
        fd = (srcad.grad(fn)(at, LAM + 1e-6) - srcad.grad(fn)(at, LAM - 1e-6)) / 2e-6
        assert np.allclose(mixed, fd, atol=1e-6)


def test_factor_in_the_squared_vector():
    # y = sum(w * n * n): the factor is w itself (an array), d/dw = n^2 I + 2 w w^T (each row)
    def f(w):
        n = np.linalg.norm(w)
        return np.sum(w * n * n)

    w = np.array([0.3, -1.2, 0.8])
    assert np.allclose(srcad.grad(f)(w), w @ w + 2 * w * np.sum(w))
    h = srcad.hessian(f)(w)
    fd = _fd(srcad.grad(f), w)
    assert np.allclose(h, fd, atol=1e-5)
    assert np.allclose(srcad.hessian(f)(np.zeros(3)), 0.0)


def test_third_derivative_in_lam():
    # d/dlam of the Hessian of lam * n * n at w = 0 is 2 I
    third = srcad.jacfwd(srcad.hessian(lam_n_n), 1)(np.zeros(3), LAM)
    assert np.allclose(third, 2 * np.eye(3))
