"""scipy calls made in simulations and fits (srcad/libivp.py, libroots.py, libquad.py; lambdas and
nested functions handed to them: srcad/lower/scipy_calls.py; interp1d and CubicSpline:
srcad/libinterp.py): a table of
programs, each checked against central differences of the scipy call at tight tolerances, in
reverse mode and (where a JVP rule exists) forward mode, with a VJP-vs-JVP dot-product test; and
clean refusals of what is not differentiated."""

from __future__ import annotations

import numpy as np
import pytest

import srcad

integrate = pytest.importorskip("scipy.integrate")
optimize = pytest.importorskip("scipy.optimize")


def decay(t, y, k):
    return -k * y


def lotka(t, y, a, b):
    return np.array([a * y[0] - b[0] * y[0] * y[1], -b[1] * y[1] + b[2] * y[0] * y[1]])


def cubic(z, c, k):
    return z**3 + k * z - c


def system(z, p):
    return np.array([z[0] ** 2 + z[1] - p[0], z[0] - np.sin(z[1]) * p[1]])


def damped(t, k, c):
    return np.exp(-k * t) * np.cos(c * t)


def ramp(t, k):
    return np.exp(-k * t) * t


TIGHT = {"rtol": 1e-11, "atol": 1e-12}


def ivp_end(p):
    sol = integrate.solve_ivp(decay, (0.0, 1.0), [1.0, 2.0], args=(p[0],), **TIGHT)
    return np.sum(sol.y[:, -1] ** 2)


def ivp_t_eval(p):
    t = np.linspace(0.5, 3.0, 6)
    sol = integrate.solve_ivp(lotka, (0.0, 3.0), p[:2], args=(p[2], p[3:]), t_eval=t, **TIGHT)
    return np.sum(sol.y**2) + sol.t[2]


def ivp_radau(p):
    sol = integrate.solve_ivp(
        decay, (0.0, 1.0), np.array([1.0, p[1]]), method="Radau", args=(p[0],), **TIGHT
    )
    return sol.y[1, -1] * sol.y[0, -1]


def brentq(p):
    return optimize.brentq(cubic, 0.0, 10.0, args=(p[0], p[1]), xtol=1e-14) ** 2


def ridder(p):
    return optimize.ridder(cubic, 0.0, p[0] + 5.0, args=(p[0], 3.0), xtol=1e-14) * p[1]


def newton(p):
    return optimize.newton(cubic, 1.0, args=(p[0], p[1]), tol=1e-13)


def newton_array(p):
    return np.sum(optimize.newton(cubic, np.array([1.0, 2.0]), args=(p, 1.0), tol=1e-13) ** 2)


def fsolve(p):
    return np.sum(optimize.fsolve(system, np.array([1.0, 0.5]), args=(p,), xtol=1e-13) ** 2)


def root_scalar(p):
    r = optimize.root_scalar(cubic, args=(p[0], p[1]), bracket=(0.0, 10.0), xtol=1e-14)
    return r.root * p[1]


def quad_limits(p):
    v, _ = integrate.quad(damped, 0.0, p[1], args=(p[0], 2.0))
    return v**2


def quad_infinite(p):
    v, _ = integrate.quad(damped, p[1], np.inf, args=(p[0], p[1]), epsabs=1e-13, epsrel=1e-12)
    return v


def quad_weight(p):
    return integrate.quad(ramp, 0.0, p[1], args=(p[0],), weight="sin", wvar=3.0)[0]


def closure_quad(p):
    v, _ = integrate.quad(lambda t: np.exp(-p[0] * t) * p[1], 0.0, 1.0)
    return v


def closure_loop_quad(p):
    s = 0.0
    for k in range(3):
        s = s + integrate.quad(lambda t: np.sin(k * p[0] * t), 0.0, 1.0)[0]  # noqa: B023
    return s


def closure_brentq(p):
    c = p[1]
    return optimize.brentq(lambda z, k: z**3 + k * z - c * p[0], 0.0, 10.0, args=(2.0,), xtol=1e-14)


def closure_root_scalar(p):
    r = optimize.root_scalar(lambda z: z**3 - p[0], bracket=(0.0, 10.0), xtol=1e-14)
    return r.root


def closure_fsolve(p):
    xs = [p[0], p[1]]

    def residual(z):
        return np.array([z[0] - xs[0] ** 2, z[1] * 2 - xs[1]])

    return optimize.fsolve(residual, np.ones(2), xtol=1e-13)[1] * 3 + xs[0]


def closure_newton_reused(p):
    h = lambda z: np.tanh(z) - p[0] * 0.3  # noqa: E731
    return optimize.newton(h, 0.1, tol=1e-13) + h(0.5)


def closure_odeint(p):
    w = p * 2.0

    def rhs(y, t):
        return -w[0] * y + p[1]

    ys = integrate.odeint(rhs, np.array([1.0]), np.linspace(0, 1, 4), **TIGHT)
    return np.sum(ys)


def closure_solve_ivp(p):
    sol = integrate.solve_ivp(lambda t, y: -p[0] * y * p[1], (0.0, 1.0), [1.0], **TIGHT)
    return sol.y[0, -1]


