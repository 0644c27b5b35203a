"""Second derivatives found wrong or crashing by hunth20 (session 20), each minimised: the
derivative routes that stack a gradient level (``hessian``, ``hvp``, ``jacfwd(grad(f))``,
``jvp(grad(f))``, ``grad(grad(f))``, ``hessian(grad(f))``) on a function whose output is not a
scalar. ``grad(f)`` refuses it; these returned the Hessian of ``np.sum(f)`` silently, or crashed
inside the generated code (IndexError, reshape errors)."""

from __future__ import annotations

import math

import numpy as np
import pytest

import srcad

X = np.array([0.31, -0.53, 0.82])


def vec(x):
    return np.sin(x) * x[0]


def vec1(x):
    return np.sin(x[:1]) * x[0]


def pair(x):
    return np.sum(x**2), x[0]


def aux_vec(x):
    return np.sin(x) * x[0], 1.0


def scalar_to_vec(t):
    return np.array([math.sin(t), t * t])


def f3(x):
    return np.sum(np.sin(x) * x[0] ** 2) + np.prod(x)


ROUTES = {
    "hessian": lambda: srcad.hessian(vec)(X),  # was the Hessian of np.sum(vec)
    "hvp": lambda: srcad.hvp(vec, (X,), (X,)),
    "jacfwd_grad": lambda: srcad.jacfwd(srcad.grad(vec))(X),
    "jacrev_grad": lambda: srcad.jacrev(srcad.grad(vec))(X),
    "jvp_grad": lambda: srcad.jvp(srcad.grad(vec), (X,), (X,)),
    "vjp_grad": lambda: srcad.vjp(srcad.grad(vec), X)[1](X),
    "jacfwd_value_and_grad": lambda: srcad.jacfwd(srcad.value_and_grad(vec))(X),
    "has_aux": lambda: srcad.jacfwd(srcad.grad(aux_vec, has_aux=True))(X),
    "shape_1": lambda: srcad.hessian(vec1)(X),  # IndexError in unbroadcast
    "tuple": lambda: srcad.hessian(pair)(X),  # TypeError in elem
    "grad_grad": lambda: srcad.grad(srcad.grad(scalar_to_vec))(0.3),  # reshape error
}


def test_the_sum_is_what_was_returned() -> None:
    """The old silent result: the Hessian of sum(vec), which is not a Hessian of `vec`."""
    h_sum = srcad.hessian(lambda x: np.sum(vec(x)))(X)
    assert h_sum.shape == (3, 3)
    with pytest.raises(srcad.SrcadError, match="grad needs a scalar output"):
        srcad.hessian(vec)(X)


@pytest.mark.parametrize("route", sorted(ROUTES))
def test_a_gradient_level_of_a_non_scalar_function_is_refused(route: str) -> None:
    with pytest.raises(srcad.SrcadError, match="grad needs a scalar output"):
        ROUTES[route]()


def test_hessian_of_a_gradient_is_refused_clearly() -> None:
    with pytest.raises(srcad.SrcadError, match=r"returned an array of shape \(3,\)"):
        srcad.hessian(srcad.grad(f3))(X)  # was: cannot reshape array of size 9 into shape (3,)
    g = srcad.grad(srcad.grad(lambda t: math.sin(t) * t**3))(0.5)  # scalars still work
    assert g == pytest.approx(
        -math.sin(0.5) * 0.125 + 6 * math.cos(0.5) * 0.25 + 6 * math.sin(0.5) * 0.5, rel=1e-12
    )


def test_scalar_outputs_still_work_on_every_route() -> None:
    h = srcad.hessian(f3)(X)
    np.testing.assert_allclose(srcad.jacfwd(srcad.grad(f3))(X), h, rtol=1e-13)
    np.testing.assert_allclose(srcad.hvp(f3, (X,), (X,))[1], h @ X, rtol=1e-12)
    hh, aux = srcad.jacfwd(srcad.grad(lambda x: (f3(x), x[0]), has_aux=True))(X)
    np.testing.assert_allclose(hh, h, rtol=1e-13)
    np.testing.assert_allclose(aux, [1.0, 0.0, 0.0])
    assert srcad.hessian(lambda x: np.sum(x[:1] ** 3))(X)[0, 0] == pytest.approx(6 * X[0])


def squeezed_square(x):
    return np.squeeze(x) ** 2


def test_hvp_fast_path_refuses_an_output_of_another_shape() -> None:
    """The fast path is keyed by argument kinds (dtype, rank), not shapes: a shape (1,) input
    makes the output a scalar, a shape (2,) one an array, which went through the fast entry."""
    one = np.array([1.0])
    assert srcad.hvp(squeezed_square, (np.array([0.5]),), (one,))[1] == pytest.approx([2.0])
    assert srcad.hvp(squeezed_square, (np.array([0.7]),), (one,))[1] == pytest.approx([2.0])
    with pytest.raises(srcad.SrcadError, match=r"shape \(2,\)"):
        srcad.hvp(squeezed_square, (np.array([0.5, 0.2]),), (np.array([1.0, 0.0]),))


# -- srcad.grad / hvp / hessian of a non-scalar function called INSIDE differentiated code ---------
def grad_of_vec_inside(x):
    return np.sum(srcad.grad(vec)(x) ** 2)  # calling it refuses; its derivatives did not


def hvp_of_vec_inside(x):
    return np.sum(srcad.hvp(vec, (x,), (x,))[1])


def hessian_of_vec_inside(x):
    return np.sum(srcad.hessian(vec)(x))


