"""Wrong values the session-46 hunt found, now right or refused.

- The second derivative of a function of ``np.linalg.norm(d)`` at ``d = 0`` along a nonzero
  direction: the norm's first derivative there is the subgradient 0 and its second-order rule
  took its factor ``1 / n`` as 0, so the Hessian of the Gaussian kernel
  ``np.exp(-0.5 * (np.linalg.norm(x - c) / ls) ** 2)`` at ``x = c`` came out 0 (it is
  ``-I / ls ** 2``), as did ``dist(x, c) ** 2`` with the norm in a helper (``2 I``), the norm
  computed twice and multiplied, and a Matern 5/2 kernel (``+0.89 I`` where it is ``-0.44 I``).
  The chain rule cannot tell these from a cone (``np.exp(-r)``, no Hessian): refused at run time
  (`rules/norm_at0.py`); a zero direction there (``np.linalg.norm(x - x)``, a pairwise distance's
  diagonal) and the squares `ad/squares.py` recognizes keep their values.
- ``np.where(x > 0.5, 1.0, np.cos(np.abs(x)))`` of an array: under a mask the even function of
  ``abs`` fell back to the chain rule through the magnitude's subgradient 0, so its Hessian at
  ``x = 0`` was 0 where it is -1 (unmasked and of a number it was right): `ad/squares._masked`
  takes the kind "even" as elementwise, as "abs".
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

C = np.array([0.3, -0.2, 0.5])
V = np.array([0.6, -0.3, 0.8])
LS = 1.5


def rbf(x, ls):
    return np.exp(-0.5 * (np.linalg.norm(x - C) / ls) ** 2)


def _dist(a, b):
    return np.linalg.norm(a - b)


def helper_square(x, ls):
    return _dist(x, C) ** 2


def norm_twice(x, ls):
    return np.linalg.norm(x - C) * np.linalg.norm(x - C)


def matern52(x, ls):
    r = np.linalg.norm(x - C)
    s = math.sqrt(5.0) * r / ls
    return (1.0 + s + s * s / 3.0) * np.exp(-s)


def cone(x, ls):
    return np.exp(-np.linalg.norm(x - C) / ls)


def test_rbf_hessian_at_its_centre():
    # (r / ls) ** 2 of the norm is a scaled square (ad/squares_scaled.py): -I / ls^2, not refused
    _, hv = srcad.hvp(rbf, (C.copy(), LS), (V, None))
    np.testing.assert_allclose(hv, -V / LS**2, rtol=1e-12)
    np.testing.assert_allclose(srcad.hessian(rbf)(C.copy(), LS), -np.eye(3) / LS**2, rtol=1e-12)


@pytest.mark.parametrize("fn", [helper_square, norm_twice, matern52, cone])
def test_hessian_of_a_function_of_a_norm_at_its_zero_is_refused(fn):
    with pytest.raises(srcad.SrcadError, match="second derivative of np.linalg.norm"):
        srcad.hvp(fn, (C.copy(), LS), (V, None))
    with pytest.raises(srcad.SrcadError, match="second derivative of np.linalg.norm"):
        srcad.hessian(fn)(C.copy(), LS)


@pytest.mark.parametrize("fn", [rbf, helper_square, norm_twice, matern52, cone])
def test_first_derivative_and_hessian_away_from_zero_unchanged(fn):
    g = srcad.grad(fn)
    np.testing.assert_array_equal(g(C.copy(), LS), np.zeros(3))  # (the subgradient 0)
    x = C + np.array([0.2, 0.1, -0.3])
    _, hv = srcad.hvp(fn, (x, LS), (V, None))
    eps = 1e-5
    fd = (g(x + eps * V, LS) - g(x - eps * V, LS)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-9)


def pairwise_energy(x):
    d = x[:, None, :] - x[None, :, :]
    r = np.linalg.norm(d, axis=-1)
    return np.sum(np.exp(-(r**2))) + np.sum(np.linalg.norm(x - x, axis=1))


def test_zero_direction_at_a_zero_norm_keeps_its_value():
    # the diagonal of a pairwise distance: its tangent is 0 too, the chain rule's 0 is right
    x = np.array([[0.1, 0.4], [-0.3, 0.2], [0.5, -0.6]])
    v = np.array([[0.2, -0.1], [0.4, 0.3], [-0.5, 0.1]])
    _, hv = srcad.hvp(pairwise_energy, (x,), (v,))
    g = srcad.grad(pairwise_energy)
    eps = 1e-5
    fd = (g(x + eps * v) - g(x - eps * v)) / (2 * eps)
    np.testing.assert_allclose(hv, fd, rtol=1e-6, atol=1e-9)


def test_recognized_square_of_a_norm_at_zero_keeps_its_hessian():
    def f(x, ls):
        return np.linalg.norm(x - C) ** 2 / ls**2

    _, hv = srcad.hvp(f, (C.copy(), LS), (V, None))
    np.testing.assert_allclose(hv, 2 * V / LS**2, rtol=1e-12)


def where_cos_abs(x):
    return np.sum(np.where(x > 0.5, 1.0, np.cos(np.abs(x))))


def test_even_function_of_abs_under_a_mask_has_its_hessian_at_zero():
    x = np.array([0.0, 0.7, 0.0])
    _, hv = srcad.hvp(where_cos_abs, (x,), (V,))
    np.testing.assert_allclose(hv, [-V[0], 0.0, -V[2]], rtol=1e-12, atol=1e-15)
    H = srcad.hessian(where_cos_abs)(np.zeros(3))
    np.testing.assert_allclose(H, -np.eye(3), rtol=1e-12, atol=1e-15)