XS = np.array([0.0, 0.3, 0.5, 0.9, 1.2, 1.6])
interpolate = pytest.importorskip("scipy.interpolate")


def interp_linear(p):
    f = interpolate.interp1d(XS, np.sin(XS) * p[0])
    return f(0.4 * p[1]) ** 2


def interp_cubic(p):
    f = interpolate.interp1d(XS, np.cos(XS * p[0]), kind="cubic")
    return np.sum(f(np.array([0.1, 0.7, 1.1]) * p[1]))


def interp_fill(p):
    f = interpolate.interp1d(XS, XS * p[0], kind="quadratic", bounds_error=False, fill_value=3.0)
    return np.sum(f(np.array([0.2, 2.0]) * p[1]))


def interp_extrapolate(p):
    f = interpolate.interp1d(XS, XS**2 * p[0], fill_value="extrapolate")
    return f(1.7 * p[1])


def interp_nearest(p):
    return interpolate.interp1d(XS, XS * p[0], kind="nearest")(0.33 * p[1])


def spline_natural(p):
    cs = interpolate.CubicSpline(XS, np.exp(-XS * p[0]), bc_type="natural")
    return np.sum(cs(np.linspace(0.05, 1.5, 4) * p[1]) ** 2)


def spline_clamped_slope(p):
    cs = interpolate.CubicSpline(XS, np.exp(-XS * p[0]), bc_type=((1, 0.5), (2, 0.1)))
    return cs(0.77 * p[1], 1)


def spline_other_uses(p):
    cs = interpolate.CubicSpline(XS, np.exp(-XS))  # (constant: the object is used as scipy's)
    return cs.x[1] * p[0] + cs(0.2 * p[1]) + cs.integrate(0.0, 1.0) + cs.derivative()(0.3)


# (function, point, has forward mode)
CASES = [
    (ivp_end, np.array([2.0, 1.5]), False),
    (ivp_t_eval, np.array([1.0, 0.8, 1.0, 0.5, 0.8, 0.4]), False),
    (ivp_radau, np.array([2.0, 1.5]), False),
    (brentq, np.array([2.0, 1.5]), True),
    (ridder, np.array([2.0, 1.5]), True),
    (newton, np.array([2.0, 1.5]), True),
    (newton_array, np.array([2.0, 1.5]), True),
    (fsolve, np.array([2.0, 1.5]), True),
    (root_scalar, np.array([2.0, 1.5]), True),
    (quad_limits, np.array([2.0, 1.5]), True),
    (quad_infinite, np.array([2.0, 1.5]), True),
    (quad_weight, np.array([2.0, 1.5]), True),
    (closure_quad, np.array([2.0, 1.5]), True),
    (closure_loop_quad, np.array([2.0, 1.5]), True),
    (closure_brentq, np.array([2.0, 1.5]), True),
    (closure_root_scalar, np.array([2.0, 1.5]), True),
    (closure_fsolve, np.array([2.0, 1.5]), True),
    (closure_newton_reused, np.array([2.0, 1.5]), True),
    (closure_odeint, np.array([2.0, 1.5]), False),
    (closure_solve_ivp, np.array([2.0, 1.5]), False),
    (interp_linear, np.array([1.3, 1.1]), True),
    (interp_cubic, np.array([1.3, 1.1]), True),
    (interp_fill, np.array([1.3, 1.1]), True),
    (interp_extrapolate, np.array([1.3, 1.1]), True),
    (interp_nearest, np.array([1.3, 1.1]), True),
    (spline_natural, np.array([1.3, 1.1]), True),
    (spline_clamped_slope, np.array([1.3, 1.1]), True),
    (spline_other_uses, np.array([1.3, 1.1]), True),
]
IDS = [c[0].__name__ for c in CASES]


def _central(f, x, eps=1e-6):
    return np.array([(f(x + eps * e) - f(x - eps * e)) / (2 * eps) for e in np.eye(x.size)])


@pytest.mark.parametrize("f, x, fwd", CASES, ids=IDS)
def test_gradient_vs_central_differences(f, x, fwd):
    value, g = srcad.value_and_grad(f)(x)
    assert value == pytest.approx(f(x), rel=1e-12)
    np.testing.assert_allclose(g, _central(f, x), rtol=2e-5, atol=1e-7)


@pytest.mark.parametrize(
    "f, x, fwd", [c for c in CASES if c[2]], ids=[c[0].__name__ for c in CASES if c[2]]
)
def test_forward_mode_and_dot_product(f, x, fwd):
    v = np.linspace(0.3, -0.7, x.size)
    out, t = srcad.jvp(f, (x,), (v,))
    assert out == pytest.approx(f(x), rel=1e-12)
    (gx,) = srcad.vjp(f, x)[1](1.0)
    assert t == pytest.approx(np.dot(gx, v), rel=1e-9, abs=1e-12)
    np.testing.assert_allclose(t, np.dot(_central(f, x), v), rtol=2e-5, atol=1e-7)