def value_and_grad_with_aux_inside(x):
    (v, aux), g = srcad.value_and_grad(aux_vec, has_aux=True)(x)
    return np.sum(g) + aux


INSIDE = {
    "jvp_grad": lambda: srcad.jvp(grad_of_vec_inside, (X,), (X,)),  # was a number
    "grad_grad": lambda: srcad.grad(grad_of_vec_inside)(X),  # reshape error
    "hessian_grad": lambda: srcad.hessian(grad_of_vec_inside)(X),  # reshape error
    "grad_hvp": lambda: srcad.grad(hvp_of_vec_inside)(X),  # reshape error
    "jvp_hvp": lambda: srcad.jvp(hvp_of_vec_inside, (X,), (X,)),
    "grad_hessian": lambda: srcad.grad(hessian_of_vec_inside)(X),  # reshape error
    "jvp_aux": lambda: srcad.jvp(value_and_grad_with_aux_inside, (X,), (X,)),
}


@pytest.mark.parametrize("route", sorted(INSIDE))
def test_a_non_scalar_gradient_inside_differentiated_code_is_refused(route: str) -> None:
    with pytest.raises(srcad.SrcadError, match="grad needs a scalar output, but `(vec|aux_vec)`"):
        INSIDE[route]()


def scalar_inside(x):
    g = srcad.grad(f3)(x)
    (v, aux), g2 = srcad.value_and_grad(lambda z: (f3(z), z[0]), has_aux=True)(x)
    return np.sum(g**2) + np.sum(srcad.hvp(f3, (x,), (x,))[1]) + v * aux + np.sum(g2)


def test_scalar_gradients_inside_still_differentiate() -> None:
    g = srcad.grad(scalar_inside)(X)
    fd = np.array([(scalar_inside(X + e) - scalar_inside(X - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    h = srcad.hessian(scalar_inside)(X)
    gd = srcad.grad(scalar_inside)
    hfd = np.array([(gd(X + e) - gd(X - e)) / 2e-5 for e in np.eye(3) * 1e-5])
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-7)


def complex_out(x):
    return np.sum(np.exp(1j * x) * x)


def complex_inside(x):
    return np.sum(srcad.grad(complex_out)(x))


def real_through_complex(x):
    return np.sum(np.abs(np.fft.fft(x * x[0])) ** 2) + np.real(np.sum(np.exp(1j * x)))


@pytest.mark.parametrize(
    "route",
    [
        lambda: srcad.hessian(complex_out)(X),  # was the Hessian of the real part
        lambda: srcad.hvp(complex_out, (X,), (X,)),
        lambda: srcad.jacfwd(srcad.grad(complex_out))(X),
        lambda: srcad.jvp(complex_inside, (X,), (X,)),  # was a number
    ],
)
def test_a_complex_output_is_refused_at_second_order_as_grad_refuses_it(route) -> None:
    with pytest.raises(srcad.SrcadError, match="grad needs a real scalar output"):
        route()


def test_a_real_output_through_complex_values_still_has_a_hessian() -> None:
    h = srcad.hessian(real_through_complex)(X)
    g = srcad.grad(real_through_complex)
    fd = np.array([(g(X + e) - g(X - e)) / 2e-5 for e in np.eye(3) * 1e-5])
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-7)


# -- srcad.hessian / jacfwd / jacrev(f)(x) inside, of an f with a default argument ----------------
def _rec(z, n=2):
    if n == 0:
        return np.sum(np.sin(z))
    return _rec(z * 1.1, n - 1) * np.sum(z**2)


def _scaled(z, s=2.0, name="x"):
    return np.sin(z) * s


def hessian_of_a_default_inside(x):
    return np.trace(srcad.hessian(_rec)(x))  # refused: "call the hessian of _rec with 2 ..."


def jacobians_of_defaults_inside(x):
    return np.sum(srcad.jacfwd(_scaled)(x) ** 2) + np.sum(srcad.jacrev(_scaled)(x, 3.0) * x)


@pytest.mark.parametrize("fn", [hessian_of_a_default_inside, jacobians_of_defaults_inside])
def test_a_jacobian_inside_fills_the_functions_constant_defaults(fn) -> None:
    g = srcad.grad(fn)(X)
    fd = np.array([(fn(X + e) - fn(X - e)) / 2e-6 for e in np.eye(3) * 1e-6])
    np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-8)
    h = srcad.hessian(fn)(X)
    gd = srcad.grad(fn)
    hfd = np.array([(gd(X + e) - gd(X - e)) / 2e-5 for e in np.eye(3) * 1e-5])
    np.testing.assert_allclose(h, hfd, rtol=1e-5, atol=1e-7)


# -- grad of a tuple-returning function inside differentiated code: grad's seed 1.0 was indexed
# as the tuple's cotangent, TypeError "'float' object is not subscriptable" in the generated code
# (hunth20 found, lead fixed): the refusal calling it directly gives, at the function's return
def grad_of_pair_inside(x):
    return np.sum(srcad.grad(pair)(x))


@pytest.mark.parametrize(
    "run",
    [
        lambda: srcad.grad(grad_of_pair_inside)(X),
        lambda: srcad.jvp(grad_of_pair_inside, (X,), (X,)),
        lambda: srcad.hessian(grad_of_pair_inside)(X),
    ],
)
def test_grad_of_a_tuple_output_inside_is_refused(run) -> None:
    with pytest.raises(srcad.SrcadError, match="grad needs a scalar output"):
        grad_of_pair_inside(X)
    with pytest.raises(srcad.SrcadError, match="grad needs a scalar output"):
        run()
