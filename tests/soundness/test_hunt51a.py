"""Session 51, hunt51a: regressions found by user-style finance, graphics, RL and physics programs
(tests/corpus/ported_corp51_a.py)."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

_X1 = np.array([0.0, 0.5, 1.25])
_V1 = np.array([1.0, 0.3, -0.2])
_Y = np.array([0.3, -0.2, 0.5])
_X2 = np.array([[0.0, 0.1], [0.3, 0.2], [0.5, -0.4]])
_V2 = np.array([[1.0, 0.3], [-0.2, 0.5], [0.4, 0.1]])


# -- exponential (Ornstein-Uhlenbeck) kernels: |x_i - x_i| = 0 on the diagonal, f'(0) != 0 -------
def ou_abs(x, y, ls=0.8):
    K = np.exp(-np.abs(x[:, None] - x[None, :]) / ls) + 0.1 * np.eye(len(x))
    L = np.linalg.cholesky(K)
    a = np.linalg.solve(K, y)
    return 0.5 * y @ a + np.sum(np.log(np.diag(L)))


def ou_root(X, y, ls=0.8):
    d = X[:, None, :] - X[None, :, :]
    r = np.sqrt(np.sum(d**2, axis=-1))
    K = np.exp(-r / ls) + 0.1 * np.eye(len(X))
    return 0.5 * y @ np.linalg.solve(K, y) + 0.5 * np.linalg.slogdet(K)[1]


def sph_cutoff(x, h=1.0):
    r = np.abs(x[:, None] - x[None, :])
    q = r / h
    w = np.where(q < 1, (1 - q) ** 2, 0.0)
    return np.sum(w)


def std_rows(X):
    s = np.std(X, axis=1)
    return np.sum(np.exp(-s) * X[:, 0])


def _hv_fd(f, x, v, *rest, eps=1e-5):
    g = srcad.grad(f)
    return (np.asarray(g(x + eps * v, *rest)) - np.asarray(g(x - eps * v, *rest))) / (2 * eps)


_CASES = [
    (ou_abs, _X1, _V1, (_Y,)),
    (ou_root, _X2, _V2, (_Y,)),
    (sph_cutoff, _X1, _V1, ()),
    (
        std_rows,
        np.array([[0.5, 0.5, 0.5], [0.3, 0.2, -0.4]]),
        np.array([[1.0, 1.0, 1.0], [-0.2, 0.5, 0.4]]),
        (),
    ),
]


@pytest.mark.parametrize("f, x, v, rest", _CASES, ids=[c[0].__name__ for c in _CASES])
def test_grad_of_jvp_zero_diagonal(f, x, v, rest):
    """grad of a jvp of a function of ``|x_i - x_j|`` (a root of a sum of squares, an np.std of a
    constant row) whose slope at 0 is not 0 (``exp(-r)``, ``(1 - r) ** 2``): the diagonal's
    magnitude is 0 and its tangent ``v_i - v_i`` is 0 too, so the second-order term there is 0.
    Was refused ("second derivative of a magnitude at 0 ... along a nonzero direction") as the
    check read the cotangent ``f'(0) != 0``, not the direction; hvp, hessian and grad of grad
    were accepted and right."""
    want = _hv_fd(f, x, v, *rest)

    if rest:

        def inner(z):
            return srcad.jvp(f, (z, _Y), (v, None))[1]
    else:

        def inner(z):
            return srcad.jvp(f, (z,), (v,))[1]

    got = srcad.grad(inner)(x.copy())
    np.testing.assert_allclose(np.asarray(got), want, rtol=1e-6, atol=1e-8)
    _, hv = srcad.hvp(f, (x.copy(), *rest), (v,) + (None,) * len(rest))
    np.testing.assert_allclose(np.asarray(hv), want, rtol=1e-6, atol=1e-8)


def laplace_at_centre(x, c):
    return np.sum(np.exp(-np.abs(x - c)))


def test_grad_of_jvp_moving_magnitude_still_refused():
    """At ``x == c`` along a direction that moves ``x - c`` the Laplace bump has no second
    derivative: grad of its jvp is still refused there."""
    c = np.array([0.0, 0.5])

    def inner(z):
        return srcad.jvp(laplace_at_centre, (z, c), (np.array([1.0, 0.0]), None))[1]

    with pytest.raises(srcad.SrcadError, match="magnitude at 0"):
        srcad.grad(inner)(c.copy())
    np.testing.assert_allclose(
        srcad.grad(inner)(c + np.array([0.3, 0.2])), [np.exp(-0.3), 0.0], 1e-12
    )