def test_unrelated_program_does_not_import_scipy(tmp_path):
    import subprocess
    import sys

    prog = tmp_path / "prog.py"
    prog.write_text(
        "import sys, numpy as np, srcad\n"
        "def f(x):\n"
        "    return np.sum(np.sin(x))\n"
        "srcad.grad(f)(np.ones(2))\n"
        "srcad.jvp(f, (np.ones(2),), (np.ones(2),))\n"
        "assert not [m for m in sys.modules if m.startswith('scipy')]\n"
    )
    subprocess.run([sys.executable, str(prog)], check=True)


def tolerance_variables(p, tol):
    sol = integrate.solve_ivp(decay, (0.0, 1.0), [1.0], args=(p[0],), rtol=tol, atol=tol * 0.1)
    return sol.y[0, -1]


def test_solve_ivp_options_from_variables():
    g = srcad.grad(tolerance_variables)(P, 1e-11)
    np.testing.assert_allclose(g, [-np.exp(-2.0), 0.0], rtol=1e-8)


def _refused(f, x, match, mode="grad"):
    with pytest.raises(srcad.SrcadError, match=match):
        if mode == "grad":
            srcad.grad(f)(x)
        elif mode == "jvp":
            srcad.jvp(f, (x,), (np.ones_like(x),))
        else:
            srcad.hessian(f)(x)


P = np.array([2.0, 1.5])


def test_solve_ivp_refusals():
    def interior(p):
        return np.sum(integrate.solve_ivp(decay, (0.0, 1.0), [1.0, 2.0], args=(p[0],)).y)

    def dense(p):
        sol = integrate.solve_ivp(decay, (0.0, 1.0), [1.0], args=(p[0],), dense_output=True)
        return sol.y[0, -1]

    def event(t, y, k):
        return y[0] - 0.5

    def events(p):
        return integrate.solve_ivp(decay, (0.0, 1.0), [1.0], args=(p[0],), events=event).y[0, -1]

    _refused(interior, P, "t_eval")
    _refused(dense, P, "dense_output")
    _refused(events, P, "events")
    _refused(ivp_end, P, "reverse mode only", "jvp")
    _refused(ivp_end, P, "again", "hessian")


def test_root_refusals():
    def not_converged(p):
        return optimize.newton(cubic, 1.0, args=(p[0], p[1]), maxiter=2, disp=False)

    def full(p):
        return optimize.brentq(cubic, 0.0, 10.0, args=(p[0], p[1]), full_output=True)[0]

    def varied_function(p):
        import functools

        return optimize.brentq(functools.partial(cubic, c=p[0]), 0.0, 10.0, args=(1.0,))

    _refused(not_converged, P, "did not converge")
    _refused(not_converged, P, "did not converge", "jvp")
    _refused(full, P, "full_output")
    _refused(brentq, P, "again", "hessian")
    with pytest.raises(srcad.SrcadError):
        srcad.grad(varied_function)(P)


def test_quad_refusals():
    def error_estimate(p):
        v, e = integrate.quad(ramp, 0.0, 1.0, args=(p[0],))
        return v + e

    def alg_weight(p):
        return integrate.quad(ramp, 0.0, p[1], args=(p[0],), weight="alg", wvar=(0.5, 0.5))[0]

    _refused(error_estimate, P, "error estimate")
    _refused(alg_weight, P, "weight='alg'")
    _refused(alg_weight, P, "weight='alg'", "jvp")
    _refused(quad_limits, P, "again", "hessian")


def test_closure_refusal_points_to_args():
    def closure(p):
        return optimize.newton(cubic, 1.0, fprime=lambda z, c, k: 3 * z**2 + k, args=(p[0], 1.0))

    _refused(closure, P, "args=")

    def with_fprime(p):  # (scipy passes args to fprime too: the lambda is not lifted)
        return optimize.newton(
            lambda z, k: z**3 + k * z - p[0], 1.0, fprime=cubic_prime, args=(1.0,)
        )

    _refused(with_fprime, P, "args=")


def cubic_prime(z, k):
    return 3 * z**2 + k


def test_closure_over_a_dict_refused():
    def closure(p):
        d = {"k": p[0]}
        return integrate.quad(lambda t: np.exp(-d["k"] * t), 0.0, 1.0)[0]

    _refused(closure, P, "an entry of `args` is a dict")
    _refused(closure, P, "an entry of `args` is a dict", "jvp")


def test_interpolant_refusals():
    def active_knots(p):
        return interpolate.interp1d(XS * p[1], np.sin(XS) * p[0])(0.4)

    def two_dimensional(p):
        return np.sum(interpolate.interp1d(XS, np.outer(np.sin(XS), p), axis=0)(0.4))

    def spline_method(p):
        return interpolate.CubicSpline(XS, np.exp(-XS * p[0])).derivative()(0.3)

    def partial_attribute(p):
        import functools

        f = functools.partial(np.multiply, 2.0)
        return f(p[0]) + len(f.args)

    _refused(active_knots, P, "depends on the differentiated inputs")
    _refused(two_dimensional, P, "more than one dimension")
    _refused(spline_method, P, "cannot tell which function")
    _refused(partial_attribute, P, "functools.partial")
    _refused(interp_linear, P, "again", "hessian")
