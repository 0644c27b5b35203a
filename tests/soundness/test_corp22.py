"""Wrong results found by porting other projects' test corpora (session 22, corp22), each checked
against central differences of srcad's gradient and against the closed form.

- the square of a distance written with ``np.sqrt``, ``r = np.sqrt(np.sum((x - c) ** 2))`` then
  ``np.exp(-r ** 2)`` (a Gaussian kernel, JAX's and autograd's RBF examples): at ``x = c`` the
  root takes the norm's subgradient 0 (`fmasks.square_sums`), so the first derivative was right
  but forward over reverse gave a Hessian of 0 where it is ``-2 I`` (``np.linalg.norm(d) ** 2``
  was already right: ad/squares.py). ``np.sqrt(s) ** 2`` of a sum of squares `s` now takes its
  derivative from `s` (ad/squares.py, kind "root"). The same for ``np.hypot(a, b) ** 2`` and
  ``math.hypot(a, b) ** 2`` at ``a = b = 0`` (Hessian 0 where it is 2; kind "hypot").
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

C = np.array([0.1, 0.2, -0.3])


def rbf_at_center(x):
    r = np.sqrt(np.sum((x - C) ** 2))
    return np.exp(-(r**2))


def dist_sq_mul(x):
    d = x - C
    r = np.sqrt(np.sum(d * d))
    return 3.0 * (r * r) + np.sum(x)


def dist_sq_square(x):
    r = np.sqrt(np.sum(np.square(x - C)))
    return np.square(r) * 0.5


def dist_sq_pow_half(x):
    s = np.sum((x - C) ** 2)
    return np.sin((s**0.5) ** 2)


def dist_sq_math(x):
    r = math.sqrt((x[0] - C[0]) ** 2 + (x[1] - C[1]) ** 2 + (x[2] - C[2]) ** 2)
    return math.exp(-(r**2))


P = np.stack([C, C + 1.0, C - 2.0])


def rows_sq(x):
    e = x - P
    r = np.sqrt(np.sum(e**2, axis=1))
    return np.sum(np.exp(-(r**2) / 2.0))


def hypot_sq(x):
    return np.sum(np.hypot(x[:2] - C[:2], x[2] - C[2]) ** 2)


def hypot_sq_math(x):
    h = math.hypot(x[0] - C[0], x[1] - C[1])
    return math.exp(-(h * h)) + x[2] ** 2


def hypot_sq_broadcast(x):
    a = (x - C).reshape(3, 1)
    return np.sum(np.exp(-np.square(np.hypot(a, x[1] - C[1]))))


# (function, Hessian at x = C)
CASES = {
    "rbf_at_center": (rbf_at_center, -2.0 * np.eye(3)),
    "dist_sq_mul": (dist_sq_mul, 6.0 * np.eye(3)),
    "dist_sq_square": (dist_sq_square, np.eye(3)),
    "dist_sq_pow_half": (dist_sq_pow_half, 2.0 * np.eye(3)),
    "dist_sq_math": (dist_sq_math, -2.0 * np.eye(3)),
    "hypot_sq": (hypot_sq, np.diag([2.0, 2.0, 4.0])),
    "hypot_sq_math": (hypot_sq_math, np.diag([-2.0, -2.0, 2.0])),
    "hypot_sq_broadcast": (
        hypot_sq_broadcast,
        np.array([[-2.0, 0.0, 0.0], [0.0, -8.0, 0.0], [0.0, 0.0, -2.0]]),
    ),
}


def _fd_hessian(f, x, eps=1e-5):
    g = srcad.grad(f)
    return np.array([(g(x + eps * e) - g(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.mark.parametrize("name", sorted(CASES))
def test_root_square_hessian_at_zero(name: str) -> None:
    f, expected = CASES[name]
    x = C.copy()
    H = srcad.hessian(f)(x)
    np.testing.assert_allclose(H, expected, atol=1e-9)
    np.testing.assert_allclose(H, _fd_hessian(f, x), atol=1e-6)
    v = np.array([0.3, -1.0, 0.5])
    g, hv = srcad.hvp(f, (x,), (v,))
    np.testing.assert_allclose(hv, expected @ v, atol=1e-9)
    _, dg = srcad.jvp(srcad.grad(f), (x,), (v,))
    np.testing.assert_allclose(dg, expected @ v, atol=1e-9)


def test_root_square_rows_at_zero() -> None:
    # the first row of e is 0 at x = C (the others are not): its term of the Hessian is -I
    x = C.copy()
    H = srcad.hessian(rows_sq)(x)
    np.testing.assert_allclose(H, _fd_hessian(rows_sq, x), atol=1e-6)


@pytest.mark.parametrize("name", sorted(CASES))
def test_root_square_away_from_zero(name: str) -> None:
    f, _ = CASES[name]
    x = C + np.array([0.4, -0.2, 0.7])
    H = srcad.hessian(f)(x)
    np.testing.assert_allclose(H, _fd_hessian(f, x), rtol=1e-6, atol=1e-7)
    srcad.check_grads(f, (x,), modes=("fwd", "rev"), order=2)
