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


# -- a forward-mode mask read by a reverse sweep: the tangent zero by chance ---------------------
def charbonnier_edges(x, eps=1e-6):
    d = np.diff(x, append=x[-1:])  # (the appended edge: a constant part, `ad/fpartial.py`)
    return np.sum(np.sqrt(d**2 + eps))


def tv_isotropic(img, eps=1e-3):
    gx = np.diff(img, axis=1, append=img[:, -1:])
    gy = np.diff(img, axis=0, append=img[-1:, :])
    return np.sum(np.sqrt(gx**2 + gy**2 + eps**2))


_XE = np.array([0.5, 0.5, 0.25, 0.25, 1.0])
_VE = np.array([0.3, -1.0, 0.7, 0.2, 0.5])
_IMG = np.array([[0.0, 0.5, 0.5, 0.75], [0.5, 0.75, 0.5, 0.75], [0.25, 0.75, 0.25, 0.5]])


@pytest.mark.parametrize(
    "f, x, v",
    [(charbonnier_edges, _XE, _VE), (tv_isotropic, _IMG, np.cos(np.arange(12.0)).reshape(3, 4))],
    ids=["charbonnier", "tv"],
)
def test_grad_of_jvp_where_a_tangent_is_zero_by_chance(f, x, v):
    """The JVP of ``np.sqrt(s)`` of a value with constant parts masks ``ds * 0.5 / sqrt(s)``
    where ``ds == 0`` (0 * inf at a written zero). At ``d == 0`` (flat neighbours) ``ds = dd *
    2 d`` is zero by chance, and the reverse sweep over the JVP (grad of jvp) took the mask's
    derivative there as 0: 0 where the Hessian times v is +-1300 (Charbonnier) or +-1000 (TV).
    The mask now applies only where the unmasked tangent is not finite."""
    H = np.asarray(srcad.hessian(f)(x.copy())).reshape(x.size, x.size)

    def inner(y):
        return srcad.jvp(f, (y,), (v,))[1]

    got = srcad.grad(inner)(x.copy())
    np.testing.assert_allclose(got.ravel(), H @ v.ravel(), rtol=1e-9, atol=1e-9)
    g = srcad.grad(f)
    fd = (g(x + 1e-7 * v) - g(x - 1e-7 * v)) / 2e-7
    np.testing.assert_allclose(got, fd, rtol=1e-4, atol=1e-3)


# -- a tuple of numbers as an argument holds no object ------------------------------------------
def pk_doses(k, doses=(100.0, 50.0), dt=0.5):
    ka, ke = k
    A_gut, A_c = 0.0, 0.0
    cmax = 0.0
    for i in range(12):
        if i % 6 == 0:
            A_gut += doses[i // 6]
        flux = ka * A_gut
        A_gut -= dt * flux
        A_c += dt * (flux - ke * A_c)
        cmax = max(cmax, A_c)
    return cmax


def pk_each_dose(k, doses=(100.0, 50.0), dt=0.5):
    A_gut, A_c = 0.0, 0.0
    cmax = 0.0
    for _ in range(6):
        for d in doses:
            A_gut += d * dt
        A_c += dt * (k[0] * A_gut - k[1] * A_c)
        cmax = max(cmax, A_c)
    return cmax


@pytest.mark.parametrize("f", [pk_doses, pk_each_dose], ids=lambda f: f.__name__)
@pytest.mark.parametrize("given", [False, True], ids=["default", "passed"])
def test_tuple_of_numbers_argument(f, given):
    """``A_gut += doses[i]`` of a tuple of floats makes a number, so ``cmax = max(cmax, A_c)``
    shares no object ``A_c += ...`` updates. Was refused ("`cmax` is read after the object it
    shares with another name is updated with `op=`"): only lists and dicts of numbers counted
    as holding no object (`Spec.numbers`)."""
    k = np.array([1.2, 0.2])
    args = (k, (100.0, 50.0)) if given else (k,)
    assert srcad.primal(f)(*args) == f(*args)
    want = _fd(lambda q: f(q, *args[1:]), k)
    np.testing.assert_allclose(srcad.grad(f)(*args), want, rtol=1e-6)
