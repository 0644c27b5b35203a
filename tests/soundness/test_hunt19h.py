"""Soundness hunt 19h: wrong values and derivatives at second order and of srcad's transforms
called inside a differentiated function, found by probes written like users' code.

- WRONG primal and derivative: ``srcad.grad(srcad.grad(s))`` (or ``value_and_grad`` of
  ``g = srcad.grad(s)``) inside a transformed function, ``s`` a nested def: lower/calls lifted
  the `NestedDerivative` ``srcad.grad(s)`` as the nested function ``s`` itself, so the outer
  maker made ``grad(s)`` again (``srcad.primal`` gave s' instead of s'', ``srcad.grad`` s''
  instead of s'''). Now the outer maker composes with the made derivative (lower/lift.lift_target);
  its derivative is refused (as for a module-level ``srcad.grad(srcad.grad(f))``), the primal right.
  The same through a helper: ``def gg(fn, z): return srcad.grad(fn)(z)`` called with ``g``.
- WRONG primal and derivative: ``g = srcad.grad(s)`` (``s`` nested) passed into a helper
  (``apply(g, z)``): the helper's ``fn(z)`` ran the nested ``s`` (lower/fnargs.carry kept its
  node), not its gradient. Now the derivative is carried with its captured values
  (lower/lift.frozen).
- CRASH (internal AttributeError): ``H = srcad.hessian(L)`` (or ``srcad.jacfwd/jacrev(L)``, or
  the pullback of ``srcad.vjp``) passed into a helper: fnargs.carry made a `Carried` of the
  api_calls.Callable_ (whose node is the call, not a def). Now carried like the derivative above,
  the captured values frozen at the pass (the helper's variable ``c`` is not the caller's).
- WRONG primal and derivative: a nested factory returning ``srcad.grad(L)`` (``def mk(c): def
  L(a): ...; return srcad.grad(L)``) gave the caller ``L``; returning ``srcad.hessian(L)`` or a
  pullback crashed (factories.nested_factory_ok read the call node as a def). Now the factory's
  reads are those of ``L`` and the derivative is carried out with the factory's values.
- SPURIOUS REFUSAL ("the source of `hessian_L` ... changed since it was imported"):
  ``srcad.hessian(L)(a, b)`` and ``srcad.hessian(L, wrt=1)(a, b)`` in one function (or two
  lifted ``L`` with different captured variables): api_calls._jacobian_helper wrote both
  generated loops' texts under one linecache file name, the second over the first. Now the
  name tells the argument position and count apart.
"""

from __future__ import annotations

import numpy as np
import pytest

import srcad

X3 = np.array([0.31, -0.53, 0.77])


def _fd(f, x, h=1e-6):
    return np.array([(f(x + h * e) - f(x - h * e)) / (2 * h) for e in np.eye(x.size)])


# -- srcad.grad of a srcad.grad made of a nested function ------------------------------------------
def _grad_grad_nested(x):
    def s(t):
        return np.sin(t) * t**3

    return srcad.grad(srcad.grad(s))(x[0]) * x[1]


def _grad_grad_nested_loop(x):
    def s(t):
        return np.sin(t) * t**3

    tot = 0.0
    for i in range(2):
        tot = tot + srcad.grad(srcad.grad(s))(x[i]) * x[i + 1]
    return tot


def _value_and_grad_of_grad(x):
    def s(t):
        return np.sin(t) * t**3

    g = srcad.grad(s)
    v, gg = srcad.value_and_grad(g)(x[0])
    return v * x[1] + gg


def _grad_in_helper(fn, z):
    return srcad.grad(fn)(z)


def _grad_of_a_grad_in_a_helper(x):
    def s(t):
        return np.sin(t) * t**3 * x[2]

    g = srcad.grad(s)
    return _grad_in_helper(g, x[0]) * x[1]


@pytest.mark.parametrize(
    "f",
    [
        _grad_grad_nested,
        _grad_grad_nested_loop,
        _value_and_grad_of_grad,
        _grad_of_a_grad_in_a_helper,
    ],
)
def test_grad_of_a_nested_grad_right_or_refused(f):
    assert np.isclose(srcad.primal(f)(X3), f(X3))
    try:
        g = srcad.grad(f)(X3)
    except srcad.SrcadError:
        return
    np.testing.assert_allclose(g, _fd(f, X3), rtol=1e-5, atol=1e-7)


# -- srcad.grad of a nested function passed into a helper ------------------------------------------
def _apply(fn, z):
    c = 100.0  # the caller's captured variable has this name too
    return fn(z) * 2.0 + c * 0.0


def _apply_twice(fn, z, c):
    return fn(z) + fn(z * c)


def _grad_into_helper(x):
    def s(t):
        return np.sin(t) * t**3

    g = srcad.grad(s)
    return _apply(g, x[0]) * x[1]


def _grad_into_helper_captures(x):
    c = x[1]

    def s(t):
        return np.sin(t * c) * t**3

    g = srcad.grad(s)
    return _apply(g, x[0]) + x[2] * c


def _grad_into_helper_rebound(x):
    c = x[1]

    def s(t):
        return np.sin(t * c) * t**3

    g = srcad.grad(s)
    c = x[2] ** 2  # read when g runs, as Python's closures do
    return _apply(g, x[0])


