"""Session 50, hunt50a: regressions found by user-style statistics and engineering programs
(tests/corpus/ported_corp50_a.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad
from srcad.testing import check_grads

_X = np.array([0.7, 0.3])
_V = np.array([1.0, -0.4])
T_END = 2.0


# -- Kepler's equation by Newton iterations in a helper, ``E = M; E -= dE`` --------------------
def kepler(M, e, tol=1e-12):
    E = M
    for _ in range(50):
        dE = (E - e * math.sin(E) - M) / (1 - e * math.cos(E))
        E -= dE
        if abs(dE) < tol:
            break
    return E


def anomaly(p):
    return kepler(p[0], p[1]) ** 2 * p[1]


def loss_of_model(p):
    return anomaly(p) * 2.0


def orbit(elems, t):
    a, e, n = elems
    E = kepler(n * t, e)
    return a * (math.cos(E) - e) + a * math.sqrt(1 - e * e) * math.sin(E)


def orbit_at_end(elems):
    return orbit(elems, T_END) ** 2


def _fd(f, x, eps=1e-6):
    return np.array([(f(x + eps * u) - f(x - eps * u)) / (2 * eps) for u in np.eye(len(x))])


def _anomaly_fd(x):
    return _fd(anomaly, x)


def test_number_item_rebound_two_helpers_down():
    """``loss -> anomaly(p) -> kepler(p[0], ...)`` whose ``E = M; E -= dE`` rebinds a number:
    was refused ("`kepler` modifies its argument `M` in place") when `anomaly` was a helper,
    as its transform did not know `p` is a 1-D array (its caller did)."""
    np.testing.assert_allclose(srcad.grad(loss_of_model)(_X.copy()), 2 * _anomaly_fd(_X), 1e-6)
    check_grads(loss_of_model, (_X.copy(),), modes=("fwd", "rev"), order=2)


def test_global_number_argument_is_a_number():
    """``orbit(elems, T_END)`` of a module-level float: ``M = n * t`` is a number, so
    `kepler`'s ``E = M; E -= dE`` rebinds it (was refused: "`M` is read after the object it
    shares with another name is updated")."""
    x = np.array([1.5, 0.4, 0.7])
    want = _fd(orbit_at_end, x)
    np.testing.assert_allclose(srcad.grad(lambda y: orbit_at_end(y) * 1.0)(x), want, 1e-6)
    check_grads(orbit_at_end, (x,), modes=("fwd", "rev"), order=2)


def grad_of_jvp(y):
    return srcad.jvp(anomaly, (y,), (_V,))[1]


def grad_of_hvp(y):
    return np.sum(srcad.hvp(anomaly, (y,), (_V,))[1])


def grad_of_pull(y):
    _, pull = srcad.vjp(anomaly, y)
    return np.sum(pull(1.0)[0] * _V)


def test_derivative_inside_knows_its_arguments_ranks():
    """srcad.jvp / srcad.hvp of a function called inside differentiated code with a 1-D array:
    the level made for the call is checked for that array (``kepler(p[0], ...)`` rebinds a
    number), as srcad.jvp called outside checks it. Was refused."""
    H = srcad.hessian(anomaly)(_X.copy())
    np.testing.assert_allclose(srcad.grad(grad_of_jvp)(_X.copy()), H @ _V, rtol=1e-10)
    np.testing.assert_allclose(srcad.grad(grad_of_pull)(_X.copy()), H @ _V, rtol=1e-10)
    want = _fd(lambda y: np.sum(srcad.hessian(anomaly)(y) @ _V), _X)
    np.testing.assert_allclose(srcad.grad(grad_of_hvp)(_X.copy()), want, rtol=1e-5)


def jvp_defaults(M):
    return srcad.jvp(kepler, (M, 0.3), (1.0, 0.0))[1]


def hvp_defaults(M):
    return srcad.hvp(kepler, (M, 0.3), (1.0, None))[1]


def pull_defaults(M):
    _, pull = srcad.vjp(kepler, M, 0.3)
    (gM, ge) = pull(1.0)
    return gM + ge


def _d(g, M, eps=1e-5):
    return (g(M + eps) - g(M - eps)) / (2 * eps)


def _first(M):
    return srcad.grad(kepler)(M, 0.3)


def _second(M):
    return srcad.hessian(kepler)(M, 0.3)


def _both(M):
    return sum(srcad.grad(kepler, wrt=(0, 1))(M, 0.3))


@pytest.mark.parametrize(
    "f, outside",
    [(jvp_defaults, _first), (hvp_defaults, _second), (pull_defaults, _both)],
    ids=["jvp", "hvp", "vjp"],
)
def test_derivative_inside_leaves_constant_defaults_out(f, outside):
    """``srcad.jvp(kepler, (M, e), (dM, de))`` of ``def kepler(M, e, tol=1e-12)`` inside a
    differentiated function: the default fills `tol`, as srcad.jvp outside does (was refused:
    "needs one primal and one tangent per argument"); srcad.vjp's pullback gives the cotangents
    of the primals given, as outside."""
    assert f(0.7) == pytest.approx(float(outside(0.7)), rel=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(0.7), _d(outside, 0.7), rtol=1e-6)
