"""``scipy.integrate.odeint`` in reverse mode (srcad/libode.py: the adjoint ODE, integrated back
with odeint itself), once refused with "no derivative rule". Gradients in y0 and in the float
entries of ``args`` against central differences of odeint run at tight tolerances; forward mode,
second derivatives, an active ``t`` and ``full_output`` refused cleanly."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

integrate = pytest.importorskip("scipy.integrate")
odeint = integrate.odeint

T = np.linspace(0.0, 3.0, 7)
DATA = np.array(
    [[1.0, 0.8], [1.3, 0.7], [1.5, 0.9], [1.2, 1.2], [0.9, 1.1], [0.8, 0.9], [1.0, 0.8]]
)
P0 = np.array([1.0, 0.5, 0.8, 0.4])


def lotka(y, t, p):
    a, b, c, d = p
    return np.array([a * y[0] - b * y[0] * y[1], -c * y[1] + d * y[0] * y[1]])


def lotka_list(t, y, a, b, n):
    return [a * y[0] - b * y[0] * y[1] * n, -y[1] + 0.5 * y[0] * y[1]]


def pendulum(y, t, g, length, damp):
    return np.array([y[1], -g / length * np.sin(y[0]) - damp * y[1]])


def fit(p):
    """Parameter estimation: squared error of a Lotka-Volterra trajectory to data."""
    ys = odeint(lotka, np.array([1.0, 0.8]), T, args=(p,), rtol=1e-11, atol=1e-12)
    return np.sum((ys - DATA) ** 2)


def initial_state(w):
    ys = odeint(lotka, w[:2], T, args=(P0,), rtol=1e-11, atol=1e-12)
    return np.sum(ys[-1] ** 2) + ys[3, 0]


def first_time_list_state(w):
    """tfirst=True, a list state and a list output, an integer among the args."""
    ys = odeint(lotka_list, [w[0], 0.8], T, args=(w[1], w[2], 2), tfirst=True,
                rtol=1e-11, atol=1e-12)  # fmt: skip
    return np.sum(np.log(ys[:, 0]))


def restarted(w):
    """odeint called in a loop, each leg starting where the last ended."""
    y = np.array([1.0, 0.8])
    total = 0.0
    for k in range(3):
        ys = odeint(lotka, y, np.array([0.0, 0.5]), args=(w * (1.0 + 0.1 * k),),
                    rtol=1e-11, atol=1e-12)  # fmt: skip
        y = ys[-1]
        total = total + y[0] * y[1]
    return total


TOL = {"rtol": 1e-11, "atol": 1e-12}


def swing(w):
    """Float args beside the differentiated one; the tolerances from a module-level dict."""
    ys = odeint(pendulum, np.array([w[0], 0.0]), np.linspace(0.0, 2.0, 5), args=(9.81, w[1], 0.1),
                **TOL)  # fmt: skip
    return ys[-1, 0]


def _central(f, x, eps=1e-5):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


CASES = [
    (fit, P0),
    (initial_state, np.array([1.1, 0.7])),
    (first_time_list_state, np.array([1.0, 0.6, 0.4])),
    (restarted, P0),
    (swing, np.array([0.5, 1.2])),
]


@pytest.mark.parametrize("f, x", CASES, ids=[c[0].__name__ for c in CASES])
def test_gradient(f, x):
    value, g = srcad.value_and_grad(f)(x)
    assert value == pytest.approx(f(x), rel=1e-12)
    np.testing.assert_allclose(g, _central(f, x), rtol=2e-5, atol=1e-7)


def test_vjp_of_the_trajectory():
    def traj(p):
        return odeint(lotka, np.array([1.0, 0.8]), T, args=(p,), rtol=1e-11, atol=1e-12)

    ys, pullback = srcad.vjp(traj, P0)
    ct = np.linspace(-1.0, 1.0, ys.size).reshape(ys.shape)
    (bp,) = pullback(ct)
    np.testing.assert_allclose(bp, _central(lambda p: np.sum(traj(p) * ct), P0), rtol=2e-5)


def test_forward_mode_and_second_order_refused():
    with pytest.raises(srcad.SrcadError, match="reverse mode only"):
        srcad.jvp(fit, (P0,), (np.ones(4),))
    with pytest.raises(srcad.SrcadError, match="reverse mode only"):
        srcad.hessian(fit)(P0)


def test_unsupported_forms_refused():
    def nested(p):
        def rhs(y, t):
            return -p[0] * y

        return odeint(rhs, np.array([1.0]), T)[-1, 0]

    def active_time(p):
        return odeint(lotka, np.array([1.0, 0.8]), np.linspace(0.0, p[0], 3), args=(p,))[-1, 0]

    def full(p):
        ys, info = odeint(lotka, np.array([1.0, 0.8]), T, args=(p,), full_output=True)
        return ys[-1, 0]

    for f in (active_time, full):
        with pytest.raises(srcad.SrcadError):
            srcad.grad(f)(P0)
    # a nested function is lambda-lifted since session 42 (srcad/lower/scipy_calls.py): its
    # captured values are passed through args; d/dp0 of exp(-p0 * 3) = -3 exp(-3 p0)
    np.testing.assert_allclose(srcad.grad(nested)(P0), [-3.0 * np.exp(-3.0), 0, 0, 0], rtol=1e-5)