def _grad_into_helper_twice(x):
    def s(t):
        return np.sum(np.cos(t) * t**2) * x[2]

    g = srcad.grad(s)
    return np.sum(_apply_twice(g, x[:2], 2.0) ** 2)


@pytest.mark.parametrize(
    "f",
    [
        _grad_into_helper,
        _grad_into_helper_captures,
        _grad_into_helper_rebound,
        _grad_into_helper_twice,
    ],
)
def test_grad_of_a_nested_function_into_a_helper(f):
    np.testing.assert_allclose(srcad.primal(f)(X3), f(X3), rtol=1e-12)
    g = srcad.grad(f)(X3)
    np.testing.assert_allclose(g, _fd(f, X3), rtol=1e-5, atol=1e-7)
    H = srcad.hessian(f)(X3)
    Hfd = _fd(srcad.grad(f), X3, 1e-5)
    np.testing.assert_allclose(H, Hfd, rtol=1e-4, atol=1e-6)


# -- srcad.hessian / jacfwd / a pullback passed into a helper --------------------------------------
X6 = np.array([0.31, -0.53, 0.82, 0.13, 0.45, -0.27])


def _apply1(fn, z):
    c = 100.0  # the caller's captured variable has this name too
    return fn(z * (c / 100.0))


def _L_mod(a):
    return np.sum(np.exp(a * 0.7) * a**2)


def _hessian_into_helper(x):
    c = x[4]

    def L(a):
        return np.sum(np.exp(a * c) * a**2)

    H = srcad.hessian(L)
    return np.sum(_apply1(H, x[:3]))


def _hessian_of_module_fn_into_helper(x):
    H = srcad.hessian(_L_mod)
    return np.sum(_apply1(H, x[:3]) * x[3])


def _jacfwd_into_helper(x):
    c = x[4]

    def F(a):
        return np.sin(a * c)

    J = srcad.jacfwd(F)
    return np.sum(_apply1(J, x[:3]) ** 2)


def _jacrev_into_helper(x):
    c = x[4]

    def F(a):
        return np.sin(a * c) * a[0]

    J = srcad.jacrev(F)
    return np.sum(_apply1(J, x[:3]) * x[5])


def _pullback_into_helper(x):
    c = x[4]

    def F(a):
        return np.sin(a * c)

    y, pb = srcad.vjp(F, x[:3])
    (g,) = _apply1(pb, x[3:])
    return np.sum(g * y)


@pytest.mark.parametrize(
    "f",
    [
        _hessian_into_helper,
        _hessian_of_module_fn_into_helper,
        _jacfwd_into_helper,
        _jacrev_into_helper,
        _pullback_into_helper,
    ],
)
def test_jacobian_or_pullback_into_a_helper(f):
    np.testing.assert_allclose(srcad.primal(f)(X6), f(X6), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X6), _fd(f, X6), rtol=1e-5, atol=1e-7)


# -- a nested factory returning a derivative of its nested function --------------------------------
def _factory_returns_grad(x):
    c = 7.0  # the caller's `c`: the made derivative reads the factory's

    def mk(c):
        def L(a):
            return np.sum(np.exp(a * c) * a**2)

        return srcad.grad(L)

    g = mk(x[4])
    return np.sum(g(x[:3])) * c


def _factory_returns_lambda_grad(x):
    def mk(c):
        return srcad.grad(lambda a: np.sum(np.cos(a * c)))

    g1 = mk(x[4])
    g2 = mk(x[5])
    return np.sum(g1(x[:3]) * g2(x[:3]))


def _factory_returns_hessian(x):
    c = 7.0

    def mk(c):
        def L(a):
            return np.sum(np.exp(a * c) * a**2)

        return srcad.hessian(L)

    H = mk(x[4])
    return np.sum(H(x[:3])) * c


def _factory_returns_pullback(x):
    c = 7.0

    def mk(c):
        def F(a):
            return np.sin(a * c)

        y, pb = srcad.vjp(F, x[:3])
        return pb

    pb = mk(x[4])
    return np.sum(pb(x[3:])[0]) * c


@pytest.mark.parametrize(
    "f",
    [
        _factory_returns_grad,
        _factory_returns_lambda_grad,
        _factory_returns_hessian,
        _factory_returns_pullback,
    ],
)
def test_nested_factory_returning_a_derivative(f):
    np.testing.assert_allclose(srcad.primal(f)(X6), f(X6), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X6), _fd(f, X6), rtol=1e-5, atol=1e-6)


# -- two Jacobian loops of one nested function -----------------------------------------------------
def _hessians_wrt_both(x):
    def L(a, b):
        return np.sin(a * b) * a**3

    return srcad.hessian(L)(x[0], x[1]) * x[2] + srcad.hessian(L, wrt=1)(x[0], x[1])


def _jacobians_wrt_both(x):
    c = x[2]

    def F(a, b):
        return np.sin(a * b * c) + b**2 * a[0]

    return np.sum(srcad.jacfwd(F)(x[:2], x[3:5])) + np.sum(srcad.jacfwd(F, wrt=1)(x[:2], x[3:5]))


@pytest.mark.parametrize("f", [_hessians_wrt_both, _jacobians_wrt_both])
def test_two_jacobian_loops_of_one_function(f):
    np.testing.assert_allclose(srcad.primal(f)(X6), f(X6), rtol=1e-12)
    np.testing.assert_allclose(srcad.grad(f)(X6), _fd(f, X6), rtol=1e-5, atol=1e-6)
